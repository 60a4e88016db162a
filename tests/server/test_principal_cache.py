"""The server remembers who a token belongs to for a few seconds (docs/protocol.md §4.3):
logout in the same process bites at once, a token's expiry on every request, and what another
process changes in the database within the cache's lifetime."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from sqlalchemy import update

from app.sqltypes import utcnow
from server.auth.cache import LIFETIME_SECONDS
from server.auth.service import token_hash
from server.db import Database
from server.models import AuthToken, User
from tests.support.server import Api

SLACK = 3.0  # seconds: a loaded machine answers late, not wrongly


@pytest.fixture
def database(server):
    """The server's database, opened by this (another) process, as an administrator would."""
    db = Database(server.db_url or f"sqlite:///{server.data_dir / 'hub.db'}")
    yield db
    db.dispose()


def token_of(api: Api) -> str:
    return api.http.headers["Authorization"].removeprefix("Bearer ")


def me(api: Api) -> int:
    return api.get("/api/v1/auth/me").status_code


def status_after_change(api: Api, *, within: float) -> tuple[int, float]:
    """Ask until the answer is no longer 200, at most ``within`` seconds: (status, seconds)."""
    t0 = time.monotonic()
    while (status := me(api)) == 200 and time.monotonic() - t0 < within:
        time.sleep(0.1)  # the change is in the database; the cache learns of it by time alone
    return status, time.monotonic() - t0


def test_logout_stops_the_token_at_once_and_leaves_the_others(server):
    first, second = Api(server.url).login("bdc01"), Api(server.url).login("bdc01")
    assert me(first) == 200 and me(first) == 200  # the second from the cache
    assert me(second) == 200
    assert first.post("/api/v1/auth/logout").status_code == 200
    assert me(first) == 401
    assert first.get("/api/v1/sync/pull").status_code == 401
    assert me(second) == 200


def test_a_token_stops_working_when_it_expires_though_it_is_cached(server, database):
    api = Api(server.url).login("bdc01")
    expires = utcnow() + timedelta(seconds=1.5)
    with database.write() as session:
        session.execute(update(AuthToken).where(AuthToken.token_hash == token_hash(
            token_of(api))).values(expires_at=expires))
    cached_at = time.monotonic()
    assert me(api) == 200  # read from the database with its new expiry, and cached
    time.sleep(max(0.0, (expires - utcnow()).total_seconds()) + 0.05)  # until it expires
    assert me(api) == 401
    assert time.monotonic() - cached_at < LIFETIME_SECONDS, \
        "too slow to tell expiry from the cache's lifetime; nothing was shown"


def test_a_revocation_by_another_process_bites_within_the_lifetime(server, database):
    api = Api(server.url).login("bdc01")
    assert me(api) == 200
    with database.write() as session:
        session.execute(update(AuthToken).where(AuthToken.token_hash == token_hash(
            token_of(api))).values(revoked_at=utcnow()))
    status, seconds = status_after_change(api, within=LIFETIME_SECONDS + SLACK)
    assert status == 401, f"still accepted {seconds:.1f} s after the revocation"


def test_a_deactivated_user_is_refused_within_the_lifetime(server, database):
    api = Api(server.url).login("gaj01")
    assert me(api) == 200
    with database.write() as session:
        session.execute(update(User).where(User.username == "gaj01").values(active=False))
    try:
        status, seconds = status_after_change(api, within=LIFETIME_SECONDS + SLACK)
        assert status == 401, f"still accepted {seconds:.1f} s after the deactivation"
    finally:
        with database.write() as session:
            session.execute(update(User).where(User.username == "gaj01").values(active=True))


def test_a_moved_user_sees_the_new_department_within_the_lifetime(server, database):
    api = Api(server.url).login("gaj01")
    assert api.get("/api/v1/auth/me").json()["departments"] == ["gaj"]
    with database.write() as session:
        session.execute(update(User).where(User.username == "gaj01")
                        .values(department_code="tax"))
    try:
        t0 = time.monotonic()
        while (seen := api.get("/api/v1/auth/me").json()["departments"]) == ["gaj"] \
                and time.monotonic() - t0 < LIFETIME_SECONDS + SLACK:
            time.sleep(0.1)  # as above: only time tells the cache
        assert seen == ["tax"]
    finally:
        with database.write() as session:
            session.execute(update(User).where(User.username == "gaj01")
                            .values(department_code="gaj"))
