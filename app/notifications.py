"""Notifications (消息提醒) and the conflicts list, decided from the local cache (no Qt).

:func:`due_notifications` answers "what should this user be told now that they have not
been told yet"; :func:`mark_shown` remembers what was told, in the cache, so each message
fires once, also after a restart. Deadline reminders are computed here, on this PC, from
``due_at``, the synced working calendar and the server-corrected ``now``: they work offline
and never wait for the server's own ``reminder`` events (which are therefore ignored here).

Keys (one :class:`~app.store.models.NotificationMark` row each):

- ``request:<id>:new`` — a request arrived in the department's inbox; a forwarded or
  reopened one gets ``request:<id>:new:<state>@<clock start>``, as it is new work again;
- ``request:<id>:reminder:<minutes>@<due>`` and ``request:<id>:overdue@<due>`` — per
  request, threshold and deadline: a new deadline (resumed, forwarded, reopened, extended)
  gets its own reminders, as the server's scheduler does (protocol §13);
- ``event:<event id>`` — someone urged (催办) or replied (回复), or a bad rating opened a
  rectification (差评整改) for the department, which happens once per request;
- ``conflict:<op id>`` — the server refused one of this user's operations.

Nothing local and unsent ever notifies: events must come from the server, requests must
exist there. Citizen ID numbers and phones never appear in full, not even when a clerk
typed one into a free-text field.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import Select, delete, func, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from app.domain import cases, requests
from app.domain.commands import BY_OP_TYPE, RegisterCase, SendRequest, parse_command
from app.domain.entities import Rating, Staff
from app.domain.enums import CaseState, RequestState, StaffRole
from app.domain.errors import Rejected
from app.local import DEFAULT, context, explain_conflict, load_case, load_request
from app.store import Store
from app.store import models as m
from app.text import Text, day_and_time, lines
from app.validation import mask_id_number, mask_numbers_in
from app.worktime import WorkCalendar

# Events older than this are history, not news: a PC that was off for a week, or a user's
# first sync, must not replay every urge and reply ever made.
EVENT_WINDOW = timedelta(days=3)
# "new" arrives in these states: the receiver owes an answer it has not taken up yet
NEW_STATES = (RequestState.SENT, RequestState.FORWARDED, RequestState.REOPENED)
RUNNING_STATES = tuple(s for s in RequestState if s.clock_running)
EVENT_KINDS = ("urged", "replied", "rectification_opened")
T = TypeVar("T")
SNIPPET = 40  # characters of a note or reply quoted in a message

# Most urgent first: when many messages come at once, these are shown first.
PRIORITY = {"conflict": 0, "overdue": 1, "reminder": 2, "urged": 3, "rectification": 4,
            "replied": 4, "new": 5}


@dataclass(frozen=True)
class _Due:
    """A notification that is due, before it is worded (see :func:`due_notifications`)."""

    key: str
    kind: str
    entity: str
    entity_id: str
    case_id: str | None  # whose case line the words may quote
    word: Callable[[_Words], tuple[str, str]]  # its title and body


@dataclass(frozen=True)
class Notice:
    key: str  # what mark_shown remembers
    kind: str  # "new", "reminder", "overdue", "urged", "replied", "rectification", "conflict"
    title: str  # a Text, as the body
    body: str  # Chinese; citizen ID numbers and phones masked
    entity: str  # "request", "case" or "conflict": what a click opens
    entity_id: str


def due_notifications(store: Store, actor: Staff, now: datetime,
                      worded: int | None = None) -> list[Notice]:
    """Everything ``actor`` should be told at ``now`` (server-corrected) and has not been,
    most urgent first. Only the first ``worded`` (all if None) have a title and body; the
    rest carry their key and kind, to be counted and marked: the first look after a long
    absence finds thousands, and wording them all held 40 MB and seconds of CPU."""
    with store.read() as session:
        found = [*_conflicts(session), *_deadlines(session, actor, now),
                 *_events(session, actor, now), *_arrivals(session, actor)]
        shown = _marked(session, [due.key for due in found])
        fresh = [due for due in found if due.key not in shown]
        fresh.sort(key=lambda due: PRIORITY.get(due.kind, 9))
        said = fresh if worded is None else fresh[:worded]
        words = _Words(session, {due.case_id for due in said if due.case_id})
        return [Notice(due.key, due.kind, *(due.word(words) if i < len(said) else ("", "")),
                       due.entity, due.entity_id) for i, due in enumerate(fresh)]


def mark_shown(store: Store, keys: Iterable[str], now: datetime) -> None:
    """Remember that these notifications were shown (idempotent)."""
    rows = [{"key": key, "shown_at": now} for key in sorted(set(keys))]
    with store.session() as session:
        if rows:  # thousands at the first look after a long absence: one statement
            session.execute(sqlite_insert(m.NotificationMark).on_conflict_do_nothing(), rows)
        # An event older than the window can never notify again: its mark is dead weight.
        session.execute(delete(m.NotificationMark).where(
            m.NotificationMark.key.like("event:%"),
            m.NotificationMark.shown_at < now - 2 * EVENT_WINDOW))


def overdue_count(store: Store, actor: Staff, now: datetime) -> int:
    """Requests the actor's department owes an answer to and has let pass their deadline
    (the tray badge)."""
    if not actor.department:
        return 0
    with store.read() as session:
        rows = session.execute(_requests(
            m.CollabRequest.to_department == actor.department,
            m.CollabRequest.state.in_(RUNNING_STATES),
            m.CollabRequest.due_at <= now))
        return sum(1 for r in rows if _running(r))  # due_at <= now: no working time left


# -- what to say -----------------------------------------------------------------------------


def _arrivals(session: Session, actor: Staff) -> list[_Due]:
    if not actor.department:
        return []
    rows = session.execute(_requests(
        m.CollabRequest.to_department == actor.department,
        m.CollabRequest.state.in_(NEW_STATES)).order_by(m.CollabRequest.sent_at)).all()
    keyed = []
    for row in rows:
        key = f"request:{row.id}:new"
        if row.state != RequestState.SENT.value:
            key += f":{row.state}@{row.clock_started_at or ''}"
        keyed.append((key, row))
    return [_Due(key, "new", "request", row.id, row.case_id, _arrival_words(row))
            for key, row in _not_yet_shown(session, keyed)]


def _arrival_words(row: Any) -> Callable[[_Words], tuple[str, str]]:
    def word(words: _Words) -> tuple[str, str]:
        title = {RequestState.SENT: Text("新的协同请求"),
                 RequestState.FORWARDED: Text("转办来的协同请求")}.get(
            RequestState(row.state), Text("协同请求需重新办理"))
        parts = [Text("{department} 请求：{subject}", department=words.department(
                     row.from_department), subject=_snippet(row.subject)),
                 words.case_line(row.case_id)]
        if row.due_at is not None:
            parts.append(Text("请在 {due} 前答复", due=words.when(row.due_at)))
        return title, lines(filter(None, parts))
    return word


def _deadlines(session: Session, actor: Staff, now: datetime) -> list[_Due]:
    """Reminders and overdue for the receiving department, and "对方已超期" for the sender.
    Only the tightest threshold crossed is announced: a PC that was off while 3 h passed
    says "1 小时" once, never "3 小时" late."""
    if not actor.department:
        return []
    ctx = context(session, now, "")
    calendar, thresholds = ctx.calendar, [t for t in ctx.policies.reminders if t > timedelta(0)]
    # Anything due after this has more working time left than the largest threshold.
    horizon = calendar.add_working_time(now, max(thresholds, default=timedelta(0))
                                        + timedelta(minutes=1))
    rows = session.execute(_requests(
        (m.CollabRequest.to_department == actor.department)
        | (m.CollabRequest.from_department == actor.department),
        m.CollabRequest.state.in_(RUNNING_STATES),
        m.CollabRequest.due_at <= horizon).order_by(m.CollabRequest.due_at)).all()
    keyed = []  # (key, (row, working time left, threshold crossed or None for overdue))
    for row in rows:
        if not _running(row):
            continue
        # Past its deadline no working time is left: the calendar is asked only about the
        # few requests still running towards theirs.
        left = (calendar.working_time_between(now, row.due_at) if row.due_at > now
                else timedelta(0))
        receiving = row.to_department == actor.department
        due = _due_tag(row.due_at)
        if left <= timedelta(0):
            if receiving and actor.has_role(StaffRole.SUPERVISOR):
                continue  # a leader is told by the 超期督办 pop-up, with the whole history
            keyed.append((f"request:{row.id}:overdue@{due}", (row, left, None)))
            continue
        crossed = [t for t in thresholds if left <= t]
        if receiving and crossed:
            threshold = min(crossed)
            minutes = int(threshold.total_seconds() // 60)
            keyed.append((f"request:{row.id}:reminder:{minutes}@{due}", (row, left, threshold)))
    return [_Due(key, "overdue" if threshold is None else "reminder", "request", row.id,
                 row.case_id, _deadline_words(row, left, threshold,
                                              row.to_department == actor.department))
            for key, (row, left, threshold) in _not_yet_shown(session, keyed)]


def _deadline_words(row: Any, left: timedelta, threshold: timedelta | None,
                    receiving: bool) -> Callable[[_Words], tuple[str, str]]:
    def word(words: _Words) -> tuple[str, str]:
        subject, case_line = _snippet(row.subject), words.case_line(row.case_id)
        if threshold is not None:
            return (Text("即将到期：剩余不足{threshold}", threshold=_duration(threshold)),
                    Text("{department} 的请求「{subject}」还剩 {left}（工作时间），"
                         "请在 {due} 前答复。\n{case}",
                         department=words.department(row.from_department), subject=subject,
                         left=_duration(left), due=words.when(row.due_at), case=case_line))
        if receiving:
            return (Text("协同请求已超期"),
                    Text("{department} 的请求「{subject}」已于 {due} 到期，请尽快答复；"
                         "部门领导会收到督办提醒。\n{case}",
                         department=words.department(row.from_department), subject=subject,
                         due=words.when(row.due_at), case=case_line))
        return (Text("对方已超期"),
                Text("{department} 未在 {due} 前答复您的请求「{subject}」。"
                     "可在「已发起」中催办。\n{case}",
                     department=words.department(row.to_department),
                     due=words.when(row.due_at), subject=subject, case=case_line))
    return word


def _events(session: Session, actor: Staff, now: datetime) -> list[_Due]:
    if not actor.department:
        return []
    rows = session.execute(select(m.Event, m.CollabRequest).join(
        m.CollabRequest, m.CollabRequest.id == m.Event.entity_id).where(
        m.Event.entity == "request", m.Event.kind.in_(EVENT_KINDS),
        m.Event.pending.is_(False), m.Event.at >= now - EVENT_WINDOW,
        m.Event.actor_id != actor.id).order_by(m.Event.at)).all()
    out = []
    for event, request in rows:
        details = event.details or {}
        if event.kind == "urged":
            concerned = (details.get("holder") or request.to_department) == actor.department
        elif event.kind == "replied":
            concerned = request.from_department == actor.department
        else:  # rectification_opened
            concerned = details.get("holder") == actor.department
        if concerned:
            kind = "rectification" if event.kind == "rectification_opened" else event.kind
            out.append(_Due(f"event:{event.id}", kind, "request", request.id, request.case_id,
                            _event_words(event, request)))
    return out


def _event_words(event: m.Event, request: m.CollabRequest
                 ) -> Callable[[_Words], tuple[str, str]]:
    def word(words: _Words) -> tuple[str, str]:
        details = event.details or {}
        who = " ".join(p for p in (words.department(event.department_code),
                                   event.actor_name) if p)
        subject, case = _snippet(request.subject), words.case_line(request.case_id)
        if event.kind == "urged":
            note = _quote(_snippet(details.get("note", "")))
            # 督办 (the receiving department's leader) and 催办 are two sentences in English
            if details.get("by_leader"):
                return Text("收到督办"), Text("{who} 督办请求「{subject}」{note}\n{case}",
                                             who=who, subject=subject, note=note, case=case)
            return Text("收到催办"), Text("{who} 催办请求「{subject}」{note}\n{case}",
                                         who=who, subject=subject, note=note, case=case)
        if event.kind == "replied":
            return Text("对方已回复"), Text(
                "{who} 回复了您的请求「{subject}」{text}\n请查看并确认评价。{case}", who=who,
                subject=subject, text=_quote(_snippet(details.get("text", ""))), case=case)
        rating = request.data["rating"]  # set by the same confirm, never taken away
        return Text("差评整改"), Text(
            "{who} 对请求「{subject}」的答复评价为「{label}」{comment}\n"
            "本部门须在 {due} 前整改并回访。\n{case}", who=who, subject=subject,
            label=Text(Rating.LABELS[rating["stars"]]),
            comment=_quote(_snippet(rating["comment"])),
            due=words.when(datetime.fromisoformat(details["due_at"])), case=case)
    return word


def _conflicts(session: Session) -> list[_Due]:
    rows = session.scalars(select(m.Conflict).where(m.Conflict.dismissed_at.is_(None))
                           .order_by(m.Conflict.created_at))
    return [_Due(f"conflict:{c.op_id}", "conflict", "conflict", c.op_id, None,
                 _conflict_words(session, c)) for c in rows]


def _conflict_words(session: Session, conflict: m.Conflict
                    ) -> Callable[[_Words], tuple[str, str]]:
    def word(_words: _Words) -> tuple[str, str]:
        return (Text("操作未生效：{action}", action=_label(conflict.type)),
                Text("{explanation}\n请到「冲突」页查看处理。",
                     explanation=mask_numbers_in(explain_conflict(session, conflict))))
    return word


def _not_yet_shown(session: Session, keyed: list[tuple[str, T]]) -> list[tuple[str, T]]:
    shown = _marked(session, [key for key, _ in keyed])
    return [(key, item) for key, item in keyed if key not in shown]


def _marked(session: Session, keys: list[str]) -> set[str]:
    found: set[str] = set()
    for i in range(0, len(keys), 500):  # SQLite's bound-parameter limit
        found.update(session.scalars(select(m.NotificationMark.key).where(
            m.NotificationMark.key.in_(keys[i:i + 500]))))
    return found


# -- the conflicts screen ----------------------------------------------------------------------


@dataclass(frozen=True)
class ConflictRow:
    op_id: str
    op_type: str
    entity_id: str
    args: dict[str, Any]
    created_at: datetime  # in the hall's time zone
    label: str  # the op in Chinese ("退回补正"); the texts of a row are Texts
    item: str  # which case or request ("完税证明（办件 BDC-…）")
    explanation: str  # app.local.explain_conflict
    server_state: str  # the state on the server now, in Chinese
    can_redo: bool  # creating ops cannot simply be sent again
    # why 重做 would be refused right now (the same rules, decided on this PC); "" if not
    redo_blocked: str = ""


def open_conflicts(store: Store, actor: Staff | None = None,
                   now: datetime | None = None) -> list[ConflictRow]:
    """The user's open (not dismissed) conflicts, newest first. With ``actor`` and ``now``
    each row also says whether 重做 would be allowed now, and if not, why."""
    with store.read() as session:
        words = _Words(session)
        rows = session.scalars(select(m.Conflict).where(m.Conflict.dismissed_at.is_(None))
                               .order_by(m.Conflict.created_at.desc())).all()
        out = []
        for c in rows:
            can_redo = (c.type in BY_OP_TYPE
                        and c.type not in (RegisterCase.op_type, SendRequest.op_type))
            blocked = ""
            if can_redo and actor is not None and now is not None:
                blocked = redo_problem(session, c, actor, now)
            out.append(ConflictRow(
                op_id=c.op_id, op_type=c.type, entity_id=c.entity_id,
                args=dict(c.args or {}), created_at=c.created_at.astimezone(words.tz),
                label=_label(c.type), item=_item(session, words, c),
                explanation=mask_numbers_in(explain_conflict(session, c)),
                server_state=_state_label((c.server_state or {}).get("state")),
                can_redo=can_redo, redo_blocked=mask_numbers_in(blocked)))
        return out


def redo_problem(session: Session, conflict: m.Conflict, actor: Staff, now: datetime) -> str:
    """Why the conflict's op, made again now, would be refused ("" if it would not be):
    the domain rules decide on the cached state, nothing is written."""
    try:
        command = parse_command(conflict.type, conflict.args or {})
        ctx = context(session, now, "")
        if conflict.type.startswith("case."):
            case = load_case(session, conflict.entity_id)
            if case is None:
                return Text("本机没有该办件")
            cases.decide(case, command, actor, ctx)
        else:
            request = load_request(session, conflict.entity_id)
            if request is None:
                return Text("本机没有该协同请求")
            requests.decide(request, command, actor, ctx)
    except Rejected as refusal:
        return refusal.message
    return ""


def _item(session: Session, words: _Words, conflict: m.Conflict) -> str:
    args = conflict.args or {}
    if conflict.type == RegisterCase.op_type:
        return Text("新办件（{name}）", name=mask_numbers_in(str(args.get("citizen_name", ""))))
    if conflict.type == SendRequest.op_type:
        return Text("发往 {department}：{subject}（{case}）",
                    department=words.department(str(args.get("to_department", ""))),
                    subject=mask_numbers_in(str(args.get("subject", ""))),
                    case=words.case_number(args.get("case_id")))
    if conflict.type.startswith("case."):
        return words.case_number(conflict.entity_id)
    request = session.get(m.CollabRequest, conflict.entity_id)
    if request is None:
        return Text("协同请求（本机已无记录）")
    return Text("{subject}（{case}）", subject=_snippet(request.subject),
                case=words.case_number(request.case_id))


# -- words -------------------------------------------------------------------------------------


class _Words:
    """Names, numbers and local times, looked up once per check. Given the cases a check
    speaks of, their lines are read in a few queries, not one per notice."""

    def __init__(self, session: Session, case_ids: Iterable[str] = ()) -> None:
        self.session = session
        calendar = session.get(m.CalendarData, DEFAULT)
        self.tz = (WorkCalendar.from_dict(calendar.data) if calendar else WorkCalendar()).tz
        self._departments: dict[str, str] | None = None
        self._case_lines = self._read_case_lines(set(case_ids))

    def department(self, code: str | None) -> str:
        if self._departments is None:
            self._departments = dict(self.session.execute(
                select(m.Department.code, m.Department.name)).all())
        return self._departments.get(code or "", code or "")

    def when(self, instant: datetime) -> Text:
        return day_and_time(instant.astimezone(self.tz))

    def case_number(self, case_id: Any) -> Text:
        case = self.session.get(m.Case, case_id) if isinstance(case_id, str) else None
        return _case(case.number) if case is not None else Text("办件（本机暂无）")

    def case_line(self, case_id: str) -> str:
        """"办件 BDC-… · 张三 110***********002X · 二手房转移登记" (ID masked); "" while
        the case has not reached this PC."""
        if case_id not in self._case_lines:
            self._case_lines.update(self._read_case_lines({case_id}))
        return self._case_lines.get(case_id, "")

    def _read_case_lines(self, case_ids: set[str]) -> dict[str, str]:
        ids, found = sorted(case_ids), {}
        for i in range(0, len(ids), 500):  # SQLite's bound-parameter limit
            found.update((case_id, _case_line(number, name, id_number, matter))
                         for case_id, number, name, id_number, matter in self.session.execute(
                select(m.Case.id, m.Case.number, m.Case.citizen_name,
                       m.Case.citizen_id_number, m.MatterType.name)
                .outerjoin(m.MatterType, m.MatterType.code == m.Case.matter_code)
                .where(m.Case.id.in_(ids[i:i + 500]))))
        return found


def _case_line(number: str, citizen: str, id_number: str, matter: str | None) -> str:
    rest = " · ".join(p for p in (f"{citizen} {mask_id_number(id_number)}".strip(),
                                  matter or "") if p)
    return Text("{case} · {rest}", case=_case(number), rest=rest) if rest else _case(number)


def _case(number: str) -> Text:
    return Text("办件 {number}", number=number)


def _requests(*where: Any) -> Select:
    """The columns of the cached requests the server knows that a notice needs: no JSON
    document is decoded (20,000 open requests must not cost a minute)."""
    return select(m.CollabRequest.id, m.CollabRequest.case_id, m.CollabRequest.state,
                  m.CollabRequest.from_department, m.CollabRequest.to_department,
                  m.CollabRequest.subject, m.CollabRequest.due_at,
                  func.json_extract(m.CollabRequest.data, "$.clock_started_at")
                  .label("clock_started_at")).where(
        m.CollabRequest.server_data.is_not(None), *where)


def _running(row: Any) -> bool:
    return row.due_at is not None and bool(row.clock_started_at)


def _due_tag(due: datetime) -> str:
    return f"{int(due.timestamp())}"


def _duration(amount: timedelta) -> Text:
    minutes = max(0, int(amount.total_seconds()) // 60)
    hours, minutes = divmod(minutes, 60)
    if hours and minutes:
        return Text("{hours}小时{minutes:02d}分", hours=hours, minutes=minutes)
    if hours:
        return Text("{hours}小时", hours=hours)
    return Text("{minutes}分钟", minutes=minutes)


def _label(op_type: str) -> str:
    command = BY_OP_TYPE.get(op_type)
    return Text(command.label) if command else op_type


def _state_label(state: str | None) -> Text:
    for states in (RequestState, CaseState):
        try:
            return Text(states(state).label)
        except ValueError:
            continue
    return Text("服务器上没有此项")


def _quote(said: str) -> Text:
    """What someone wrote, after a colon; a full stop when they wrote nothing."""
    return Text("：{said}", said=said) if said else Text("。")


def _snippet(text: str) -> str:
    text = " ".join(mask_numbers_in(str(text)).split())
    return text if len(text) <= SNIPPET else text[:SNIPPET - 1] + "…"


# An 18-character resident ID (the last may be X), a mainland mobile, a landline with area
# code: whatever a clerk typed into a subject, note or reply, a notification masks it.
