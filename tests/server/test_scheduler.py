"""Reminders and escalation with an injected clock: no sleeping, exactly once."""

from __future__ import annotations

import threading
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from app.reference import load_demo_hall
from server.config import Settings
from server.db import Database
from server.deps import Principal
from server.hall import HallRulesCache
from server.models import EventRow, RequestRow
from server.reference import import_calendar, load_hall
from server.scheduler import run_once
from server.sync.changes import ChangeLog
from server.sync.push import push
from tests.support.pgcluster import postgres_cluster, postgres_url  # noqa: F401
from tests.support.server import op, register_op, send_op

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY_9 = datetime(2026, 11, 23, 9, 0, tzinfo=SHANGHAI)  # a request sent now is due 14:00
HALL = load_demo_hall()


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


class Hall:
    """An in-process server database with the demo hall, driven by a settable clock."""

    def __init__(self, db_url: str, data_dir) -> None:
        self.clock = Clock(MONDAY_9)
        self.settings = Settings(db_url=db_url, data_dir=data_dir, clock=self.clock)
        self.db = Database(self.settings.db_url)
        self.db.migrate()
        self.rules = HallRulesCache()
        with self.db.write() as session:
            log = ChangeLog()
            load_hall(session, log, HALL, self.settings, password="unused-here")
            log.commit_positions(session)

    def act(self, username: str, *ops: dict) -> list[dict]:
        staff = HALL.staff_by_username(username)
        principal = Principal(staff=staff, token_hash="t", departments=frozenset({
            staff.department}))
        log = ChangeLog()
        with self.db.write() as session:
            results = push(session, log, self.rules.get(session), principal, "pc", list(ops),
                           self.clock())
            log.commit_positions(session)
        return [r.as_dict() for r in results]

    def alerts(self, request_id: str) -> list[dict]:
        with self.db.read() as session:
            rows = session.scalars(select(EventRow).where(
                EventRow.entity_id == request_id,
                EventRow.kind.in_(("reminder", "escalated"))).order_by(EventRow.seq))
            return [{"kind": r.kind, **r.data["details"]} for r in rows]

    def tick(self, at: datetime) -> None:
        self.clock.now = at
        run_once(self.db, self.rules, self.settings)


@pytest.fixture
def hall(tmp_path):
    h = Hall("", tmp_path)
    yield h
    h.db.dispose()


def send_request(hall: Hall) -> str:
    case_id, request_id = str(uuid.uuid4()), str(uuid.uuid4())
    results = hall.act("bdc01", register_op(case_id), send_op(case_id, request_id=request_id))
    assert [r["status"] for r in results] == ["applied", "applied"], results
    return request_id


def test_reminders_at_3h_and_1h_then_one_escalation_for_the_leader(hall):
    request_id = send_request(hall)
    with hall.db.read() as session:
        due = session.get(RequestRow, request_id).due_at
    assert due == MONDAY_9.replace(hour=14)  # 3.5 working hours, lunch skipped

    hall.tick(MONDAY_9)
    assert hall.alerts(request_id) == []
    hall.tick(MONDAY_9.replace(minute=30))  # 3 h of working time left
    hall.tick(MONDAY_9.replace(minute=31))
    assert [(a["kind"], a.get("minutes_left")) for a in hall.alerts(request_id)] == [
        ("reminder", 180)]
    hall.tick(MONDAY_9.replace(hour=11, minute=30))  # 30 min before lunch + 30 min after
    hall.tick(MONDAY_9.replace(hour=13))  # lunch: the working clock stands still
    hall.tick(MONDAY_9.replace(hour=14))  # due
    hall.tick(MONDAY_9.replace(hour=16))
    hall.tick(MONDAY_9.replace(day=24, hour=10))
    alerts = hall.alerts(request_id)
    assert [(a["kind"], a.get("minutes_left")) for a in alerts] == [
        ("reminder", 180), ("reminder", 60), ("escalated", None)]
    escalation = alerts[-1]
    tax_lead = HALL.staff_by_username("tax-lead").id
    assert escalation["notify"] == [tax_lead] and escalation["holder"] == "tax"


def test_a_late_scheduler_says_only_the_most_urgent_threshold(hall):
    request_id = send_request(hall)
    hall.tick(MONDAY_9.replace(hour=15))  # first run after the deadline
    hall.tick(MONDAY_9.replace(hour=15, minute=5))
    assert [a["kind"] for a in hall.alerts(request_id)] == ["escalated"]


