"""The cache as this PC sees it: the server's state plus the effect of unsent ops.

Every row of a case or request keeps two states: ``server_data``, as the server last sent
it, and ``data``, that plus this PC's pending ops. A clerk's action is decided by the same
state machines as on the server and written with its outbox op in one transaction
(:func:`record_action`). When the server's state arrives, or an op is rejected, the pending
ops are re-applied on top of the server's truth (:func:`rebase`): nothing is guessed.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.orm import Session

from app.domain import cases, requests
from app.domain.commands import BY_OP_TYPE, RegisterCase, SendRequest, parse_command
from app.domain.entities import Case, CollabRequest, Event, Staff
from app.domain.enums import CaseState, RequestState, StaffRole
from app.domain.errors import Rejected
from app.domain.rules import Context
from app.domain.serialize import from_data, to_data
from app.domain.sla import SlaPolicies
from app.sqltypes import as_utc, utcnow
from app.store import models as m
from app.text import Text, day_and_time
from app.worktime import WorkCalendar

DEFAULT = "default"  # the single row of the calendar and SLA-policy tables


def context(session: Session, now: datetime, device: str) -> Context:
    """The rules as the server last sent them (the defaults before the first sync)."""
    calendar = session.get(m.CalendarData, DEFAULT)
    policies = session.get(m.SlaPolicy, DEFAULT)
    departments = dict(session.execute(select(m.Department.code, m.Department.name)).all())
    matters = frozenset(session.scalars(select(m.MatterType.code)))
    return Context(
        now=now,
        calendar=WorkCalendar.from_dict(calendar.data) if calendar else WorkCalendar(),
        policies=SlaPolicies.from_dict(policies.data) if policies else SlaPolicies.default(),
        device=device, departments=departments, matter_codes=matters or None,
    )


def staff(session: Session, user_id: str) -> Staff | None:
    row = session.get(m.Staff, user_id)
    if row is None:
        return None
    return Staff(id=row.id, username=row.username, name=row.name,
                 department=row.department_code,
                 roles=frozenset(StaffRole(r) for r in row.roles), window=row.window_code)


def load_case(session: Session, case_id: str) -> Case | None:
    row = session.get(m.Case, case_id)
    return from_data(Case, row.data) if row else None


def load_request(session: Session, request_id: str) -> CollabRequest | None:
    row = session.get(m.CollabRequest, request_id)
    return from_data(CollabRequest, row.data) if row else None


# -- the clerk's actions ---------------------------------------------------------------------


def record_action(session: Session, op_type: str, entity_id: str, args: dict[str, Any],
                  actor: Staff, ctx: Context) -> str:
    """Decide an action locally, write its effect and its outbox op; return the op id.

    Raises Rejected (with the Chinese message for the clerk) when the rules forbid it, in
    which case nothing is written.
    """
    op_id = str(uuid.uuid4())
    apply_op(session, op_id, op_type, entity_id, args, actor, ctx)
    session.add(m.OutboxOp(op_id=op_id, type=op_type, entity_id=entity_id, args=args,
                           client_time=ctx.now))
    return op_id


def apply_op(session: Session, op_id: str, op_type: str, entity_id: str,
             args: dict[str, Any], actor: Staff, ctx: Context) -> None:
    """The optimistic local effect of one op, with pending timeline events."""
    command = parse_command(op_type, args)
    if isinstance(command, RegisterCase):
        if session.get(m.Case, entity_id) is not None:
            raise Rejected("conflict", Text("该办件编号已存在"), reason="conflict")
        t = cases.register(entity_id, command, actor, ctx)
        write_case(session, t.case)
        events = t.events
    elif isinstance(command, SendRequest):
        case = load_case(session, command.case_id)
        if case is None:
            raise Rejected("not_found", Text("没有找到该办件"), reason="not_found")
        sent = requests.send(entity_id, case, command, actor, ctx)
        write_request(session, sent.request)
        if sent.case is not None:
            write_case(session, sent.case)
        events = sent.events
    elif op_type.startswith("case."):
        case = load_case(session, entity_id)
        if case is None:
            raise Rejected("not_found", Text("没有找到该办件"), reason="not_found")
        t = cases.decide(case, command, actor, ctx)
        write_case(session, t.case)
        events = t.events
    else:
        request = load_request(session, entity_id)
        if request is None:
            raise Rejected("not_found", Text("没有找到该协同请求"), reason="not_found")
        decided = requests.decide(request, command, actor, ctx)
        write_request(session, decided.request)
        events = decided.events
    for i, event in enumerate(events):
        _write_event(session, f"{op_id}:{i}", event, op_id, pending=True)
    session.flush()


def explain_conflict(session: Session, conflict: m.Conflict) -> Text:
    """A rejected op in words for the clerk: the server's reason, the state it is in now and
    who acted last — "该请求当前为「已回复」，不能退回补正。现在：已回复，最近由 税务局 李婷
    回复（11月23日 14:05）。您的「退回补正」未生效。". The server's reason is kept as it came
    (plain Chinese); only the words around it are translatable."""
    label = (Text(BY_OP_TYPE[conflict.type].label) if conflict.type in BY_OP_TYPE
             else conflict.type)
    reason = _reason(conflict.message.rstrip("。"))
    state = (conflict.server_state or {}).get("state")
    last = session.scalars(select(m.Event).where(
        m.Event.entity_id == conflict.entity_id, m.Event.pending.is_(False),
        m.Event.kind.not_in(("rejected_attempt", "deadline_changed", "reminder")))
        .order_by(m.Event.at.desc()).limit(1)).first()
    if not (state or last):
        return Text("{reason}。您的「{action}」未生效。", reason=reason, action=label)
    now = Text(_STATE_LABELS[state]) if state in _STATE_LABELS else ""
    if last is not None:
        department = session.get(m.Department, last.department_code)
        who = " ".join(p for p in (department.name if department else "",
                                   last.actor_name) if p)
        when = last.at.astimezone(context(session, last.at, "").calendar.tz)
        recent = Text("最近由 {who} {verb}（{when}）", who=who,
                      verb=Text(EVENT_VERBS.get(last.kind, last.kind)), when=day_and_time(when))
        now = Text("{state}，{recent}", state=now, recent=recent) if now else recent
    return Text("{reason}。现在：{now}。您的「{action}」未生效。", reason=reason, now=now,
                action=label)


# Conflict.message when the sync engine, not the server, words a refusal.
NO_REASON = Text("服务器拒绝了该操作")


def bad_format(message: str) -> Text:
    """The server refused an op as malformed; ``message`` is the server's own words."""
    return Text("服务器拒绝了该操作的格式：{message}", message=message)


