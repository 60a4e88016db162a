"""P7 (push throughput in batches, one server process, SQLite and PostgreSQL) and P8 (how
many concurrent long-poll clients one server process holds, and how fast it tells them)."""

from __future__ import annotations

import asyncio
import json
import os
import resource
import tempfile
import time
from pathlib import Path

from bench import pg
from bench.common import Api, Sizes, case_batches, percentile, register_op, send_op, summary
from server.process import ServerProcess
from sync.engine import LONG_POLL_SECONDS, PAGE

PUSH_BATCH = 200  # the client's SyncEngine.BATCH
PUSH_SECONDS = {"full": 60.0, "quick": 10.0, "tiny": 3.0}  # per repetition, at most


def _push_rates(server: ServerProcess, sizes: Sizes) -> tuple[list[float], int]:
    api = Api(server.url).login("bdc01")
    api.push(case_batches(20)[0])  # warm: the first push also loads the hall's rules
    rates, pushed = [], 0
    limit = PUSH_SECONDS[sizes.name]
    for _ in range(sizes.push_repeats):
        done, t0 = 0, time.perf_counter()
        for batch in case_batches(sizes.push_ops, PUSH_BATCH):
            api.push(batch)
            done += len(batch)
            if time.perf_counter() - t0 > limit:
                break  # a slow server still gets its figure, from fewer ops
        rates.append(done / (time.perf_counter() - t0))
        pushed += done
    return rates, pushed