def test_a_paused_clock_raises_nothing_and_a_resumed_one_gets_new_alerts(hall):
    request_id = send_request(hall)
    back = hall.act("tax01", op("request.send_back", request_id, reason="缺少买卖合同"))
    assert back[0]["status"] == "applied"
    hall.tick(MONDAY_9.replace(day=25))  # days later: paused, so never overdue
    assert hall.alerts(request_id) == []
    hall.clock.now = MONDAY_9.replace(day=25, hour=9)
    hall.act("bdc01", op("request.resubmit", request_id, text="已补合同"))
    hall.tick(MONDAY_9.replace(day=25, hour=9, minute=31))  # 3.5 h were left when paused
    hall.tick(MONDAY_9.replace(day=25, hour=15))
    assert [a["kind"] for a in hall.alerts(request_id)] == ["reminder", "escalated"]


def test_a_reply_before_the_deadline_stops_all_alerts(hall):
    request_id = send_request(hall)
    hall.act("tax01", op("request.accept", request_id))
    hall.act("tax01", op("request.reply", request_id, text="完税证明已开具"))
    hall.tick(MONDAY_9.replace(day=24))
    assert hall.alerts(request_id) == []


@pytest.mark.postgres
def test_exactly_once_with_several_processes_racing(postgres_url, tmp_path):  # noqa: F811
    first = Hall(postgres_url, tmp_path / "first")
    request_id = send_request(first)
    # four "processes": each its own engine, rules cache and clock, all at the deadline
    racers = []
    for i in range(4):
        settings = Settings(db_url=postgres_url, data_dir=tmp_path / f"p{i}",
                            clock=Clock(MONDAY_9.replace(hour=14, minute=1)))
        racers.append((Database(postgres_url), HallRulesCache(), settings))
    start = threading.Barrier(len(racers))

    def race(db, rules, settings):
        start.wait()
        run_once(db, rules, settings)

    threads = [threading.Thread(target=race, args=r) for r in racers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for db, _, _ in racers:
        db.dispose()
    assert [a["kind"] for a in first.alerts(request_id)] == ["escalated"]
    first.db.dispose()


def test_a_calendar_change_moves_running_deadlines_with_an_event(hall, tmp_path):
    request_id = send_request(hall)  # due Monday 14:00
    hall.clock.now = MONDAY_9.replace(hour=10)
    closure = tmp_path / "closure.json"
    closure.write_text('{"name": "停电", "closures": [{"date": "2026-11-23", '
                       '"reason": "大厅停电检修"}]}', encoding="utf-8")
    with hall.db.write() as session:
        log = ChangeLog()
        moved = import_calendar(session, log, closure, hall.settings, hall.rules)
        log.commit_positions(session)
    assert moved == 1
    with hall.db.read() as session:
        row = session.get(RequestRow, request_id)
        events = session.scalars(select(EventRow).where(
            EventRow.entity_id == request_id, EventRow.kind == "deadline_changed")).all()
    # the whole Monday is closed: the 3.5 h are counted from Tuesday 09:00
    assert row.due_at == MONDAY_9.replace(day=24, hour=14)
    assert events[-1].data["details"]["reason"] == "recomputed"
    assert events[-1].data["details"]["old_due_at"].startswith("2026-11-23T06:00")


def test_an_extended_deadline_gets_its_own_reminders(hall):
    request_id = send_request(hall)  # due Monday 14:00
    hall.act("tax01", op("request.accept", request_id))
    hall.tick(MONDAY_9.replace(hour=13, minute=30))  # 30 min left: the 1 h reminder
    hall.clock.now = MONDAY_9.replace(hour=13, minute=40)
    hall.act("tax01", op("request.extend", request_id, working_hours=7, reason="调取档案"))
    assert hall.act("bdc-lead", op("request.approve_extension", request_id))[0]["status"] \
        == "applied"  # due Tuesday 14:00 now
    hall.tick(MONDAY_9.replace(hour=15))
    hall.tick(MONDAY_9.replace(day=24, hour=13, minute=1))
    alerts = [(a["kind"], a.get("minutes_left")) for a in hall.alerts(request_id)]
    assert alerts == [("reminder", 60), ("reminder", 60)]
    assert hall.alerts(request_id)[-1]["due_at"].startswith("2026-11-24T06:00")
