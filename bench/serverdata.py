"""A server database holding n requests to ``tax``, for the initial sync (P5).

Pushing 100,000 requests through the API would take longer than the benchmark may (see
P7), so a template is pushed through the real API and then copied inside the server's
SQLite database with fresh ids: cases, requests, events, access rows and their change-log
positions, exactly as the push wrote them. Only ids (and the receipt numbers made from
them) differ between copies.
"""

from __future__ import annotations

import re
import sqlite3
import uuid
from pathlib import Path

from bench.common import Api, case_batches
from server.process import ServerProcess

TEMPLATE_OPS = 250  # 50 cases with 4 requests each
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_NUMBER = re.compile(r"\b([A-Z]+-\d{8}-)([0-9A-F]{8})\b")
_ENTITIES = ("case", "request", "event")


def seed(data_dir: Path, n_requests: int) -> int:
    """Fill the server at ``data_dir`` (stopped afterwards); returns the requests it holds."""
    with ServerProcess(data_dir) as server:
        api = Api(server.url).login("bdc01")
        for batch in case_batches(min(TEMPLATE_OPS, n_requests * 5 // 4 + 1)):
            api.push(batch)
    db = sqlite3.connect(data_dir / "hub.db")
    try:
        with db:
            have = db.execute("SELECT count(*) FROM requests").fetchone()[0]
            copies = max(0, -(-n_requests // have) - 1)
            _clone(db, copies)
        return db.execute("SELECT count(*) FROM requests").fetchone()[0]
    finally:
        db.close()


def _rows(db: sqlite3.Connection, sql: str) -> tuple[list[str], list[tuple]]:
    cursor = db.execute(sql)
    return [d[0] for d in cursor.description], cursor.fetchall()


def _clone(db: sqlite3.Connection, copies: int) -> None:
    tables = {name: _rows(db, f"SELECT * FROM {name}")
              for name in ("cases", "requests", "access", "events")}
    ids = ([r[0] for r in tables["cases"][1]] + [r[0] for r in tables["requests"][1]]
           + [r[tables["events"][0].index("id")] for r in tables["events"][1]])
    op_ids = {r[tables["events"][0].index("op_id")] for r in tables["events"][1]} - {None}
    case_ids = [r[0] for r in tables["cases"][1]]
    changes = db.execute(
        "SELECT seq, entity, entity_id, public FROM changes WHERE entity IN (?, ?, ?) "
        "ORDER BY seq", _ENTITIES).fetchall()
    audience: dict[int, list[str]] = {}
    for seq, department in db.execute("SELECT seq, department_code FROM change_audience"):
        audience.setdefault(seq, []).append(department)
    next_seq = db.execute("SELECT coalesce(max(seq), 0) FROM changes").fetchone()[0] + 1

    taken = {case_id[:8] for case_id in case_ids}  # a receipt number ends in 8 of its id
    for _ in range(copies):
        mapping = {old: str(uuid.uuid4()) for old in [*ids, *op_ids]}
        for old in case_ids:  # 25,000 random 8-digit suffixes do collide now and then
            while mapping[old][:8] in taken:
                mapping[old] = str(uuid.uuid4())
            taken.add(mapping[old][:8])
        numbers = {old[:8].upper(): mapping[old][:8].upper() for old in case_ids}

        def fix(value, mapping=mapping, numbers=numbers):
            if not isinstance(value, str):
                return value
            value = _UUID.sub(lambda m: mapping.get(m.group(0), m.group(0)), value)
            return _NUMBER.sub(lambda m: m.group(1) + numbers.get(m.group(2), m.group(2)),
                               value)

        for name, (columns, rows) in tables.items():
            keep = [i for i, c in enumerate(columns) if c != "seq"]  # events.seq: new
            names = ", ".join(columns[i] for i in keep)
            marks = ", ".join("?" for _ in keep)
            db.executemany(f"INSERT INTO {name} ({names}) VALUES ({marks})",
                           [tuple(fix(row[i]) for i in keep) for row in rows])
        new_changes, new_audience = [], []
        for seq, entity, entity_id, public in changes:
            new_changes.append((next_seq, entity, mapping.get(entity_id, entity_id), public))
            new_audience += [(next_seq, d) for d in audience.get(seq, ())]
            next_seq += 1
        db.executemany("INSERT INTO changes (seq, entity, entity_id, public) VALUES (?,?,?,?)",
                       new_changes)
        db.executemany("INSERT INTO change_audience (seq, department_code) VALUES (?, ?)",
                       new_audience)
