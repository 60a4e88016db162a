"""Fault tests of the client's sync: a wrong PC clock, a server that answers nonsense, an
expired session, no server at all, and no secret left on disk or in a log.

The real server runs as a process (``hub``); the misbehaving one is
:class:`tests.support.stub_server.StubServer`, in this process.
"""

from __future__ import annotations

import json
import logging
import re
import sqlite3
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import keyring
import pytest
import requests
import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import func, select

import sync.engine
import sync.transport
from app.secrets import SERVICE
from app.store import models as m
from app.store.db import CACHE_FILE, key_name
from sync.client import Client, LoginFailed, user_dir
from sync.clock import ServerClock
from sync.engine import Link, SyncEngine
from sync.transport import Transport
from tests.support.server import DEMO_PASSWORD, VALID_ID, Api, free_port
from tests.support.stub_server import PULL_FAULTS, PUSH_FAULTS, StubServer

pytestmark = pytest.mark.faults

INTAKE = dict(matter_code="bdc-transfer-secondhand", citizen_name="张三",
              citizen_id_number=VALID_ID, citizen_phone="13800138000", channel="window",
              category="general", description="二手房过户")
THREE_HOURS = 3 * 3600.0
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def count(client: Client, model) -> int:
    with client.store.session() as s:
        return s.scalar(select(func.count()).select_from(model))


def row(client: Client, model, key):
    with client.store.session() as s:
        return s.get(model, key)


def sync_state(client: Client, key: str) -> str | None:
    found = row(client, m.SyncState, key)
    return found.value if found else None


def outbox_ids(client: Client) -> list[str]:
    with client.store.session() as s:
        return list(s.scalars(select(m.OutboxOp.op_id).order_by(m.OutboxOp.seq)))


