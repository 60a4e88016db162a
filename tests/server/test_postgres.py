"""The hardest correctness properties of the central server on a real PostgreSQL.

* No pull ever skips a change that commits late with a lower position (the sequence race),
  over HTTP with eight concurrent writers on two server processes, and in-process with a
  transaction held open between taking its positions and committing.
* A department's puller ends with exactly the server's truth for that department.
* Long-polls are woken across processes (LISTEN/NOTIFY) and across ``--workers``.
* Several processes starting together on one empty database agree on one schema, one epoch
  and one demo hall.

Every concurrency claim is checked by ordering (events, joins, the database's own lock
table), never by a sleep; measured durations are reported, and only latencies are timed.
"""

from __future__ import annotations

import bisect
import contextlib
import json
import math
import random
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import event, func, select
from sqlalchemy.engine import make_url

from app.domain.entities import Staff
from app.domain.enums import StaffRole
from server.config import Settings
from server.db import Database
from server.deps import Principal
from server.models import Change, Department
from server.sync.changes import CHANNEL, PUBLIC, SEQUENCE_LOCK, ChangeLog
from server.sync.pull import pull_page
from tests.support.pgcluster import postgres_cluster, postgres_url, unique_database_name  # noqa: F401
from tests.support.server import ROOT, Api, ServerProcess, register_op, send_op

pytestmark = pytest.mark.postgres

WRITERS = ("bdc01", "gaj01", "rsj01", "ybj01", "scjg01", "zjj01", "gjj01", "mzj01")
WRITER_DEPARTMENTS = tuple(u.rstrip("0123456789") for u in WRITERS)
BATCHES_PER_WRITER = 20  # × 4 ops: register + send to tax, register + send elsewhere
MATTERS = tuple(m["code"] for m in json.loads(
    (ROOT / "resources/demo/catalogue.json").read_text(encoding="utf-8")))
HALL_STAFF = len(json.loads((ROOT / "resources/demo/hall.json").read_text(encoding="utf-8"))
                 ["staff"])
LISTEN_QUERY = f"LISTEN {CHANNEL}"

Key = tuple[str, str]
Page = tuple[int, int, frozenset[Key]]  # (position before, position after, entities returned)


# -- helpers --------------------------------------------------------------------------------


def _dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _query(url: str, sql: str, params: tuple = ()) -> list[tuple]:
    with psycopg.connect(_dsn(url), autocommit=True) as conn:
        return conn.execute(sql, params).fetchall()