def _reason(stored: str) -> str:
    # Conflict.message is stored as plain Chinese: the engine's own words become a Text
    # again, so they can be translated; the server's words stay exactly as they came.
    if stored == NO_REASON:
        return NO_REASON
    framing = bad_format("")
    if stored.startswith(framing):
        return bad_format(stored[len(framing):])
    return stored


def refresh_conflicts(session: Session, touched: set[EntityKey]) -> None:
    """Keep each open conflict's copy of the server's state current, for its explanation."""
    ids = {i for _, i in touched}
    for conflict in session.scalars(select(m.Conflict).where(
            m.Conflict.entity_id.in_(ids), m.Conflict.dismissed_at.is_(None))):
        conflict.server_state = server_state(session, conflict.type, conflict.entity_id)


def server_state(session: Session, op_type: str, entity_id: str) -> dict[str, Any] | None:
    model = m.Case if op_type.startswith("case.") else m.CollabRequest
    row = session.get(model, entity_id)
    return row.server_data if row else None


_STATE_LABELS = {s.value: s.label for s in (*RequestState, *CaseState)}
EVENT_VERBS = {
    "registered": "受理登记", "sent": "发起协同", "accepted": "签收", "replied": "回复",
    "sent_back": "退回补正", "resubmitted": "补正后重新提交", "forwarded": "转办",
    "extension_requested": "申请延期", "extension_approved": "批准延期",
    "extension_declined": "驳回延期", "withdrawn": "撤回", "urged": "催办",
    "confirmed": "确认并评价", "reopened": "重新办理", "completed": "办结", "explained": "告知",
    "callback_recorded": "回访", "deadline_changed": "调整期限", "reminder": "到期提醒",
    "escalated": "超期督办", "collaboration_started": "开始协同",
    "rejected_attempt": "操作未生效", "rectification_opened": "差评整改",
    "rectification_callback": "整改回访", "appealed": "申诉", "appeal_decided": "申诉裁决",
}


