"""Benchmark: the inbox list over n cached requests (``python -m bench.inbox [n]``).

Prints how long the ordered id list takes (cold: first query after opening the cache;
warm: repeated), the search box (p95 over 20 keystroke-like queries), and one chunk of
rows for the table. The requests carry full-size ``data``/``server_data`` documents, as a
synced cache does, because the table's width is what the list pays for. A throwaway
encrypted cache in a temp directory, with an in-memory keyring: nothing touches the real
cache or the OS keyring.
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

from app import inbox
from app.inbox import InboxFilter
from app.secrets import use_memory_keyring
from app.store import Store, open_store
from app.store import models as m

NOW = datetime(2026, 11, 23, 6, 0, tzinfo=UTC)  # Monday 14:00 in the hall
DEPARTMENT = "tax"
KEYSTROKES = ["b", "bd", "bdc", "bdc-", "bdc-2026", "bdc-20261", "bdc-202611",
              "市", "市民", "市民1", "市民12", "市民123",
              "0", "00", "002", "002x", "二", "二手", "二手房", "完税"]


def _document(request_id: str, state: str, sent_at: datetime, due_at: datetime | None) -> dict:
    """A request as the server serialises it (about 700 bytes of JSON)."""
    return {
        "id": request_id, "case_id": "", "from_department": "bdc",
        "to_department": DEPARTMENT, "role": "assisting", "subject": "完税证明",
        "needed": "契税完税证明及个人所得税完税凭证", "sla": "request",
        "sent_at": sent_at.isoformat(), "sent_by": str(uuid.uuid4()), "state": state,
        "attachments": [], "clock_started_at": sent_at.isoformat(), "allowance": 12600.0,
        "due_at": due_at.isoformat() if due_at else None, "paused_remaining": None,
        "accepted_at": None, "accepted_by": None, "reply_text": "", "reply_attachments": [],
        "replied_at": None, "replied_by": None, "send_back_reason": "",
        "pending_extension": None, "rating": None, "handled_by": [DEPARTMENT],
        "urge_count": 0, "version": 1,
    }


OPEN = {"sent", "accepted", "sent_back", "forwarded", "reopened"}


def fill(store: Store, n: int, seed: int = 20261123, now: datetime = NOW) -> None:
    """n requests to ``tax`` over n/50 cases, in a realistic mix of states: closed ones
    from the past year, open ones from the last five days (a desk works its list off)."""
    rng = random.Random(seed)  # fixed seed: comparable runs
    weights = {"sent": 8, "accepted": 10, "sent_back": 3, "forwarded": 1, "replied": 8,
               "confirmed": 60, "reopened": 1, "withdrawn": 2}
    states, w = list(weights), list(weights.values())
    cases = []
    for i in range(max(1, n // 50)):
        cases.append(dict(
            id=str(uuid.uuid4()), number=f"BDC-20261123-{i:08X}", department_code="bdc",
            matter_code="bdc-transfer-secondhand", citizen_name=f"市民{i}",
            citizen_id_number=f"110105194912{i:05d}X"[-18:], citizen_phone="13800138000",
            channel="window", category="general", state="in_progress", registered_at=now,
            data={}, server_data={}))
    rows = []
    for i in range(n):
        state = rng.choices(states, w)[0]
        days = 5 if state in OPEN else 365
        sent_at = now - timedelta(minutes=rng.randrange(60 * 24 * days))
        due = None if state == "sent_back" else sent_at + timedelta(hours=rng.randrange(3, 40))
        case_ = cases[i % len(cases)]
        request_id = str(uuid.uuid4())
        document = _document(request_id, state, sent_at, due)
        rows.append(dict(
            id=request_id, case_id=case_["id"], from_department="bdc",
            to_department=DEPARTMENT, role="assisting", state=state, subject="完税证明",
            sent_at=sent_at, due_at=due, updated_at=sent_at, data=document,
            server_data=document,
            search_key=m.search_key_for(case_["number"], case_["citizen_name"],
                                        case_["citizen_id_number"], "二手房转移登记")))
    with store.session() as session:
        session.execute(insert(m.Case.__table__), cases)
        for start in range(0, len(rows), 20_000):
            session.execute(insert(m.CollabRequest.__table__), rows[start:start + 20_000])


def _timed(fn, *args, **kwargs) -> tuple[float, object]:
    t0 = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - t0, result


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def bench_inbox(n: int = 100_000, repeats: int = 5) -> dict:
    """Median seconds for ``inbox_ids`` over ``n`` requests (warm), with the other figures."""
    use_memory_keyring()
    with tempfile.TemporaryDirectory(prefix="bench-inbox-") as tmp:
        data_dir = Path(tmp)
        store = open_store(data_dir)
        t_fill, _ = _timed(fill, store, n)
        store.close()

        store = open_store(data_dir)  # a fresh connection: SQLite's page cache is empty
        try:
            cold, ids = _timed(inbox.inbox_ids, store, DEPARTMENT, InboxFilter.ALL, "", NOW)
            assert len(ids) == n  # type: ignore[arg-type]
            warm = [_timed(inbox.inbox_ids, store, DEPARTMENT, InboxFilter.ALL, "", NOW)[0]
                    for _ in range(repeats)]
            to_accept = [_timed(inbox.inbox_ids, store, DEPARTMENT, InboxFilter.TO_ACCEPT, "",
                                NOW)[0] for _ in range(repeats)]
            searches = [_timed(inbox.inbox_ids, store, DEPARTMENT, InboxFilter.ALL, q, NOW)[0]
                        for q in KEYSTROKES]
            counts = [_timed(inbox.filter_counts, store, DEPARTMENT, NOW)[0]
                      for _ in range(repeats)]
            rng = random.Random(7)
            chunks = []
            for _ in range(20):
                start = rng.randrange(0, max(1, n - 100))
                chunk = ids[start:start + 100]  # type: ignore[index]
                chunks.append(_timed(inbox.rows, store, chunk)[0])
        finally:
            store.close()

    median = statistics.median(warm)
    ms = 1000
    print(f"inbox over {n:,} requests (fill {t_fill:.1f} s)")
    print(f"  inbox_ids 全部      cold {cold * ms:6.0f} ms   warm median {median * ms:6.0f} ms"
          f"  (min {min(warm) * ms:.0f}, max {max(warm) * ms:.0f})")
    print(f"  inbox_ids 待签收    warm median {statistics.median(to_accept) * ms:6.0f} ms")
    print(f"  search (20 keys)    p95 {_p95(searches) * ms:6.0f} ms   "
          f"median {statistics.median(searches) * ms:.0f} ms")
    print(f"  filter_counts       median {statistics.median(counts) * ms:6.0f} ms")
    print(f"  rows() 100-id chunk median {statistics.median(chunks) * ms:6.1f} ms   "
          f"max {max(chunks) * ms:.1f} ms")
    return {"value": median, "unit": "s", "median": median, "min": min(warm), "max": max(warm),
            "n": n, "cold": cold, "search_p95": _p95(searches),
            "rows_chunk_median": statistics.median(chunks),
            "filter_counts_median": statistics.median(counts)}


if __name__ == "__main__":
    print(bench_inbox(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000))
