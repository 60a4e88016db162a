"""Fault injection for client sync: a lossy link, a server killed mid-sync, a client killed
mid-write, and eight concurrent writers on PostgreSQL while a client long-polls.

Every test drives real clients (encrypted cache, outbox, engine) against a real server
process. The claims are the protocol's (docs/protocol.md §5, §14): an op is applied exactly
once however often its answer is lost, nothing a clerk committed locally is ever lost, and a
client that has caught up holds exactly the server's truth. Waiting is done by polling
with deadlines; nothing is asserted on elapsed time. Random choices are seeded
(``WD_FAULT_SEED`` overrides the seed) and the seed is in every failure message.
"""

from __future__ import annotations

import collections
import contextlib
import json
import os
import queue
import random
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

import app.local
from app.secrets import SERVICE
from app.store import models as m
from app.store.db import key_name
from sync.client import Client
from tests.support.pgcluster import postgres_cluster, postgres_url  # noqa: F401
from tests.support.proxy import LossyProxy
from tests.support.server import (
    DEMO_PASSWORD,
    ROOT,
    VALID_ID,
    Api,
    ServerProcess,
    op,
    register_op,
    send_op,
)

pytestmark = pytest.mark.faults

SEED = int(os.environ.get("WD_FAULT_SEED", "20261123"))
INTAKE = dict(matter_code="bdc-transfer-secondhand", citizen_name="张三",
              citizen_id_number=VALID_ID, citizen_phone="13800138000", channel="window",
              category="general", description="二手房过户")
WRITER_SCRIPT = ROOT / "tests" / "support" / "client_writer.py"
UUID_LINE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


# -- helpers ------------------------------------------------------------------------------------


def count(client: Client, model, *where) -> int:
    with client.store.session() as s:
        return s.scalar(select(func.count()).select_from(model).where(*where))


def outbox_rows(client: Client) -> list[dict]:
    with client.store.session() as s:
        return [{"op_id": o.op_id, "type": o.type, "entity_id": o.entity_id,
                 "args": o.args, "client_time": o.client_time.isoformat()}
                for o in s.scalars(select(m.OutboxOp).order_by(m.OutboxOp.seq))]


def local_case_ids(client: Client, *, local_only: bool = False) -> set[str]:
    query = select(m.Case.id)
    if local_only:
        query = query.where(m.Case.server_data.is_(None))
    with client.store.session() as s:
        return set(s.scalars(query))


def sync_until_empty(client: Client, rounds: int, why: str) -> list:
    """sync_once until the outbox is empty and one whole cycle went through."""
    summaries = []
    for _ in range(rounds):
        summary = client.engine.sync_once()
        summaries.append(summary)
        if summary.ok and count(client, m.OutboxOp) == 0:
            return summaries
    pytest.fail(f"{why}: outbox not empty after {rounds} rounds "
                f"({count(client, m.OutboxOp)} ops left; last errors "
                f"{summaries[-1].errors}; seed {SEED})")


def registrations_on_server(api: Api, device_id: str) -> tuple[collections.Counter, dict]:
    """{case id: number of `registered` events} for the cases this device registered, and
    every case the user sees on the server."""
    everything, _ = api.pull_all()
    events = collections.Counter(
        data["entity_id"] for (entity, _), data in everything.items()
        if entity == "event" and data["kind"] == "registered" and data["device"] == device_id)
    cases = {i: data for (entity, i), data in everything.items() if entity == "case"}
    return events, cases


def assert_each_case_once(api: Api, device_id: str, expected: set[str], why: str) -> None:
    registered, cases = registrations_on_server(api, device_id)
    twice = {i: n for i, n in registered.items() if n != 1}
    assert not twice, f"{why}: cases registered more than once: {twice} (seed {SEED})"
    missing, extra = expected - set(registered), set(registered) - expected
    assert not missing and not extra, (
        f"{why}: {len(missing)} cases missing on the server, {len(extra)} unexpected "
        f"(e.g. {sorted(missing)[:3]} / {sorted(extra)[:3]}; seed {SEED})")
    assert expected <= cases.keys(), f"{why}: registered events without their case"
    numbers = collections.Counter(cases[i]["number"] for i in expected)
    assert all(n == 1 for n in numbers.values()), f"{why}: duplicate receipt numbers"


def assert_no_conflicts(client: Client, why: str) -> None:
    with client.store.session() as s:
        conflicts = [(c.type, c.code, c.message) for c in s.scalars(select(m.Conflict))]
    assert not conflicts, f"{why}: ops were rejected: {conflicts[:5]} (seed {SEED})"