def push_throughput(sizes: Sizes) -> dict:
    """ops/s of one client pushing 200-op batches (case.register + 4 × request.send)."""
    with tempfile.TemporaryDirectory(prefix="bench-p7-") as tmp:
        with ServerProcess(Path(tmp) / "sqlite") as server:
            rates, pushed = _push_rates(server, sizes)
        postgres: dict = {}
        try:
            with pg.Cluster() as cluster, \
                    ServerProcess(Path(tmp) / "pg", cluster.create_database()) as server:
                pg_rates, pg_pushed = _push_rates(server, sizes)
                postgres = {"postgres_median": sorted(pg_rates)[len(pg_rates) // 2],
                            "postgres_samples": pg_rates, "postgres_ops": pg_pushed,
                            "postgres_version": cluster.version()}
        except Exception as exc:  # no PostgreSQL here: SQLite's figure still stands
            postgres = {"postgres_error": f"{type(exc).__name__}: {exc}"}
    return summary(rates, unit="ops/s", ops=pushed, batch=PUSH_BATCH, **postgres)


# -- P8 ------------------------------------------------------------------------------------

class _Poller:
    """One long-poll client on its own keep-alive connection, pulling as the client's
    SyncEngine does once current (a page of PAGE, wait LONG_POLL_SECONDS, again with the new
    cursor at once). Raw HTTP/1.1: the bench process must stay lighter than the server."""

    def __init__(self, host: str, port: int, token: str, cursor: str) -> None:
        self.host, self.port, self.token, self.cursor = host, port, token, cursor
        self.arrivals: list[float] = []
        self.errors = 0

    async def run(self, connected: asyncio.Event, stop: asyncio.Event) -> None:
        try:
            reader, writer = await asyncio.open_connection(self.host, self.port)
        except OSError:
            self.errors += 1
            return
        connected.set()
        try:
            while not stop.is_set():
                writer.write((f"GET /api/v1/sync/pull?cursor={self.cursor}&limit={PAGE}"
                              f"&wait={LONG_POLL_SECONDS:g} HTTP/1.1\r\nHost: {self.host}\r\n"
                              f"Authorization: Bearer {self.token}\r\n\r\n").encode())
                head = await reader.readuntil(b"\r\n\r\n")
                length = int(next(line.split(b":")[1] for line in head.split(b"\r\n")
                                  if line.lower().startswith(b"content-length")))
                body = await reader.readexactly(length)
                at = time.monotonic()
                if not head.startswith(b"HTTP/1.1 200"):
                    self.errors += 1
                    await asyncio.sleep(1)
                    continue
                page = json.loads(body)
                self.cursor = page["cursor"]
                if page["changes"]:
                    self.arrivals.append(at)
        except (OSError, asyncio.IncompleteReadError, StopIteration, ValueError):
            self.errors += 1
        finally:
            writer.close()


async def _round(pollers: list[_Poller], pusher: Api, case_id: str,
                 timeout: float) -> tuple[list[float], int]:
    """Push one request to tax; each client's time from the push's start to its answer,
    and how many clients had none within ``timeout``."""
    before = [len(p.arrivals) for p in pollers]
    t0 = time.monotonic()
    await asyncio.to_thread(pusher.push, [send_op(case_id)])
    deadline = t0 + timeout
    while time.monotonic() < deadline and any(
            len(p.arrivals) == b for p, b in zip(pollers, before, strict=True)):
        await asyncio.sleep(0.02)
    latencies = [p.arrivals[b] - t0 for p, b in zip(pollers, before, strict=True)
                 if len(p.arrivals) > b]
    return latencies, len(pollers) - len(latencies)


async def _step(server: ServerProcess, token: str, cursor: str, n: int, rounds: int,
                pusher: Api, case_id: str) -> dict:
    stop = asyncio.Event()
    pollers = [_Poller("127.0.0.1", server.port, token, cursor) for _ in range(n)]
    tasks = []
    t_connect = time.monotonic()
    for start in range(0, n, 200):  # in waves: the listen backlog is finite
        events = [asyncio.Event() for _ in pollers[start:start + 200]]
        tasks += [asyncio.create_task(p.run(e, stop))
                  for p, e in zip(pollers[start:start + 200], events, strict=True)]
        await asyncio.wait([asyncio.create_task(e.wait()) for e in events], timeout=10)
    connect_s = time.monotonic() - t_connect
    # A round not counted: when every client has its answer, every first poll has reached
    # the server (however long the backlog of first polls took) and the clients poll again
    # as they will between the measured rounds. Not a fixed sleep, which a big step outlasts.
    warm, warm_missing = await _round(pollers, pusher, case_id, timeout=60 + n / 50)
    latencies, missing = [], warm_missing
    for _ in range(rounds if not warm_missing else 0):
        await asyncio.sleep(0.5)  # the clients poll again before the next push
        arrived, missed = await _round(pollers, pusher, case_id, timeout=10)
        latencies += arrived
        missing += missed
    stop.set()
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    errors = sum(p.errors for p in pollers)
    p99 = percentile(latencies, 99) if latencies else float("inf")
    return {"clients": n, "p50_s": percentile(latencies, 50) if latencies else None,
            "p99_s": p99, "max_s": max(latencies) if latencies else None,
            "missing": missing, "errors": errors, "connect_s": round(connect_s, 2),
            "warmup_s": round(max(warm), 2) if warm else None,
            "held": p99 <= 1.0 and not missing and not errors}


def long_polls(sizes: Sizes) -> dict:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # the server inherits it too
    steps = []
    with tempfile.TemporaryDirectory(prefix="bench-p8-") as tmp, \
            ServerProcess(Path(tmp)) as server:
        pusher = Api(server.url).login("bdc01")
        case = register_op()
        pusher.push([case])
        tax = Api(server.url).login("tax01")
        cursor = ""
        while True:  # the clients start current, as a synced client does
            page = tax.http.get(f"{server.url}/api/v1/sync/pull",
                                params={"cursor": cursor, "limit": 1000}, timeout=60).json()
            cursor = page["cursor"]
            if not page["has_more"]:
                break
        for n in sizes.poll_steps:
            step = asyncio.run(_step(server, tax.token, cursor, n, sizes.poll_rounds, pusher,
                                     case["entity_id"]))
            step["load_average"] = [round(x, 2) for x in os.getloadavg()]
            steps.append(step)
            cursor = tax.http.get(f"{server.url}/api/v1/sync/pull",
                                  params={"cursor": cursor, "limit": 1000}, timeout=60
                                  ).json()["cursor"]
            if not step["held"]:
                break  # the next step would only fail harder
        server_alive = server.process is not None and server.process.poll() is None
    resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    held = max([s["clients"] for s in steps if s["held"]], default=0)
    p99s = [s["p99_s"] for s in steps if s["p99_s"] != float("inf")] or [float("nan")]
    return summary(p99s, value=held, unit="clients", steps=steps, fd_limit=hard,
                   server_alive_after=server_alive, rounds_per_step=sizes.poll_rounds,
                   note="one tax01 token shared by every poller; p99 in seconds per step; "
                        "a warm-up round, not counted, first")