def _wait_until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    """A readiness loop (never an assertion about timing)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.02)


def _listeners(url: str) -> int:
    return _query(url, "SELECT count(*) FROM pg_stat_activity "
                       "WHERE datname = current_database() AND query = %s",
                  (LISTEN_QUERY,))[0][0]


def _wait_for_listeners(url: str, count: int) -> None:
    """Long-polls across processes are only woken once each process LISTENs."""
    _wait_until(lambda: _listeners(url) >= count, 30, f"{count} LISTEN connections")


def _lock_waiters(url: str) -> int:
    return _query(url, "SELECT count(*) FROM pg_stat_activity "
                       "WHERE datname = current_database() AND wait_event_type = 'Lock'")[0][0]


def _position(cursor: str) -> int:
    return int(cursor.rpartition(":")[2]) if cursor else 0


def _admin() -> Principal:
    staff = Staff(id="admin", username="admin", name="管理员", department=None,
                  roles=frozenset({StaffRole.ADMIN}))
    return Principal(staff=staff, token_hash="x", departments=None)


def _skipped(url: str, pages: list[Page], department: str | None) -> list[str]:
    """Changes that existed in a page's position range but were not in the page.

    A page that moved the cursor from ``a`` to ``b`` scanned every position in (a, b]; every
    change there that the puller may see must be in the page. One committing later with a
    position in that range is exactly the sequence race: the cursor is already past it.
    """
    rows = _query(url, "SELECT seq, entity, entity_id, public FROM changes ORDER BY seq")
    audience: dict[int, set[str]] = {}
    for seq, code in _query(url, "SELECT seq, department_code FROM change_audience"):
        audience.setdefault(seq, set()).add(code)
    visible = [(seq, (entity, entity_id)) for seq, entity, entity_id, public in rows
               if department is None or public or department in audience.get(seq, ())]
    seqs = [seq for seq, _ in visible]
    problems = []
    for number, (after, new, keys) in enumerate(pages):
        for seq, key in visible[bisect.bisect_right(seqs, after):bisect.bisect_right(seqs, new)]:
            if key not in keys:
                problems.append(f"page {number} moved the cursor {after}→{new} without "
                                f"position {seq} {key}")
    return problems


def _chain_breaks(pages: list[Page]) -> list[str]:
    breaks = [] if not pages or pages[0][0] == 0 else [f"first page started at {pages[0][0]}"]
    for number in range(1, len(pages)):
        if pages[number][0] != pages[number - 1][1]:
            breaks.append(f"page {number} started at {pages[number][0]}, "
                          f"the one before ended at {pages[number - 1][1]}")
    return breaks


class _Puller(threading.Thread):
    """Pulls as fast as it can until told the writers are done, then drains."""

    def __init__(self, api: Api, writers_done: threading.Event, limit: int = 50) -> None:
        super().__init__(daemon=True)
        self.api, self.writers_done, self.limit = api, writers_done, limit
        self.cursor = ""
        self.pages: list[Page] = []
        self.cache: dict[Key, dict[str, Any]] = {}
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            while True:
                last_round = self.writers_done.is_set()  # read *before* the pull
                page = self.api.pull(self.cursor, limit=self.limit)
                keys = frozenset((c["entity"], c["id"]) for c in page["changes"])
                self.pages.append((_position(self.cursor), _position(page["cursor"]), keys))
                for change in page["changes"]:
                    self.cache[(change["entity"], change["id"])] = change
                self.cursor = page["cursor"]
                if last_round and not page["has_more"]:
                    return
        except BaseException as exc:  # reported by the test
            self.error = exc


def _full_pull(api: Api) -> dict[Key, dict[str, Any]]:
    """A fresh client's view: everything from an empty cursor, latest state per entity."""
    cache: dict[Key, dict[str, Any]] = {}
    cursor = ""
    while True:
        page = api.pull(cursor, limit=1000)
        for change in page["changes"]:
            cache[(change["entity"], change["id"])] = change
        cursor = page["cursor"]
        if not page["has_more"]:
            return cache


def _differences(cache: dict[Key, dict], truth: dict[Key, dict]) -> list[str]:
    problems = [f"missing {key}" for key in sorted(truth.keys() - cache.keys())]
    problems += [f"extra {key}" for key in sorted(cache.keys() - truth.keys())]
    for key in sorted(cache.keys() & truth.keys()):
        if (cache[key]["version"], cache[key]["data"]) != (truth[key]["version"],
                                                           truth[key]["data"]):
            problems.append(f"stale {key}: version {cache[key]['version']} in the cache, "
                            f"{truth[key]['version']} on the server")
    return problems


# -- two server processes on one database, and a concurrent workload on them ---------------


@pytest.fixture(scope="module")
def pair(postgres_cluster, tmp_path_factory):  # noqa: F811
    """Process A loads the demo hall; process B, started after it on the same database,
    must find it there and load nothing."""
    name = unique_database_name()
    url = postgres_cluster.create_database(name)
    started: list[ServerProcess] = []
    try:
        for label in ("a", "b"):
            started.append(ServerProcess(tmp_path_factory.mktemp(f"pg-{label}"), url).start())
        _wait_for_listeners(url, 2)
        yield started[0], started[1], url
    finally:
        for process in reversed(started):
            process.stop()
        postgres_cluster.drop_database(name)


def _write(api: Api, department: str, index: int, barrier: threading.Barrier,
           created: set[Key], failures: list[str]) -> None:
    rng = random.Random(f"{department}-{index}")
    others = [d for d in WRITER_DEPARTMENTS if d != department]
    try:
        barrier.wait(30)
        for batch in range(BATCHES_PER_WRITER):
            ops, ids = [], []
            for to in ("tax", others[(index + batch) % len(others)]):
                case_id, request_id = str(uuid.uuid4()), str(uuid.uuid4())
                ops += [register_op(case_id, matter_code=rng.choice(MATTERS)),
                        send_op(case_id, to=to, request_id=request_id)]
                ids += [("case", case_id), ("request", request_id)]
            results = api.push(*ops)
            bad = [r for r in results if r["status"] != "applied"]
            if bad:
                failures.append(f"{department} batch {batch}: {bad}")
            created.update(ids)
    except BaseException as exc:
        failures.append(f"{department}: {exc!r}")


