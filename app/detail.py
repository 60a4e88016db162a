"""The request detail screen's data (no Qt): one request, its case, its attachments, the
whole timeline in words, the clock, and what this user may do with it right now.

What a user may do is asked of the domain itself, never re-derived here: each command is
tried against the state machine with placeholder arguments, so the screen offers exactly
the buttons the rules (and later the server) would accept.
"""

from __future__ import annotations

import dataclasses
import shutil
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import literal_column, select
from sqlalchemy.orm import Session

from app import local
from app.attachments import sniff
from app.domain import cases, requests
from app.domain import commands as c
from app.domain.entities import RATING_INDICATORS, Case, CollabRequest, Staff
from app.domain.enums import CaseState, Category, Channel, RequestRole, RequestState
from app.domain.errors import Rejected
from app.domain.rules import Context
from app.domain.serialize import type_hints
from app.store import Store
from app.store import models as m
from app.text import Text, clauses, listing
from app.worktime import WorkCalendar

# Commands on an existing request, in the order the screen shows their buttons.
REQUEST_ACTIONS: tuple[type[c.Command], ...] = (
    c.Accept, c.Reply, c.SendBack, c.Forward, c.Extend, c.ApproveExtension,
    c.DeclineExtension, c.Resubmit, c.Confirm, c.Reopen, c.Urge, c.Withdraw,
    c.RectificationCallback, c.Appeal, c.DecideAppeal,
)
# What may be done about the case from here: close it (办结 / 告知) and call back (回访).
CASE_ACTIONS: tuple[type[c.Command], ...] = (c.CompleteCase, c.ExplainCase, c.RecordCallback)

PREVIEWABLE = frozenset({"application/pdf", "image/jpeg", "image/png"})
EXTENSIONS = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png",
              "application/ofd": ".ofd"}
PENDING_LABEL = Text("待同步")


@dataclass(frozen=True)
class AttachmentInfo:
    sha256: str
    file_name: str  # as the uploader named it; Text "附件-1a2b3c4d" when this PC never saw it
    size: int | None  # None until this PC has the file or its row
    mime: str | None
    local_path: str | None  # None until downloaded
    source: Text  # "办件材料", "请求材料", "回复附件"

    @property
    def previewable(self) -> bool:
        """Worth offering 预览: a PDF or an image, or not known yet (decided after download)."""
        return self.mime is None or self.mime in PREVIEWABLE


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime  # server time, in the hall's time zone (this PC's time while pending)
    who: str
    department: str
    verb: str  # a value of local.EVENT_VERBS (or the event's kind, when unknown)
    details: str  # a Text
    pending: bool  # made by an unsent op on this PC
    entity: str  # "case" or "request"

    @property
    def pending_label(self) -> str:
        return PENDING_LABEL if self.pending else ""


@dataclass(frozen=True)
class RequestView:
    request: CollabRequest
    case: Case | None
    from_department_name: str
    to_department_name: str
    matter_name: str
    sent_by_name: str
    replied_by_name: str
    request_attachments: tuple[AttachmentInfo, ...]
    case_attachments: tuple[AttachmentInfo, ...]
    reply_attachments: tuple[AttachmentInfo, ...]
    timeline: tuple[TimelineEntry, ...]
    clock: str  # "running", "paused" (退回补正) or "stopped"
    remaining: timedelta | None  # working time left (negative: overdue); paused: what is kept
    due_at: datetime | None  # in the hall's time zone
    case_due_at: datetime | None
    allowed: tuple[type[c.Command], ...]  # request commands, then case commands
    forward_targets: tuple[tuple[str, str], ...]  # (code, name) a 转办 may go to
    departments: dict[str, str]
    calendar: WorkCalendar

    @property
    def tz(self) -> ZoneInfo:
        return self.calendar.tz

    @property
    def state_label(self) -> str:
        return self.request.state.label

    @property
    def attachments(self) -> tuple[AttachmentInfo, ...]:
        """Everything filed with the case and the request (the reply's files are apart)."""
        return self.case_attachments + self.request_attachments

    def remaining_at(self, now: datetime) -> timedelta | None:
        """The countdown at ``now`` (server-corrected), for a ticking display."""
        if self.clock == "running" and self.request.due_at is not None:
            return self.calendar.working_time_between(now, self.request.due_at)
        return self.remaining


