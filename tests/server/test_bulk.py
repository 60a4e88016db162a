"""The bulk INSERT a push writes its rows with (server/bulk.py), on SQLite and PostgreSQL:
every value comes back as SQLAlchemy would have stored it, taken keys are skipped and
counted, and the keys returned are exactly the rows inserted."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import Text, cast, insert, select

from server import bulk
from server.bulk import insert_new_keys, insert_rows, present
from server.db import Database
from server.models import AppliedOp, Change, EventRow, RequestRow
from tests.support.pgcluster import postgres_cluster, postgres_url  # noqa: F401

EVENTS = EventRow.__table__
OPS = AppliedOp.__table__
REQUESTS = RequestRow.__table__
CHANGES = Change.__table__
AT = datetime(2026, 3, 2, 1, 30, 5, 123456, tzinfo=UTC)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db(request, tmp_path):
    url = request.getfixturevalue("postgres_url") if request.param == "postgres" \
        else f"sqlite:///{tmp_path / 'server.db'}"
    database = Database(url)
    database.migrate()
    yield database
    database.dispose()


def event(n: int, **overrides) -> dict:
    row = {"id": f"event-{n}", "entity": "request", "entity_id": f"request-{n % 3}",
           "case_id": "case-1", "kind": "sent", "at": AT + timedelta(seconds=n),
           "op_id": None if n % 2 else f"op-{n}",
           "data": {"n": n, "text": "完税证明 \"quoted\" \\ {braces}", "list": [1, None]}}
    return row | overrides


def request_row(n: int) -> dict:
    """Columns that are None in every row, too (a typed NULL array on PostgreSQL)."""
    return {"id": f"request-{n}", "case_id": "case-1", "from_department": "bdc",
            "to_department": "tax", "state": "sent", "sent_at": AT, "due_at": None,
            "clock_started_at": None, "replied_at": None, "version": 1, "data": {}}


def op_row(op_id: str) -> dict:
    return {"op_id": op_id, "user_id": "u", "device_id": "d", "type": "request.send",
            "entity_id": "e", "status": "applied", "at": AT}


def test_rows_read_back_as_the_orm_writes_them(db):
    rows = [event(n) for n in range(5)]
    with db.write() as session:
        assert insert_rows(session.connection(), EVENTS, rows) == 5
        session.execute(insert(EVENTS), [event(n) | {"id": f"orm-{n}"} for n in range(5)])
    stored = [c for c in EVENTS.c if c.name not in ("seq", "id")]
    with db.read() as session:
        values = {r.id: r._mapping for r in session.execute(select(EVENTS))}
        # as stored, too: SQLite's text of a time is what its indexes sort
        texts = {r[0]: tuple(r[1:]) for r in session.execute(
            select(EVENTS.c.id, *(cast(c, Text) for c in stored)))}
    for n in range(5):
        assert texts[f"event-{n}"] == texts[f"orm-{n}"]
        assert {c.name: values[f"event-{n}"][c] for c in stored} == \
            {c.name: rows[n][c.name] for c in stored}


def test_columns_that_are_null_in_every_row_insert(db):
    with db.write() as session:
        assert insert_rows(session.connection(), REQUESTS, [request_row(n) for n in range(3)]) == 3
    with db.read() as session:
        assert session.scalars(select(REQUESTS.c.replied_at)).all() == [None] * 3


def test_a_naive_time_is_refused_as_through_the_orm(db):
    """Also after an aware time with the same digits (each instant is converted once)."""
    with pytest.raises(ValueError, match="naive"), db.write() as session:
        insert_rows(session.connection(), EVENTS, [event(1, at=AT),
                                                   event(2, at=AT.replace(tzinfo=None))])


def test_an_aware_time_is_stored_as_the_same_instant(db):
    beijing = AT.astimezone(timezone(timedelta(hours=8)))
    with db.write() as session:
        insert_rows(session.connection(), EVENTS, [event(1, at=AT), event(2, at=beijing)])
    with db.read() as session:
        assert session.scalars(select(EVENTS.c.at)).all() == [AT, AT]
        assert len(set(session.scalars(select(cast(EVENTS.c.at, Text))))) == 1


def test_rows_whose_key_or_unique_value_is_taken_are_skipped_and_not_counted(db):
    with db.write() as session:
        insert_rows(session.connection(), CHANGES, [
            {"seq": 1, "entity": "case", "entity_id": "a", "public": False}])
        insert_rows(session.connection(), EVENTS, [event(1)])
    with db.write() as session:
        conn = session.connection()
        assert insert_rows(conn, CHANGES, [
            {"seq": seq, "entity": "case", "entity_id": f"x{seq}", "public": True}
            for seq in (1, 2, 3)], skip_taken=True) == 2
        # same event id under a new seq: the unique index, not the key, is what is taken
        assert insert_rows(conn, EVENTS, [event(1), event(2)], skip_taken=True) == 1
    with db.read() as session:
        assert session.execute(select(CHANGES.c.seq, CHANGES.c.entity_id, CHANGES.c.public)
                               .order_by(CHANGES.c.seq)).all() == [
            (1, "a", False), (2, "x2", True), (3, "x3", True)]
        assert session.scalars(select(EVENTS.c.id).order_by(EVENTS.c.id)).all() == [
            "event-1", "event-2"]


def test_a_taken_key_without_skip_taken_fails_the_statement(db):
    with db.write() as session:
        insert_rows(session.connection(), OPS, [op_row("a")])
    with pytest.raises(Exception, match="(?i)unique"), db.write() as session:
        insert_rows(session.connection(), OPS, [op_row("a")])


def test_new_keys_are_those_of_the_rows_inserted(db, monkeypatch):
    monkeypatch.setattr(bulk, "SQLITE_ROWS_PER_STATEMENT", 3)  # SQLite: several statements
    taken = [str(uuid.uuid4()) for _ in range(4)]
    fresh = [str(uuid.uuid4()) for _ in range(7)]
    with db.write() as session:
        assert sorted(insert_new_keys(session.connection(), OPS,
                                      [op_row(i) for i in taken])) == sorted(taken)
    with db.write() as session:
        mixed = [op_row(i) for i in sorted(taken + fresh)]
        assert sorted(insert_new_keys(session.connection(), OPS, mixed)) == sorted(fresh)
    with db.read() as session:
        assert len(session.scalars(select(OPS.c.op_id)).all()) == 11


def test_no_rows_write_nothing(db):
    with db.write() as session:
        conn = session.connection()
        assert insert_rows(conn, EVENTS, []) == 0
        assert insert_new_keys(conn, OPS, []) == []


def test_present_names_exactly_the_values_the_column_holds(db):
    held = [str(uuid.uuid4()) for _ in range(3)]
    with db.write() as session:
        insert_rows(session.connection(), OPS, [op_row(i) for i in held])
    with db.read() as session:
        conn = session.connection()
        assert present(conn, OPS.c.op_id, set(held[:2]) | {"absent", "also absent"}) == \
            set(held[:2])
        assert present(conn, OPS.c.op_id, set()) == set()