def wait_until(predicate, timeout: float, what: str, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while True:
        outcome = predicate()
        if outcome:
            return outcome
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)  # polling, not an assertion


# -- 1. lossy link ------------------------------------------------------------------------------


def test_a_lossy_link_applies_every_op_exactly_once(hub, tmp_path):
    """30 % of the server's answers are lost after the server has acted; the client keeps
    retrying the same ops, and the server applies each of them exactly once."""
    rng = random.Random(SEED)
    with LossyProxy("127.0.0.1", hub.port, seed=rng.randrange(1 << 30)) as proxy:
        bdc = Client.login(tmp_path / "bdc01", proxy.url, "bdc01", DEMO_PASSWORD)
        try:
            assert bdc.engine.sync_once().ok  # reference data, over a perfect link
            proxy.drop = 0.3

            expected = {bdc.desk.register_case(**INTAKE) for _ in range(1000)}
            sent = outbox_rows(bdc)
            assert len(sent) == 1000 and {o["entity_id"] for o in sent} == expected

            summaries = sync_until_empty(bdc, 200, "lossy link")
            # The case that matters is a push the server applied whose answer was lost. If
            # this seed's coin spared every push, keep going in small steps until one is lost.
            for _ in range(50):
                if proxy.dropped["POST /api/v1/sync/push"]:
                    break
                more = {bdc.desk.register_case(**INTAKE) for _ in range(10)}
                sent += outbox_rows(bdc)
                expected |= more
                summaries += sync_until_empty(bdc, 200, "lossy link, more cases")
            print(f"lossy link: {len(summaries)} sync rounds, {proxy.exchanges} answers, "
                  f"{proxy.drops} dropped {dict(proxy.dropped)}, "
                  f"{proxy.connections} connections, {len(expected)} cases")
            assert proxy.drops > 0, "the proxy never dropped an answer: no fault was injected"
            assert proxy.dropped["POST /api/v1/sync/push"] > 0, "no push answer was ever lost"
            assert any(s.errors for s in summaries), "no sync noticed a lost answer"
            assert_no_conflicts(bdc, "lossy link")
            # the client ends with the server's truth for every case it made
            assert count(bdc, m.Case, m.Case.id.in_(expected),
                         m.Case.server_data.is_not(None)) == len(expected)
            device = bdc.profile.device_id
        finally:
            bdc.close()

    api = Api(hub.url).login("bdc01")  # directly, not through the proxy
    assert_each_case_once(api, device, expected, "lossy link")
    # the server's op records: every op id it got is known as applied, exactly once
    for start in range(0, len(sent), 500):
        results = api.push(*sent[start:start + 500])
        wrong = [r for r in results
                 if r["status"] != "duplicate" or r["original"] != {"status": "applied"}]
        assert not wrong, f"re-pushed ops not answered duplicate/applied: {wrong[:3]}"
    assert_each_case_once(api, device, expected, "lossy link, after re-push")


# -- 2. server killed mid-sync ------------------------------------------------------------------


def test_a_server_killed_and_restarted_during_sync_loses_and_doubles_nothing(tmp_path):
    rng = random.Random(SEED + 2)
    server = ServerProcess(tmp_path / "server").start()
    port = server.port
    bdc = Client.login(tmp_path / "bdc01", server.url, "bdc01", DEMO_PASSWORD)
    stop = threading.Event()
    summaries: list = []
    raised: list[BaseException] = []
    written: list[str] = []

    def sync_loop() -> None:
        # The clerk's writes happen in this thread, between syncs, so that every sync has
        # fresh ops to push when the server dies. (Writing from another thread at the same
        # time is the subject of the "engine committed meanwhile" tests further down.)
        last_ok = True
        while not stop.is_set():
            try:
                if last_ok and len(written) < 300:
                    written.extend(bdc.desk.register_case(**INTAKE)
                                   for _ in range(rng.randint(1, 15)))
                summary = bdc.engine.sync_once()
            except BaseException as exc:  # the engine must never raise: record it
                raised.append(exc)
                return
            summaries.append(summary)
            last_ok = summary.ok
            if summary.errors:
                stop.wait(0.02)  # pacing while the server is down, not a wait for a result

    try:
        assert bdc.engine.sync_once().ok
        written.extend(bdc.desk.register_case(**INTAKE) for _ in range(60))
        syncer = threading.Thread(target=sync_loop, name="syncer")
        syncer.start()
        kills = rng.randint(3, 5)
        for _ in range(kills):
            time.sleep(rng.uniform(0.05, 1.5))  # a random moment to kill, not an assertion
            server.kill()
            errors_before = sum(1 for s in summaries if s.errors)
            wait_until(lambda b=errors_before: sum(1 for s in summaries if s.errors) > b
                       or raised, 30, "the engine to notice the outage")
            server = ServerProcess(tmp_path / "server", port=port).start()
        stop.set()
        syncer.join(120)
        assert not syncer.is_alive(), "the sync loop did not finish"
        assert not raised, f"the engine raised: {raised!r} (seed {SEED})"
        assert any(s.errors for s in summaries), "no outage was ever reported"
        print(f"server kills: {kills} kills, {len(summaries)} sync rounds, "
              f"{sum(1 for s in summaries if s.errors)} with errors, "
              f"{len(written)} cases written meanwhile")
        while len(written) < 300:
            written.append(bdc.desk.register_case(**INTAKE))

        sync_until_empty(bdc, 20, "after the restarts")
        assert_no_conflicts(bdc, "server restarts")
        expected = set(written)
        assert count(bdc, m.Case, m.Case.id.in_(expected),
                     m.Case.server_data.is_not(None)) == len(expected)
        api = Api(server.url).login("bdc01")
        assert_each_case_once(api, bdc.profile.device_id, expected,
                              f"{kills} server kills")
    finally:
        stop.set()
        bdc.close()
        server.stop()


