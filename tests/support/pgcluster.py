"""A throwaway PostgreSQL cluster for tests: initdb + pg_ctl on a temporary directory.

The central server is tested against a real PostgreSQL, never a mock. Each test session starts
its own cluster on a free TCP port of 127.0.0.1, with its unix socket, log and data inside one
temporary directory (on /dev/shm when it is a large enough tmpfs, else $TMPDIR), so several
pytest processes can run at once without colliding.

    with PostgresCluster() as cluster:
        url = cluster.create_database()      # postgresql+psycopg://postgres@127.0.0.1:PORT/...

or, in tests, the ``postgres_cluster`` (session) and ``postgres_url`` (one fresh database per
test) fixtures at the bottom of this module.

initdb and pg_ctl refuse to run as root; as root they run as Debian's ``postgres`` system user
(``runuser``, falling back to ``su``) and the temporary directory is handed over to that user.

Clean-up happens three ways: ``stop()`` (idempotent), an ``atexit`` hook, and a small watchdog
process that stops the postmaster and removes the directory if this process dies without
running either (SIGKILL, a crashed interpreter).
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import pwd
import re
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from psycopg.conninfo import make_conninfo

__all__ = ["PostgresCluster", "find_pg_bin", "postgres_cluster", "postgres_url"]

#: Where Debian's ``postgresql-NN`` packages put the server binaries (one directory per version).
DEBIAN_PG_ROOT = Path("/usr/lib/postgresql")
#: The system user Debian's ``postgresql-common`` creates; initdb/pg_ctl run as it under root.
PG_SYSTEM_USER = "postgres"
#: The database superuser initdb creates (trust authentication, no password).
SUPERUSER = "postgres"

_MISSING_MESSAGE = (
    "PostgreSQL server binaries (initdb, pg_ctl) not found: looked in {root}/*/bin and "
    "`pg_config --bindir`. The server tests need a real PostgreSQL; install the Debian package "
    "`postgresql` (`apt-get install postgresql`, which `./dev test` does for you)."
)

# Settings for a fast, disposable cluster: durability is worthless here, connections are not
# (the tests run several server processes, each with a pool).
_SETTINGS = {
    "listen_addresses": "'127.0.0.1'",
    "max_connections": "300",
    "shared_buffers": "128MB",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "checkpoint_timeout": "30min",
    "max_wal_size": "1GB",
    "jit": "off",
    "lc_messages": "'C'",
    "log_line_prefix": "'%m [%p] %q%u@%d '",
}

_PORT_IN_USE = re.compile(
    r"could not bind IPv4 address|Address already in use|could not create any TCP/IP sockets"
)
_MIN_SHM_FREE = 2 * 1024**3  # Docker's default 64 MB /dev/shm is far too small
_START_ATTEMPTS = 5
_START_TIMEOUT_S = 60
_STOP_TIMEOUT_S = 30

# Runs in a separate session; blocks on its stdin (a pipe from the test process). EOF without
# the disarm word means the test process died without cleaning up: stop postgres, remove dir.
_WATCHDOG = r"""# windowdesk test-cluster watchdog
import json, shutil, subprocess, sys
stop_command, directory = json.loads(sys.argv[1]), sys.argv[2]
try:
    word = sys.stdin.buffer.read()
except BaseException:
    word = b""
if word != b"disarm":
    try:
        subprocess.run(stop_command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, cwd="/", timeout=120)
    except Exception:
        pass
    shutil.rmtree(directory, ignore_errors=True)
"""


def find_pg_bin() -> Path:
    """The directory holding initdb/pg_ctl/postgres: the newest ``/usr/lib/postgresql/*/bin``,
    else ``pg_config --bindir``. RuntimeError (naming the Debian package) when neither has them."""
    candidates: list[tuple[tuple[int, ...], Path]] = []
    if DEBIAN_PG_ROOT.is_dir():
        for bindir in DEBIAN_PG_ROOT.glob("*/bin"):
            version = tuple(int(part) for part in re.findall(r"\d+", bindir.parent.name))
            if version and _has_server_binaries(bindir):
                candidates.append((version, bindir))
    if candidates:
        return max(candidates)[1]
    pg_config = shutil.which("pg_config")
    if pg_config:
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            out = subprocess.run(
                [pg_config, "--bindir"], capture_output=True, text=True, timeout=30, check=True
            ).stdout.strip()
            if out and _has_server_binaries(Path(out)):
                return Path(out)
    raise RuntimeError(_MISSING_MESSAGE.format(root=DEBIAN_PG_ROOT))


def _has_server_binaries(bindir: Path) -> bool:
    return all(os.access(bindir / name, os.X_OK) for name in ("initdb", "pg_ctl", "postgres"))


