"""A throwaway PostgreSQL cluster for P7: initdb + pg_ctl in a temporary directory on a
free port, as the ``postgres`` system user when running as root (PostgreSQL refuses root).

The same recipe as tests/support/pgcluster.py, cut to what a benchmark needs (bench must
not import tests): durability off, because the figure is the server's own cost.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

import psycopg

from server.process import free_port

SETTINGS = {"listen_addresses": "'127.0.0.1'", "max_connections": "200", "fsync": "off",
            "synchronous_commit": "off", "full_page_writes": "off", "jit": "off"}


def _bin_dir() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                   key=lambda p: [int(x) for x in re.findall(r"\d+", p.parent.parent.name)])
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    raise RuntimeError("PostgreSQL's initdb not found (apt-get install postgresql)")


class Cluster:
    def __init__(self) -> None:
        self.bin = _bin_dir()
        base = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None
        self.dir = Path(tempfile.mkdtemp(prefix="bench-pg-", dir=base))
        self.port = 0

    def _run(self, program: str, *args: str) -> str:
        argv = [str(self.bin / program), *args]
        if os.geteuid() == 0:
            argv = ["runuser", "-u", "postgres", "--", *argv]
        out = subprocess.run(argv, cwd=self.dir, capture_output=True, text=True,
                             env=dict(os.environ, LC_ALL="C"))
        if out.returncode:
            raise RuntimeError(f"{program} failed: {out.stdout}{out.stderr}")
        return out.stdout

    def version(self) -> str:
        return self._run("postgres", "--version").strip()

    def __enter__(self) -> Cluster:
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        data = self.dir / "data"
        self._run("initdb", "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                  "--no-sync")
        with open(data / "postgresql.conf", "a") as conf:
            conf.writelines(f"{k} = {v}\n" for k, v in
                            dict(SETTINGS, unix_socket_directories=f"'{self.dir}'").items())
        self.port = free_port()
        self._run("pg_ctl", "start", "-D", str(data), "-l", str(self.dir / "log"), "-w",
                  "-o", f"-c port={self.port}")
        return self

    def __exit__(self, *exc_info: object) -> None:
        try:
            self._run("pg_ctl", "stop", "-D", str(self.dir / "data"), "-m", "immediate", "-w")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)

    def create_database(self) -> str:
        name = f"bench_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(host="127.0.0.1", port=self.port, user="postgres",
                             dbname="postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{name}"
