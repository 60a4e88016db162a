"""Reminders before a deadline and escalation at it, each exactly once per request,
deadline and threshold — whichever server process gets there first (the ``alerts`` key
decides)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.domain.entities import SYSTEM
from app.domain.enums import StaffRole
from app.domain.rules import iso
from server.config import Settings
from server.db import Database
from server.hall import HallRulesCache
from server.models import Alert, RequestRow, User
from server.sync.changes import ChangeLog
from server.timeline import append_events

# No thresholds of a few working hours lie further ahead in wall-clock time than this,
# even across the longest holiday (春节 with its bridge days).
HORIZON = timedelta(days=21)


def run_once(db: Database, rules_cache: HallRulesCache, settings: Settings) -> ChangeLog:
    """Issue every reminder and escalation that is due now. Returns what changed."""
    now = settings.clock()
    log = ChangeLog()
    with db.write() as session:
        rules = rules_cache.get(session)
        ctx = rules.context(now, "server")
        thresholds = sorted(int(r.total_seconds() // 60) for r in rules.policies.reminders)
        rows = session.scalars(select(RequestRow).where(
            RequestRow.clock_started_at.is_not(None), RequestRow.due_at.is_not(None),
            RequestRow.due_at <= now + HORIZON)).all()
        # What was issued before, read at once: an overdue request stays in ``rows`` on
        # every run until it is answered, and must cost nothing once it is escalated.
        issued = _issued(session, [row.id for row in rows])
        for row in rows:
            left = rules.calendar.working_time_between(now, row.due_at)
            crossed = [m for m in thresholds if left <= timedelta(minutes=m)
                       and (row.id, _utc(row.due_at), m) not in issued]
            new = [m for m in crossed if _claim(session, row, m, now)]
            if not new:
                continue
            # After a pause in scheduling several thresholds may be new at once: say only
            # the most urgent one; the others are claimed so they never fire late.
            minutes = min(new)
            if minutes == 0:
                event = ctx.event("request", row.id, "escalated", SYSTEM, due_at=iso(row.due_at),
                                  holder=row.to_department,
                                  notify=_supervisors(session, row.to_department),
                                  overdue_seconds=int(-left.total_seconds()))
            else:
                event = ctx.event("request", row.id, "reminder", SYSTEM, due_at=iso(row.due_at),
                                  holder=row.to_department, minutes_left=minutes)
            append_events(session, log, [event], row.case_id)
        log.commit_positions(session)
    return log


def _issued(session: Session, request_ids: list[str]) -> set[tuple[str, datetime, int]]:
    issued = set()
    for start in range(0, len(request_ids), 500):  # keeps the IN list within SQLite's limits
        issued.update((request_id, _utc(due_at), minutes) for request_id, due_at, minutes in
                      session.execute(select(Alert.request_id, Alert.due_at, Alert.minutes_left)
                                      .where(Alert.request_id.in_(request_ids[start:start + 500]))))
    return issued


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def _claim(session: Session, row: RequestRow, minutes: int, now) -> bool:
    try:
        with session.begin_nested():
            session.add(Alert(request_id=row.id, due_at=row.due_at, minutes_left=minutes,
                              at=now))
    except IntegrityError:
        return False  # another process issued it first
    return True


def _supervisors(session: Session, department: str) -> list[str]:
    users = session.scalars(select(User).where(User.department_code == department,
                                               User.active.is_(True)))
    return sorted(u.id for u in users if StaffRole.SUPERVISOR.value in u.roles)
