"""超期督办提醒: the overdue requests a department leader is told about (no Qt).

A supervisor (部门领导) sees the requests their departments hold whose deadline has passed
in working time, each with its whole history (未完成办件信息情况). It is decided on this PC,
from the cache: a request is overdue when the server's ``escalated`` event for its current
deadline has arrived, *or* when the local countdown (server-corrected ``now``, the synced
working calendar) says so — offline, or before the server's scheduler gets round to it.

Once-ness: when the pop-up shows an item, :func:`mark_popped_up` writes one
``overdue-popup:<request id>@<due>`` :class:`~app.store.models.NotificationMark` for it, so
:func:`newly_overdue` never offers it again, also after a restart. A new deadline (extended,
forwarded, reopened) is a new key: overdue again is news again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import literal_column, or_, select
from sqlalchemy.orm import Session

from app import local
from app.detail import TimelineEntry, describe_event
from app.domain.entities import Case, CollabRequest, Staff
from app.domain.enums import RequestState, StaffRole
from app.domain.rules import Context, with_descendants
from app.domain.serialize import from_data
from app.notifications import Notice, mark_shown
from app.store import Store
from app.store import models as m
from app.text import Text
from app.validation import mask_id_number, mask_numbers_in

RUNNING_STATES = tuple(s for s in RequestState if s.clock_running)
KEY_PREFIX = "overdue-popup:"
NAMED_IN_NOTICE = 3  # subjects quoted in the tray message; more are counted


@dataclass(frozen=True)
class OverdueItem:
    """One overdue request as its department's leader sees it. Times are in the hall's time
    zone; free text (subject, notes, reasons) has ID numbers and phones masked."""

    request_id: str
    key: str  # the NotificationMark written by mark_popped_up()
    subject: str
    role: str  # 主办 / 协办
    case_line: str  # "办件 BDC-… · 张三 110***********002X · 二手房转移登记"
    from_department: str
    sent_by: str
    sent_at: datetime
    holder: str  # the department that holds it now
    accepted_by: str  # "" until someone has accepted it (签收)
    accepted_at: datetime | None
    state: str
    due_at: datetime
    overdue: timedelta  # working time past the deadline
    reminders: int  # 到期提醒 the server fired
    urges: int  # 催办 by the requester
    leader_urges: int  # 督办 by a leader
    escalated: bool  # the server has escalated it; False: the local countdown says so
    history: tuple[TimelineEntry, ...]

    @property
    def overdue_text(self) -> Text:
        return duration(self.overdue)


def is_supervisor(actor: Staff) -> bool:
    return actor.has_role(StaffRole.SUPERVISOR) and bool(actor.department)


def overdue_for_supervisor(store: Store, actor: Staff, now: datetime) -> list[OverdueItem]:
    """The requests ``actor``'s departments hold that are overdue at ``now`` (server-
    corrected), most overdue first; nothing for anyone but a supervisor. A few queries in
    all, however many items: a city's leader may have hundreds."""
    if not is_supervisor(actor):
        return []
    with store.read() as session:
        departments = led_departments(session, actor.department or "")
        escalated_ids = select(m.Event.entity_id).where(
            m.Event.entity == "request", m.Event.kind == "escalated", m.Event.pending.is_(False))
        rows = session.scalars(select(m.CollabRequest).where(
            m.CollabRequest.to_department.in_(departments),
            m.CollabRequest.state.in_(RUNNING_STATES),
            m.CollabRequest.server_data.is_not(None),  # the server has it: it can be late
            or_(m.CollabRequest.due_at <= now, m.CollabRequest.id.in_(escalated_ids)))).all()
        found = [from_data(CollabRequest, row.data) for row in rows]
        running = [r for r in found if r.due_at is not None and r.clock_started_at is not None]
        case_rows = _in(session, select(m.Case), m.Case.id, {r.case_id for r in running})
        cases = {row.id: from_data(Case, row.data) for row in case_rows}
        events = _events(session, [r.id for r in running] + list(cases))
        parts = _Parts(local.context(session, now, ""),
                       dict(session.execute(select(m.Staff.id, m.Staff.name)).all()),
                       dict(session.execute(select(m.MatterType.code, m.MatterType.name)).all()))
    items = []
    for r in running:
        late = -parts.ctx.calendar.working_time_between(now, r.due_at)
        by_server = _escalated(events.get(r.id, []), r.due_at)
        if late >= timedelta(0) or by_server:
            items.append(parts.item(r, cases.get(r.case_id), max(late, timedelta(0)),
                                    by_server, events))
    items.sort(key=lambda i: (-i.overdue, i.due_at))
    return items


def newly_overdue(store: Store, items: Iterable[OverdueItem]) -> list[OverdueItem]:
    """Those of ``items`` the pop-up has not shown yet (for this deadline)."""
    items = list(items)
    with store.read() as session:
        done = set(_in(session, select(m.NotificationMark.key), m.NotificationMark.key,
                       [i.key for i in items]))
    return [i for i in items if i.key not in done]


def mark_popped_up(store: Store, items: Iterable[OverdueItem], now: datetime) -> None:
    """The leader has been shown these: they never pop up again (until a new deadline of
    theirs passes)."""
    mark_shown(store, [i.key for i in items], now)


def popup_key(request_id: str, due_at: datetime) -> str:
    return f"{KEY_PREFIX}{request_id}@{due_at.astimezone(UTC).isoformat()}"


