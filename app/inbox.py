"""Read-side queries behind the inbox (收件箱) and the sent box (已发起). No Qt.

The lists follow Anki's browser: one query returns only the ids, in display order, for the
whole list (:func:`inbox_ids`, :func:`sent_ids`); a table then fetches the few rows on the
screen in chunks (:func:`rows`). Both read through ``Store.read()`` so a sync in progress
never makes the list wait.

Display order is fixed by urgency: requests whose clock runs come first, by deadline (the
overdue ones on top), then the paused and finished ones, newest first.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from sqlalchemy import and_, case, exists, func, select
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.expression import FromClause

from app import local
from app.domain.enums import RequestState
from app.store import Store
from app.store import models as m
from app.text import Text
from app.validation import mask_id_number
from app.worktime import WorkCalendar

__all__ = [
    "MAX_CHUNK",
    "InboxFilter",
    "InboxRow",
    "calendar",
    "filter_counts",
    "inbox_ids",
    "remaining",
    "remaining_text",
    "rows",
    "search_terms",
    "sent_ids",
]

S = RequestState
RUNNING = tuple(s.value for s in S if s.clock_running)
MAX_CHUNK = 200  # ids per rows() call: SQLite's bound-parameter limit is far above this


class InboxFilter(Enum):
    """The filter buttons above the list, in the order they are shown."""

    TO_ACCEPT = "to_accept"
    IN_PROGRESS = "in_progress"
    SENT_BACK = "sent_back"
    OVERDUE = "overdue"
    DONE = "done"
    ALL = "all"

    @property
    def label(self) -> str:
        return {
            "all": "全部",
            "to_accept": "待签收",
            "in_progress": "办理中",
            "sent_back": "已退回",
            "overdue": "已超期",
            "done": "已办结",
        }[self.value]

    @property
    def states(self) -> tuple[str, ...] | None:
        """The request states this filter shows; None: any (OVERDUE adds a time test)."""
        return {
            "all": None,
            "to_accept": (S.SENT.value, S.FORWARDED.value, S.REOPENED.value),
            "in_progress": (S.ACCEPTED.value,),
            "sent_back": (S.SENT_BACK.value,),
            "overdue": RUNNING,
            "done": (S.REPLIED.value, S.CONFIRMED.value, S.WITHDRAWN.value),
        }[self.value]


@dataclass(frozen=True, slots=True)
class InboxRow:
    """One line of the list, ready to show. The citizen's full ID number is never here."""

    request_id: str
    case_id: str
    case_number: str  # "" while the case has not arrived in the cache yet
    state: RequestState
    state_label: str
    from_department: str
    to_department: str
    from_department_name: str
    to_department_name: str
    matter_name: str
    citizen_masked: str  # "张三 110***********002X": the name, and the ID masked
    citizen_name: str
    citizen_id_masked: str  # "110***********002X"
    sent_at: datetime
    due_at: datetime | None
    running: bool  # the receiving department owes an answer against ``due_at``
    subject: str
    pending: bool  # an op of this PC that the server has not seen yet targets it


# -- the id lists ----------------------------------------------------------------------------


def inbox_ids(store: Store, department: str, filter: InboxFilter = InboxFilter.ALL,
              search: str = "", now: datetime | None = None) -> list[str]:
    """Ids of the requests ``department`` received, most urgent first. One query."""
    return _ids(store, "to_department", department, filter, search, now)


def sent_ids(store: Store, department: str, filter: InboxFilter = InboxFilter.ALL,
             search: str = "", now: datetime | None = None) -> list[str]:
    """Ids of the requests ``department`` sent (已发起), in the same urgency order."""
    return _ids(store, "from_department", department, filter, search, now)


def filter_counts(store: Store, department: str, now: datetime, *, sent: bool = False,
                  search: str = "") -> dict[InboxFilter, int]:
    """How many requests each filter button would show, in one pass over the department's
    part of its covering index."""
    side = "from_department" if sent else "to_department"
    t = _REQUESTS
    columns = [func.count().label(InboxFilter.ALL.value)]
    for f in InboxFilter:
        if f is not InboxFilter.ALL:
            test = _filter_clause(t, f, now)
            columns.append(func.coalesce(func.sum(case((test, 1), else_=0)), 0).label(f.value))
    query = select(*columns).select_from(t).where(t.c[side] == department,
                                                  *_search_clauses(t, search))
    with store.read() as session:
        counts = session.execute(query).one()._mapping
    return {f: int(counts[f.value]) for f in InboxFilter}


_REQUESTS = m.CollabRequest.__table__


def _ids(store: Store, side: str, department: str, filter: InboxFilter, search: str,
         now: datetime | None) -> list[str]:
    """The ordered ids, read from a covering index alone (migration 0004: department, state,
    due_at, sent_at, id, search_key): filtering, sorting and searching never touch the wide
    rows, so 100,000 requests stay quick (``python -m bench.inbox``)."""
    if filter is InboxFilter.OVERDUE and now is None:
        raise ValueError("the overdue filter needs the current (server) time")
    t = _REQUESTS
    counting = and_(t.c.state.in_(RUNNING), t.c.due_at.is_not(None))
    outer = _filter_clause(t, filter, now)
    query = (
        select(t.c.id)
        .where(t.c[side] == department, *([] if outer is None else [outer]),
               *_search_clauses(t, search))
        .order_by(
            case((counting, 0), else_=1),  # clocks running first…
            case((counting, t.c.due_at), else_=None),  # …by deadline, overdue on top
            t.c.sent_at.desc(),  # then the paused and finished ones, newest first
            t.c.id,  # a stable order for equal times
        )
    )
    with store.read() as session:
        return list(session.scalars(query))


