"""The application services a counter's UI calls: each clerk action is decided by the
shared rules, applied to the cache and queued for the server in one transaction.

The UI never waits on the network: these calls touch only the local store, then nudge the
sync engine (``on_write``). An impossible action raises :class:`Rejected` with a Chinese
message at once, and nothing is written.
"""

from __future__ import annotations

import hashlib
import shutil
import uuid
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from app import local
from app.attachments import ACCEPTED_NAMES, MAX_BYTES, sniff
from app.domain import commands as c
from app.domain.entities import AttachmentRef, Staff
from app.sqltypes import utcnow
from app.store import Store
from app.store import models as m
from app.text import Text


class AttachmentError(ValueError):
    """A file that cannot be attached; ``message`` is Chinese (a Text), as Rejected's."""

    def __init__(self, message: Text) -> None:
        super().__init__(message)
        self.message = message


class Desk:
    def __init__(self, store: Store, actor: Staff, *, now: Callable[[], datetime],
                 device_id: str, blob_dir: Path,
                 on_write: Callable[[], None] = lambda: None) -> None:
        self.store = store
        self.actor = actor
        self.now = now  # the server-corrected clock
        self.device_id = device_id
        self.blob_dir = blob_dir
        self.on_write = on_write

    def act(self, command: c.Command, entity_id: str) -> str:
        """Apply any command locally and queue it; returns the entity id."""
        with self.store.session() as session:
            ctx = local.context(session, self.now(), self.device_id)
            local.record_action(session, command.op_type, entity_id, c.to_args(command),
                                self.actor, ctx)
        self.on_write()
        return entity_id

    # -- the counter's actions (one line each: the rules live in app.domain) ---------------

    def register_case(self, **fields) -> str:
        return self.act(c.RegisterCase(**fields), str(uuid.uuid4()))

    def send_request(self, case_id: str, **fields) -> str:
        return self.act(c.SendRequest(case_id=case_id, **fields), str(uuid.uuid4()))

    def accept(self, request_id: str) -> str:
        return self.act(c.Accept(), request_id)

    def reply(self, request_id: str, text: str, attachments: tuple[str, ...] = ()) -> str:
        return self.act(c.Reply(text=text, attachments=attachments), request_id)

    def send_back(self, request_id: str, reason: str) -> str:
        return self.act(c.SendBack(reason=reason), request_id)

    def resubmit(self, request_id: str, text: str, attachments: tuple[str, ...] = ()) -> str:
        return self.act(c.Resubmit(text=text, attachments=attachments), request_id)

    def forward(self, request_id: str, to_department: str, reason: str) -> str:
        return self.act(c.Forward(to_department=to_department, reason=reason), request_id)

    def extend(self, request_id: str, working_hours: float, reason: str) -> str:
        return self.act(c.Extend(working_hours=working_hours, reason=reason), request_id)

    def approve_extension(self, request_id: str) -> str:
        return self.act(c.ApproveExtension(), request_id)

    def decline_extension(self, request_id: str, reason: str = "") -> str:
        return self.act(c.DeclineExtension(reason=reason), request_id)

    def withdraw(self, request_id: str, reason: str) -> str:
        return self.act(c.Withdraw(reason=reason), request_id)

    def urge(self, request_id: str, note: str = "") -> str:
        return self.act(c.Urge(note=note), request_id)

    def confirm(self, request_id: str, rating: int, comment: str = "",
                indicators: tuple[str, ...] = ()) -> str:
        return self.act(c.Confirm(rating=rating, comment=comment, indicators=indicators),
                        request_id)

    def reopen(self, request_id: str, reason: str) -> str:
        return self.act(c.Reopen(reason=reason), request_id)

    def rectification_callback(self, request_id: str, *, measures: str, called_by: str,
                               called_at: datetime, outcome: str, note: str = "") -> str:
        return self.act(c.RectificationCallback(measures=measures, called_by=called_by,
                                                called_at=called_at, outcome=outcome,
                                                note=note), request_id)

    def appeal(self, request_id: str, reason: str) -> str:
        return self.act(c.Appeal(reason=reason), request_id)

    def decide_appeal(self, request_id: str, uphold: bool, note: str) -> str:
        return self.act(c.DecideAppeal(uphold=uphold, note=note), request_id)

    def complete_case(self, case_id: str, result: str) -> str:
        return self.act(c.CompleteCase(result=result), case_id)

    def explain_case(self, case_id: str, reason: str) -> str:
        return self.act(c.ExplainCase(reason=reason), case_id)

    def record_callback(self, case_id: str, outcome: str, note: str = "") -> str:
        return self.act(c.RecordCallback(outcome=outcome, note=note), case_id)

    def set_case_deadline(self, case_id: str, due_at: datetime, reason: str) -> str:
        return self.act(c.SetCaseDeadline(due_at=due_at, reason=reason), case_id)

    def reopen_case(self, case_id: str, reason: str) -> str:
        return self.act(c.ReopenCase(reason=reason), case_id)

    # -- attachments and conflicts ---------------------------------------------------------

    def add_attachment(self, path: Path) -> AttachmentRef:
        """Keep a copy of a scanned or chosen file in the local blob store, ready to upload
        before the op that names it. Refused at once if the server would refuse it."""
        size = path.stat().st_size
        if size == 0:
            raise AttachmentError(Text("文件 {name} 是空的", name=path.name))
        if size > MAX_BYTES:
            raise AttachmentError(Text("文件 {name} 超过 {most} MB", name=path.name,
                                       most=MAX_BYTES // (1024 * 1024)))
        mime = sniff(path)
        if mime is None:
            raise AttachmentError(Text("文件 {name} 的格式不受支持，仅支持 {accepted}",
                                       name=path.name, accepted=Text(ACCEPTED_NAMES)))
        digest = hashlib.sha256()
        with path.open("rb") as file:
            for chunk in iter(lambda: file.read(1 << 16), b""):
                digest.update(chunk)
        sha = digest.hexdigest()
        target = blob_path(self.blob_dir, sha)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_suffix(".part")
            shutil.copyfile(path, temporary)
            temporary.replace(target)
        with self.store.session() as session:
            session.merge(m.Attachment(sha256=sha, file_name=path.name, size=size, mime=mime,
                                       local_path=str(target)))
        return AttachmentRef(sha256=sha, file_name=path.name, size=size, mime=mime)

    def dismiss_conflict(self, op_id: str) -> None:
        with self.store.session() as session:
            conflict = session.get(m.Conflict, op_id)
            if conflict is not None and conflict.dismissed_at is None:
                conflict.dismissed_at = utcnow()


def blob_path(blob_dir: Path, sha256: str) -> Path:
    return blob_dir / sha256[:2] / sha256[2:4] / sha256
