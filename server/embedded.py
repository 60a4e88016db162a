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

from app.reference import load_demo_hall
from server.app import create_app
from server.cli import _load_demo
from server.config import Settings
from server.db import Database
from server.demo_history import seed_history

log = logging.getLogger(__name__)


class EmbeddedServer:
    """A demo-hall server on a free loopback port, with SQLite in ``data_dir``. With
    ``history``, weeks of past work are played into it in the background once it runs
    (several seconds of ops), so the windows open at once and the past arrives by sync."""

    def __init__(self, data_dir: Path, *, history: bool = False) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        settings = Settings(data_dir=data_dir)
        data_dir.mkdir(parents=True, exist_ok=True)
        database = Database(settings.db_url)
        database.migrate()
        _load_demo(settings, database)
        database.dispose()
        self.settings = settings
        self.history = threading.Thread(target=self._play_history, name="demo-history",
                                        daemon=True) if history else None
        self.cancel = threading.Event()
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
                    if self.history is not None:
                        self.history.start()
                    return self
            except requests.ConnectionError:
                time.sleep(0.05)  # still starting
        raise RuntimeError("内置服务器未能启动")

    def stop(self) -> None:
        # Clients' long-polls are still held when the windows close; cutting them short is
        # the point, not an error worth a traceback on the console.
        logging.getLogger("uvicorn.error").setLevel(logging.CRITICAL)
        self.cancel.set()
        if self.history is not None and self.history.is_alive():
            self.history.join(10)
        self.server.should_exit = True
        self.thread.join(10)

    def wait_for_history(self, timeout: float = 120.0) -> None:
        if self.history is not None:
            self.history.join(timeout)

    def _play_history(self) -> None:
        database = Database(self.settings.db_url)
        try:
            played = seed_history(database, self.settings, load_demo_hall(),
                                  self.settings.clock(), cancel=self.cancel)
            for refusal in played.refused:
                log.warning("演示历史中有操作被拒绝：%s", refusal)
        finally:
            database.dispose()