# -- the server's changes --------------------------------------------------------------------

EntityKey = tuple[str, str]


def apply_server_changes(session: Session, changes: Iterable[dict[str, Any]]) -> set[EntityKey]:
    """Store a pulled page; returns the cases and requests it touched.

    Each table's rows go in as one upsert (a page is hundreds of rows; row by row through
    the ORM was the initial sync's whole cost), in the form SQLite stores them (:func:`_upsert`).
    Attachments keep their per-row rule.
    """
    reference: dict[type, list[dict[str, Any]]] = {}
    cases: dict[str, dict[str, Any]] = {}
    requests_: dict[str, dict[str, Any]] = {}
    events: dict[str, dict[str, Any]] = {}
    for change in changes:
        entity, entity_id, data = change["entity"], change["id"], change["data"]
        if entity == "case":
            cases[entity_id] = _mirror_row(m.Case, to_data(from_data(Case, data)))
        elif entity == "request":
            requests_[entity_id] = _mirror_row(m.CollabRequest,
                                               to_data(from_data(CollabRequest, data)))
        elif entity == "event":
            events[entity_id] = {"id": entity_id, **_event_columns(
                from_data(Event, data), data.get("op_id"), pending=False)}
        elif entity == "attachment":
            _attachment(session, entity_id, data)
        else:
            model, row = _REFERENCE[entity]
            reference.setdefault(model, []).append(row(entity_id, data))
    session.flush()  # the attachments, and any ORM change, before the Core statements
    for model, rows in reference.items():
        _upsert(session, model, rows)
    _write_requests(session, requests_, cases)
    _upsert(session, m.Case, list(cases.values()))
    _replace_pending_events(session, list(events.values()))
    session.expire_all()  # ORM objects loaded before these statements must be read again
    return {("case", i) for i in cases} | {("request", i) for i in requests_}


def rebase(session: Session, actor: Staff, context_at: Callable[[datetime], Context]) -> None:
    """Reset every entity an unsent op touches to the server's state and re-apply the
    unsent ops in order. An op that no longer applies stays in the outbox: the server
    decides, and its rejection becomes a conflict the clerk sees."""
    pending = session.scalars(select(m.OutboxOp).order_by(m.OutboxOp.seq)).all()
    session.execute(delete(m.Event).where(m.Event.pending.is_(True)))
    if not pending:
        return
    for op in pending:
        _reset(session, m.Case if op.type.startswith("case.") else m.CollabRequest,
               op.entity_id)
        if op.type == SendRequest.op_type:
            _reset(session, m.Case, op.args.get("case_id", ""))
    session.flush()
    for op in pending:
        try:
            with session.begin_nested():
                apply_op(session, op.op_id, op.type, op.entity_id, op.args, actor,
                         context_at(op.client_time))
        except Rejected:
            pass


def _reset(session: Session, model, entity_id: str) -> None:
    row = session.get(model, entity_id)
    if row is None:
        return
    if row.server_data is None:
        session.delete(row)  # it only ever existed here
    else:
        _set_columns(row, row.server_data)
        row.data = row.server_data


# -- rows ------------------------------------------------------------------------------------


def write_case(session: Session, case: Case) -> None:
    _write_row(session, m.Case, to_data(case))


def write_request(session: Session, request: CollabRequest) -> None:
    row = _write_row(session, m.CollabRequest, to_data(request))
    if not row.search_key:  # sent from this PC: found by the inbox's search before it syncs
        row.search_key = _search_keys(session, {}, {request.case_id}).get(request.case_id, "")


def _write_row(session: Session, model, data: dict[str, Any]) -> Any:
    """A clerk's own change: ``data`` moves ahead of the server's state until pushed."""
    row = session.get(model, data["id"]) or model(id=data["id"])
    _set_columns(row, data)
    row.data = data
    session.add(row)
    return row


def _set_columns(row: m.Case | m.CollabRequest, data: dict[str, Any]) -> None:
    for name, value in _COLUMNS[type(row)](data).items():
        setattr(row, name, value)