def popup_notice(new: list[OverdueItem]) -> Notice:
    """The tray message that goes with the pop-up: what is newly overdue, in one message."""
    quoted = [Text("「{subject}」超期 {late}", subject=i.subject, late=i.overdue_text)
              for i in new[:NAMED_IN_NOTICE]]
    body = Text("{count} 件协同请求已超期：{items}", count=len(new), items="；".join(quoted))
    if len(new) > NAMED_IN_NOTICE:
        body = Text("{body} 等", body=body)
    body = Text("{body}\n请在「超期督办」窗口查看办理经过并督办。", body=body)
    return Notice(key="", kind="overdue", title=Text("超期督办提醒"), body=body,
                  entity="overdue", entity_id=new[0].request_id)


def duration(amount: timedelta) -> Text:
    minutes = max(0, int(amount.total_seconds()) // 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return Text("{hours}小时{minutes:02d}分", hours=hours, minutes=minutes)
    return Text("{minutes}分钟", minutes=minutes)


# -- the parts -----------------------------------------------------------------------------


def led_departments(session: Session, root: str) -> frozenset[str]:
    """The leader's department and those under it (as the server scopes a supervisor)."""
    return with_descendants(root, session.execute(select(m.Department.code,
                                                         m.Department.parent_code)))


def _in(session: Session, query, column, values) -> list:
    """``query`` where ``column`` is one of ``values``, a chunk at a time (SQLite's limit on
    bound parameters)."""
    values = list(values)
    return [row for i in range(0, len(values), 500)
            for row in session.scalars(query.where(column.in_(values[i:i + 500])))]


Ranked = list[tuple[int, m.Event]]  # events with their place in the timeline


def _events(session: Session, entity_ids: list[str]) -> dict[str, Ranked]:
    """Entity id → its events in timeline order: by instant, then as they reached this
    cache (app.detail's order, so the history reads as on the detail screen)."""
    found = []
    for i in range(0, len(entity_ids), 500):
        found += session.execute(select(m.Event, literal_column("events.rowid")).where(
            m.Event.entity_id.in_(entity_ids[i:i + 500]))).all()
    out: dict[str, Ranked] = {}
    for rank, (event, _) in enumerate(sorted(found, key=lambda pair: (pair[0].at, pair[1]))):
        out.setdefault(event.entity_id, []).append((rank, event))
    return out


def _escalated(events: Ranked, due_at: datetime) -> bool:
    """The server has escalated this deadline (not an earlier one of the request's)."""
    return any(e.kind == "escalated" and not e.pending and e.details.get("due_at")
               and datetime.fromisoformat(e.details["due_at"]) == due_at for _, e in events)


@dataclass
class _Parts:
    """What every item is made with: the rules (calendar, department names), staff names,
    matter names."""

    ctx: Context
    people: dict[str, str]
    matters: dict[str, str]

    def item(self, r: CollabRequest, case: Case | None, late: timedelta, by_server: bool,
             events: dict[str, Ranked]) -> OverdueItem:
        tz, names = self.ctx.calendar.tz, self.ctx.departments
        own = [e for _, e in events.get(r.id, [])]
        history = [e for _, e in sorted([*events.get(r.id, []), *events.get(r.case_id, [])])]
        return OverdueItem(
            request_id=r.id,
            key=popup_key(r.id, r.due_at),
            subject=mask_numbers_in(r.subject),  # what a clerk typed: ID numbers and phones masked
            role=Text(r.role.label),
            case_line=self._case_line(case),
            from_department=names.get(r.from_department, r.from_department),
            sent_by=self.people.get(r.sent_by, ""),
            sent_at=r.sent_at.astimezone(tz),
            holder=names.get(r.to_department, r.to_department),
            accepted_by=self.people.get(r.accepted_by or "", ""),
            accepted_at=r.accepted_at.astimezone(tz) if r.accepted_at else None,
            state=Text(r.state.label),
            due_at=r.due_at.astimezone(tz),
            overdue=late,
            reminders=sum(e.kind == "reminder" for e in own),
            urges=sum(e.kind == "urged" and not e.details.get("by_leader") for e in own),
            leader_urges=sum(e.kind == "urged" and bool(e.details.get("by_leader"))
                             for e in own),
            escalated=by_server,
            history=tuple(self._entry(e) for e in history),
        )

    def _entry(self, e: m.Event) -> TimelineEntry:
        tz, names = self.ctx.calendar.tz, self.ctx.departments
        details = describe_event(e.kind, e.details or {}, names, tz)
        return TimelineEntry(
            at=e.at.astimezone(tz), who=e.actor_name,
            department=names.get(e.department_code, e.department_code or ""),
            verb=local.EVENT_VERBS.get(e.kind, e.kind),
            # what people typed, masked; a Text (translatable) when there was nothing to mask
            details=details if mask_numbers_in(details) == details else mask_numbers_in(details),
            pending=e.pending, entity=e.entity)

    def _case_line(self, case: Case | None) -> str:
        if case is None:
            return Text("办件（本机暂无）")
        return " · ".join(p for p in (
            Text("办件 {number}", number=case.number),
            f"{case.citizen_name} {mask_id_number(case.citizen_id_number)}".strip(),
            self.matters.get(case.matter_code, case.matter_code)) if p)
