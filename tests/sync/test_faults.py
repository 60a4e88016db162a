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
            assert proxy.drops > 0, "the proxy never dropped an answer: no fault was injected"
            assert any(s.errors for s in summaries), "no sync noticed a lost answer"
            assert_no_conflicts(bdc, "lossy link")
            # the client ends with the server's truth for every case it made
            assert count(bdc, m.Case, m.Case.id.in_(expected),
                         m.Case.server_data.is_not(None)) == 1000
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
        while not stop.is_set():
            try:
                summary = bdc.engine.sync_once()
            except BaseException as exc:  # the engine must never raise: record it
                raised.append(exc)
                return
            summaries.append(summary)
            if summary.errors:
                stop.wait(0.02)  # pacing while the server is down, not a wait for a result

    def write_loop() -> None:
        try:
            while len(written) < 300 and not stop.is_set():
                for _ in range(rng.randint(1, 15)):
                    written.append(bdc.desk.register_case(**INTAKE))
                stop.wait(rng.uniform(0.0, 0.05))  # spread the writes over the outages
        except BaseException as exc:
            raised.append(exc)

    try:
        assert bdc.engine.sync_once().ok
        written.extend(bdc.desk.register_case(**INTAKE) for _ in range(60))
        threads = [threading.Thread(target=sync_loop, name="syncer"),
                   threading.Thread(target=write_loop, name="writer")]
        for thread in threads:
            thread.start()
        kills = rng.randint(3, 5)
        for _ in range(kills):
            time.sleep(rng.uniform(0.05, 0.8))  # a random moment to kill, not an assertion
            server.kill()
            errors_before = sum(1 for s in summaries if s.errors)
            wait_until(lambda b=errors_before: sum(1 for s in summaries if s.errors) > b
                       or raised, 30, "the engine to notice the outage")
            server = ServerProcess(tmp_path / "server", port=port).start()
        threads[1].join(120)
        assert not threads[1].is_alive(), "the writer did not finish"
        stop.set()
        threads[0].join(120)
        assert not threads[0].is_alive(), "the sync loop did not finish"
        assert not raised, f"the engine raised: {raised!r} (seed {SEED})"
        assert len(written) >= 300
        assert any(s.errors for s in summaries), "no outage was ever reported"

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

    def __init__(self, data_dir: Path, server_url: str, secrets: dict[str, str]) -> None:
        env = dict(os.environ, WD_SECRETS=json.dumps(secrets), PYTHONUNBUFFERED="1")
        self.process = subprocess.Popen(
            [sys.executable, str(WRITER_SCRIPT), str(data_dir), server_url], cwd=ROOT,
            env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, start_new_session=True)
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
            stderr = self.process.stderr.read().decode(errors="replace") \
                if self.process.stderr else ""
            pytest.fail(f"the writer exited ({self.process.returncode}):\n{stderr[-3000:]}")
        return line

    def kill(self) -> list[str]:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)
        self._reader.join(10)
        while True:  # everything it printed before it died
            line = self.lines.get_nowait() if not self.lines.empty() else None
            if line is None:
                break
            self.committed.append(line)
        if self.process.stderr:
            self.process.stderr.close()
        return self.committed


def test_a_client_killed_while_writing_loses_nothing_it_committed(hub, tmp_path,
                                                                  memory_keyring):
    rng = random.Random(SEED + 3)
    data_dir = (tmp_path / "bdc01").resolve()
    bdc = Client.login(data_dir, hub.url, "bdc01", DEMO_PASSWORD)
    assert bdc.engine.sync_once().ok  # reference data first, as a real counter would have
    device, token_name = bdc.profile.device_id, bdc.profile.token_name
    bdc.close()
    secrets = {name: memory_keyring.get_password("WindowDesk", name)
               for name in (key_name(data_dir), token_name)}
    assert all(secrets.values())

    printed: list[str] = []
    kills = 22
    for _ in range(kills):
        writer = Writer(data_dir, hub.url, secrets)
        assert writer.next_line(60) == "ready"  # the store opened after the last kill
        for _ in range(rng.randint(1, 40)):
            line = writer.next_line(30)
            assert UUID_LINE.match(line), f"unexpected writer output {line!r}"
            writer.committed.append(line)
        if rng.random() < 0.7:
            time.sleep(rng.uniform(0, 0.03))  # a random moment inside the write loop
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
        # the engine's first pull is done and a long-poll is waiting before anyone writes
        wait_until(lambda: tax.engine.status().link == "online", 60, "the tax client online")
        threads = [threading.Thread(target=write, args=(u, rng.randrange(1 << 30)))
                   for u in WRITERS]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(180)
        assert not any(t.is_alive() for t in threads), "writers did not finish"
        assert not failures, failures[:5]
        all_requests = set().union(*sent.values())
        assert len(all_requests) >= len(WRITERS) * ROUNDS_PER_WRITER

        truth, _ = Api(server.url).login("tax01").pull_all()
        assert all_requests <= {i for (k, i) in truth if k == "request"}

        def caught_up() -> bool:
            return not differences(cache_view(tax), truth)

        deadline = time.monotonic() + 60
        while not caught_up() and time.monotonic() < deadline:
            time.sleep(0.2)  # polling the cache for the long-poll's delivery
        problems = differences(cache_view(tax), truth)
        assert not problems, problems[:10]
        assert tax.engine.status().pending == 0
    finally:
        tax.close()
        server.stop()