def request_view(store: Store, request_id: str, actor: Staff, now: datetime,
                 device: str) -> RequestView | None:
    """Everything the detail screen shows of one request, or None if this PC lacks it."""
    with store.read() as session:
        request = local.load_request(session, request_id)
        if request is None:
            return None
        case = local.load_case(session, request.case_id)
        ctx = local.context(session, now, device)
        tz = ctx.calendar.tz
        names = dict(ctx.departments)
        people = _people(session, {request.sent_by, request.replied_by})
        matter = session.get(m.MatterType, case.matter_code) if case else None
        files = _attachment_rows(session, (*request.attachments, *request.reply_attachments,
                                           *(case.attachments if case else ())))
        clock, remaining = _clock(request, ctx)
        return RequestView(
            request=request,
            case=case,
            from_department_name=names.get(request.from_department, request.from_department),
            to_department_name=names.get(request.to_department, request.to_department),
            matter_name=matter.name if matter else (case.matter_code if case else ""),
            sent_by_name=people.get(request.sent_by, ""),
            replied_by_name=people.get(request.replied_by or "", ""),
            request_attachments=_infos(request.attachments, files, Text("请求材料")),
            case_attachments=_infos(case.attachments if case else (), files, Text("办件材料")),
            reply_attachments=_infos(request.reply_attachments, files, Text("回复附件")),
            timeline=_timeline(session, request, case, names, tz),
            clock=clock,
            remaining=remaining,
            due_at=request.due_at.astimezone(tz) if request.due_at else None,
            case_due_at=case.due_at.astimezone(tz) if case and case.due_at else None,
            allowed=allowed_actions(request, case, actor, ctx),
            forward_targets=tuple(
                (code, name) for code, name in _departments_in_order(session)
                if code not in (request.to_department, request.from_department)),
            departments=names,
            calendar=ctx.calendar,
        )


def allowed_actions(request: CollabRequest, case: Case | None, actor: Staff,
                    ctx: Context) -> tuple[type[c.Command], ...]:
    """The commands ``actor`` may give now: those the state machine accepts, or refuses only
    for their (placeholder) arguments — department, role and state all said yes."""
    allowed = [cls for cls in REQUEST_ACTIONS
               if _permits(lambda cmd: requests.decide(request, cmd, actor, ctx), cls, ctx)]
    if case is not None:
        allowed += [cls for cls in CASE_ACTIONS
                    if _permits(lambda cmd: cases.decide(case, cmd, actor, ctx), cls, ctx)]
    return tuple(allowed)


def _permits(decide, cls: type[c.Command], ctx: Context) -> bool:
    try:
        decide(placeholder(cls, ctx))
    except Rejected as rejected:
        return rejected.code == Rejected.INVALID_ARGUMENT
    return True


def placeholder(cls: type[c.Command], ctx: Context) -> c.Command:
    """A command of type ``cls`` with empty arguments (defaults where it has them)."""
    hints = type_hints(cls)
    empty: dict[Any, Any] = {str: "", int: 0, float: 0.0, bool: False, tuple[str, ...]: (),
                             datetime: ctx.now}
    values = {f.name: empty[hints[f.name]] for f in dataclasses.fields(cls)
              if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING}
    return cls(**values)


def open_copy(blob: Path, info: AttachmentInfo, folder: Path) -> tuple[Path, str | None]:
    """A copy of a downloaded blob under a name a desktop program recognises (the blob store
    names files by hash alone), kept in ``folder`` beside the user's blob store; and the
    file's type, told from its content when this PC did not know it."""
    mime = info.mime or sniff(blob)
    name = Path(info.file_name).name or info.sha256[:12]
    suffix = EXTENSIONS.get(mime or "", "")
    if suffix and not name.lower().endswith(suffix):
        name += suffix
    target = folder / info.sha256[:8] / name
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(blob, target)
    return target, mime


def describe_size(size: int | None) -> str:
    if size is None:
        return Text("未下载")
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


# -- the parts -----------------------------------------------------------------------------


def _clock(request: CollabRequest, ctx: Context) -> tuple[str, timedelta | None]:
    if request.clock_started_at is not None and request.due_at is not None:
        return "running", ctx.calendar.working_time_between(ctx.now, request.due_at)
    if request.state is RequestState.SENT_BACK:
        return "paused", request.paused_remaining
    return "stopped", None


def _people(session: Session, ids: set[str | None]) -> dict[str, str]:
    wanted = [i for i in ids if i]
    return dict(session.execute(select(m.Staff.id, m.Staff.name)
                                .where(m.Staff.id.in_(wanted))).all())


