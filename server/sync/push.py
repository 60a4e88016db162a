"""Applying pushed ops: each exactly once, in order, judged by the shared state machines.

A push first claims all its op ids in one statement; an id already taken, by an earlier
push or earlier in this one, answers "duplicate" with the original result. Each op is then
judged entirely in memory, against the state the ops before it left (:class:`_Batch`), and
changes anything only once it is accepted, so a rejected op leaves no trace but its result
(and a ``rejected_attempt`` event) and never blocks the ops after it.

The rows of the accepted ops are written together, once per push. A new case's or
request's id or number can still turn out to be taken then (a number collision, a
concurrent push): the push is rolled back to its start and applied again, inserting each
new case or request as it goes, so that only the op that made it is rejected, with
``conflict``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import Connection, Table, bindparam, select, update
from sqlalchemy.orm import Session

from app.domain import cases, requests
from app.domain.commands import (
    RegisterCase,
    SendRequest,
    parse_command,
)
from app.domain.entities import Case, CollabRequest, Event
from app.domain.errors import Rejected
from app.domain.rules import Context
from app.domain.serialize import from_data, to_data
from server.bulk import insert_new_keys, insert_rows, present
from server.deps import Principal
from server.hall import HallRules
from server.models import (
    Access,
    AppliedOp,
    Blob,
    BlobRef,
    BlobUpload,
    CaseRow,
    EventRow,
    RequestRow,
)
from server.sync.changes import ChangeLog, audience_of
from server.timeline import event_row

APPLIED, DUPLICATE, REJECTED = "applied", "duplicate", "rejected"
MAX_OFFLINE = timedelta(days=30)  # older client times are not trusted for case numbers

OPS: Table = AppliedOp.__table__
CASES: Table = CaseRow.__table__
REQUESTS: Table = RequestRow.__table__
ACCESS: Table = Access.__table__
EVENTS: Table = EventRow.__table__
BLOB_REFS: Table = BlobRef.__table__
CREATED_BY = {"case.register": "case", "request.send": "request"}  # op type → what it creates
NOUNS = {"case": "办件", "request": "协同请求"}


@dataclass(frozen=True)
class OpResult:
    op_id: str
    status: str
    code: str | None = None
    message: str | None = None
    original: dict[str, Any] | None = None

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


def push(session: Session, log: ChangeLog, rules: HallRules, principal: Principal,
         device_id: str, ops: list[dict[str, Any]], now) -> list[OpResult]:
    ctx = rules.context(now, device_id)
    conn = session.connection()
    claimed = _claim(conn, principal, device_id, ops, ctx.now)
    earlier = _earlier_results(conn, {op["op_id"] for op in ops} - claimed)
    taken = _taken_ids(conn, ops)
    attempt = conn.begin_nested()
    try:
        batch = _apply_all(_Batch(conn, principal, taken, create_at_once=False), ctx, ops,
                           claimed, earlier)
        attempt.commit()
    except _Taken:
        attempt.rollback()
        batch = _apply_all(_Batch(conn, principal, taken, create_at_once=True), ctx, ops,
                           claimed, earlier)
    _store_rejections(conn, [r for r in batch.results if r.status == REJECTED])
    for (entity, entity_id), audience in batch.log.entries.items():
        log.record(entity, entity_id, audience)
    return batch.results


def _apply_all(batch: _Batch, ctx: Context, ops: list[dict[str, Any]], claimed: set[str],
               earlier: dict[str, OpResult]) -> _Batch:
    first: dict[str, OpResult] = {}  # the result of each op id this push applies
    for op in ops:
        op_id = op["op_id"]
        if op_id in claimed and op_id not in first:
            first[op_id] = result = _push_one(batch, ctx, op)
        else:
            result = _duplicate(op_id, first.get(op_id) or earlier[op_id])
        batch.results.append(result)
    batch.flush()
    return batch


def _claim(conn: Connection, principal: Principal, device_id: str,
           ops: list[dict[str, Any]], now) -> set[str]:
    """Insert the op table's row of every new op_id, as applied until judged otherwise; the
    ids inserted. A concurrent push of the same op makes this wait for its commit, and the
    id is then not ours: "duplicate". In op_id order, so two such pushes cannot deadlock."""
    rows = {op["op_id"]: {"op_id": op["op_id"], "user_id": principal.staff.id,
                          "device_id": device_id, "type": op["type"],
                          "entity_id": op["entity_id"], "status": APPLIED, "at": now}
            for op in reversed(ops)}  # reversed: the first op with an id gives its row
    if not rows:
        return set()
    return set(insert_new_keys(conn, OPS, [rows[op_id] for op_id in sorted(rows)]))


def _earlier_results(conn: Connection, op_ids: set[str]) -> dict[str, OpResult]:
    if not op_ids:
        return {}
    rows = conn.execute(select(OPS.c.op_id, OPS.c.status, OPS.c.code, OPS.c.message)
                        .where(OPS.c.op_id.in_(op_ids)))
    return {op_id: OpResult(op_id, status, code, message)
            for op_id, status, code, message in rows}


def _store_rejections(conn: Connection, rejected: list[OpResult]) -> None:
    if rejected:
        conn.execute(update(OPS).where(OPS.c.op_id == bindparam("b_op_id")),
                     [{"b_op_id": r.op_id, "status": REJECTED, "code": r.code,
                       "message": r.message} for r in rejected])


def _taken_ids(conn: Connection, ops: list[dict[str, Any]]) -> set[tuple[str, str]]:
    """(entity, id) of the new entities the ops would create that already exist."""
    taken = set()
    for entity, table in (("case", CASES), ("request", REQUESTS)):
        ids = {op["entity_id"] for op in ops if CREATED_BY.get(op["type"]) == entity}
        taken |= {(entity, i) for i in present(conn, table.c.id, ids)}
    return taken


def _push_one(batch: _Batch, ctx: Context, op: dict[str, Any]) -> OpResult:
    op_id = op["op_id"]
    try:
        _apply(_Writer(batch, op_id), ctx, op)
    except Rejected as rejection:
        _record_attempt(batch, ctx, op, rejection)
        return OpResult(op_id, REJECTED, rejection.code, rejection.message)
    return OpResult(op_id, APPLIED)


def _record_attempt(batch: _Batch, ctx: Context, op: dict[str, Any],
                    rejection: Rejected) -> None:
    """A refused action on something the user sees is part of its history (全程追溯): both
    sides of a conflict can read who tried what, and why it did not take effect."""
    if op["type"] in CREATED_BY:
        return
    entity = "case" if op["type"].startswith("case.") else "request"
    entity_id = op["entity_id"]
    case_id = batch.case_of(entity, entity_id)
    if case_id is None or not batch.principal.sees(batch.audience(entity, entity_id)):
        return
    event = ctx.event(entity, entity_id, "rejected_attempt", batch.principal.staff,
                      op_type=op["type"], code=rejection.code, message=rejection.message)
    batch.add_events([event], case_id, op["op_id"])


def _duplicate(op_id: str, first: OpResult) -> OpResult:
    original = {"status": first.status}
    if first.code:
        original["code"] = first.code
        original["message"] = first.message
    return OpResult(op_id, DUPLICATE, original=original)


# -- applying one op ------------------------------------------------------------------------


def _apply(writer: _Writer, ctx: Context, op: dict[str, Any]) -> None:
    command = parse_command(op["type"], op.get("args") or {})
    entity_id = op["entity_id"]
    actor = writer.principal.staff
    if isinstance(command, RegisterCase):
        writer.require_unused("case", entity_id)
        writer.check_blobs(command.attachments)
        t = cases.register(entity_id, command, actor, ctx,
                           numbered_at=_registration_time(op.get("client_time"), ctx))
        writer.create_case(t.case)
        writer.grant_case(t.case.id, {t.case.department})
        writer.events(t.events, t.case.id)
        writer.ref_blobs(command.attachments, "case", t.case.id)
    elif isinstance(command, SendRequest):
        writer.require_unused("request", entity_id)
        case = writer.load_case(command.case_id)
        writer.check_blobs(command.attachments)
        t = requests.send(entity_id, case, command, actor, ctx)
        writer.create_request(t.request)
        writer.share_request(t.request, {t.request.from_department, t.request.to_department})
        if t.case is not None:
            writer.save_case(t.case)
        writer.events(t.events, case.id)
        writer.ref_blobs(command.attachments, "request", entity_id)
    elif op["type"].startswith("case."):
        case = writer.load_case(entity_id)
        t = cases.decide(case, command, actor, ctx)
        writer.save_case(t.case)
        writer.events(t.events, case.id)
    else:
        request = writer.load_request(entity_id)
        attachments = getattr(command, "attachments", ())
        writer.check_blobs(attachments)
        t = requests.decide(request, command, actor, ctx)
        writer.save_request(t.request)
        writer.share_request(t.request, {t.request.to_department})
        writer.events(t.events, request.case_id)
        writer.ref_blobs(attachments, "request", entity_id)


def _registration_time(client_time, ctx: Context):
    """The case number's date is the day the clerk registered it, as the client saw it
    (so the receipt printed offline stays right), within sane bounds of server time."""
    if client_time is None or client_time.tzinfo is None:
        return ctx.now
    if not ctx.now - MAX_OFFLINE <= client_time <= ctx.now + timedelta(days=1):
        return ctx.now
    return client_time


def _conflict(what: str) -> Rejected:
    return Rejected("conflict", f"{what}编号已被另一操作使用，请重新发起", reason="conflict")


def _not_found(what: str) -> Rejected:
    return Rejected("not_found", f"没有找到该{what}（可能已被删除或尚未同步）", reason="not_found")


def _forbidden(what: str) -> Rejected:
    return Rejected(Rejected.FORBIDDEN, f"无权查看或办理该{what}", reason="not_visible")


def _row(value: Case | CollabRequest) -> dict[str, Any]:
    """The ``cases`` or ``requests`` row of an entity, but its id."""
    return _case_row(value) if isinstance(value, Case) else _request_row(value)


def _case_row(case: Case) -> dict[str, Any]:
    return {"number": case.number, "department_code": case.department,
            "state": case.state.value, "category": case.category.value,
            "registered_at": case.registered_at, "due_at": case.due_at,
            "version": case.version, "data": to_data(case)}


def _request_row(request: CollabRequest) -> dict[str, Any]:
    return {"case_id": request.case_id, "from_department": request.from_department,
            "to_department": request.to_department, "state": request.state.value,
            "sent_at": request.sent_at, "due_at": request.due_at,
            "clock_started_at": request.clock_started_at, "replied_at": request.replied_at,
            "version": request.version, "data": to_data(request)}


@dataclass
class _History:
    """What a department newly given access to an entity receives again."""

    events: list[str] = field(default_factory=list)
    attachments: list[str] = field(default_factory=list)


class _Taken(Exception):
    """A new case's or request's id or number was taken after all, found on writing it."""


class _Batch:
    """One push's view of the database: the cases and requests it has read (locked) or
    made, who sees them, what changed for whom, and the rows it has yet to write. Each op
    sees the ones before it through this, whether or not their rows are written yet."""

    def __init__(self, conn: Connection, principal: Principal, taken: set[tuple[str, str]],
                 *, create_at_once: bool) -> None:
        self.conn = conn
        self.log = ChangeLog()
        self.results: list[OpResult] = []
        self.principal = principal
        self.taken = taken  # ids of new entities that already exist
        self.create_at_once = create_at_once  # else a taken id or number raises _Taken late
        self.entities: dict[tuple[str, str], Case | CollabRequest] = {}
        self.audiences: dict[tuple[str, str], set[str]] = {}
        self.created: dict[tuple[str, str], _History] = {}  # by this push: all its history
        # to write, by id, as the last op left them (so each is serialised once)
        self.unwritten: dict[Table, dict[str, Case | CollabRequest]] = {CASES: {}, REQUESTS: {}}
        self.changed: dict[Table, dict[str, Case | CollabRequest]] = {CASES: {}, REQUESTS: {}}
        self.new_rows: dict[Table, list[dict[str, Any]]] = {EVENTS: [], ACCESS: []}

    # reading

    def find(self, entity: str, entity_id: str) -> Case | CollabRequest | None:
        """The entity as the ops so far left it; locked for the rest of the transaction."""
        key = (entity, entity_id)
        if key not in self.entities:
            table, kind = (CASES, Case) if entity == "case" else (REQUESTS, CollabRequest)
            data = self.conn.scalar(select(table.c.data).where(table.c.id == entity_id)
                                    .with_for_update())
            if data is None:
                return None
            self.entities[key] = from_data(kind, data)
        return self.entities[key]

    def case_of(self, entity: str, entity_id: str) -> str | None:
        """The case an existing case or request belongs to; None if there is no such thing."""
        if (entity, entity_id) in self.entities:
            found = self.entities[(entity, entity_id)]
            return found.id if entity == "case" else found.case_id
        if entity == "case":
            return self.conn.scalar(select(CASES.c.id).where(CASES.c.id == entity_id))
        return self.conn.scalar(select(REQUESTS.c.case_id).where(REQUESTS.c.id == entity_id))

    def audience(self, entity: str, entity_id: str) -> set[str]:
        key = (entity, entity_id)
        if key not in self.audiences:
            self.audiences[key] = audience_of(self.conn, entity, entity_id)
        return self.audiences[key]

    def is_unused(self, entity: str, entity_id: str) -> bool:
        key = (entity, entity_id)
        return key not in self.taken and key not in self.created

    def history(self, entity: str, entity_id: str) -> _History:
        """The events and attachments of an entity, including this push's."""
        key = (entity, entity_id)
        if key in self.created:
            return self.created[key]
        self.flush()
        return _History(
            list(self.conn.scalars(select(EVENTS.c.id).where(EVENTS.c.entity == entity,
                                                              EVENTS.c.entity_id == entity_id))),
            list(self.conn.scalars(select(BLOB_REFS.c.sha256).where(
                BLOB_REFS.c.entity == entity, BLOB_REFS.c.entity_id == entity_id))))

    # writing

    def create(self, entity: str, value: Case | CollabRequest) -> bool:
        """Add a new case or request; False if its id or number is taken (as far as can be
        known before it is written, unless it is written at once)."""
        table = CASES if entity == "case" else REQUESTS
        if not self.create_at_once:
            self.unwritten[table][value.id] = value
        elif not insert_rows(self.conn, table, [{"id": value.id, **_row(value)}],
                             skip_taken=True):
            return False
        key = (entity, value.id)
        self.entities[key] = value
        self.audiences[key] = set()
        self.created[key] = _History()
        return True

    def save(self, entity: str, value: Case | CollabRequest) -> None:
        table = CASES if entity == "case" else REQUESTS
        self.entities[(entity, value.id)] = value
        pending = self.unwritten[table]
        (pending if value.id in pending else self.changed[table])[value.id] = value

    def grant(self, entity: str, entity_id: str, departments: set[str]) -> set[str]:
        """Let ``departments`` see an entity; a newcomer also receives the entity's history
        and the attachments it names (which it may now download)."""
        audience = self.audience(entity, entity_id)
        new = departments - audience
        if not new:
            return new
        audience |= new
        self.new_rows[ACCESS] += [{"entity": entity, "entity_id": entity_id,
                                   "department_code": d} for d in sorted(new)]
        history = self.history(entity, entity_id)
        for event_id in history.events:
            self.log.record("event", event_id, new)
        for sha in history.attachments:
            self.log.record("attachment", sha, new)
        return new

    def add_events(self, events: tuple[Event, ...] | list[Event], case_id: str,
                   op_id: str) -> None:
        for event in events:
            row = event_row(event, case_id, op_id)
            self.new_rows[EVENTS].append(row)
            key = (event.entity, event.entity_id)
            if key in self.created:
                self.created[key].events.append(row["id"])
            self.log.record("event", row["id"], self.audience(*key))

    def add_blob_ref(self, sha: str, entity: str, entity_id: str, file_name: str | None) -> None:
        insert_rows(self.conn, BLOB_REFS, [{"sha256": sha, "entity": entity,
                                            "entity_id": entity_id, "file_name": file_name}],
                    skip_taken=True)
        if (entity, entity_id) in self.created:
            self.created[(entity, entity_id)].attachments.append(sha)

    def flush(self) -> None:
        """Write the rows the ops so far left pending, before reading what they touch."""
        for table, new in self.unwritten.items():
            if new:
                rows = [{"id": entity_id, **_row(v)} for entity_id, v in new.items()]
                if insert_rows(self.conn, table, rows, skip_taken=True) < len(rows):
                    raise _Taken
                new.clear()
        for table, rows in self.new_rows.items():
            if rows:
                insert_rows(self.conn, table, rows, skip_taken=True)
                rows.clear()
        for table, changed in self.changed.items():
            if changed:
                self.conn.execute(update(table).where(table.c.id == bindparam("b_id")),
                                  [{"b_id": key, **_row(v)} for key, v in changed.items()])
                changed.clear()