def _case_columns(data: dict[str, Any]) -> dict[str, Any]:
    return {"number": data["number"], "department_code": data["department"],
            "matter_code": data["matter_code"], "citizen_name": data["citizen_name"],
            "citizen_id_number": data["citizen_id_number"],
            "citizen_phone": data["citizen_phone"], "channel": data["channel"],
            "category": data["category"], "state": data["state"],
            "due_at": _instant(data["due_at"]),
            "registered_at": _instant(data["registered_at"]), "version": data["version"]}


def _request_columns(data: dict[str, Any]) -> dict[str, Any]:
    return {"case_id": data["case_id"], "from_department": data["from_department"],
            "to_department": data["to_department"], "role": data["role"],
            "state": data["state"], "subject": data["subject"],
            "sent_at": _instant(data["sent_at"]), "due_at": _instant(data["due_at"]),
            "updated_at": utcnow(), "version": data["version"]}


_COLUMNS: dict[type, Callable[[dict[str, Any]], dict[str, Any]]] = {
    m.Case: _case_columns, m.CollabRequest: _request_columns}


def _mirror_row(model, data: dict[str, Any]) -> dict[str, Any]:
    """The whole row of a case or request as the server sent it (no pending op on top:
    rebase puts those back). Its JSON is encoded once, for both copies."""
    text = json.dumps(data)
    return {"id": data["id"], **_COLUMNS[model](data), "data": text, "server_data": text}


def _event_columns(event: Event, op_id: str | None, pending: bool) -> dict[str, Any]:
    return {"entity": event.entity, "entity_id": event.entity_id, "kind": event.kind,
            "actor_id": event.actor_id, "actor_name": event.actor_name,
            "department_code": event.department or "", "at": event.at,
            "device": event.device, "details": dict(event.details), "op_id": op_id,
            "pending": pending}


def _write_event(session: Session, event_id: str, event: Event, op_id: str | None,
                 pending: bool) -> None:
    session.merge(m.Event(id=event_id, **_event_columns(event, op_id, pending)))


def _upsert(session: Session, model, rows: list[dict[str, Any]]) -> None:
    """Insert ``rows`` (all with the same keys), or overwrite the columns they carry.

    One executemany straight to the driver: SQLAlchemy's per-row compiling and type
    processing cost more than SQLite's own work. So the values go in as the ORM stores
    them (:func:`_stored`); a ``str`` for a JSON column is taken as already encoded.
    """
    if not rows:
        return
    sql = _upsert_sql(model.__table__.name, tuple(rows[0]),
                      tuple(c.name for c in model.__table__.primary_key))
    session.connection().exec_driver_sql(
        sql, [{name: _stored(value) for name, value in row.items()} for row in rows])


@cache
def _upsert_sql(table: str, names: tuple[str, ...], keys: tuple[str, ...]) -> str:
    return (f"INSERT INTO {table} ({', '.join(names)}) "
            f"VALUES ({', '.join(':' + n for n in names)}) "
            f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET "
            + ", ".join(f"{n} = excluded.{n}" for n in names if n not in keys))


def _stored(value: Any) -> Any:
    """A value as SQLAlchemy's types store it in the cache: instants as naive UTC text
    (UTCDateTime on SQLite), dicts and lists as JSON text (its default ``json.dumps``)."""
    if isinstance(value, datetime):  # a naive one is refused, as UTCDateTime refuses it
        return as_utc(value).replace(tzinfo=None).isoformat(" ", "microseconds")
    if isinstance(value, dict | list):
        return json.dumps(value)
    return value


def _write_requests(session: Session, requests_: dict[str, dict[str, Any]],
                    cases: dict[str, dict[str, Any]]) -> None:
    """Upsert the page's requests with their search keys, and refresh the keys of stored
    requests whose case is in the page. A request whose case is not known yet keeps the key
    it has (none, if new) until its case arrives."""
    if not (requests_ or cases):
        return
    stored = dict(session.execute(
        select(m.CollabRequest.id, m.CollabRequest.case_id)
        .where(m.CollabRequest.case_id.in_(list(cases)))).all())
    for request_id in requests_:
        stored.pop(request_id, None)
    keys = _search_keys(session, cases, {r["case_id"] for r in requests_.values()})
    keyed = [{**row, "search_key": keys[row["case_id"]]}
             for row in requests_.values() if row["case_id"] in keys]
    _upsert(session, m.CollabRequest, keyed)
    _upsert(session, m.CollabRequest,
            [row for row in requests_.values() if row["case_id"] not in keys])
    table = m.CollabRequest.__table__
    refresh = (update(table).where(table.c.id == bindparam("request_id"))
               .values(search_key=bindparam("key")))
    rows = [{"request_id": i, "key": keys[case_id]} for i, case_id in stored.items()]
    if rows:
        session.execute(refresh, rows)