def wait_until(condition, timeout: float, step: float = 0.02) -> bool:
    """Poll ``condition`` until it holds or ``timeout`` passes: waits for threads of the
    engine or the stub, never for a fixed time."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return condition()


def server_sees(hub, username: str, entity: str, entity_id: str) -> dict | None:
    seen, _ = Api(hub.url).login(username).pull_all()
    return seen.get((entity, entity_id))


def sync_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name in ("sync-pull", "sync-push")]


# -- 5. a wrong PC clock ---------------------------------------------------------------------


def fast_wall() -> float:
    return time.time() + THREE_HOURS  # this PC's clock is three hours fast


def test_a_pc_clock_three_hours_fast_still_shows_server_time_and_true_countdowns(counter):
    tax = counter("tax01", clock=ServerClock(wall=fast_wall))
    assert tax.engine.sync_once().ok

    real_now = datetime.now(UTC)
    assert abs((tax.clock.now() - real_now).total_seconds()) < 1.0
    status = tax.engine.status()
    assert status.clock_skewed is True
    assert status.clock_offset == pytest.approx(-THREE_HOURS, abs=2.0)

    # a request from the real-estate window: its countdown on the tax PC matches the server
    bdc = counter("bdc01")
    assert bdc.engine.sync_once().ok
    case_id = bdc.desk.register_case(**INTAKE)
    request_id = bdc.desk.send_request(case_id, to_department="tax", role="assisting",
                                       subject="完税证明", needed="契税完税证明")
    assert bdc.engine.sync_once().ok
    assert tax.engine.sync_once().ok
    received = row(tax, m.CollabRequest, request_id)
    assert received is not None and received.server_data is not None  # the server's own
    assert received.due_at == row(bdc, m.CollabRequest, request_id).due_at
    on_pc = received.due_at - tax.clock.now()
    truly = received.due_at - datetime.now(UTC)
    assert abs((on_pc - truly).total_seconds()) < 1.0
    assert truly > timedelta(0)  # just sent: not overdue, on either clock

    # what the tax clerk does is dated on server time too, not three hours ahead
    tax.desk.accept(request_id)
    with tax.store.session() as s:
        queued = s.scalars(select(m.OutboxOp)).one()
        pending = s.scalars(select(m.Event).where(m.Event.pending.is_(True))).all()
    assert abs((queued.client_time - datetime.now(UTC)).total_seconds()) < 1.0
    assert pending and all(abs((e.at - datetime.now(UTC)).total_seconds()) < 1.0
                           for e in pending)
    assert tax.engine.sync_once().ok

    # the offset is kept, and a restart has the right time before any network call
    saved = sync_state(tax, "clock_offset")
    assert saved is not None and float(saved) == pytest.approx(-THREE_HOURS, abs=2.0)
    data_dir = tax.data_dir
    tax.close()
    resumed = Client.resume(data_dir, clock=ServerClock(wall=fast_wall))
    try:
        resumed.transport.base_url = f"http://127.0.0.1:{free_port()}"  # no server to ask
        assert abs((resumed.clock.now() - datetime.now(UTC)).total_seconds()) < 1.0
        assert resumed.engine.status().clock_skewed is True
        assert resumed.engine.status().clock_offset == pytest.approx(-THREE_HOURS, abs=2.0)
        resumed_due = row(resumed, m.CollabRequest, request_id).due_at
        assert abs(((resumed_due - resumed.clock.now())
                    - (resumed_due - datetime.now(UTC))).total_seconds()) < 1.0
    finally:
        resumed.close()


# -- 7. a server that answers nonsense -------------------------------------------------------


@pytest.fixture
def stub():
    with StubServer() as server:
        yield server


@pytest.fixture
def short_timeouts(monkeypatch):
    """The client gives up on a silent server after half a second (not 30 s)."""
    monkeypatch.setattr(sync.transport, "READ_TIMEOUT", 0.5)
    monkeypatch.setattr(sync.transport, "LONG_POLL_SLACK", 0.5)


@pytest.fixture
def stub_client(stub, tmp_path):
    made: list[Client] = []

    def make(name: str = "bdc01", **kwargs) -> Client:
        client = Client.login(tmp_path / f"stub-{name}", stub.url, name, DEMO_PASSWORD,
                              **kwargs)
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()


def assert_failed_softly(client: Client, summary) -> None:
    assert not summary.ok and summary.errors, summary
    status = client.engine.status()
    assert status.link == Link.OFFLINE == "offline", status
    assert status.detail


@pytest.mark.parametrize("fault", PUSH_FAULTS)
def test_a_malformed_push_answer_keeps_the_op_and_goes_offline(stub, stub_client,
                                                                short_timeouts, fault):
    client = stub_client()
    stub.misbehave(fault, on="push")
    case_id = client.desk.register_case(**INTAKE)
    op_ids = outbox_ids(client)

    summary = client.engine.sync_once()  # must not raise

    assert_failed_softly(client, summary)
    assert count(client, m.OutboxOp) == 1 and outbox_ids(client) == op_ids
    assert [[o["op_id"] for o in p.body["ops"]] for p in stub.pushes()] == [op_ids]
    assert row(client, m.Case, case_id).server_data is None  # still only ours
    assert sync_state(client, "cursor") is None  # nothing was pulled


@pytest.mark.parametrize("fault", PULL_FAULTS)
def test_a_malformed_pull_answer_changes_nothing_and_goes_offline(stub, stub_client,
                                                                   short_timeouts, fault):
    client = stub_client()
    stub.misbehave(fault, on="pull")
    client.desk.register_case(**INTAKE)

    summary = client.engine.sync_once()  # must not raise

    assert_failed_softly(client, summary)
    # the push before the pull was answered properly, so that op is done; the broken page
    # must not move the cursor or touch the cache
    assert summary.pushed == 1 and count(client, m.OutboxOp) == 0
    assert stub.pulls() and sync_state(client, "cursor") is None
    assert count(client, m.Case) == 1


def test_after_every_kind_of_nonsense_the_same_ops_go_through_once_the_server_behaves(
        stub, stub_client, short_timeouts):
    client = stub_client()
    for n, fault in enumerate(PUSH_FAULTS, start=1):
        stub.misbehave(fault, on="push")
        client.desk.register_case(**{**INTAKE, "description": f"二手房过户 {n}"})
        summary = client.engine.sync_once()
        assert_failed_softly(client, summary)
        assert count(client, m.OutboxOp) == n, fault
    queued = outbox_ids(client)
    # every retry sent the same ops, with the same ids, in the same order
    for attempt in stub.pushes():
        sent = [o["op_id"] for o in attempt.body["ops"]]
        assert sent == queued[: len(sent)]

    stub.behave()
    summary = client.engine.sync_once()
    assert summary.ok and summary.pushed == len(PUSH_FAULTS) and summary.rejected == 0
    assert count(client, m.OutboxOp) == 0
    assert [o["op_id"] for o in stub.pushes()[-1].body["ops"]] == queued
    assert client.engine.status().link == Link.ONLINE
    assert sync_state(client, "cursor") == "e:1"


def test_the_push_loop_backs_off_against_a_failing_server_and_stops_cleanly(
        stub, stub_client, monkeypatch):
    monkeypatch.setattr(sync.engine, "BACKOFF_CAP", 4.0)  # delays 1, 2, 2, … s (no jitter)
    client = stub_client()
    stub.misbehave("http_500", on="push")  # pulls (and long-polls) are answered well
    client.desk.register_case(**INTAKE)
    op_ids = outbox_ids(client)
    engine = SyncEngine(client.store, client.transport, client.clock, actor=client.actor,
                        device_id=client.profile.device_id, blob_dir=client.user_dir / "blobs",
                        long_poll=1.0, jitter=lambda: 0.0)
    before = sync_threads()
    engine.start()
    try:
        assert wait_until(lambda: len(stub.pushes()) >= 4, timeout=15), stub.pushes()
        assert engine.status().link == Link.OFFLINE
        assert count(client, m.OutboxOp) == 1
        times = [p.at for p in stub.pushes()[:4]]
        gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
        assert gaps[0] >= 0.8, gaps  # a real wait, not a hot loop
        assert all(later >= earlier - 0.2 for earlier, later in zip(gaps, gaps[1:],
                                                                    strict=False)), gaps
        assert gaps[-1] >= gaps[0] + 0.5, gaps  # it grows …
        assert max(gaps) <= 4.0 * 0.5 + 0.5, gaps  # … up to the cap
        assert all([o["op_id"] for o in p.body["ops"]] == op_ids for p in stub.pushes())

        # the server behaves again: a nudge (the network is back) sends the op at once
        stub.behave()
        engine.nudge()
        assert wait_until(lambda: count(client, m.OutboxOp) == 0, timeout=5)
        # … and the clerk is told the link is back (several long-polls have come and gone)
        back_online = wait_until(lambda: engine.status().link == Link.ONLINE, timeout=3)
        shown = engine.status()
    finally:
        started = time.monotonic()
        engine.stop()
        stopped_in = time.monotonic() - started
    assert stopped_in < 3.0
    assert wait_until(lambda: sync_threads() == before, timeout=1), sync_threads()
    # BUG (sync/engine.py): a successful push never sets the link back to ONLINE, and the
    # pull loop's long-poll loop never calls _synced(); the UI keeps showing 离线 with
    # "服务器暂时无法处理" although everything was pushed and pulls succeed.
    assert back_online, shown


# -- 8. no secret at rest ----------------------------------------------------------------------


def secrets_in(keyring_backend) -> dict[str, str]:
    return {name: value for (service, name), value in keyring_backend._store.items()
            if service == SERVICE}


def files_under(directory: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


def leaks(needles: dict[str, str], haystacks: dict[str, bytes]) -> list[str]:
    return [f"{what} in {where}" for what, needle in needles.items() if needle
            for where, data in haystacks.items()
            if needle.encode() in data or needle.lower().encode() in data]


def test_no_token_password_or_id_number_is_left_on_disk_or_in_a_log(
        hub, counter, memory_keyring, caplog):
    caplog.set_level(logging.DEBUG)  # every logger, every level
    tokens: set[str] = set()

    bdc = counter("bdc01")
    data_dir = bdc.data_dir
    tokens.add(keyring.get_password(SERVICE, bdc.profile.token_name))
    assert bdc.engine.sync_once().ok
    case_id = bdc.desk.register_case(**INTAKE)
    bdc.desk.send_request(case_id, to_department="tax", role="assisting",
                          subject="完税证明", needed="契税完税证明")
    assert bdc.engine.sync_once().ok
    assert server_sees(hub, "bdc01", "case", case_id)["citizen_id_number"] == VALID_ID
    cache_key = keyring.get_password(SERVICE, key_name(user_dir(data_dir, "bdc01")))
    assert cache_key
    open_files = files_under(data_dir)  # with the cache open (WAL and all)
    assert any(p.name == f"{CACHE_FILE}-wal" for p in open_files), list(open_files)

    old_token = bdc.transport.token
    bdc.logout()
    assert keyring.get_password(SERVICE, bdc.profile.token_name) is None
    assert requests.get(f"{hub.url}/api/v1/auth/me", timeout=10,
                        headers={"Authorization": f"Bearer {old_token}"}).status_code == 401
    bdc.close()

    again = Client.login(data_dir, hub.url, "bdc01", DEMO_PASSWORD)
    tokens.add(keyring.get_password(SERVICE, again.profile.token_name))
    assert again.engine.sync_once().ok
    again.logout()
    again.close()
    tokens |= {v for k, v in secrets_in(memory_keyring).items() if k.startswith("token:")}
    tokens.discard(None)
    assert len(tokens) == 2
    assert not any(k.startswith("token:") for k in secrets_in(memory_keyring))

    resumed = Client.resume(data_dir)
    assert resumed.transport.token is None
    summary = resumed.engine.sync_once()
    assert not summary.ok and resumed.engine.status().link == Link.NEEDS_LOGIN
    resumed.close()

    needles = {f"token {t[:6]}…": t for t in tokens}
    needles |= {"the password": DEMO_PASSWORD, "the cache key": cache_key,
                "the citizen ID number": VALID_ID}
    on_disk = {f"{p.relative_to(data_dir)} (open)": b for p, b in open_files.items()}
    on_disk |= {str(p.relative_to(data_dir)): b for p, b in files_under(data_dir).items()}
    assert (user_dir(data_dir, "bdc01") / CACHE_FILE).exists()
    assert any("profile.json" in k for k in on_disk)
    assert leaks(needles, on_disk) == []
    logged = {f"log record {i} ({r.name})": (r.getMessage() + (r.exc_text or "")).encode()
              for i, r in enumerate(caplog.records)}
    logged["caplog.text"] = caplog.text.encode()
    assert leaks(needles, logged) == []
    # the server's log too (apart from its --demo banner, which prints the demo password)
    server_log = "\n".join(line for line in (hub.data_dir / "server.log").read_text(
        encoding="utf-8", errors="replace").splitlines() if "演示账号" not in line)
    assert leaks({k: v for k, v in needles.items() if k != "the citizen ID number"},
                 {"server.log": server_log.encode()}) == []

    # the cache is encrypted: plain SQLite and a wrong key both fail, the right key works
    cache = user_dir(data_dir, "bdc01") / CACHE_FILE
    with pytest.raises(sqlite3.DatabaseError):
        plain = sqlite3.connect(f"file:{cache}?mode=ro", uri=True)
        try:
            plain.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            plain.close()
    for key in ("00" * 32, "ff" + cache_key[2:]):
        wrong = sqlcipher.connect(str(cache))
        try:
            wrong.execute(f"PRAGMA key = \"x'{key}'\"")
            with pytest.raises(sqlcipher.DatabaseError):
                wrong.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            wrong.close()
    right = sqlcipher.connect(str(cache))
    try:
        right.execute(f"PRAGMA key = \"x'{cache_key}'\"")
        assert right.execute("SELECT count(*) FROM cases").fetchone()[0] >= 1
    finally:
        right.close()


def test_sql_echo_switched_on_for_troubleshooting_does_not_log_id_numbers(counter, caplog):
    """What ``echo=True`` shows (statements and their parameters at INFO), as an IT contact
    would switch it on to look into a slow or failing cache."""
    caplog.set_level(logging.INFO, logger="sqlalchemy.engine")
    bdc = counter("bdc01")
    bdc.desk.register_case(**INTAKE)
    assert bdc.engine.sync_once().ok
    assert any(r.name.startswith("sqlalchemy.engine") for r in caplog.records)  # it is on
    # BUG (app/store/db.py, _make_engine: create_engine(...) without hide_parameters=True):
    # every INSERT/UPDATE of a case or outbox op logs the full citizen ID number and phone.
    leaked = sorted({r.name for r in caplog.records
                     if VALID_ID in r.getMessage() or "13800138000" in r.getMessage()})
    assert leaked == []


# -- 401: the session ends, the work stays ----------------------------------------------------


def test_an_expired_session_keeps_the_outbox_until_the_next_login(hub, counter):
    bdc = counter("bdc01")
    assert bdc.engine.sync_once().ok
    bdc.transport.logout()  # the server forgets this token (as at expiry)
    case_id = bdc.desk.register_case(**INTAKE)

    summary = bdc.engine.sync_once()
    assert not summary.ok
    status = bdc.engine.status()
    assert status.link == Link.NEEDS_LOGIN and "登录" in status.detail
    assert status.pending == 1 and count(bdc, m.OutboxOp) == 1
    assert row(bdc, m.Case, case_id) is not None  # the cache is kept too
    assert server_sees(hub, "bdc01", "case", case_id) is None

    fresh = Transport(hub.url, ServerClock()).login("bdc01", DEMO_PASSWORD,
                                                    bdc.profile.device_id)
    bdc.engine.logged_in(fresh["token"])
    summary = bdc.engine.sync_once()
    assert summary.ok and summary.pushed == 1 and summary.rejected == 0
    assert count(bdc, m.OutboxOp) == 0 and bdc.engine.status().link == Link.ONLINE
    on_server = server_sees(hub, "bdc01", "case", case_id)
    assert on_server is not None and on_server["citizen_name"] == "张三"
    assert row(bdc, m.Case, case_id).server_data is not None


# -- offline unlock ----------------------------------------------------------------------------


def test_the_last_user_unlocks_offline_and_work_queues_until_the_server_is_back(hub, counter):
    online = counter("bdc01")
    assert online.engine.sync_once().ok
    data_dir, token_name = online.data_dir, online.profile.token_name
    token = keyring.get_password(SERVICE, token_name)
    online.close()
    # unlocked offline, the session is the remembered one: it syncs once the link is back
    same_server = Client.unlock_offline(data_dir, "bdc01", DEMO_PASSWORD)
    assert same_server.transport.token == token
    same_server.close()

    profile_file = data_dir / "profile.json"
    profile = json.loads(profile_file.read_text(encoding="utf-8"))
    dead = f"http://127.0.0.1:{free_port()}"  # nothing listens here
    profile_file.write_text(json.dumps({**profile, "server": dead}, ensure_ascii=False),
                            encoding="utf-8")

    for username, password in (("bdc01", "wrong-2026"), ("tax01", DEMO_PASSWORD),
                               ("BDC01", DEMO_PASSWORD), ("bdc01", "")):
        with pytest.raises(LoginFailed) as refused:
            Client.unlock_offline(data_dir, username, password)
        assert CHINESE.search(str(refused.value)), str(refused.value)
    with pytest.raises(LoginFailed) as offline_login:
        Client.login(data_dir, dead, "bdc01", DEMO_PASSWORD)
    assert offline_login.value.offline and CHINESE.search(str(offline_login.value))

    desk = Client.unlock_offline(data_dir, "bdc01", DEMO_PASSWORD)
    try:
        assert desk.profile.server == dead and desk.actor.username == "bdc01"
        case_id = desk.desk.register_case(**INTAKE)
        request_id = desk.desk.send_request(case_id, to_department="tax", role="assisting",
                                            subject="完税证明", needed="契税完税证明")
        assert count(desk, m.OutboxOp) == 2

        summary = desk.engine.sync_once()
        assert not summary.ok and summary.errors
        status = desk.engine.status()
        assert status.link == Link.OFFLINE and status.detail == "无法连接服务器"
        assert status.pending == 2

        # The server is back. The keyring files the token under the server's address, and
        # this profile names another one, so there is no session: log in, nothing is lost.
        desk.transport.base_url = hub.url
        assert not desk.engine.sync_once().ok
        assert desk.engine.status().link == Link.NEEDS_LOGIN and count(desk, m.OutboxOp) == 2
        fresh = Transport(hub.url, ServerClock()).login("bdc01", DEMO_PASSWORD,
                                                        desk.profile.device_id)
        desk.engine.logged_in(fresh["token"])
        summary = desk.engine.sync_once()
        assert summary.ok and summary.pushed == 2 and summary.rejected == 0
        assert count(desk, m.OutboxOp) == 0 and desk.engine.status().link == Link.ONLINE
        assert server_sees(hub, "tax01", "request", request_id)["state"] == "sent"
    finally:
        desk.close()
