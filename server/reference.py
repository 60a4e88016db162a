"""Reference data: the hall's departments, windows, staff, catalogue, calendar and SLA
policies; the demo hall; and recomputing deadlines when the calendar changes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import requests
from app.domain.entities import SYSTEM, CollabRequest
from app.domain.serialize import from_data, to_data
from app.domain.sla import SlaPolicies
from app.reference import Hall
from app.worktime import CalendarOverrides, WorkCalendar
from server.auth.service import create_user, hash_password
from server.config import Settings
from server.hall import CALENDAR, SLA_POLICY, HallRulesCache
from server.models import (
    Department,
    MatterType,
    RequestRow,
    Setting,
    User,
    Window,
)
from server.sync.changes import PUBLIC, ChangeLog, audience_of
from server.timeline import append_events

DEMO_PASSWORD = "demo-2026"
DEMO_ACCOUNTS = ("bdc01", "bdc-lead", "tax01", "tax-lead", "gaj01", "admin")


def put_setting(session: Session, log: ChangeLog, name: str, data: dict[str, Any],
                settings: Settings) -> None:
    row = session.get(Setting, name)
    if row is None:
        session.add(Setting(name=name, data=data, version=1, updated_at=settings.clock()))
    elif row.data != data:
        row.data, row.version, row.updated_at = data, row.version + 1, settings.clock()
    else:
        return
    log.record(name, "default", PUBLIC)


def load_hall(session: Session, log: ChangeLog, hall: Hall, settings: Settings,
              password: str | None = None) -> None:
    """Departments, windows and the catalogue; staff too when a password is given (demo)."""
    for d in hall.departments:
        session.merge(Department(code=d.code, name=d.name, parent_code=d.parent,
                                 sort_order=d.sort_order))
        log.record("department", d.code, PUBLIC)
    for w in hall.windows:
        session.merge(Window(code=w.code, department_code=w.department, name=w.name))
        log.record("window", w.code, PUBLIC)
    import_matters(session, log, [_matter_data(hall, m) for m in hall.matters])
    put_setting(session, log, CALENDAR, WorkCalendar().to_dict(), settings)
    put_setting(session, log, SLA_POLICY, SlaPolicies.default().to_dict(), settings)
    if password is None:
        return
    # One hash for all demo accounts: the demo password is public, and Argon2 takes ~50 ms.
    shared_hash = hash_password(password)
    for s in hall.staff:
        if session.scalar(select(User).where(User.username == s.username)) is None:
            create_user(session, settings, username=s.username, name=s.name,
                        department=s.department, roles=[r.value for r in s.roles],
                        window=s.window, password_hash=shared_hash, password="",
                        user_id=s.id)
            log.record("user", s.id, PUBLIC)


def _matter_data(hall: Hall, m) -> dict[str, Any]:
    return {"code": m.code, "name": m.name, "department": m.department,
            "default_category": m.default_category.value, "materials": list(m.materials),
            "promised_working_days": m.promised_working_days,
            "collaborations": [dict(c) for c in hall.collaborations.get(m.code, ())]}


def import_matters(session: Session, log: ChangeLog, matters: list[dict[str, Any]]) -> int:
    known = set(session.scalars(select(Department.code)))
    for i, m in enumerate(matters, 1):
        missing = [k for k in ("code", "name", "department", "default_category", "materials")
                   if k not in m]
        if missing:
            raise ValueError(f"第 {i} 项事项缺少字段：{', '.join(missing)}")
        if m["department"] not in known:
            raise ValueError(f"事项 {m['code']} 的部门 {m['department']} 不存在")
        session.merge(MatterType(code=m["code"], name=m["name"], department_code=m["department"],
                                 data=m))
        log.record("matter_type", m["code"], PUBLIC)
    return len(matters)


def import_catalogue(session: Session, log: ChangeLog, path: Path) -> int:
    data = json.loads(path.read_text(encoding="utf-8"))
    return import_matters(session, log, data["matters"] if isinstance(data, dict) else data)


def import_calendar(session: Session, log: ChangeLog, path: Path, settings: Settings,
                    rules: HallRulesCache) -> int:
    """Make an overrides file the hall's local calendar (it replaces the previous one: the
    file is the whole set of local rules) and recompute every running clock.

    Returns how many deadlines moved; each move is a timeline event with old and new.
    """
    overrides = CalendarOverrides.load(path)
    current = rules.get(session).calendar
    calendar = WorkCalendar(tz=current.tz, periods=current.periods, overrides=overrides)
    put_setting(session, log, CALENDAR, calendar.to_dict(), settings)
    session.flush()
    return recompute_deadlines(session, log, rules, settings)


def recompute_deadlines(session: Session, log: ChangeLog, rules: HallRulesCache,
                        settings: Settings) -> int:
    ctx = rules.get(session).context(settings.clock(), "server")
    moved = 0
    for row in session.scalars(select(RequestRow).where(RequestRow.clock_started_at.is_not(None))
                               .with_for_update()):
        t = requests.recompute_deadline(from_data(CollabRequest, row.data), ctx, SYSTEM)
        if t is None:
            continue
        row.due_at, row.version, row.data = t.request.due_at, t.request.version, \
            to_data(t.request)
        log.record("request", row.id, audience_of(session, "request", row.id))
        append_events(session, log, t.events, row.case_id)
        moved += 1
    return moved
