"""The hall's rules as the server applies them: calendar, SLA policies, departments,
catalogue. Read from the database, cached until an admin changes them."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.rules import Context
from app.domain.sla import SlaPolicies
from app.worktime import WorkCalendar
from server.models import Department, MatterType, Setting

CALENDAR = "calendar"
SLA_POLICY = "sla_policy"


@dataclass(frozen=True)
class HallRules:
    calendar: WorkCalendar
    policies: SlaPolicies
    departments: dict[str, str]  # code → name
    matter_codes: frozenset[str]

    def context(self, now: datetime, device: str = "") -> Context:
        return Context(now=now, calendar=self.calendar, policies=self.policies, device=device,
                       departments=self.departments, matter_codes=self.matter_codes)


class HallRulesCache:
    """Rebuilds the rules only when a setting's version or the reference data changed, so
    the calendar's per-day cache survives from one push to the next."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._key: tuple | None = None
        self._rules: HallRules | None = None

    def get(self, session: Session) -> HallRules:
        versions = tuple(session.execute(select(Setting.name, Setting.version)
                                         .order_by(Setting.name)).all())
        departments = dict(session.execute(select(Department.code, Department.name)).all())
        matters = frozenset(session.scalars(select(MatterType.code)).all())
        key = (versions, tuple(sorted(departments.items())), matters)
        with self._lock:
            if key != self._key:
                docs = dict(session.execute(select(Setting.name, Setting.data)).all())
                self._rules = HallRules(
                    calendar=WorkCalendar.from_dict(docs[CALENDAR]) if CALENDAR in docs
                    else WorkCalendar(),
                    policies=SlaPolicies.from_dict(docs[SLA_POLICY]) if SLA_POLICY in docs
                    else SlaPolicies.default(),
                    departments=departments,
                    matter_codes=matters,
                )
                self._key = key
            return self._rules
