"""The FastAPI application: routers, error format, and the background parts of a process
(change listener, scheduler)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

from app import __version__
from app.heap import keep_what_is_built
from server.auth.cache import PrincipalCache
from server.auth.endpoints import router as auth_router
from server.blobs.endpoints import router as blobs_router
from server.config import Settings
from server.db import Database
from server.errors import install_error_handlers
from server.hall import HallRulesCache
from server.scheduler import run_once
from server.schemas import Health
from server.stats.endpoints import router as stats_router
from server.sync.changes import head
from server.sync.endpoints import router as sync_router
from server.sync.notify import ChangeNotifier, HeadWatcher, PostgresListener
from server.sync.pages import SharedPages

log = logging.getLogger(__name__)


def create_app(settings: Settings | None = None, *, several_processes: bool = False) -> FastAPI:
    settings = settings or Settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    db = Database(settings.db_url)
    db.migrate()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        notifier: ChangeNotifier = app.state.notifier
        notifier.bind(asyncio.get_running_loop())
        watchers = []
        if not db.is_sqlite:
            watchers.append(PostgresListener(settings.db_url, notifier.publish))
        elif several_processes:
            watchers.append(HeadWatcher(lambda: _read_head(db), notifier.publish))
        for watcher in watchers:
            watcher.start()
        for watcher in watchers:
            if isinstance(watcher, PostgresListener):
                # answer no long-poll before other processes' commits can wake it
                await asyncio.to_thread(watcher.listening.wait, 10)
        scheduler = None
        if settings.scheduler_interval_seconds > 0:
            scheduler = asyncio.create_task(_schedule(app))
        try:
            yield
        finally:
            if scheduler is not None:
                scheduler.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await scheduler
            for watcher in watchers:
                watcher.stop()
            db.dispose()

    app = FastAPI(title="WindowDesk 一窗协同 API", version=__version__, lifespan=lifespan,
                  description="一窗协同中心服务器：登录、操作推送、变更拉取、附件与统计。")
    app.state.settings = settings
    app.state.db = db
    app.state.rules = HallRulesCache()
    app.state.principals = PrincipalCache()
    app.state.notifier = ChangeNotifier()
    app.state.pages = SharedPages(db, db.epoch())
    install_error_handlers(app)
    app.include_router(auth_router)
    app.include_router(sync_router)
    app.include_router(blobs_router)
    app.include_router(stats_router)

    @app.get("/api/v1/health", response_model=Health, tags=["health"])
    def health() -> Health:
        return Health(status="ok", version=__version__, server_time=settings.clock())

    return app


def _read_head(db: Database) -> int:
    with db.read() as session:
        return head(session)


async def _schedule(app: FastAPI) -> None:
    state = app.state
    while True:
        try:
            changes = await run_in_threadpool(run_once, state.db, state.rules, state.settings)
            if changes.entries:
                state.notifier.publish(changes.departments())
        except Exception:
            log.exception("scheduler run failed; trying again next interval")
        await asyncio.sleep(state.settings.scheduler_interval_seconds)


# -- for `serve --workers N`: each worker process builds its app from the environment ------

ENV_DB_URL = "WINDOWDESK_DB_URL"
ENV_DATA_DIR = "WINDOWDESK_DATA_DIR"


def app_from_env() -> FastAPI:
    settings = Settings(db_url=os.environ.get(ENV_DB_URL, ""),
                        data_dir=Path(os.environ[ENV_DATA_DIR]))
    app = create_app(settings, several_processes=True)
    keep_what_is_built(collect_first=True)
    return app
