"""P5 (initial sync into an empty encrypted cache) and P6 (an op from client A in client B's
cache through long-poll), with the product's own Client and SyncEngine against a real
server process."""

from __future__ import annotations

import sqlite3
import tempfile
import threading
import time
from pathlib import Path

import requests

from app.heap import keep_what_is_built
from app.secrets import use_memory_keyring
from bench.common import DEMO_PASSWORD, Sizes, percentile, summary
from bench.serverdata import seed
from server.process import ServerProcess
from sync.client import Client

SYNCED_TABLES = ("cases", "requests", "events")


def initial_sync(sizes: Sizes) -> dict:
    """P5: rows/s of ``sync_once`` for a fresh tax01 cache; floor: executemany of its rows."""
    use_memory_keyring()
    keep_what_is_built()  # this process hosts the client: set up as the desktop's is
    with tempfile.TemporaryDirectory(prefix="bench-p5-") as tmp:
        root = Path(tmp)
        held = seed(root / "server", sizes.sync_requests)
        rates, floors, seconds = [], [], []
        with ServerProcess(root / "server") as server:
            for i in range(min(sizes.repeats, 2)):
                client = Client.login(root / f"client{i}", server.url, "tax01", DEMO_PASSWORD)
                try:
                    t0 = time.perf_counter()
                    done = client.engine.sync_once()
                    elapsed = time.perf_counter() - t0
                    if not done.ok:
                        raise RuntimeError(f"sync failed: {done.errors}")
                    synced = _count(client, "requests")
                    seconds.append(elapsed)
                    rates.append(synced / elapsed)
                    floors.append(synced / _executemany_seconds(client, root / f"raw{i}.db"))
                finally:
                    client.close()
    return summary(rates, unit="rows/s", floor=min(floors), requests=synced,
                   server_requests=held, seconds=seconds, floor_samples=floors,
                   rows="requests synced per second (their cases and events come along)")


def _count(client: Client, table: str) -> int:
    with client.store.read() as session:
        return session.connection().exec_driver_sql(f"SELECT count(*) FROM {table}").scalar()


def _executemany_seconds(client: Client, path: Path) -> float:
    """The same rows, with the same tables and indexes, into plain SQLite: one executemany
    per table in one transaction."""
    with client.store.read() as session:
        conn = session.connection()
        ddl = [sql for (sql,) in conn.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE tbl_name IN (?, ?, ?) AND sql IS NOT NULL",
            SYNCED_TABLES)]
        data = {t: conn.exec_driver_sql(f"SELECT * FROM {t}").fetchall() for t in SYNCED_TABLES}
    raw = sqlite3.connect(path)
    try:
        for statement in ddl:
            raw.execute(statement)
        t0 = time.perf_counter()
        with raw:
            for table, rows in data.items():
                if rows:
                    marks = ", ".join("?" for _ in rows[0])
                    raw.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)
        return time.perf_counter() - t0
    finally:
        raw.close()


class _Arrivals:
    """Client B's listener: when each request first reaches its cache."""

    def __init__(self) -> None:
        self.at: dict[str, float] = {}
        self.changed = threading.Condition()

    def status_changed(self, status) -> None:
        pass

    def conflicts_added(self, op_ids) -> None:
        pass

    def items_arrived(self, keys) -> None:
        now = time.monotonic()
        with self.changed:
            for entity, entity_id in keys:
                if entity == "request":
                    self.at.setdefault(entity_id, now)
            self.changed.notify_all()

    def wait_for(self, ids, timeout: float) -> None:
        with self.changed:
            self.changed.wait_for(lambda: all(i in self.at for i in ids), timeout)


def propagation(sizes: Sizes) -> dict:
    """P6: bdc01 sends requests with the Desk (as the 发起协同 button does); tax01's running
    engine has each in its cache when its long-poll answers."""
    use_memory_keyring()
    keep_what_is_built()  # this process hosts the clients: set up as the desktop's is
    with tempfile.TemporaryDirectory(prefix="bench-p6-") as tmp:
        root = Path(tmp)
        with ServerProcess(root / "server") as server:
            floor = _round_trips(server.url, 200)
            arrivals = _Arrivals()
            a = Client.login(root / "a", server.url, "bdc01", DEMO_PASSWORD)
            b = Client.login(root / "b", server.url, "tax01", DEMO_PASSWORD, listener=arrivals)
            try:
                a.engine.start()
                b.engine.start()
                case_id = a.desk.register_case(
                    matter_code="bdc-transfer-secondhand", citizen_name="张三",
                    citizen_id_number="11010519491231002X", citizen_phone="13800138000",
                    channel="window", category="general")
                time.sleep(1.0)  # the case reaches the server before the measured sends
                paced = _send(a, case_id, arrivals, sizes.paced_ops, 0.050)
                burst = _send(a, case_id, arrivals, sizes.burst_ops, 0.0)
            finally:
                a.close()
                b.close()
    return summary(paced, value=percentile(paced, 99), unit="ms", floor=percentile(floor, 99),
                   p50=percentile(paced, 50), p99=percentile(paced, 99),
                   burst_p50=percentile(burst, 50), burst_p99=percentile(burst, 99),
                   burst_max=max(burst), floor_p50=percentile(floor, 50),
                   floor_note="GET /api/v1/health round trip, p99",
                   paced_ops=len(paced), burst_ops=len(burst))


def _send(a: Client, case_id: str, arrivals: _Arrivals, n: int, gap: float) -> list[float]:
    issued: dict[str, float] = {}
    start = time.monotonic()
    for i in range(n):
        if gap:
            time.sleep(max(0.0, start + i * gap - time.monotonic()))
        t0 = time.monotonic()
        rid = a.desk.send_request(case_id, to_department="tax", role="assisting",
                                  subject="完税证明", needed="契税完税证明")
        issued[rid] = t0
    arrivals.wait_for(issued, timeout=60 + n * 0.2)
    missing = [i for i in issued if i not in arrivals.at]
    if missing:
        raise RuntimeError(f"{len(missing)} of {n} requests never reached client B")
    return [(arrivals.at[i] - t0) * 1000 for i, t0 in issued.items()]


def _round_trips(url: str, n: int) -> list[float]:
    http = requests.Session()
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        http.get(f"{url}/api/v1/health", timeout=10).raise_for_status()
        times.append((time.perf_counter() - t0) * 1000)
    return times