def _departments_in_order(session: Session) -> list[tuple[str, str]]:
    return list(session.execute(select(m.Department.code, m.Department.name)
                                .order_by(m.Department.sort_order, m.Department.code)).all())


def _attachment_rows(session: Session, hashes) -> dict[str, m.Attachment]:
    wanted = set(hashes)
    if not wanted:
        return {}
    return {row.sha256: row for row in session.scalars(
        select(m.Attachment).where(m.Attachment.sha256.in_(wanted)))}


def _infos(hashes, rows: dict[str, m.Attachment], source: Text) -> tuple[AttachmentInfo, ...]:
    out = []
    for sha in dict.fromkeys(hashes):  # each file once, in the order given
        row = rows.get(sha)
        path = row.local_path if row is not None and row.local_path else None
        if path is not None and not Path(path).exists():
            path = None
        # A file this PC only downloaded is named after its hash by the engine: say so.
        named = row is not None and row.file_name != local.unnamed(sha)
        out.append(AttachmentInfo(
            sha256=sha, file_name=row.file_name if named else Text("附件-{sha}", sha=sha[:8]),
            size=row.size if row is not None else None,
            mime=row.mime if row is not None else None,
            local_path=path, source=source))
    return tuple(out)


def _timeline(session: Session, request: CollabRequest, case: Case | None,
              names: dict[str, str], tz: ZoneInfo) -> tuple[TimelineEntry, ...]:
    ids = [request.id] + ([case.id] if case else [])
    # Events of one server transaction may share an instant: then the order they reached
    # this cache in (the server's change-log order, or the outbox order) decides.
    found = session.execute(select(m.Event, literal_column("events.rowid"))
                            .where(m.Event.entity_id.in_(ids))).all()
    rows = [event for event, _ in sorted(found, key=lambda pair: (pair[0].at, pair[1]))]
    return tuple(TimelineEntry(
        at=row.at.astimezone(tz),
        who=row.actor_name,
        department=names.get(row.department_code, row.department_code or ""),
        verb=local.EVENT_VERBS.get(row.kind, row.kind),
        details=describe_event(row.kind, row.details or {}, names, tz),
        pending=row.pending,
        entity=row.entity,
    ) for row in rows)


DEADLINE_REASONS = {"paused": "退回补正，暂停计时", "resumed": "补正后恢复计时",
                     "restarted": "重新计时", "extended": "批准延期，延长期限",
                     "recomputed": "工作日历调整，重算期限", "consulted": "会商确定期限"}