@pytest.fixture(scope="module")
def workload(pair) -> dict[str, Any]:
    """Eight clerks push concurrently, alternating between the two processes, while admin
    (on A) and tax01 (on B) pull as fast as they can; then both drain."""
    a, b, url = pair
    writers = [Api((a, b)[i % 2].url).login(user) for i, user in enumerate(WRITERS)]
    done = threading.Event()
    admin = _Puller(Api(a.url).login("admin"), done)
    tax = _Puller(Api(b.url).login("tax01"), done)
    barrier = threading.Barrier(len(writers) + 1)
    created: set[Key] = set()
    failures: list[str] = []
    threads = [threading.Thread(target=_write, daemon=True,
                                args=(api, department, i, barrier, created, failures))
               for i, (api, department) in enumerate(zip(writers, WRITER_DEPARTMENTS,
                                                         strict=True))]
    admin.start()
    tax.start()
    for thread in threads:
        thread.start()
    started = time.monotonic()
    barrier.wait(30)
    for thread in threads:
        thread.join(120)
    writing = time.monotonic() - started
    done.set()
    for puller in (admin, tax):
        puller.join(60)
    assert not any(t.is_alive() for t in (*threads, admin, tax)), "the workload did not finish"
    for puller in (admin, tax):
        if puller.error is not None:
            raise puller.error
    assert not failures, failures[:10]
    return {"url": url, "a": a, "b": b, "admin": admin, "tax": tax, "created": created,
            "writing_seconds": writing}


def test_no_change_is_skipped_while_eight_writers_push_concurrently(workload):
    admin: _Puller = workload["admin"]
    url = workload["url"]
    truth = _full_pull(Api(workload["a"].url).login("admin"))
    assert workload["created"] <= truth.keys(), "an applied op is missing on the server"
    assert len(workload["created"]) == len(WRITERS) * BATCHES_PER_WRITER * 4
    # The pages were taken while up to eight transactions were committing.
    assert len(admin.pages) > 20, f"only {len(admin.pages)} pages: the puller never raced"
    assert not _chain_breaks(admin.pages), _chain_breaks(admin.pages)
    skipped = _skipped(url, admin.pages, department=None)
    assert not skipped, (f"{len(skipped)} changes skipped by the puller (sequence race):\n"
                         + "\n".join(skipped[:20]))
    head = _query(url, "SELECT max(seq) FROM changes")[0][0]
    assert admin.pages[-1][1] == head, "admin's final cursor is not the head of the log"
    problems = _differences(admin.cache, truth)
    assert not problems, (f"{len(problems)} differences between the puller's cache and a "
                          f"fresh full pull:\n" + "\n".join(problems[:20]))


def test_a_departments_cache_equals_the_servers_truth_for_it(workload):
    tax: _Puller = workload["tax"]
    url = workload["url"]
    truth = _full_pull(Api(workload["b"].url).login("tax01"))
    everything = _full_pull(Api(workload["a"].url).login("admin"))
    assert not _chain_breaks(tax.pages), _chain_breaks(tax.pages)
    skipped = _skipped(url, tax.pages, department="tax")
    assert not skipped, (f"{len(skipped)} changes skipped by tax01's puller:\n"
                         + "\n".join(skipped[:20]))
    problems = _differences(tax.cache, truth)
    assert not problems, (f"{len(problems)} differences between tax01's cache and its fresh "
                          f"full pull:\n" + "\n".join(problems[:20]))

    def involves_tax(request: dict) -> bool:
        return "tax" in {request["from_department"], request["to_department"],
                         *request.get("handled_by", ())}

    tax_requests = {key for key, c in everything.items()
                    if key[0] == "request" and involves_tax(c["data"])}
    tax_cases = {("case", c["data"]["case_id"]) for key, c in everything.items()
                 if key in tax_requests}
    tax_cases |= {key for key, c in everything.items()
                  if key[0] == "case" and c["data"]["department"] == "tax"}
    cached = set(tax.cache)
    assert {k for k in cached if k[0] == "request"} == tax_requests
    assert {k for k in cached if k[0] == "case"} == tax_cases
    assert len(tax_requests) == len(WRITERS) * BATCHES_PER_WRITER  # one per batch goes to tax
    foreign_events = [key for key, c in tax.cache.items() if key[0] == "event"
                      and (c["data"]["entity"], c["data"]["entity_id"]) not in cached]
    assert not foreign_events, f"tax01 received events of work it cannot see: {foreign_events[:5]}"