# -- 3. client killed mid-write -----------------------------------------------------------------


class Writer:
    """client_writer.py in a subprocess; its stdout lines arrive on a queue."""

    def __init__(self, data_dir: Path, server_url: str, secrets: dict[str, str],
                 stderr: Path) -> None:
        env = dict(os.environ, WD_SECRETS=json.dumps(secrets), PYTHONUNBUFFERED="1")
        self.stderr = stderr
        with stderr.open("wb") as err:
            self.process = subprocess.Popen(
                [sys.executable, str(WRITER_SCRIPT), str(data_dir), server_url], cwd=ROOT,
                env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=err,
                start_new_session=True)
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.committed: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for raw in self.process.stdout:
            if raw.endswith(b"\n"):  # a line cut short by the kill is no evidence
                self.lines.put(raw.decode().strip())
        self.lines.put(None)

    def next_line(self, timeout: float) -> str:
        try:
            line = self.lines.get(timeout=timeout)
        except queue.Empty:
            pytest.fail(f"the writer printed nothing for {timeout} s")
        if line is None:
            self.process.wait(10)
            stderr = self.stderr.read_text(errors="replace")[-3000:]
            pytest.fail(f"the writer exited ({self.process.returncode}):\n{stderr}")
        return line

    def kill(self) -> list[str]:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)
        self._reader.join(10)
        if self.process.stdout:
            self.process.stdout.close()
        while not self.lines.empty():  # everything it printed before it died
            line = self.lines.get_nowait()
            if line is not None and UUID_LINE.match(line):
                self.committed.append(line)
        return self.committed


def test_a_client_killed_while_writing_loses_nothing_it_committed(hub, tmp_path,
                                                                  memory_keyring):
    rng = random.Random(SEED + 3)
    data_dir = (tmp_path / "bdc01").resolve()
    bdc = Client.login(data_dir, hub.url, "bdc01", DEMO_PASSWORD)
    assert bdc.engine.sync_once().ok  # reference data first, as a real counter would have
    device, token_name = bdc.profile.device_id, bdc.profile.token_name
    bdc.close()
    secrets = {name: memory_keyring.get_password(SERVICE, name)
               for name in (key_name(bdc.user_dir), token_name)}
    assert all(secrets.values())

    printed: list[str] = []
    kills = 22
    for _ in range(kills):
        writer = Writer(data_dir, hub.url, secrets, tmp_path / "writer.err")
        try:
            assert writer.next_line(60) == "ready"  # the store opened after the last kill
            for _ in range(rng.randint(1, 40)):
                line = writer.next_line(30)
                assert UUID_LINE.match(line), f"unexpected writer output {line!r}"
                writer.committed.append(line)
            if rng.random() < 0.7:
                time.sleep(rng.uniform(0, 0.03))  # a random moment inside the write loop
        finally:
            printed.extend(writer.kill())
    assert len(printed) == len(set(printed)) >= kills

    bdc = Client.resume(data_dir)
    try:
        with bdc.store.session() as s:
            assert s.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        ops = outbox_rows(bdc)
        local_only = local_case_ids(bdc, local_only=True)
        # each case and its op were committed together, or not at all
        assert len(ops) == len(local_only), (len(ops), len(local_only))
        assert {o["entity_id"] for o in ops} == local_only
        assert {o["type"] for o in ops} == {"case.register"}
        missing = set(printed) - local_only
        assert not missing, f"{len(missing)} committed cases vanished from the cache"
        pending_events = count(bdc, m.Event, m.Event.pending.is_(True))
        print(f"client kills: {kills} kills, {len(printed)} cases printed, "
              f"{len(local_only)} committed locally")
        assert pending_events == len(local_only)  # one pending `registered` event each

        api = Api(hub.url).login("bdc01")
        registered, _ = registrations_on_server(api, device)
        assert not registered, "the writer must never sync"

        sync_until_empty(bdc, 20, "after the client kills")
        assert_no_conflicts(bdc, "client kills")
        assert not local_case_ids(bdc, local_only=True)
        assert count(bdc, m.Event, m.Event.pending.is_(True)) == 0
        assert_each_case_once(api, device, local_only, f"{kills} client kills")
    finally:
        bdc.close()


