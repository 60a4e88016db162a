"""Server tests run against real server processes, on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest

from tests.support.pgcluster import postgres_cluster, postgres_url  # noqa: F401
from tests.support.server import Api, ServerProcess


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres",
                                                                marks=pytest.mark.postgres)])
def server(request, tmp_path_factory):
    """A running demo server, one per test module and database kind."""
    db_url = ""
    if request.param == "postgres":
        cluster = request.getfixturevalue("postgres_cluster")
        db_url = cluster.create_database()
    process = ServerProcess(tmp_path_factory.mktemp(f"server-{request.param}"), db_url).start()
    yield process
    process.stop()


@pytest.fixture(scope="module")
def bdc(server):
    """bdc01, clerk of 不动产登记中心, logged in to the module's server."""
    return Api(server.url).login("bdc01")


@pytest.fixture(scope="module")
def tax(server):
    """tax01, liaison of 税务局."""
    return Api(server.url).login("tax01")


@pytest.fixture(scope="module")
def gaj(server):
    """gaj01, clerk of 公安局户政: a department with no part in the others' work."""
    return Api(server.url).login("gaj01")