def _filter_clause(t: FromClause, filter: InboxFilter, now: datetime | None
                   ) -> ColumnElement[bool] | None:
    states = filter.states
    if states is None:
        return None
    if filter is InboxFilter.OVERDUE:
        return and_(t.c.state.in_(states), t.c.due_at.is_not(None), t.c.due_at < now)
    return t.c.state.in_(states)


def search_terms(text: str) -> list[str]:
    """What the search box typed, as the search key spells things: full-width letters and
    digits made ASCII (a Chinese input method types "００２Ｘ"), ASCII lower-cased, split on
    white space. "0 02X" is one slip of the finger too many: a term of digits and X that is
    split by single spaces is joined again ("002x")."""
    text = unicodedata.normalize("NFKC", text or "")
    terms = text.translate(_ASCII_LOWER).split()
    joined: list[str] = []
    for term in terms:
        if joined and _idlike(joined[-1]) and _idlike(term) and len(joined[-1] + term) <= 4:
            joined[-1] += term
        else:
            joined.append(term)
    return joined


def _idlike(term: str) -> bool:
    return all(ch.isdigit() or ch == "x" for ch in term)


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _search_clauses(t: FromClause, search: str) -> list[ColumnElement[bool]]:
    """Every term must occur in the search key (case number, name, ID's last 4, matter)."""
    return [t.c.search_key.like(f"%{_escape(term)}%", escape="\\")
            for term in search_terms(search)]


def _escape(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# -- rows ------------------------------------------------------------------------------------


def rows(store: Store, ids: Sequence[str] | Iterable[str]) -> dict[str, InboxRow]:
    """The rows of up to :data:`MAX_CHUNK` requests, by id, in one query. Ids no longer in
    the cache are simply missing from the answer."""
    ids = list(dict.fromkeys(ids))
    if not ids:
        return {}
    if len(ids) > MAX_CHUNK:
        raise ValueError(f"rows() takes at most {MAX_CHUNK} ids, got {len(ids)}")
    r, c, mt = m.CollabRequest, m.Case, m.MatterType
    sender, receiver = aliased(m.Department), aliased(m.Department)
    pending = exists().where(m.OutboxOp.entity_id == r.id)
    query = (
        select(r.id, r.case_id, r.state, r.from_department, r.to_department, r.subject,
               r.sent_at, r.due_at, c.number, c.citizen_name, c.citizen_id_number,
               mt.name, sender.name, receiver.name, pending)
        .outerjoin(c, c.id == r.case_id)
        .outerjoin(mt, mt.code == c.matter_code)
        .outerjoin(sender, sender.code == r.from_department)
        .outerjoin(receiver, receiver.code == r.to_department)
        .where(r.id.in_(ids))
    )
    out: dict[str, InboxRow] = {}
    with store.read() as session:
        for (request_id, case_id, state, from_code, to_code, subject, sent_at, due_at,
             number, citizen_name, id_number, matter_name, from_name, to_name,
             is_pending) in session.execute(query):
            state = RequestState(state)
            name = citizen_name or ""
            masked_id = mask_id_number(id_number)
            out[request_id] = InboxRow(
                request_id=request_id,
                case_id=case_id,
                case_number=number or "",
                state=state,
                state_label=state.label,
                from_department=from_code,
                to_department=to_code,
                from_department_name=from_name or from_code,
                to_department_name=to_name or to_code,
                matter_name=matter_name or "",
                citizen_masked=" ".join(p for p in (name, masked_id) if p),
                citizen_name=name,
                citizen_id_masked=masked_id,
                sent_at=sent_at,
                due_at=due_at,
                running=state.clock_running,
                subject=subject,
                pending=bool(is_pending),
            )
    return out


# -- time ------------------------------------------------------------------------------------


def calendar(store: Store, now: datetime) -> WorkCalendar:
    """The hall's working calendar as the server last sent it (the default before that)."""
    with store.read() as session:
        return local.context(session, now, "").calendar


def remaining(calendar: WorkCalendar, now: datetime, due_at: datetime | None
              ) -> timedelta | None:
    """Working time left until ``due_at``: negative once overdue, None without a deadline.

    A deadline still ahead on the wall clock but with no working time left before it (on a
    Saturday for a Monday 09:00 deadline) is not overdue: it counts as one second left, so
    it reads "剩余 0分钟" and sits in the "under an hour" band rather than "已超期".
    """
    if due_at is None:
        return None
    left = calendar.working_time_between(now, due_at)
    if left <= timedelta(0) and due_at > now:
        return timedelta(seconds=1)
    return left


def remaining_text(left: timedelta) -> Text:
    """Working time left in a clerk's words: "剩余 2小时59分", "超期 1小时05分"."""
    seconds = int(left.total_seconds())
    minutes = abs(seconds) // 60
    hours, minutes = divmod(minutes, 60)
    if seconds > 0:
        if hours:
            return Text("剩余 {hours}小时{minutes:02d}分", hours=hours, minutes=minutes)
        return Text("剩余 {minutes}分钟", minutes=minutes)
    if hours:
        return Text("超期 {hours}小时{minutes:02d}分", hours=hours, minutes=minutes)
    return Text("超期 {minutes}分钟", minutes=minutes)