# -- a clerk writing while the engine commits ---------------------------------------------------
#
# The cache opens every transaction with a plain (deferred) BEGIN. Under WAL, a transaction
# that has read and then tries to write fails at once with SQLITE_BUSY_SNAPSHOT ("database is
# locked", no busy wait) when another connection committed in between. Desk.act reads the
# rules, then writes; the engine's page transaction reads each entity, then writes. So either
# side can fail when the other commits at that moment. Black-box, a clerk registering in a
# loop while the engine syncs a busy hall loses a few percent of the actions this way; the
# two tests below pin the interleaving down so that they fail every time.

INTERLEAVE_SECONDS = 2.0  # how long one side lets the other go first (if it can)


def test_a_clerk_action_is_not_refused_because_the_engine_committed_meanwhile(
        hub, tmp_path, monkeypatch):
    bdc = Client.login(tmp_path / "bdc01", hub.url, "bdc01", DEMO_PASSWORD)
    try:
        assert bdc.engine.sync_once().ok
        Api(hub.url).login("bdc01").push(register_op())  # news for the engine to pull
        record_action = app.local.record_action
        interleaved: list = []
        syncers: list[threading.Thread] = []

        def engine_commits_first(*args, **kwargs):
            # Desk.act has read the rules (its snapshot is taken); the sync thread applies a
            # pulled page now, before the desk's write.
            # (A cache that makes the engine wait for the desk's lock instead is fine too:
            # hence the bounded join, after which the desk goes on either way.)
            if not syncers:
                syncers.append(threading.Thread(
                    target=lambda: interleaved.append(bdc.engine.sync_once())))
                syncers[0].start()
                syncers[0].join(INTERLEAVE_SECONDS)
            return record_action(*args, **kwargs)

        monkeypatch.setattr(app.local, "record_action", engine_commits_first)
        case_id = bdc.desk.register_case(**INTAKE)  # fails today: "database is locked"
        syncers[0].join(60)
        assert interleaved and interleaved[0].ok and interleaved[0].pulled > 0
        assert count(bdc, m.Case, m.Case.id == case_id) == 1  # queued, or already pushed
    finally:
        bdc.close()


def test_sync_once_does_not_raise_when_a_clerk_writes_during_a_page(hub, tmp_path,
                                                                     monkeypatch):
    bdc = Client.login(tmp_path / "bdc01", hub.url, "bdc01", DEMO_PASSWORD)
    try:
        assert bdc.engine.sync_once().ok
        Api(hub.url).login("bdc01").push(register_op())  # a page of two: case and event
        from_data = app.local.from_data
        calls: list[str] = []
        written: list = []
        clerks: list[threading.Thread] = []

        def clerk_writes_between(kind, data):
            calls.append(data.get("id", ""))
            if len(calls) == 2:  # the page's transaction has read its first entity
                clerks.append(threading.Thread(target=lambda: written.append(
                    bdc.desk.register_case(**INTAKE))))
                clerks[0].start()
                clerks[0].join(INTERLEAVE_SECONDS)
            return from_data(kind, data)

        monkeypatch.setattr(app.local, "from_data", clerk_writes_between)
        summary = bdc.engine.sync_once()  # raises today: OperationalError, database is locked
        clerks[0].join(60)
        assert written, "the clerk's write did not go through"
        assert summary.ok and summary.pulled >= 2
    finally:
        bdc.close()


# -- 6. concurrent writers on PostgreSQL while a client long-polls -----------------------------

