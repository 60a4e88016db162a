"""``windowdesk-server`` in a child process on a free port: for the tests and the
benchmarks, which need a real server process to talk to."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerProcess:
    """``windowdesk-server serve --demo`` in its own process. ``start`` returns once the
    health endpoint answers; the log goes to ``server.log`` in the data directory."""

    def __init__(self, data_dir: Path, db_url: str = "", *, workers: int = 1,
                 port: int | None = None, extra: tuple[str, ...] = (),
                 scheme: str = "http", verify: bool | str = True) -> None:
        self.data_dir = data_dir
        self.db_url = db_url
        self.workers = workers
        self.port = port or free_port()
        self.extra = extra
        # For a server started with --certfile/--keyfile: scheme "https", and ``verify`` the
        # CA bundle (PEM path) the readiness check trusts. Verification is never turned off.
        self.scheme = scheme
        self.verify = verify
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60.0) -> ServerProcess:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, "-m", "server.cli", "serve", "--demo",
                   "--data-dir", str(self.data_dir), "--port", str(self.port),
                   "--workers", str(self.workers), *self.extra]
        if self.db_url:
            command += ["--db", self.db_url]
        log = (self.data_dir / "server.log").open("ab")
        self.process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                                        start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}:\n{self.log()}")
            try:
                if requests.get(f"{self.url}/api/v1/health", timeout=1,
                                verify=self.verify).ok:
                    return self
            except requests.ConnectionError:
                pass
            time.sleep(0.05)  # waiting for a process to come up, not for a result
        raise RuntimeError(f"server did not answer within {timeout} s:\n{self.log()}")

    def log(self) -> str:
        path = self.data_dir / "server.log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def __enter__(self) -> ServerProcess:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