def describe_event(kind: str, d: dict[str, Any], names: dict[str, str], tz: ZoneInfo) -> str:
    """An event's details in a clerk's words (never an ID number or a phone), as a Text."""

    def dept(code: str | None) -> str:
        return names.get(code or "", code or "")

    def when(value: str | None) -> str:
        return _short(datetime.fromisoformat(value).astimezone(tz)) if value else Text("无")

    def files() -> str:
        n = len(d.get("attachments") or ())
        return Text("；附件 {count} 个", count=n) if n else ""

    def said(label: Text, key: str) -> str:
        return Text("{label}：{value}", label=label, value=d[key]) if d.get(key) else ""

    def on_time() -> str:
        if "on_time" not in d:
            return ""
        return Text("（按期）") if d["on_time"] else Text("（超期）")

    match kind:
        case "registered":
            due = when(d["due_at"]) if d.get("due_at") else Text("会商确定")
            return Text("办件编号 {number}，渠道 {channel}，类别 {category}，期限 {due}",
                        number=d.get("number", ""), channel=_label(Channel, d.get("channel")),
                        category=_label(Category, d.get("category")), due=due)
        case "collaboration_started":
            return Text("办件 {old} → {new}", old=_label(CaseState, d.get("old_state")),
                        new=_label(CaseState, d.get("new_state")))
        case "sent":
            return Text("请 {department} {role}：{subject}；需要：{needed}{files}；期限 {due}",
                        department=dept(d.get("to_department")),
                        role=_label(RequestRole, d.get("role")), subject=d.get("subject", ""),
                        needed=d.get("needed", ""), files=files(), due=when(d.get("due_at")))
        case "replied":
            return Text("{text}{files}{on_time}", text=_clause(d.get("text", "")), files=files(),
                        on_time=on_time())
        case "completed":
            return Text("办理结果：{result}{on_time}", result=d.get("result", ""),
                        on_time=on_time())
        case "forwarded":
            return Text("{source} → {target}；原因：{reason}",
                        source=dept(d.get("from_department")),
                        target=dept(d.get("to_department")), reason=d.get("reason", ""))
        case "extension_requested":
            return Text("延期 {hours} 个工作小时；原因：{reason}",
                        hours=_hours(d.get("working_hours")), reason=d.get("reason", ""))
        case "extension_approved":
            return Text("延期 {hours} 个工作小时", hours=_hours(d.get("working_hours")))
        case "resubmitted":
            return Text("补正说明：{text}{files}", text=_clause(d.get("text", "")), files=files())
        case "urged":
            who = (Text("部门领导督办") if d.get("by_leader")
                   else Text("催 {department} 办理", department=dept(d.get("holder"))))
            return clauses(p for p in (who, said(Text("留言"), "note")) if p)
        case "confirmed":
            # the rating's label is one of Rating.LABELS: a label, so translated
            rating = Text("评价：{label}（{stars} 星）", label=Text(d.get("rating_label", "")),
                          stars=d.get("rating"))
            ticked = [Text(RATING_INDICATORS[i]) for i in d.get("indicators") or ()
                      if i in RATING_INDICATORS]
            indicators = Text("指标：{names}", names=listing(ticked)) if ticked else ""
            return clauses(p for p in (rating, indicators, said(Text("意见"), "comment")) if p)
        case "callback_recorded":
            outcome = Text("回访结果：{outcome}", outcome=Text(d.get("outcome_label", "")))
            return clauses(p for p in (outcome, said(Text("记录"), "note")) if p)
        case "rectification_opened":
            return Text("{department} 须在 {due} 前整改并回访",
                        department=dept(d.get("holder")), due=when(d.get("due_at")))
        case "rectification_callback":
            call = Text("{caller} {called_at} 回访：{outcome}", caller=d.get("called_by", ""),
                        called_at=when(d.get("called_at")),
                        outcome=Text(d.get("outcome_label", "")))
            closed = Text("整改完成") if d.get("closed") else Text("仍需整改")
            return clauses(p for p in (said(Text("整改措施"), "measures"), call,
                                       said(Text("记录"), "note"), closed) if p)
        case "appealed":
            return said(Text("申诉理由"), "reason")
        case "appeal_decided":
            verdict = Text("申诉成立，差评撤销") if d.get("upheld") else Text("驳回申诉，继续整改")
            return clauses(p for p in (verdict, said(Text("意见"), "note")) if p)
        case "deadline_changed":
            code = d.get("reason", "")
            reason = Text(DEADLINE_REASONS[code]) if code in DEADLINE_REASONS else code
            if code == "paused":
                left = timedelta(seconds=d.get("remaining_seconds") or 0)
                return Text("{reason}，保留剩余 {left}", reason=reason, left=_duration(left))
            note = Text("（{note}）", note=d["note"]) if d.get("note") else ""
            return Text("{reason}{note}：{old} → {new}", reason=reason, note=note,
                        old=when(d.get("old_due_at")), new=when(d.get("new_due_at")))
        case "reminder":
            return Text("距离交件时间还有 {left}",
                        left=_duration(timedelta(minutes=d.get("minutes_left") or 0)))
        case "escalated":
            return Text("{department} 已超期 {late}，已通知部门领导",
                        department=dept(d.get("holder")),
                        late=_duration(timedelta(seconds=d.get("overdue_seconds") or 0)))
        case "sent_back" | "withdrawn" | "reopened" | "explained" | "extension_declined":
            return said(Text("原因"), "reason")
        case _:
            return ""


def _clause(text: str) -> str:
    """A sentence that more is appended to, without its full stop (no "。；")."""
    return text.rstrip("。.；; ")


def _label(enum, value: Any) -> str:
    try:
        return Text(enum(value).label)
    except ValueError:
        return str(value or "")


def _short(moment: datetime) -> str:
    return moment.strftime("%m-%d %H:%M")


def _hours(value: Any) -> str:
    return f"{value:g}" if isinstance(value, int | float) else str(value or "")


def _duration(amount: timedelta) -> Text:
    minutes = int(amount.total_seconds()) // 60
    hours, minutes = divmod(minutes, 60)
    if hours:
        return Text("{hours}小时{minutes:02d}分", hours=hours, minutes=minutes)
    return Text("{minutes}分钟", minutes=minutes)
