"""Read-side queries behind the inbox (收件箱) and the sent box (已发起). No Qt.

The lists follow Anki's browser: one query returns only the ids, in display order, for the
whole list, with what searching and filtering need (:func:`read_index`, an
:class:`InboxIndex` the page keeps); a table then fetches the few rows on the screen in
chunks (:func:`rows`). Both read through ``Store.read()`` so a sync in progress never makes
the list wait.

Display order is fixed by urgency: requests whose clock runs come first, by deadline (the
overdue ones on top), then the paused and finished ones, newest first.
"""

from __future__ import annotations

import math
import unicodedata
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import Enum

from sqlalchemy import and_, case, exists, func, select
from sqlalchemy.orm import aliased

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
    "InboxIndex",
    "InboxRow",
    "calendar",
    "filter_counts",
    "inbox_ids",
    "read_index",
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
    """Ids of the requests ``department`` received, most urgent first."""
    return read_index(store, department).select(filter, search, now)


def sent_ids(store: Store, department: str, filter: InboxFilter = InboxFilter.ALL,
             search: str = "", now: datetime | None = None) -> list[str]:
    """Ids of the requests ``department`` sent (已发起), in the same urgency order."""
    return read_index(store, department, sent=True).select(filter, search, now)


def filter_counts(store: Store, department: str, now: datetime, *, sent: bool = False,
                  search: str = "") -> dict[InboxFilter, int]:
    """How many requests each filter button would show."""
    return read_index(store, department, sent=sent).counts(search, now)


@dataclass
class InboxIndex:
    """One side of a department's list (received or sent) held in memory, most urgent
    first: clocks running first by deadline (overdue on top), then the paused and finished
    ones, newest first. A keystroke in the search box or a filter button is answered from
    here in milliseconds; asking the cache again cost two scans of its index, about 0.4 s
    at 100,000 requests (issue #8, P2). The page reads it again when the cache changes (a
    sync, an action). Not for two threads at once (it remembers the last search)."""

    ids: list[str]
    search_keys: list[str]  # case number, name, ID's last 4, matter (models.search_key_for)
    states: list[str]
    # POSIX time each running clock runs out, inf when none runs: ascending, in list order
    overdue_from: list[float]
    _last_search: tuple[list[str], Sequence[int]] = field(default=([], ()), repr=False)
    _all_states: Counter[str] | None = field(default=None, repr=False)

    def __len__(self) -> int:
        return len(self.ids)

    def select(self, filter: InboxFilter = InboxFilter.ALL, search: str = "",
               now: datetime | None = None) -> list[str]:
        """The ids the list shows for this filter and search text, in the index's order."""
        return self.answer(filter, search, now)[0]

    def counts(self, search: str, now: datetime) -> dict[InboxFilter, int]:
        """How many rows each filter button would show for this search text."""
        return self.answer(InboxFilter.ALL, search, now)[1]

    def answer(self, filter: InboxFilter, search: str, now: datetime | None
               ) -> tuple[list[str], dict[InboxFilter, int]]:
        """The ids for this filter and search, and every filter button's count."""
        if filter is InboxFilter.OVERDUE and now is None:
            raise ValueError("the overdue filter needs the current (server) time")
        rows = self._matching(search)
        ids, states = self.ids, self.states
        # Overdue rows are the first ones (the running clocks come first, by deadline).
        overdue = bisect_left(rows, now.timestamp(), key=self.overdue_from.__getitem__) \
            if now is not None else 0
        everything = len(rows) == len(ids)
        if everything and self._all_states is None:
            self._all_states = Counter(states)
        by_state = self._all_states if everything else Counter(map(states.__getitem__, rows))
        counts = {f: len(rows) if f.states is None else sum(by_state[s] for s in f.states)
                  for f in InboxFilter}
        counts[InboxFilter.OVERDUE] = overdue
        if filter is InboxFilter.OVERDUE:
            chosen = rows[:overdue]
        elif filter.states is None:
            return (ids if everything else list(map(ids.__getitem__, rows))), counts
        else:
            wanted = frozenset(filter.states)
            chosen = [i for i in rows if states[i] in wanted]
        return list(map(ids.__getitem__, chosen)), counts

    def _matching(self, search: str) -> Sequence[int]:
        """Rows whose search key holds every term (keys are lower-cased ASCII, as terms
        are). Typing on narrows the last answer instead of scanning every row again."""
        terms = search_terms(search)
        if not terms:
            return range(len(self.ids))
        last_terms, last_rows = self._last_search
        if terms == last_terms:
            return last_rows
        narrowing = last_terms and all(any(old in new for new in terms) for old in last_terms)
        rows: Sequence[int] = last_rows if narrowing else range(len(self.ids))
        keys = self.search_keys
        for term in terms:
            rows = [i for i in rows if term in keys[i]]
        self._last_search = (terms, rows)
        return rows


_REQUESTS = m.CollabRequest.__table__
_UNIX_EPOCH_JULIAN_DAY = 2440587.5


def read_index(store: Store, department: str, *, sent: bool = False) -> InboxIndex:
    """One query, answered from a covering index alone (migration 0004: department, state,
    due_at, sent_at, id, search_key): the wide rows are never touched."""
    t = _REQUESTS
    side = t.c.from_department if sent else t.c.to_department
    running = and_(t.c.state.in_(RUNNING), t.c.due_at.is_not(None))
    query = (
        select(t.c.id, t.c.search_key, t.c.state,
               # seconds since 1970 as SQLite counts them: no datetime object per row
               case((running, (func.julianday(t.c.due_at) - _UNIX_EPOCH_JULIAN_DAY) * 86400.0),
                    else_=None))
        .where(side == department)
        .order_by(
            case((running, 0), else_=1),  # clocks running first…
            case((running, t.c.due_at), else_=None),  # …by deadline, overdue on top
            t.c.sent_at.desc(),  # then the paused and finished ones, newest first
            t.c.id,  # a stable order for equal times
        )
    )
    ids: list[str] = []
    keys: list[str] = []
    states: list[str] = []
    due: list[float] = []
    state_names = {s.value: s.value for s in RequestState}  # one string per state, not per row
    with store.read() as session:
        # Row by row into the four lists: 100,000 rows held at once, then unzipped, made
        # the list's memory peak tens of megabytes higher than the list itself (issue #8, P4).
        for request_id, key, state, seconds in session.execute(query):
            ids.append(request_id)
            keys.append(key)
            states.append(state_names.get(state, state))
            due.append(math.inf if seconds is None else seconds)
    return InboxIndex(ids, keys, states, due)


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
