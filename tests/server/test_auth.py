"""Login, throttling and what is stored about passwords and tokens."""

from __future__ import annotations

import sqlite3

import pytest

from tests.support.server import Api, ServerProcess


@pytest.fixture
def fresh_server(tmp_path):
    """Its own process: throttling state must not leak into other tests."""
    process = ServerProcess(tmp_path).start()
    yield process
    process.stop()


def login(server, username, password="demo-2026"):
    return Api(server.url).post("/api/v1/auth/login", json={
        "username": username, "password": password, "device_id": "pc-auth"})


def test_wrong_credentials_are_401_without_saying_which_part_was_wrong(fresh_server):
    for username, password in (("bdc01", "wrong"), ("nobody", "demo-2026")):
        response = login(fresh_server, username, password)
        assert response.status_code == 401
        assert response.json()["error"] == {"code": "invalid_credentials",
                                            "message": "用户名或密码错误"}


def test_repeated_failures_lock_the_account_with_retry_after(fresh_server):
    for _ in range(5):
        assert login(fresh_server, "tax01", "guess").status_code == 401
    locked = login(fresh_server, "tax01")  # even the right password waits now
    assert locked.status_code == 429
    assert locked.json()["error"]["code"] == "too_many_attempts"
    assert 0 < int(locked.headers["Retry-After"]) <= 15 * 60
    assert login(fresh_server, "bdc01").status_code == 200  # other accounts are unaffected


def test_passwords_are_argon2_and_tokens_are_stored_only_as_hashes(fresh_server):
    response = login(fresh_server, "bdc01")
    token = response.json()["token"]
    assert len(token) >= 40 and response.json()["user"]["department"] == "bdc"
    with sqlite3.connect(fresh_server.data_dir / "hub.db") as db:
        hashes = [h for (h,) in db.execute("SELECT password_hash FROM users")]
        stored = [t for (t,) in db.execute("SELECT token_hash FROM auth_tokens")]
    assert hashes and all(h.startswith("$argon2id$") for h in hashes)
    assert token not in stored and all(len(t) == 64 for t in stored)
    raw = b"".join(p.read_bytes() for p in fresh_server.data_dir.glob("hub.db*"))
    assert token.encode() not in raw and b"demo-2026" not in raw
    assert token not in fresh_server.log()