# -- long-polls across processes ------------------------------------------------------------


def _deliver(pollers: list[Api], cursors: list[str], pusher: Api,
             before_push: Callable[[], None] | None = None) -> list[float]:
    """Each poller long-polls; the pusher then sends a new request to tax. Returns, per poller,
    the seconds from the push's answer until that poller's long-poll returned it (inf if
    never). Updates ``cursors``."""
    case_id, request_id = str(uuid.uuid4()), str(uuid.uuid4())
    seen_at: list[float | None] = [None] * len(pollers)
    errors: list[BaseException] = []
    push_started = threading.Event()
    early: list[int] = []

    def poll(i: int) -> None:
        cursor = cursors[i]
        deadline = time.monotonic() + 15
        try:
            while time.monotonic() < deadline:
                page = pollers[i].pull(cursor, wait=10)
                cursor = page["cursor"]
                if any(c["entity"] == "request" and c["id"] == request_id
                       for c in page["changes"]):
                    seen_at[i] = time.monotonic()
                    break
                if not push_started.is_set():
                    early.append(i)  # woken by something else: poll again
        except BaseException as exc:
            errors.append(exc)
        cursors[i] = cursor

    threads = [threading.Thread(target=poll, args=(i,), daemon=True)
               for i in range(len(pollers))]
    for thread in threads:
        thread.start()
    time.sleep(0.3)  # shaping, not an assertion: let the polls reach the server and park
    if before_push is not None:
        before_push()
    push_started.set()
    results = pusher.push(register_op(case_id), send_op(case_id, request_id=request_id))
    pushed = time.monotonic()
    for thread in threads:
        thread.join(20)
    assert [r["status"] for r in results] == ["applied", "applied"], results
    if errors:
        raise errors[0]
    return [math.inf if t is None else t - pushed for t in seen_at]


def test_a_long_poll_on_one_process_is_woken_by_a_push_on_another(pair):
    a, b, _ = pair
    assert "数据库已有账号，未载入演示数据" in b.log(), "process B reloaded the demo hall"
    tax, bdc = Api(b.url).login("tax01"), Api(a.url).login("bdc01")
    cursors = [_full_cursor(tax)]
    latencies = [_deliver([tax], cursors, bdc)[0] for _ in range(5)]
    assert max(latencies) < 1.0, (
        "a long-poll on process B was not woken within 1 s of a push on process A; "
        f"latencies (s): {[round(x, 3) for x in latencies]}")


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                stat = (entry / "stat").read_text()
                if int(stat.rpartition(")")[2].split()[1]) == pid:
                    found.append(int(entry.name))
    return found


def _socket_inodes(pid: int) -> set[int]:
    inodes = set()
    with contextlib.suppress(OSError):
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            with contextlib.suppress(OSError):
                target = str(fd.readlink())
                if target.startswith("socket:["):
                    inodes.add(int(target[8:-1]))
    return inodes


def _tcp_sockets(port: int, state: str) -> set[int]:
    """Inodes of IPv4 sockets on local ``port`` in ``state`` (01 established, 0A listen)."""
    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if int(fields[1].rpartition(":")[2], 16) == port and fields[3] == state:
            inodes.add(int(fields[9]))
    return inodes