class _Writer:
    """Loads and saves what one op touches, and records what changed for whom. Everything
    that can refuse the op happens before its first write."""

    def __init__(self, batch: _Batch, op_id: str) -> None:
        self.batch = batch
        self.log = batch.log
        self.op_id = op_id
        self.principal = batch.principal

    def require_unused(self, entity: str, entity_id: str) -> None:
        if not self.batch.is_unused(entity, entity_id):
            raise _conflict(NOUNS[entity])

    def load_case(self, case_id: str) -> Case:
        return self._load("case", case_id)

    def load_request(self, request_id: str) -> CollabRequest:
        return self._load("request", request_id)

    def _load(self, entity: str, entity_id: str) -> Case | CollabRequest:
        found = self.batch.find(entity, entity_id)
        if found is None:
            raise _not_found(NOUNS[entity])
        if not self.principal.sees(self.batch.audience(entity, entity_id)):
            raise _forbidden(NOUNS[entity])
        return found

    def create_case(self, case: Case) -> None:
        # e.g. two cases of one department and day whose numbers collide: this op cannot
        # be applied as it is, and retrying will not change that.
        if not self.batch.create("case", case):
            raise _conflict("办件")
        self.log.record("case", case.id, self.batch.audience("case", case.id))

    def create_request(self, request: CollabRequest) -> None:
        if not self.batch.create("request", request):
            raise _conflict("协同请求")

    def save_case(self, case: Case) -> None:
        self.batch.save("case", case)
        self.log.record("case", case.id, self.batch.audience("case", case.id))

    def save_request(self, request: CollabRequest) -> None:
        self.batch.save("request", request)

    def grant_case(self, case_id: str, departments: set[str]) -> None:
        self.batch.grant("case", case_id, departments)
        self.log.record("case", case_id, self.batch.audience("case", case_id))

    def share_request(self, request: CollabRequest, departments: set[str]) -> None:
        """Let the departments holding a request see it and its case; record the change."""
        self.batch.grant("request", request.id, departments)
        new_for_case = self.batch.grant("case", request.case_id, departments)
        self.log.record("request", request.id, self.batch.audience("request", request.id))
        if new_for_case:
            self.log.record("case", request.case_id,
                            self.batch.audience("case", request.case_id))

    def events(self, events: tuple[Event, ...], case_id: str) -> None:
        self.batch.add_events(events, case_id, self.op_id)

    def check_blobs(self, hashes: tuple[str, ...]) -> None:
        if hashes:
            self.batch.flush()  # blob_usable reads who sees the cases naming a blob
        for sha in hashes:
            if self.batch.conn.scalar(select(Blob.sha256).where(Blob.sha256 == sha)) is None:
                raise Rejected("missing_blob", f"附件 {sha[:12]}… 尚未上传到服务器，请重新同步",
                               reason="missing_blob")
            if not blob_usable(self.batch.conn, sha, self.principal):
                raise _forbidden("附件")

    def ref_blobs(self, hashes: tuple[str, ...], entity: str, entity_id: str) -> None:
        """Note which blobs the entity names; everyone who sees it learns each new one's
        name, size and type (the ``attachment`` entity) before downloading it."""
        conn = self.batch.conn
        for sha in dict.fromkeys(hashes):
            if conn.scalar(select(BLOB_REFS.c.sha256).where(
                    BLOB_REFS.c.sha256 == sha, BLOB_REFS.c.entity == entity,
                    BLOB_REFS.c.entity_id == entity_id)) is None:
                self.batch.add_blob_ref(sha, entity, entity_id, self._upload_name(sha))
                self.log.record("attachment", sha, self.batch.audience(entity, entity_id))

    def _upload_name(self, sha: str) -> str | None:
        """The name this op's user uploaded the file under, else any uploader's."""
        names = dict(self.batch.conn.execute(
            select(BlobUpload.user_id, BlobUpload.file_name).where(
                BlobUpload.sha256 == sha, BlobUpload.file_name.is_not(None))).all())
        return names.get(self.principal.staff.id) or min(names.values(), default=None)


def blob_usable(session: Session | Connection, sha: str, principal: Principal) -> bool:
    """Whether the principal uploaded the blob or sees a case or request referencing it."""
    if session.scalar(select(BlobUpload.sha256).where(
            BlobUpload.sha256 == sha, BlobUpload.user_id == principal.staff.id)) is not None:
        return True
    refs = session.execute(select(BlobRef.entity, BlobRef.entity_id)
                           .where(BlobRef.sha256 == sha)).all()
    return any(principal.sees(audience_of(session, e, i)) for e, i in refs)
