"""The case (办件) lifecycle.

registered → in_progress (requests out) → completed (办结, with a result) or explained
(告知: cannot be done, the reason told to the citizen); a callback (回访) is recorded on a
closed case; an unsatisfied callback lets the case be reopened.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from app.domain.commands import (
    Command,
    CompleteCase,
    ExplainCase,
    RecordCallback,
    RegisterCase,
    ReopenCase,
    SetCaseDeadline,
)
from app.domain.entities import CALLBACK_OUTCOMES, Callback, Case, CollabRequest, Event, Staff
from app.domain.enums import CaseState, Category, Channel, RequestRole
from app.domain.errors import invalid_argument, invalid_state, wrong_department
from app.domain.rules import WORKING_ROLES, Context, iso, require_role, require_text
from app.text import Text, either, listing
from app.validation import id_number_problem, normalize_id_number, phone_problem

C = CaseState
ACTIVE = frozenset({C.REGISTERED, C.IN_PROGRESS, C.REOPENED})
MAX_NAME = 50


@dataclass(frozen=True, slots=True)
class CaseTransition:
    case: Case
    events: tuple[Event, ...]


def case_number(department: str, registered_at: datetime, case_id: str, ctx: Context) -> str:
    """The number printed on the receipt. Made from the id, so an offline PC and the server
    agree on it without asking each other: BDC-20261123-3F9A0C12."""
    local_day = registered_at.astimezone(ctx.calendar.tz).strftime("%Y%m%d")
    return f"{department.upper()}-{local_day}-{case_id.replace('-', '')[:8].upper()}"


def register(case_id: str, command: RegisterCase, actor: Staff, ctx: Context,
             numbered_at: datetime | None = None) -> CaseTransition:
    """受理登记 at the actor's window. ``numbered_at`` dates the case number (default: now):
    the server passes the client's registration time so an offline receipt stays right."""
    label = command.label
    if actor.department is None:
        raise wrong_department(Text("{name}不属于任何部门，不能{action}", name=actor.name,
                                    action=Text(label)))
    require_role(actor, WORKING_ROLES, label)
    if ctx.matter_codes is not None and command.matter_code not in ctx.matter_codes:
        raise invalid_argument(Text("事项清单中没有编码为 {code} 的事项",
                                    code=command.matter_code), reason="unknown_matter")
    name = command.citizen_name.strip()
    require_text(name, label, Text("申请人姓名"))
    if len(name) > MAX_NAME:
        raise invalid_argument(Text("申请人姓名过长（最多 {most} 字）", most=MAX_NAME))
    for problem in (id_number_problem(command.citizen_id_number, today=_local_day(ctx)),
                    phone_problem(command.citizen_phone)):
        if problem:
            raise invalid_argument(problem, reason="invalid_citizen")
    channel = _enum(Channel, command.channel, Text("受理渠道"))
    category = _enum(Category, command.category, Text("办件类别"))
    case = Case(
        id=case_id,
        number=case_number(actor.department, numbered_at or ctx.now, case_id, ctx),
        department=actor.department,
        matter_code=command.matter_code,
        citizen_name=name,
        citizen_id_number=normalize_id_number(command.citizen_id_number),
        citizen_phone=command.citizen_phone.strip(),
        channel=channel,
        category=category,
        description=command.description,
        attachments=command.attachments,
        registered_at=ctx.now,
        registered_by=actor.id,
        due_at=_category_deadline(category, ctx),
    )
    # The event carries no citizen ID or phone: timelines are shown widely and logged.
    return CaseTransition(case, (ctx.event("case", case_id, "registered", actor,
                                           number=case.number, matter_code=case.matter_code,
                                           channel=channel.value, category=category.value,
                                           due_at=iso(case.due_at)),))


def decide(case: Case, command: Command, actor: Staff, ctx: Context) -> CaseTransition:
    handler = _HANDLERS.get(type(command))
    if handler is None:
        raise TypeError(f"{type(command).__name__} is not a command on an existing case")
    if actor.department not in case.owner_departments:
        names = either(ctx.department_name(d) for d in sorted(case.owner_departments))
        raise wrong_department(Text("只有{departments}可以{action}该办件", departments=names,
                                    action=Text(command.label)))
    require_role(actor, WORKING_ROLES, command.label)
    new, events = handler(case, command, actor, ctx)
    return CaseTransition(replace(new, version=case.version + 1), tuple(events))


def start_collaboration(case: Case, request: CollabRequest, actor: Staff, ctx: Context) -> Case:
    """A request went out: the case is in progress, and a lead request names its lead."""
    new = case
    if case.state in (C.REGISTERED, C.REOPENED):
        new = replace(new, state=C.IN_PROGRESS)
    if request.role is RequestRole.LEAD and case.lead_department != request.to_department:
        new = replace(new, lead_department=request.to_department)
    return new if new == case else replace(new, version=case.version + 1)