def test_with_two_workers_a_long_poll_is_woken_whichever_worker_took_the_push(
        postgres_url, tmp_path):  # noqa: F811
    server = ServerProcess(tmp_path, postgres_url, workers=2).start()
    try:
        _wait_for_listeners(postgres_url, 2)  # one per worker
        listening = _tcp_sockets(server.port, "0A")
        workers = [pid for pid in _children(server.process.pid)
                   if _socket_inodes(pid) & listening]
        assert len(workers) == 2, f"expected 2 worker processes, found {workers}"
        bdc, tax = Api(server.url).login("bdc01"), Api(server.url).login("tax01")
        latencies: list[list[float]] = []
        spread: list[list[int]] = []
        for _ in range(3):
            pollers = [_same_user(tax) for _ in range(6)]  # new connections, either worker
            cursors = [_full_cursor(api) for api in pollers]
            bdc.http.close()  # its next call opens a new connection, on either worker

            def count_per_worker(pollers=pollers) -> None:
                established = _tcp_sockets(server.port, "01")
                spread.append([len(_socket_inodes(pid) & established) for pid in workers])

            latencies.append(_deliver(pollers, cursors, bdc, before_push=count_per_worker))
            for api in pollers:
                api.http.close()
        report = f"latencies (s) per round and poller: {latencies}; pollers per worker: {spread}"
        assert any(all(n > 0 for n in counts) for counts in spread), (
            "the pollers never sat on both workers, so nothing crossed a process: " + report)
        assert max(max(r) for r in latencies) < 1.0, (
            "with --workers 2 a long-poll was not woken within 1 s: " + report)
    finally:
        server.stop()


def _same_user(api: Api) -> Api:
    """Another client of the same session token, on connections of its own."""
    clone = Api(api.base_url)
    clone.http.headers["Authorization"] = api.http.headers["Authorization"]
    return clone


def _full_cursor(api: Api) -> str:
    cursor = ""
    while True:
        page = api.pull(cursor, limit=1000)
        cursor = page["cursor"]
        if not page["has_more"]:
            return cursor


def test_a_long_poll_is_woken_by_a_change_committed_while_the_listener_reconnected(
        postgres_url, tmp_path):  # noqa: F811
    """The listener's connection drops (a PostgreSQL restart, a failover, an idle timeout);
    a change another process commits during the gap never reaches it as a NOTIFY. Once
    listening again, the process must wake its long-polls to look, not leave them parked
    until their timeout."""
    server = ServerProcess(tmp_path, postgres_url).start()
    db = Database(postgres_url)
    try:
        _wait_for_listeners(postgres_url, 1)
        tax = Api(server.url).login("tax01")
        cursor = _full_cursor(tax)
        answer: dict[str, Any] = {}

        def poll() -> None:
            answer["page"] = tax.pull(cursor, wait=6)
            answer["returned"] = time.monotonic()

        poller = threading.Thread(target=poll, daemon=True)
        poller.start()
        time.sleep(0.3)  # shaping: let the poll park
        terminated = _query(postgres_url,
                            "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity "
                            "WHERE datname = current_database() AND query = %s",
                            (LISTEN_QUERY,))
        assert terminated and all(ok for (ok,) in terminated)
        with db.write() as session:  # "another server process" commits a public change
            session.add(Department(code="gap", name="断线期间新增", sort_order=99))
            log = ChangeLog()
            log.record("department", "gap", PUBLIC)
            log.commit_positions(session)
        committed = time.monotonic()
        poller.join(15)
        assert ("department", "gap") in {(c["entity"], c["id"])
                                         for c in answer["page"]["changes"]}
        latency = answer["returned"] - committed
        assert latency < 3.0, (
            f"BUG (server/sync/notify.py PostgresListener.run): the long-poll stayed parked "
            f"{latency:.2f} s (until its own timeout) after a change committed while the "
            f"listener was reconnecting; the listener should publish(None) each time it has "
            f"(re)started LISTENing, so waiters re-query")
    finally:
        db.dispose()
        server.stop()


# -- the sequence race, in-process: a transaction held between positions and commit -------


def _add_department(db: Database, code: str, hold: Callable[[], None] | None = None,
                    positions: dict[str, int] | None = None) -> None:
    with db.write() as session:
        session.add(Department(code=code, name=f"部门 {code}", sort_order=0))
        log = ChangeLog()
        log.record("department", code, PUBLIC)
        log.commit_positions(session)
        if positions is not None:
            positions[code] = session.scalar(select(func.max(Change.seq)))
        if hold is not None:
            hold()


