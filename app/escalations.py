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

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app import local
from app.detail import RequestView, TimelineEntry, request_view
from app.domain.entities import Staff
from app.domain.enums import RequestState, StaffRole
from app.notifications import Notice, _clean, mark_shown
from app.store import Store
from app.store import models as m
from app.text import Text
from app.validation import mask_id_number

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
    corrected), most overdue first; nothing for anyone but a supervisor."""
    if not is_supervisor(actor):
        return []
    with store.read() as session:
        departments = _led_departments(session, actor.department or "")
        escalated_ids = select(m.Event.entity_id).where(
            m.Event.entity == "request", m.Event.kind == "escalated", m.Event.pending.is_(False))
        rows = session.scalars(select(m.CollabRequest).where(
            m.CollabRequest.to_department.in_(departments),
            m.CollabRequest.state.in_(RUNNING_STATES),
            m.CollabRequest.server_data.is_not(None),  # the server has it: it can be late
            or_(m.CollabRequest.due_at <= now, m.CollabRequest.id.in_(escalated_ids)))).all()
        escalated = _escalations(session, [row.id for row in rows])
        calendar = local.context(session, now, "").calendar
        wanted = []
        for row in rows:
            if row.due_at is None or not row.data.get("clock_started_at"):
                continue
            late = -calendar.working_time_between(now, row.due_at)
            by_server = row.due_at in escalated.get(row.id, ())
            if late >= timedelta(0) or by_server:
                wanted.append((row.id, max(late, timedelta(0)), by_server))
        counts = _event_counts(session, [i for i, _, _ in wanted])
        names = _people(session)
    items = [_item(store, actor, now, request_id, late, by_server, counts[request_id], names)
             for request_id, late, by_server in wanted]
    items = [i for i in items if i is not None]
    items.sort(key=lambda i: (-i.overdue, i.due_at))
    return items


def newly_overdue(store: Store, items: Iterable[OverdueItem]) -> list[OverdueItem]:
    """Those of ``items`` the pop-up has not shown yet (for this deadline)."""
    items = list(items)
    with store.read() as session:
        done = set(session.scalars(select(m.NotificationMark.key).where(
            m.NotificationMark.key.in_([i.key for i in items]))))
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
                  entity="overdue", entity_id=new[0].request_id if new else "")


def duration(amount: timedelta) -> Text:
    minutes = max(0, int(amount.total_seconds()) // 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return Text("{hours}小时{minutes:02d}分", hours=hours, minutes=minutes)
    return Text("{minutes}分钟", minutes=minutes)


# -- the parts -----------------------------------------------------------------------------


def _led_departments(session: Session, root: str) -> set[str]:
    """The leader's department and those under it (as the server scopes a supervisor)."""
    children: dict[str | None, list[str]] = {}
    for code, parent in session.execute(select(m.Department.code, m.Department.parent_code)):
        children.setdefault(parent, []).append(code)
    found, todo = {root}, [root]
    while todo:
        for child in children.get(todo.pop(), ()):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def _escalations(session: Session, request_ids: list[str]) -> dict[str, set[datetime]]:
    """Request id → the deadlines the server has escalated."""
    out: dict[str, set[datetime]] = {}
    for entity_id, details in session.execute(select(m.Event.entity_id, m.Event.details).where(
            m.Event.entity_id.in_(request_ids), m.Event.kind == "escalated",
            m.Event.pending.is_(False))):
        if (details or {}).get("due_at"):
            out.setdefault(entity_id, set()).add(datetime.fromisoformat(details["due_at"]))
    return out


def _event_counts(session: Session, request_ids: list[str]) -> dict[str, Counter[str]]:
    counts: dict[str, Counter[str]] = {i: Counter() for i in request_ids}
    for entity_id, kind, details in session.execute(select(
            m.Event.entity_id, m.Event.kind, m.Event.details).where(
            m.Event.entity_id.in_(request_ids), m.Event.kind.in_(("reminder", "urged")))):
        leader = kind == "urged" and (details or {}).get("by_leader")
        counts[entity_id]["leader_urged" if leader else kind] += 1
    return counts


def _people(session: Session) -> dict[str, str]:
    return dict(session.execute(select(m.Staff.id, m.Staff.name)).all())


def _item(store: Store, actor: Staff, now: datetime, request_id: str, late: timedelta,
          by_server: bool, counts: Counter[str], names: dict[str, str]) -> OverdueItem | None:
    # the detail screen's own reading of the request: the same timeline, the same words
    view = request_view(store, request_id, actor, now, "")
    if view is None or view.due_at is None:
        return None
    r = view.request
    return OverdueItem(
        request_id=r.id,
        key=popup_key(r.id, view.due_at),
        subject=_clean(r.subject),  # what a clerk typed: ID numbers and phones masked
        role=Text(r.role.label),
        case_line=_case_line(view),
        from_department=view.from_department_name,
        sent_by=view.sent_by_name,
        sent_at=r.sent_at.astimezone(view.tz),
        holder=view.to_department_name,
        accepted_by=names.get(r.accepted_by or "", ""),
        accepted_at=r.accepted_at.astimezone(view.tz) if r.accepted_at else None,
        state=Text(view.state_label),
        due_at=view.due_at,
        overdue=late,
        reminders=counts["reminder"],
        urges=counts["urged"],
        leader_urges=counts["leader_urged"],
        escalated=by_server,
        history=tuple(_masked(e) for e in view.timeline),
    )


def _masked(entry: TimelineEntry) -> TimelineEntry:
    """The entry with ID numbers and phones in what people typed masked (as it was, a Text
    the UI can translate, when there was nothing to mask)."""
    clean = _clean(entry.details)
    return entry if clean == entry.details else replace(entry, details=clean)


def _case_line(view: RequestView) -> str:
    if view.case is None:
        return Text("办件（本机暂无）")
    case = view.case
    return " · ".join(p for p in (
        Text("办件 {number}", number=case.number),
        f"{case.citizen_name} {mask_id_number(case.citizen_id_number)}".strip(),
        view.matter_name) if p)