def _complete(case: Case, c: CompleteCase, actor: Staff, ctx: Context):
    _state(case, c.label, ACTIVE)
    require_text(c.result, c.label, Text("办理结果"))
    return replace(case, state=C.COMPLETED, result=c.result), [
        ctx.event("case", case.id, "completed", actor, result=c.result,
                  on_time=case.due_at is None or ctx.now <= case.due_at)]


def _explain(case: Case, c: ExplainCase, actor: Staff, ctx: Context):
    _state(case, c.label, ACTIVE)
    require_text(c.reason, c.label, Text("不能办理的原因（将告知申请人）"))
    return replace(case, state=C.EXPLAINED, explanation=c.reason), [
        ctx.event("case", case.id, "explained", actor, reason=c.reason)]


def _callback(case: Case, c: RecordCallback, actor: Staff, ctx: Context):
    _state(case, c.label, {C.COMPLETED, C.EXPLAINED}, hint=Text("办结或告知后才能回访"))
    if c.outcome not in CALLBACK_OUTCOMES:
        raise invalid_argument(Text("回访结果只能是：{outcomes}", outcomes=listing(
            Text(label) for label in CALLBACK_OUTCOMES.values())))
    callback = Callback(at=ctx.now, by=actor.id, outcome=c.outcome, note=c.note)
    return replace(case, callbacks=(*case.callbacks, callback)), [
        ctx.event("case", case.id, "callback_recorded", actor, outcome=c.outcome,
                  outcome_label=CALLBACK_OUTCOMES[c.outcome], note=c.note)]


def _set_deadline(case: Case, c: SetCaseDeadline, actor: Staff, ctx: Context):
    if case.category is not Category.COMPLEX:
        raise invalid_state(Text("{category}件的期限由类别决定，只有复杂件会商确定期限",
                                 category=Text(case.category.label)))
    _state(case, c.label, ACTIVE)
    if case.lead_department and actor.department != case.lead_department:
        raise wrong_department(Text("复杂件的期限由主办部门{department}会商确定",
                                    department=ctx.department_name(case.lead_department)))
    if c.due_at <= ctx.now:
        raise invalid_argument(Text("办理期限应晚于当前时间"))
    require_text(c.reason, c.label, Text("会商结论"))
    return replace(case, due_at=c.due_at), [
        ctx.event("case", case.id, "deadline_changed", actor, reason="consulted",
                  note=c.reason, old_due_at=iso(case.due_at), new_due_at=iso(c.due_at))]


def _reopen(case: Case, c: ReopenCase, actor: Staff, ctx: Context):
    _state(case, c.label, {C.COMPLETED, C.EXPLAINED})
    if not case.callbacks or case.callbacks[-1].outcome != "unsatisfied":
        raise invalid_state(Text("回访结果为不满意时才能重新办理"))
    require_text(c.reason, c.label, Text("重新办理的原因"))
    due = _category_deadline(case.category, ctx)
    new = replace(case, state=C.REOPENED, due_at=due if due is not None else case.due_at)
    return new, [ctx.event("case", case.id, "reopened", actor, reason=c.reason),
                 ctx.event("case", case.id, "deadline_changed", actor, reason="restarted",
                           old_due_at=iso(case.due_at), new_due_at=iso(new.due_at))]


_HANDLERS = {
    CompleteCase: _complete, ExplainCase: _explain, RecordCallback: _callback,
    SetCaseDeadline: _set_deadline, ReopenCase: _reopen,
}


def _state(case: Case, label: str, allowed, hint: Text | None = None) -> None:
    if case.state not in allowed:
        tail = Text("（{hint}）", hint=hint) if hint else ""
        raise invalid_state(Text("该办件当前为「{state}」，不能{action}{tail}",
                                 state=Text(case.state.label), action=Text(label), tail=tail))


def _category_deadline(category: Category, ctx: Context) -> datetime | None:
    allowance = ctx.policies.for_case(category).allowance(ctx.calendar.hours_per_day)
    return None if allowance is None else ctx.calendar.add_working_time(ctx.now, allowance)


def _enum(enum, value: str, what: Text):
    try:
        return enum(value)
    except ValueError:
        options = listing(Text("{label}（{value}）", label=Text(m.label), value=m.value)
                          for m in enum)
        raise invalid_argument(Text("{what}只能是：{options}", what=what,
                                    options=options)) from None


def _local_day(ctx: Context):
    return ctx.now.astimezone(ctx.calendar.tz).date()