def _sequence_lock_waiters(url: str) -> int:
    return _query(url, "SELECT count(*) FROM pg_locks l JOIN pg_database d "
                       "ON d.oid = l.database WHERE d.datname = current_database() "
                       "AND l.locktype = 'advisory' AND l.objid = %s AND NOT l.granted",
                  (SEQUENCE_LOCK,))[0][0]


def test_a_late_commit_with_a_lower_position_is_never_skipped(postgres_url):  # noqa: F811
    db = Database(postgres_url)
    try:
        db.migrate()
        epoch, admin = db.epoch(), _admin()
        _add_department(db, "base")
        with db.read() as session:
            cursor = pull_page(session, epoch, admin.departments, None, 1000).cursor
        positioned, release = threading.Event(), threading.Event()
        order: list[str] = []
        positions: dict[str, int] = {}
        errors: list[BaseException] = []

        def run(target: Callable[[], None], label: str) -> None:
            try:
                target()
                order.append(f"{label} committed")
            except BaseException as exc:
                errors.append(exc)

        def hold() -> None:
            positioned.set()
            release.wait(30)

        first = threading.Thread(target=run, daemon=True, args=(
            lambda: _add_department(db, "late", hold, positions), "first"))
        second = threading.Thread(target=run, daemon=True, args=(
            lambda: _add_department(db, "early", None, positions), "second"))
        first.start()
        assert positioned.wait(30), errors
        second.start()
        # Prove the second writer is held at the sequence lock, not merely slow.
        _wait_until(lambda: _sequence_lock_waiters(postgres_url) == 1 or not second.is_alive(),
                    15, "the second writer to wait on the sequence lock")
        assert second.is_alive() and not order, (
            f"the second writer committed while the first held its positions: {order}")
        with db.read() as session:  # a puller runs in between
            page = pull_page(session, epoch, admin.departments, cursor, 1000)
        assert _position(page.cursor) < positions["late"], (
            f"the cursor moved to {page.cursor} past position {positions['late']}, "
            f"which is not committed yet")
        assert page.changes == []
        order.append("first released")
        release.set()
        first.join(30)
        second.join(30)
        assert not errors, errors
        assert order.index("first released") < order.index("second committed"), order
        assert positions["early"] > positions["late"], positions
        with db.read() as session:
            after = pull_page(session, epoch, admin.departments, page.cursor, 1000)
        assert [c["id"] for c in after.changes] == ["late", "early"]
    finally:
        db.dispose()


def test_the_checker_sees_the_skip_when_positions_are_taken_without_the_lock(
        postgres_url):  # noqa: F811
    """Control: the same schedule without the advisory lock does lose a change, so the
    test above (and the page check of the HTTP workload) can tell."""
    db = Database(postgres_url)
    try:
        db.migrate()
        epoch, admin = db.epoch(), _admin()
        insert = ("INSERT INTO changes (entity, entity_id, public) "
                  "VALUES ('department', %s, true) RETURNING seq")
        with psycopg.connect(_dsn(postgres_url)) as late, \
                psycopg.connect(_dsn(postgres_url)) as early:
            for conn, code in ((late, "late"), (early, "early")):
                conn.execute("INSERT INTO departments (code, name, sort_order) "
                             "VALUES (%s, %s, 0)", (code, code))
            late_seq = late.execute(insert, ("late",)).fetchone()[0]
            early.execute(insert, ("early",))
            early.commit()
            with db.read() as session:
                page = pull_page(session, epoch, admin.departments, None, 1000)
            late.commit()
        with db.read() as session:
            after = pull_page(session, epoch, admin.departments, page.cursor, 1000)
        assert _position(page.cursor) > late_seq
        assert "late" not in {c["id"] for c in page.changes + after.changes}
        pages = [(0, _position(page.cursor), frozenset((c["entity"], c["id"])
                                                       for c in page.changes))]
        assert _skipped(postgres_url, pages, None), "the page check missed a skipped change"
    finally:
        db.dispose()