WRITERS = ("bdc01", "gaj01", "rsj01", "ybj01", "scjg01", "zjj01", "gjj01", "mzj01")
ROUNDS_PER_WRITER = 15


def cache_view(client: Client) -> dict:
    with client.store.session() as s:
        cases = {r.id: (r.server_data, r.data, r.version) for r in s.scalars(select(m.Case))}
        requests = {r.id: (r.server_data, r.data, r.version)
                    for r in s.scalars(select(m.CollabRequest))}
        events = set(s.scalars(select(m.Event.id).where(m.Event.pending.is_(False))))
    return {"case": cases, "request": requests, "event": events}


def differences(cache: dict, truth: dict[tuple[str, str], dict]) -> list[str]:
    problems = []
    for kind in ("case", "request"):
        server = {i: d for (k, i), d in truth.items() if k == kind}
        mine = cache[kind]
        if mine.keys() != server.keys():
            problems.append(f"{kind}: {len(server.keys() - mine.keys())} missing, "
                            f"{len(mine.keys() - server.keys())} extra")
        for i in mine.keys() & server.keys():
            server_data, data, version = mine[i]
            if server_data != server[i] or data != server[i] \
                    or version != server[i]["version"]:
                problems.append(f"{kind} {i}: cache v{version} differs from server "
                                f"v{server[i]['version']}")
    server_events = {i for (k, i) in truth if k == "event"}
    if cache["event"] != server_events:
        problems.append(f"events: {len(server_events - cache['event'])} missing, "
                        f"{len(cache['event'] - server_events)} extra")
    return problems


@pytest.mark.postgres
def test_a_long_polling_client_ends_with_the_truth_of_eight_concurrent_writers(
        postgres_url, tmp_path):  # noqa: F811
    rng = random.Random(SEED + 6)
    server = ServerProcess(tmp_path / "server", postgres_url, workers=2).start()
    tax = Client.login(tmp_path / "tax01", server.url, "tax01", DEMO_PASSWORD)
    tax.engine.start()
    failures: list[str] = []
    sent: dict[str, set[str]] = {}
    start = threading.Barrier(len(WRITERS))

    def write(username: str, seed: int) -> None:
        local_rng = random.Random(seed)
        try:
            api = Api(server.url).login(username)
            mine: set[str] = set()
            start.wait(60)
            for _ in range(ROUNDS_PER_WRITER):
                batch, requests = [], []
                for _ in range(local_rng.randint(1, 3)):
                    case_id, request_id = str(uuid.uuid4()), str(uuid.uuid4())
                    batch += [register_op(case_id), send_op(case_id, request_id=request_id)]
                    requests.append(request_id)
                if mine and local_rng.random() < 0.5:  # bump an earlier request's version
                    batch.append(op("request.urge", local_rng.choice(sorted(mine)),
                                    note="请尽快办理"))
                results = api.push(*batch)
                refused = [r for r in results if r["status"] != "applied"]
                if refused:
                    failures.append(f"{username}: {refused}")
                mine.update(requests)
            sent[username] = mine
        except BaseException as exc:
            failures.append(f"{username}: {exc!r}")

    try:
        # the engine is online (its first pull done, long-polling) before anyone writes
        wait_until(lambda: tax.engine.status().link == "online", 60, "the tax client online")
        threads = [threading.Thread(target=write, args=(u, rng.randrange(1 << 30)))
                   for u in WRITERS]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(180)
        assert not any(t.is_alive() for t in threads), "writers did not finish"
        writers_done = time.monotonic()
        assert not failures, failures[:5]
        all_requests = set().union(*sent.values())
        assert len(all_requests) >= len(WRITERS) * ROUNDS_PER_WRITER

        reader = Api(server.url).login("tax01")
        truth, _ = reader.pull_all()
        assert all_requests <= {i for (k, i) in truth if k == "request"}

        # caught up: the cache equals a fresh full pull (re-pulled each time, in case the
        # server's scheduler adds a reminder meanwhile)
        deadline = time.monotonic() + 60
        while differences(cache_view(tax), truth) and time.monotonic() < deadline:
            time.sleep(0.2)  # polling the cache for the long-poll's delivery
            truth, _ = reader.pull_all()
        truth, _ = reader.pull_all()
        problems = differences(cache_view(tax), truth)
        print(f"postgres: {len(all_requests)} requests to tax, {len(truth)} entities visible "
              f"to tax, caught up {time.monotonic() - writers_done:.1f} s after the writers")
        assert not problems, problems[:10]
        assert tax.engine.status().pending == 0
    finally:
        tax.close()
        server.stop()
