"""Commands: what a user asks for, one dataclass each, and their wire form.

An op on the wire is ``{"type": "request.accept", "args": {...}}``; :func:`parse_command`
turns it into one of these, or refuses it with ``invalid_argument``. Client and server
parse with the same code, so they never disagree about what an op means.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from app.domain.errors import Rejected, invalid_argument
from app.domain.serialize import type_hints
from app.text import Text

MAX_TEXT = 4000  # long enough for a real reply, short enough that nobody pastes a file


@dataclass(frozen=True, slots=True)
class Command:
    op_type: ClassVar[str]
    label: ClassVar[str]  # the Chinese verb, as said in messages ("不能签收")


# -- case commands -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RegisterCase(Command):
    op_type = "case.register"
    label = "受理登记"
    matter_code: str
    citizen_name: str
    citizen_id_number: str
    citizen_phone: str
    channel: str
    category: str
    description: str = ""
    attachments: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CompleteCase(Command):
    op_type = "case.complete"
    label = "办结"
    result: str


@dataclass(frozen=True, slots=True)
class ExplainCase(Command):
    op_type = "case.explain"
    label = "告知"
    reason: str


@dataclass(frozen=True, slots=True)
class RecordCallback(Command):
    op_type = "case.callback"
    label = "回访"
    outcome: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class SetCaseDeadline(Command):
    op_type = "case.set_deadline"
    label = "设定办理期限"
    due_at: datetime
    reason: str


@dataclass(frozen=True, slots=True)
class ReopenCase(Command):
    op_type = "case.reopen"
    label = "重新办理"
    reason: str


# -- collaboration request commands --------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SendRequest(Command):
    op_type = "request.send"
    label = "发起协同"
    case_id: str
    to_department: str
    role: str
    subject: str
    needed: str
    attachments: tuple[str, ...] = ()
    sla: str | None = None


@dataclass(frozen=True, slots=True)
class Accept(Command):
    op_type = "request.accept"
    label = "签收"


@dataclass(frozen=True, slots=True)
class Reply(Command):
    op_type = "request.reply"
    label = "回复"
    text: str
    attachments: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SendBack(Command):
    op_type = "request.send_back"
    label = "退回补正"
    reason: str


@dataclass(frozen=True, slots=True)
class Resubmit(Command):
    op_type = "request.resubmit"
    label = "补正后重新提交"
    text: str
    attachments: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Forward(Command):
    op_type = "request.forward"
    label = "转办"
    to_department: str
    reason: str


@dataclass(frozen=True, slots=True)
class Extend(Command):
    op_type = "request.extend"
    label = "申请延期"
    working_hours: float
    reason: str


@dataclass(frozen=True, slots=True)
class ApproveExtension(Command):
    op_type = "request.approve_extension"
    label = "批准延期"


@dataclass(frozen=True, slots=True)
class DeclineExtension(Command):
    op_type = "request.decline_extension"
    label = "驳回延期"
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Withdraw(Command):
    op_type = "request.withdraw"
    label = "撤回"
    reason: str


@dataclass(frozen=True, slots=True)
class Urge(Command):
    op_type = "request.urge"
    label = "催办"
    note: str = ""


@dataclass(frozen=True, slots=True)
class Confirm(Command):
    op_type = "request.confirm"
    label = "确认并评价"
    rating: int
    comment: str = ""
    indicators: tuple[str, ...] = ()  # codes of RATING_INDICATORS the rater ticked


@dataclass(frozen=True, slots=True)
class Reopen(Command):
    op_type = "request.reopen"
    label = "重新办理"
    reason: str


@dataclass(frozen=True, slots=True)
class RectificationCallback(Command):
    op_type = "request.rectification_callback"
    label = "整改回访"
    measures: str  # 整改措施: what the department did about the complaint
    called_by: str  # who called the citizen
    called_at: datetime  # when
    outcome: str  # one of CALLBACK_OUTCOMES
    note: str = ""


@dataclass(frozen=True, slots=True)
class Appeal(Command):
    op_type = "request.appeal"
    label = "申诉"
    reason: str


@dataclass(frozen=True, slots=True)
class DecideAppeal(Command):
    op_type = "request.decide_appeal"
    label = "申诉裁决"
    uphold: bool  # True: the rating was mistaken and is annulled
    note: str


CASE_COMMANDS: tuple[type[Command], ...] = (
    RegisterCase, CompleteCase, ExplainCase, RecordCallback, SetCaseDeadline, ReopenCase,
)
REQUEST_COMMANDS: tuple[type[Command], ...] = (
    SendRequest, Accept, Reply, SendBack, Resubmit, Forward, Extend, ApproveExtension,
    DeclineExtension, Withdraw, Urge, Confirm, Reopen, RectificationCallback, Appeal,
    DecideAppeal,
)
BY_OP_TYPE: dict[str, type[Command]] = {c.op_type: c for c in CASE_COMMANDS + REQUEST_COMMANDS}


def parse_command(op_type: str, args: Mapping[str, Any]) -> Command:
    """Build the command an op names from its JSON args, or refuse with invalid_argument."""
    cls = BY_OP_TYPE.get(op_type)
    if cls is None:
        raise invalid_argument(Text("未知的操作类型：{op_type}", op_type=op_type),
                               reason="unknown_op_type")
    if not isinstance(args, Mapping):
        raise invalid_argument(Text("操作参数必须是对象"))
    hints = type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    unknown = sorted(set(args) - set(fields))
    if unknown:
        raise invalid_argument(Text("{action}：不认识的参数 {names}", action=Text(cls.label),
                                    names=", ".join(unknown)))
    values = {}
    for name, f in fields.items():
        if name not in args:
            has_default = (f.default is not dataclasses.MISSING
                           or f.default_factory is not dataclasses.MISSING)
            if not has_default:
                raise invalid_argument(Text("{action}：缺少参数 {name}",
                                            action=Text(cls.label), name=name))
            continue
        values[name] = _coerce(cls.label, name, hints[name], args[name])
    return cls(**values)


def to_args(command: Command) -> dict[str, Any]:
    """The JSON args of a command: the inverse of :func:`parse_command`."""
    out: dict[str, Any] = {}
    for f in dataclasses.fields(command):
        value = getattr(command, f.name)
        if isinstance(value, datetime):
            value = value.isoformat()
        elif isinstance(value, tuple):
            value = list(value)
        out[f.name] = value
    return out


def _coerce(label: str, name: str, hint: Any, value: Any) -> Any:
    optional = isinstance(hint, types.UnionType) and type(None) in typing.get_args(hint)
    if optional:
        if value is None:
            return None
        hint = next(a for a in typing.get_args(hint) if a is not type(None))

    def bad() -> Rejected:  # made only when refusing: most values are fine
        return invalid_argument(Text("{action}：参数 {name} 的格式不正确", action=Text(label),
                                     name=name))

    if hint is str:
        if not isinstance(value, str):
            raise bad()
        value = value.strip()
        if len(value) > MAX_TEXT:
            raise invalid_argument(Text("{action}：{name} 过长（最多 {most} 字）",
                                        action=Text(label), name=name, most=MAX_TEXT))
        return value
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise bad()
        return value
    if hint is bool:
        if not isinstance(value, bool):
            raise bad()
        return value
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise bad()
        return float(value)
    if hint == tuple[str, ...]:
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            raise bad()
        return tuple(value)
    if hint is datetime:
        try:
            parsed = datetime.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            parsed = None
        if parsed is None or parsed.tzinfo is None:
            raise invalid_argument(Text("{action}：{name} 应为带时区的 ISO 8601 时间",
                                        action=Text(label), name=name))
        return parsed
    raise TypeError(f"no coercion for {hint!r}")  # a programming error, not user input