def test_pages_taken_between_held_positions_and_their_commits_skip_nothing(
        postgres_url):  # noqa: F811
    """Many writers each hold their transaction open a moment after taking positions, while
    a puller pages through with a small limit."""
    db = Database(postgres_url)
    try:
        db.migrate()
        epoch, admin = db.epoch(), _admin()
        done = threading.Event()
        pages: list[Page] = []
        errors: list[BaseException] = []

        def write(thread: int) -> None:
            rng = random.Random(thread)
            try:
                for i in range(25):
                    _add_department(db, f"s{thread}-{i}",
                                    hold=lambda: time.sleep(rng.uniform(0, 0.004)))
            except BaseException as exc:
                errors.append(exc)

        def pull() -> None:
            cursor = None
            try:
                while True:
                    last_round = done.is_set()
                    with db.read() as session:
                        page = pull_page(session, epoch, admin.departments, cursor, 7)
                    pages.append((_position(cursor or ""), _position(page.cursor),
                                  frozenset((c["entity"], c["id"]) for c in page.changes)))
                    cursor = page.cursor
                    if last_round and not page.has_more:
                        return
            except BaseException as exc:
                errors.append(exc)

        writers = [threading.Thread(target=write, args=(n,), daemon=True) for n in range(6)]
        puller = threading.Thread(target=pull, daemon=True)
        puller.start()
        for thread in writers:
            thread.start()
        for thread in writers:
            thread.join(60)
        done.set()
        puller.join(60)
        assert not errors, errors
        assert len(pages) > 10, f"only {len(pages)} pages"
        assert not _chain_breaks(pages), _chain_breaks(pages)
        skipped = _skipped(postgres_url, pages, None)
        assert not skipped, "\n".join(skipped[:20])
        delivered = set().union(*(keys for _, _, keys in pages))
        assert {("department", f"s{t}-{i}") for t in range(6) for i in range(25)} <= delivered
    finally:
        db.dispose()


# -- several processes starting together on one empty database ----------------------------


def _schema_facts(url: str) -> dict[str, Any]:
    return {"alembic_version rows": _query(url, "SELECT count(*) FROM alembic_version")[0][0],
            "epochs": _query(url, "SELECT count(*) FROM meta WHERE key = 'epoch'")[0][0],
            "users": _query(url, "SELECT count(*) FROM users")[0][0]}


