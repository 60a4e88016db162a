"""Entities of the hall. Immutable: a change is a new value made by a state machine."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from types import MappingProxyType
from typing import Any

from app.domain.enums import (
    CaseState,
    Category,
    Channel,
    RectificationState,
    RequestRole,
    RequestState,
    StaffRole,
)

EMPTY: Mapping[str, Any] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Department:
    code: str
    name: str
    parent: str | None = None
    sort_order: int = 0


@dataclass(frozen=True, slots=True)
class Window:
    code: str
    department: str
    name: str


@dataclass(frozen=True, slots=True)
class Staff:
    """A person at a counter or behind it; also the *actor* of every command."""

    id: str
    username: str
    name: str
    department: str | None
    roles: frozenset[StaffRole]
    window: str | None = None

    def has_role(self, *roles: StaffRole) -> bool:
        return not self.roles.isdisjoint(roles)


SYSTEM = Staff(id="system", username="system", name="系统", department=None, roles=frozenset())


@dataclass(frozen=True, slots=True)
class MatterType:
    """An entry of the hall's catalogue (事项清单)."""

    code: str
    name: str
    department: str
    default_category: Category
    materials: tuple[str, ...] = ()
    promised_working_days: float | None = None


@dataclass(frozen=True, slots=True)
class AttachmentRef:
    sha256: str
    file_name: str
    size: int
    mime: str


@dataclass(frozen=True, slots=True)
class Rating:
    """好差评, as the national 好差评 system rates: five levels, the indicators the rater
    ticked, and a comment. 不满意 and 非常不满意 count as unsatisfied, unless an appeal
    showed the rating was mistaken (``annulled``)."""

    stars: int
    comment: str = ""
    indicators: tuple[str, ...] = ()  # codes of RATING_INDICATORS
    annulled: bool = False

    LABELS = {5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意"}

    @property
    def label(self) -> str:
        return self.LABELS[self.stars]

    @property
    def unsatisfied(self) -> bool:
        return self.stars <= 2 and not self.annulled


RATING_INDICATORS = {
    "overall": "整体满意度",
    "efficiency": "服务效率",
    "competence": "服务水平",
    "attitude": "服务态度",
}


@dataclass(frozen=True, slots=True)
class Callback:
    """回访: someone called the citizen back and wrote down what they said."""

    at: datetime
    by: str
    outcome: str  # one of CALLBACK_OUTCOMES
    note: str = ""


CALLBACK_OUTCOMES = {
    "satisfied": "满意",
    "basically_satisfied": "基本满意",
    "unsatisfied": "不满意",
    "unreachable": "未联系上",
}
# A callback with one of these closes a rectification; the others keep it open.
CALLBACK_CLOSES = frozenset({"satisfied", "basically_satisfied"})


@dataclass(frozen=True, slots=True)
class Rectification:
    """差评整改: what an unsatisfied rating opens for the department that answered.

    It has its own deadline in working days (the ``rectification`` SLA policy). A callback
    (回访) in which the citizen is satisfied closes it; the department may instead appeal
    (申诉) a mistaken rating, and its supervisor upholds the appeal (the rating is annulled)
    or dismisses it (the rectification is open again)."""

    opened_at: datetime
    due_at: datetime
    state: RectificationState = RectificationState.OPEN
    measures: str = ""  # 整改措施, as last written with a callback
    callbacks: tuple[RectificationCall, ...] = ()
    appeal_reason: str = ""
    appealed_by: str | None = None
    appealed_at: datetime | None = None
    decision_note: str = ""
    decided_by: str | None = None
    closed_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class RectificationCall:
    """One 回访 of a rectification: who called the citizen, when, and what they said."""

    called_at: datetime  # when the call was made, as the caller says
    called_by: str  # the caller's name
    outcome: str  # one of CALLBACK_OUTCOMES
    recorded_by: str  # the staff id who wrote it down
    note: str = ""


@dataclass(frozen=True, slots=True)
class Extension:
    """申请延期: extra working hours asked for by the receiving department."""

    working_hours: float
    reason: str
    requested_by: str
    requested_at: datetime


@dataclass(frozen=True, slots=True)
class Case:
    """办件: one matter a citizen handed in at one window."""

    id: str
    number: str
    department: str
    matter_code: str
    citizen_name: str
    citizen_id_number: str
    citizen_phone: str
    channel: Channel
    category: Category
    registered_at: datetime
    registered_by: str
    state: CaseState = CaseState.REGISTERED
    description: str = ""
    attachments: tuple[str, ...] = ()
    due_at: datetime | None = None
    lead_department: str | None = None
    result: str = ""
    explanation: str = ""
    callbacks: tuple[Callback, ...] = ()
    version: int = 1

    @property
    def owner_departments(self) -> frozenset[str]:
        """Departments that decide about the case itself (register, close, set its deadline)."""
        return frozenset(d for d in (self.department, self.lead_department) if d)


@dataclass(frozen=True, slots=True)
class CollabRequest:
    """协同请求: one department asking another for something a case needs.

    The clock: while running, ``due_at = add_working_time(clock_started_at, allowance)``.
    Paused (sent back), ``due_at`` is None and ``paused_remaining`` holds what was left.
    """

    id: str
    case_id: str
    from_department: str
    to_department: str
    role: RequestRole
    subject: str
    needed: str
    sla: str
    sent_at: datetime
    sent_by: str
    state: RequestState = RequestState.SENT
    attachments: tuple[str, ...] = ()
    clock_started_at: datetime | None = None
    allowance: timedelta = timedelta(0)
    due_at: datetime | None = None
    paused_remaining: timedelta | None = None
    accepted_at: datetime | None = None
    accepted_by: str | None = None
    reply_text: str = ""
    reply_attachments: tuple[str, ...] = ()
    replied_at: datetime | None = None
    replied_by: str | None = None
    send_back_reason: str = ""
    pending_extension: Extension | None = None
    rating: Rating | None = None
    rectification: Rectification | None = None
    handled_by: tuple[str, ...] = ()  # every department that has held it, in order
    urge_count: int = 0
    version: int = 1


@dataclass(frozen=True, slots=True)
class Event:
    """An immutable timeline entry: who did what, when (server time), from which device."""

    entity: str  # "case" | "request"
    entity_id: str
    kind: str
    actor_id: str
    actor_name: str
    department: str | None
    at: datetime
    device: str = ""
    details: Mapping[str, Any] = field(default_factory=lambda: EMPTY)
