"""Applying pushed ops: each exactly once, in order, judged by the shared state machines.

An op is applied inside its own savepoint, so a rejected op changes nothing and never
blocks the ops after it. Its result is stored under its op_id; a retry answers
"duplicate" with the original result.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
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
from server.deps import Principal
from server.hall import HallRules
from server.models import AppliedOp, Blob, BlobRef, BlobUpload, CaseRow, RequestRow
from server.sync.changes import ChangeLog, audience_of, grant
from server.timeline import append_events

APPLIED, DUPLICATE, REJECTED = "applied", "duplicate", "rejected"
MAX_OFFLINE = timedelta(days=30)  # older client times are not trusted for case numbers


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
    return [_push_one(session, log, ctx, principal, device_id, op) for op in ops]


def _push_one(session: Session, log: ChangeLog, ctx: Context, principal: Principal,
              device_id: str, op: dict[str, Any]) -> OpResult:
    op_id = op["op_id"]
    previous = session.get(AppliedOp, op_id)
    if previous is not None:
        return _duplicate(previous)
    record = AppliedOp(op_id=op_id, user_id=principal.staff.id, device_id=device_id,
                       type=op["type"], entity_id=op["entity_id"], status=APPLIED, at=ctx.now)
    try:
        with session.begin_nested():
            # Claim the op_id first: a concurrent retry of the same op waits here for us to
            # commit, then fails on the key and answers "duplicate".
            session.add(record)
            session.flush()
    except IntegrityError:
        return _duplicate(session.get(AppliedOp, op_id, populate_existing=True))
    op_log = ChangeLog()
    try:
        try:
            with session.begin_nested():
                _apply(session, op_log, ctx, principal, op)
        except IntegrityError:
            # e.g. two cases of one department and day whose numbers collide: this op
            # cannot be applied as it is, and retrying will not change that.
            raise _conflict("办件") from None
    except Rejected as rejection:
        record.status, record.code, record.message = REJECTED, rejection.code, rejection.message
        _record_attempt(session, log, ctx, principal, op, rejection)
        return OpResult(op_id, REJECTED, rejection.code, rejection.message)
    for (entity, entity_id), audience in op_log.entries.items():
        log.record(entity, entity_id, audience)
    return OpResult(op_id, APPLIED)


def _record_attempt(session: Session, log: ChangeLog, ctx: Context, principal: Principal,
                    op: dict[str, Any], rejection: Rejected) -> None:
    """A refused action on something the user sees is part of its history (全程追溯): both
    sides of a conflict can read who tried what, and why it did not take effect."""
    entity = "case" if op["type"].startswith("case.") else "request"
    row = session.get(CaseRow if entity == "case" else RequestRow, op["entity_id"])
    if row is None or op["type"] in ("case.register", "request.send") or not principal.sees(
            audience_of(session, entity, row.id)):
        return
    event = ctx.event(entity, row.id, "rejected_attempt", principal.staff,
                      op_type=op["type"], code=rejection.code, message=rejection.message)
    append_events(session, log, [event], row.id if entity == "case" else row.case_id,
                  op["op_id"])


def _duplicate(previous: AppliedOp) -> OpResult:
    original = {"status": previous.status}
    if previous.code:
        original["code"] = previous.code
        original["message"] = previous.message
    return OpResult(previous.op_id, DUPLICATE, original=original)


# -- applying one op ------------------------------------------------------------------------


def _apply(session: Session, log: ChangeLog, ctx: Context, principal: Principal,
           op: dict[str, Any]) -> None:
    command = parse_command(op["type"], op.get("args") or {})
    entity_id = op["entity_id"]
    actor = principal.staff
    writer = _Writer(session, log, op["op_id"], actor.id)
    if isinstance(command, RegisterCase):
        if session.get(CaseRow, entity_id) is not None:
            raise _conflict("办件")
        writer.check_blobs(command.attachments, principal)
        t = cases.register(entity_id, command, actor, ctx,
                           numbered_at=_registration_time(op.get("client_time"), ctx))
        writer.save_case(t.case, new=True)
        writer.grant_case(t.case.id, {t.case.department})
        writer.events(t.events, t.case.id)
        writer.ref_blobs(command.attachments, "case", t.case.id)
    elif isinstance(command, SendRequest):
        if session.get(RequestRow, entity_id) is not None:
            raise _conflict("协同请求")
        case = writer.load_case(command.case_id, principal)
        writer.check_blobs(command.attachments, principal)
        t = requests.send(entity_id, case, command, actor, ctx)
        writer.save_request(t.request, new=True)
        writer.share_request(t.request, {t.request.from_department, t.request.to_department})
        if t.case is not None:
            writer.save_case(t.case)
        writer.events(t.events, case.id)
        writer.ref_blobs(command.attachments, "request", entity_id)
    elif op["type"].startswith("case."):
        case = writer.load_case(entity_id, principal)
        t = cases.decide(case, command, actor, ctx)
        writer.save_case(t.case)
        writer.events(t.events, case.id)
    else:
        request = writer.load_request(entity_id, principal)
        attachments = getattr(command, "attachments", ())
        writer.check_blobs(attachments, principal)
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


class _Writer:
    """Loads and saves the rows one op touches, and records what changed for whom."""

    def __init__(self, session: Session, log: ChangeLog, op_id: str, user_id: str) -> None:
        self.session = session
        self.log = log
        self.op_id = op_id
        self.user_id = user_id

    def load_case(self, case_id: str, principal: Principal) -> Case:
        row = self.session.get(CaseRow, case_id, with_for_update=True)
        if row is None:
            raise _not_found("办件")
        if not principal.sees(audience_of(self.session, "case", case_id)):
            raise _forbidden("办件")
        return from_data(Case, row.data)

    def load_request(self, request_id: str, principal: Principal) -> CollabRequest:
        row = self.session.get(RequestRow, request_id, with_for_update=True)
        if row is None:
            raise _not_found("协同请求")
        if not principal.sees(audience_of(self.session, "request", request_id)):
            raise _forbidden("协同请求")
        return from_data(CollabRequest, row.data)

    def save_case(self, case: Case, new: bool = False) -> None:
        row = CaseRow(id=case.id) if new else self.session.get(CaseRow, case.id)
        row.number, row.department_code = case.number, case.department
        row.state, row.category = case.state.value, case.category.value
        row.registered_at, row.due_at = case.registered_at, case.due_at
        row.version, row.data = case.version, to_data(case)
        if new:
            self.session.add(row)
        self.session.flush()  # a duplicate case number fails here, inside the op's savepoint
        self.log.record("case", case.id, audience_of(self.session, "case", case.id))

    def save_request(self, request: CollabRequest, new: bool = False) -> None:
        row = RequestRow(id=request.id) if new else self.session.get(RequestRow, request.id)
        row.case_id = request.case_id
        row.from_department, row.to_department = request.from_department, request.to_department
        row.state, row.sent_at, row.due_at = request.state.value, request.sent_at, request.due_at
        row.clock_started_at, row.replied_at = request.clock_started_at, request.replied_at
        row.version, row.data = request.version, to_data(request)
        if new:
            self.session.add(row)
        self.session.flush()

    def grant_case(self, case_id: str, departments: set[str]) -> None:
        grant(self.session, self.log, "case", case_id, departments)
        self.log.record("case", case_id, audience_of(self.session, "case", case_id))

    def share_request(self, request: CollabRequest, departments: set[str]) -> None:
        """Let the departments holding a request see it and its case; record the change."""
        grant(self.session, self.log, "request", request.id, departments)
        new_for_case = grant(self.session, self.log, "case", request.case_id, departments)
        self.log.record("request", request.id, audience_of(self.session, "request", request.id))
        if new_for_case:
            self.log.record("case", request.case_id,
                            audience_of(self.session, "case", request.case_id))

    def events(self, events: tuple[Event, ...], case_id: str) -> None:
        append_events(self.session, self.log, events, case_id, self.op_id)

    def check_blobs(self, hashes: tuple[str, ...], principal: Principal) -> None:
        for sha in hashes:
            blob = self.session.get(Blob, sha)
            if blob is None:
                raise Rejected("missing_blob", f"附件 {sha[:12]}… 尚未上传到服务器，请重新同步",
                               reason="missing_blob")
            if not blob_usable(self.session, sha, principal):
                raise _forbidden("附件")

    def ref_blobs(self, hashes: tuple[str, ...], entity: str, entity_id: str) -> None:
        """Note which blobs the entity names; everyone who sees it learns each new one's
        name, size and type (the ``attachment`` entity) before downloading it."""
        for sha in dict.fromkeys(hashes):
            if self.session.get(BlobRef, (sha, entity, entity_id)) is None:
                self.session.add(BlobRef(sha256=sha, entity=entity, entity_id=entity_id,
                                         file_name=self._upload_name(sha)))
                self.log.record("attachment", sha,
                                audience_of(self.session, entity, entity_id))

    def _upload_name(self, sha: str) -> str | None:
        """The name this op's user uploaded the file under, else any uploader's."""
        names = dict(self.session.execute(
            select(BlobUpload.user_id, BlobUpload.file_name).where(
                BlobUpload.sha256 == sha, BlobUpload.file_name.is_not(None))).all())
        return names.get(self.user_id) or min(names.values(), default=None)


def blob_usable(session: Session, sha: str, principal: Principal) -> bool:
    """Whether the principal uploaded the blob or sees a case or request referencing it."""
    if session.get(BlobUpload, (sha, principal.staff.id)) is not None:
        return True
    refs = session.execute(select(BlobRef.entity, BlobRef.entity_id)
                           .where(BlobRef.sha256 == sha)).all()
    return any(principal.sees(audience_of(session, e, i)) for e, i in refs)

