"""UI tests drive real widgets (offscreen) against a real server process."""

from __future__ import annotations

import pytest

from sync.client import Client
from sync.qt import SyncAdapter
from tests.support.server import DEMO_PASSWORD, ServerProcess
from ui.context import UiContext
from ui.tasks import finish_background_work


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    process = ServerProcess(tmp_path_factory.mktemp("hub")).start()
    yield process
    process.stop()


@pytest.fixture
def session(hub, tmp_path, qapp):
    """session("bdc01") → a UiContext logged in, synced once (reference data in the cache).
    The engine's threads are not started: tests call ``ctx.client.engine.sync_once()``."""
    made: list[UiContext] = []

    def make(username: str) -> UiContext:
        adapter = SyncAdapter()
        client = Client.login(tmp_path / username, hub.url, username, DEMO_PASSWORD,
                              listener=adapter)
        assert client.engine.sync_once().ok
        ctx = UiContext(client=client, adapter=adapter)
        made.append(ctx)
        return ctx

    yield make
    finish_background_work()  # a look at the cache may still be running
    for ctx in made:
        ctx.client.close()
