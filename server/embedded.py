"""The central server in a thread of the desktop process: ``windowdesk --demo`` and
``windowdesk --self-test`` run the whole product on one PC with it."""

from __future__ import annotations

import logging
import socket
import threading
import time
from pathlib import Path

import requests
import uvicorn

from server.app import create_app
from server.cli import _load_demo
from server.config import Settings
from server.db import Database


class EmbeddedServer:
    """A demo-hall server on a free loopback port, with SQLite in ``data_dir``."""

    def __init__(self, data_dir: Path) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        settings = Settings(data_dir=data_dir)
        data_dir.mkdir(parents=True, exist_ok=True)
        database = Database(settings.db_url)
        database.migrate()
        _load_demo(settings, database)
        database.dispose()
        config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=self.port,
                                log_level="warning", timeout_graceful_shutdown=1)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name="embedded-server",
                                       daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30.0) -> EmbeddedServer:
        self.thread.start()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{self.url}/api/v1/health", timeout=1).ok:
                    return self
            except requests.ConnectionError:
                time.sleep(0.05)  # still starting
        raise RuntimeError("内置服务器未能启动")

    def stop(self) -> None:
        # Clients' long-polls are still held when the windows close; cutting them short is
        # the point, not an error worth a traceback on the console.
        logging.getLogger("uvicorn.error").setLevel(logging.CRITICAL)
        self.server.should_exit = True
        self.thread.join(10)