def _search_keys(session: Session, cases: dict[str, dict[str, Any]],
                 wanted: set[str]) -> dict[str, str]:
    """The search key of each case of ``cases`` (rows about to be written) and of each case
    id in ``wanted`` that is stored; a case known to neither has none."""
    found = {i: (r["number"], r["citizen_name"], r["citizen_id_number"], r["matter_code"])
             for i, r in cases.items()}
    missing = wanted - found.keys()
    if missing:
        found.update((i, rest) for i, *rest in session.execute(
            select(m.Case.id, m.Case.number, m.Case.citizen_name, m.Case.citizen_id_number,
                   m.Case.matter_code).where(m.Case.id.in_(missing))))
    matters = dict(session.execute(select(m.MatterType.code, m.MatterType.name).where(
        m.MatterType.code.in_({matter for *_, matter in found.values()}))).all())
    return {i: m.search_key_for(number, name, id_number, matters.get(matter))
            for i, (number, name, id_number, matter) in found.items()}


def _replace_pending_events(session: Session, events: list[dict[str, Any]]) -> None:
    """Store the server's events; the pending events of their ops made way for them."""
    op_ids = {e["op_id"] for e in events if e["op_id"]}
    if op_ids:
        session.execute(delete(m.Event).where(m.Event.op_id.in_(op_ids),
                                              m.Event.pending.is_(True)))
    _upsert(session, m.Event, events)


def _instant(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


# -- reference data --------------------------------------------------------------------------


def _department(code: str, data: dict[str, Any]) -> dict[str, Any]:
    return {"code": code, "name": data["name"], "parent_code": data.get("parent"),
            "sort_order": data.get("sort_order", 0)}


def _window(code: str, data: dict[str, Any]) -> dict[str, Any]:
    return {"code": code, "department_code": data["department"], "name": data["name"]}


def _matter_type(code: str, data: dict[str, Any]) -> dict[str, Any]:
    return {"code": code, "name": data["name"], "department_code": data["department"],
            "default_category": data["default_category"],
            "materials": data.get("materials", []), "data": data}


def _user(user_id: str, data: dict[str, Any]) -> dict[str, Any]:
    return {"id": user_id, "username": data["username"], "name": data["name"],
            "department_code": data.get("department"), "roles": data["roles"],
            "window_code": data.get("window"), "active": data.get("active", True)}


def _calendar(_id: str, data: dict[str, Any]) -> dict[str, Any]:
    return {"name": DEFAULT, "data": data}


def _sla_policy(_id: str, data: dict[str, Any]) -> dict[str, Any]:
    return {"code": DEFAULT, "data": data}


# the row each reference entity is stored as, whole: the server's state replaces the cache's
_REFERENCE: dict[str, tuple[type, Callable[[str, dict[str, Any]], dict[str, Any]]]] = {
    "department": (m.Department, _department), "window": (m.Window, _window),
    "matter_type": (m.MatterType, _matter_type), "user": (m.Staff, _user),
    "calendar": (m.CalendarData, _calendar), "sla_policy": (m.SlaPolicy, _sla_policy)}


def unnamed(sha256: str) -> str:
    """The name of a file downloaded before its ``attachment`` entity arrived."""
    return sha256[:12]


def _attachment(session: Session, sha256: str, data: dict[str, Any]) -> None:
    """A file's name, size and type, known before it is downloaded. The local file is never
    touched, and a row with a file keeps its name: its user named it when attaching it here
    (Desk.add_attachment), or it was named by the server before its download. Only the
    hash-made name of a download that came first gives way."""
    row = session.get(m.Attachment, sha256)
    if row is None:
        row = m.Attachment(sha256=sha256, local_path=None)
        session.add(row)
    if row.local_path is None or row.file_name == unnamed(sha256):
        row.file_name = data["file_name"]
    row.size, row.mime = data["size"], data["mime"]
