"""Client sync tests: real clients (encrypted cache, keyring, engine) against a real server
process."""

from __future__ import annotations

import pytest

from sync.client import Client
from tests.support.server import DEMO_PASSWORD, ServerProcess


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    process = ServerProcess(tmp_path_factory.mktemp("hub")).start()
    yield process
    process.stop()


@pytest.fixture
def counter(hub, tmp_path):
    """counter("bdc01") → a logged-in Client with its own data directory."""
    made: list[Client] = []

    def make(username: str, **kwargs) -> Client:
        client = Client.login(tmp_path / username, hub.url, username, DEMO_PASSWORD, **kwargs)
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()