def default_base_dir() -> Path:
    """/dev/shm when it is a roomy tmpfs (CREATE DATABASE is ~10x faster in RAM than on a busy
    disk, even with fsync off), else the system temporary directory."""
    shm = Path("/dev/shm")
    with contextlib.suppress(OSError):
        st = os.statvfs(shm)
        if os.access(shm, os.W_OK | os.X_OK) and st.f_bavail * st.f_frsize >= _MIN_SHM_FREE:
            return shm
    return Path(tempfile.gettempdir())


def _free_port(host: str) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def _cluster_locale() -> str:
    """C.UTF-8 (byte-order collation, Unicode character classes) when the system has it."""
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        out = subprocess.run(["locale", "-a"], capture_output=True, text=True, timeout=10).stdout
        if {"c.utf8", "c.utf-8"} & {line.strip().lower() for line in out.splitlines()}:
            return "C.UTF-8"
    return "C"


def _conf_quote(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'"


def _tail(path: Path, lines: int = 40, offset: int = 0) -> str:
    try:
        with open(path, "rb") as f:
            f.seek(offset)
            text = f.read().decode("utf-8", "replace")
    except OSError:
        return "(no log)"
    return "\n".join(text.splitlines()[-lines:]) or "(empty log)"


def unique_database_name(prefix: str = "wd_test") -> str:
    return f"{prefix}_{uuid.uuid4().hex[:16]}"


class PostgresCluster:
    """A private PostgreSQL cluster in a temporary directory; single use (start once, stop)."""

    host: str = "127.0.0.1"

    def __init__(self, base_dir: Path | None = None):
        """base_dir: where to create the cluster's temporary directory (default_base_dir())."""
        self.base_dir = Path(base_dir) if base_dir is not None else None
        self.port: int = 0
        self.bin_dir: Path | None = None
        self.directory: Path | None = None
        self._watchdog: subprocess.Popen[bytes] | None = None
        self._started = False
        self._stopped = False

    # -- paths ------------------------------------------------------------------------------
    @property
    def data_dir(self) -> Path:
        return self._dir() / "data"

    @property
    def socket_dir(self) -> Path:
        return self._dir() / "sock"

    @property
    def log_file(self) -> Path:
        return self._dir() / "postgres.log"

    def _dir(self) -> Path:
        if self.directory is None:
            raise RuntimeError("the cluster has not been started")
        return self.directory

    # -- lifecycle --------------------------------------------------------------------------
    def start(self) -> None:
        if self._started or self._stopped:
            raise RuntimeError("a PostgresCluster is single use: start it once")
        self._started = True
        self.bin_dir = find_pg_bin()
        owner = self._system_user()
        base_dir = self.base_dir if self.base_dir is not None else default_base_dir()
        base_dir.mkdir(parents=True, exist_ok=True)
        self.directory = Path(tempfile.mkdtemp(prefix="windowdesk-pg-", dir=base_dir))
        atexit.register(self.stop)
        try:
            (self.directory / "sock").mkdir()
            if owner is not None:
                for path in (self.directory, self.directory / "sock"):
                    os.chown(path, owner.pw_uid, owner.pw_gid)
            self._start_watchdog()
            self._initdb()
            self._start_postmaster()
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        """Stop the postmaster (fast shutdown) and remove the directory. Idempotent."""
        if self._stopped:
            return
        self._stopped = True
        with contextlib.suppress(Exception):
            atexit.unregister(self.stop)
        try:
            if self.directory is not None and (self.data_dir / "postmaster.pid").exists():
                stop = ["stop", "-D", str(self.data_dir), "-w", "-t", str(_STOP_TIMEOUT_S)]
                for mode in ("fast", "immediate"):
                    if self._pg_ctl(*stop, "-m", mode, check=False).returncode == 0:
                        break
        finally:
            if self.directory is not None:
                shutil.rmtree(self.directory, ignore_errors=True)
            self._disarm_watchdog()

    def __enter__(self) -> PostgresCluster:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # -- connections ------------------------------------------------------------------------
    def url(self, dbname: str = "postgres") -> str:
        """SQLAlchemy URL for a database of this cluster (superuser, trust auth)."""
        self._require_running()
        return f"postgresql+psycopg://{SUPERUSER}@{self.host}:{self.port}/{dbname}"

    def dsn(self, dbname: str = "postgres") -> str:
        """libpq connection string, for psycopg.connect()."""
        self._require_running()
        return make_conninfo(
            host=self.host, port=self.port, user=SUPERUSER, dbname=dbname, connect_timeout=10
        )

    def create_database(self, name: str | None = None) -> str:
        """CREATE DATABASE (a fresh unique name when none is given); returns its SQLAlchemy URL."""
        name = name or unique_database_name()
        with psycopg.connect(self.dsn(), autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return self.url(name)

    def drop_database(self, name: str) -> None:
        """DROP DATABASE ... WITH (FORCE): open connections to it are terminated. Accepts the
        database name or the URL create_database returned."""
        if "://" in name:
            name = name.rsplit("/", 1)[1].split("?", 1)[0]
        with psycopg.connect(self.dsn(), autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )

    def _require_running(self) -> None:
        if not self.port or self._stopped:
            raise RuntimeError("the cluster is not running")

    # -- internals --------------------------------------------------------------------------
    @staticmethod
    def _system_user() -> pwd.struct_passwd | None:
        """The user initdb/pg_ctl must run as, or None to run them as ourselves (not root)."""
        if os.geteuid() != 0:
            return None
        try:
            return pwd.getpwnam(PG_SYSTEM_USER)
        except KeyError:
            raise RuntimeError(
                f"running as root, but there is no `{PG_SYSTEM_USER}` system user to run "
                "initdb/pg_ctl as (PostgreSQL refuses to run as root); install the Debian "
                "package `postgresql`, which creates it"
            ) from None

    def _command(self, program: str, *args: str) -> list[str]:
        assert self.bin_dir is not None
        argv = [str(self.bin_dir / program), *args]
        if os.geteuid() != 0:
            return argv
        if shutil.which("runuser"):
            return ["runuser", "-u", PG_SYSTEM_USER, "--", *argv]
        return ["su", PG_SYSTEM_USER, "-s", "/bin/sh", "-c", shlex.join(argv)]

    def _run(self, argv: list[str], check: bool = True) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        env["LC_ALL"] = "C"
        result = subprocess.run(
            argv,
            cwd=self._dir(),
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            errors="replace",
        )
        if check and result.returncode != 0:
            raise RuntimeError(
                f"{shlex.join(argv)} failed (exit {result.returncode}):\n"
                f"{result.stdout}{result.stderr}".rstrip()
            )
        return result

    def _pg_ctl(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return self._run(self._command("pg_ctl", *args), check=check)

    def _start_watchdog(self) -> None:
        stop_command = self._command(
            "pg_ctl", "stop", "-D", str(self.data_dir), "-m", "immediate", "-w"
        )
        self._watchdog = subprocess.Popen(
            [sys.executable, "-I", "-c", _WATCHDOG, json.dumps(stop_command), str(self._dir())],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd="/",
            start_new_session=True,
        )

    def _disarm_watchdog(self) -> None:
        watchdog, self._watchdog = self._watchdog, None
        if watchdog is None:
            return
        with contextlib.suppress(OSError, ValueError):
            assert watchdog.stdin is not None
            watchdog.stdin.write(b"disarm")
            watchdog.stdin.close()
        try:
            watchdog.wait(timeout=10)
        except subprocess.TimeoutExpired:
            watchdog.kill()
            watchdog.wait()

    def _initdb(self) -> None:
        # -A trust: local (unix socket) and host 127.0.0.1/32, ::1/128 lines, no password.
        args = ["-D", str(self.data_dir), "-U", SUPERUSER, "-A", "trust", "-E", "UTF8"]
        try:
            self._run(self._command("initdb", *args, f"--locale={_cluster_locale()}", "--no-sync"))
        except RuntimeError as exc:
            hint = ""
            if os.geteuid() == 0:
                hint = (
                    f"\n(as root, {self._dir()} and its parents must be searchable by the "
                    f"`{PG_SYSTEM_USER}` user)"
                )
            raise RuntimeError(f"initdb failed: {exc}{hint}") from None
        settings = dict(_SETTINGS, unix_socket_directories=_conf_quote(str(self.socket_dir)))
        with open(self.data_dir / "postgresql.conf", "a", encoding="utf-8") as conf:
            conf.write("\n# windowdesk test cluster\n")
            conf.writelines(f"{key} = {value}\n" for key, value in settings.items())

    def _start_postmaster(self) -> None:
        failure = ""
        for _attempt in range(_START_ATTEMPTS):
            port = _free_port(self.host)
            log_offset = self.log_file.stat().st_size if self.log_file.exists() else 0
            result = self._pg_ctl(
                *("start", "-D", str(self.data_dir), "-l", str(self.log_file)),
                *("-w", "-t", str(_START_TIMEOUT_S), "-o", f"-c port={port}"),
                check=False,
            )
            if result.returncode == 0:
                self.port = port
                return
            log = _tail(self.log_file, offset=log_offset)
            failure = (
                f"pg_ctl start on port {port} failed (exit {result.returncode}):\n"
                f"{result.stdout}{result.stderr}\n--- tail of {self.log_file} ---\n{log}"
            )
            if (self.data_dir / "postmaster.pid").exists() or not _PORT_IN_USE.search(log):
                break  # not a port race (or a half-started server): don't retry
        raise RuntimeError(failure)


# -- pytest fixtures (import them into conftest.py or a test module) --------------------------
@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[PostgresCluster]:
    """A started throwaway cluster for the whole test session."""
    cluster = PostgresCluster()
    cluster.start()
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def postgres_url(postgres_cluster: PostgresCluster) -> Iterator[str]:
    """SQLAlchemy URL of a fresh, empty database for one test; dropped (WITH FORCE) afterwards."""
    name = unique_database_name()
    url = postgres_cluster.create_database(name)
    try:
        yield url
    finally:
        postgres_cluster.drop_database(name)