def test_three_servers_started_together_on_an_empty_database_all_come_up(
        postgres_url, tmp_path):  # noqa: F811
    servers = [ServerProcess(tmp_path / f"s{i}", postgres_url) for i in range(3)]
    failures: dict[int, str] = {}

    def start(i: int) -> None:
        try:
            servers[i].start()
        except Exception as exc:
            errors = [line for line in str(exc).splitlines() if "psycopg.errors" in line]
            failures[i] = errors[-1] if errors else repr(exc)[-300:]

    threads = [threading.Thread(target=start, args=(i,), daemon=True) for i in range(3)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(90)
        facts = _schema_facts(postgres_url)
        assert not failures, (
            f"BUG: {len(failures)} of 3 `serve --demo` processes started together on an empty "
            f"database died: {failures}. Causes: server/cli.py _load_demo checks for users "
            f"then loads the hall in an unlocked transaction, so two processes both load it "
            f"(UniqueViolation on pk_departments); server/db.py Database.migrate inserts the "
            f"epoch after releasing the migration lock (UniqueViolation on pk_meta). {facts}")
        assert facts == {"alembic_version rows": 1, "epochs": 1, "users": HALL_STAFF}, facts
        for server in servers:
            assert Api(server.url).login("tax01").pull()["cursor"]
    finally:
        for server in servers:
            server.stop()


def test_three_migrations_run_together_leave_one_schema_and_one_epoch(
        postgres_url, tmp_path):  # noqa: F811
    commands = [subprocess.Popen(
        [sys.executable, "-m", "server.cli", "migrate", "--db", postgres_url,
         "--data-dir", str(tmp_path / f"m{i}")],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT) for i in range(3)]
    outputs = [c.communicate(timeout=60)[0].decode(errors="replace") for c in commands]
    failed = {i: out.strip().splitlines()[-1] for i, (c, out) in
              enumerate(zip(commands, outputs, strict=True)) if c.returncode != 0}
    assert not failed, f"concurrent `migrate` failed: {failed}"
    facts = _schema_facts(postgres_url)
    assert facts["alembic_version rows"] == 1 and facts["epochs"] == 1, facts


class _HoldAtCommit:
    """Holds the first transaction of ``engine`` that ran a statement starting with
    ``marker`` at its COMMIT, until released: the window in which another process can
    interleave."""

    def __init__(self, engine, marker: str) -> None:
        self.marker = marker.lower()
        self.reached, self.release = threading.Event(), threading.Event()
        event.listen(engine, "before_cursor_execute", self._statement)
        event.listen(engine, "commit", self._commit)

    def _statement(self, conn, cursor, statement, parameters, context, executemany) -> None:
        if statement.lstrip().lower().startswith(self.marker):
            conn.info["wd_marked"] = True

    def _commit(self, conn) -> None:
        if conn.info.pop("wd_marked", False) and not self.reached.is_set():
            self.reached.set()
            self.release.wait(30)


def _race(url: str, first: Callable[[], None], second: Callable[[], None],
          hold: _HoldAtCommit) -> dict[str, BaseException]:
    """Run ``first`` until it is held at commit, then ``second`` until it blocks on that
    transaction (or finishes), then let both complete."""
    errors: dict[str, BaseException] = {}

    def run(label: str, target: Callable[[], None]) -> None:
        try:
            target()
        except BaseException as exc:
            errors[label] = exc

    one = threading.Thread(target=run, args=("first", first), daemon=True)
    two = threading.Thread(target=run, args=("second", second), daemon=True)
    one.start()
    assert hold.reached.wait(60) or not one.is_alive(), "the first never reached its commit"
    assert hold.reached.is_set(), f"the first finished without the marked statement: {errors}"
    two.start()
    _wait_until(lambda: not two.is_alive() or _lock_waiters(url) > 0, 30,
                "the second to block on the first or finish")
    hold.release.set()
    one.join(60)
    two.join(60)
    return errors


def _first_line(exc: BaseException) -> str:
    exc = getattr(exc, "orig", None) or exc  # the driver's error under SQLAlchemy's
    return f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"


def test_two_processes_creating_the_schema_together_agree_on_one_epoch(
        postgres_url):  # noqa: F811
    first, second = Database(postgres_url), Database(postgres_url)
    try:
        hold = _HoldAtCommit(first.engine, "INSERT INTO meta")
        errors = _race(postgres_url, first.migrate, second.migrate, hold)
        assert not errors, (
            "BUG (server/db.py Database.migrate): the epoch is checked and inserted in a "
            "transaction of its own after the migration lock is released; a second process "
            "starting meanwhile also finds no epoch, inserts one and dies: "
            f"{ {k: _first_line(v) for k, v in errors.items()} }. Fix: insert the epoch in "
            "the migration transaction while holding SETUP_LOCK (or INSERT ... ON "
            "CONFLICT DO NOTHING and read it back)")
        assert _schema_facts(postgres_url)["epochs"] == 1
        assert first.epoch() == second.epoch()
    finally:
        first.dispose()
        second.dispose()


def test_two_processes_loading_the_demo_together_load_it_once(postgres_url, tmp_path):  # noqa: F811
    from server.cli import _load_demo

    setup = Database(postgres_url)
    setup.migrate()
    setup.dispose()
    first, second = Database(postgres_url), Database(postgres_url)
    settings = [Settings(db_url=postgres_url, data_dir=tmp_path / n) for n in ("one", "two")]
    try:
        hold = _HoldAtCommit(first.engine, "INSERT INTO users")
        errors = _race(postgres_url, lambda: _load_demo(settings[0], first),
                       lambda: _load_demo(settings[1], second), hold)
        assert not errors, (
            "BUG (server/cli.py _load_demo): 'no users yet' is checked without a lock, so a "
            "second `serve --demo` starting while the first loads the hall loads it too and "
            f"dies: { {k: _first_line(v) for k, v in errors.items()} }. Fix: take an advisory "
            "lock (pg_advisory_xact_lock) before the check, in the loading transaction")
        assert _schema_facts(postgres_url)["users"] == HALL_STAFF
    finally:
        first.dispose()
        second.dispose()
