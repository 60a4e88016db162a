"""The collaboration-request state machine: (state, command, actor) → new state + events.

Pure: no I/O, no clock of its own. The server runs it authoritatively; the client runs the
same code for its optimistic local effect and to tell a clerk at once what is impossible.
Checks run in a fixed order — department, role, state, arguments — so a user of another
department learns nothing about a request's state from a refusal.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta

from app.domain import cases as case_rules
from app.domain.commands import (
    Accept,
    Appeal,
    ApproveExtension,
    Command,
    Confirm,
    DecideAppeal,
    DeclineExtension,
    Extend,
    Forward,
    RectificationCallback,
    Reopen,
    Reply,
    Resubmit,
    SendBack,
    SendRequest,
    Urge,
    Withdraw,
)
from app.domain.entities import (
    CALLBACK_CLOSES,
    CALLBACK_OUTCOMES,
    RATING_INDICATORS,
    Case,
    CollabRequest,
    Event,
    Extension,
    Rating,
    Rectification,
    RectificationCall,
    Staff,
)
from app.domain.enums import RectificationState, RequestRole, RequestState
from app.domain.errors import invalid_argument, invalid_state, wrong_department
from app.domain.rules import (
    HANDLING_ROLES,
    LEADER_ROLES,
    WORKING_ROLES,
    Context,
    iso,
    require_role,
    require_text,
)
from app.text import Text, either, listing

S = RequestState
RS = RectificationState
RECTIFICATION_POLICY = "rectification"  # the SLA policy that sets a rectification's deadline
AWAITING_ANSWER = frozenset({S.SENT, S.ACCEPTED, S.FORWARDED, S.REOPENED})
OPEN = AWAITING_ANSWER | {S.SENT_BACK}
MAX_EXTENSION_HOURS = 7 * 20  # four working weeks: beyond that it is a new request


@dataclass(frozen=True, slots=True)
class Transition:
    request: CollabRequest
    events: tuple[Event, ...]
    case: Case | None = None  # the case, when the command changed it too


def send(request_id: str, case: Case, command: SendRequest, actor: Staff,
         ctx: Context) -> Transition:
    """发起协同: the case's department asks ``to_department`` for something."""
    label = command.label
    if actor.department not in case.owner_departments:
        raise wrong_department(Text("只有{departments}可以为该办件发起协同",
                                    departments=_names(ctx, case.owner_departments)))
    require_role(actor, WORKING_ROLES, label)
    if case.state.is_closed:
        raise invalid_state(Text("该办件已{state}，不能再发起协同", state=Text(case.state.label)))
    ctx.require_department(command.to_department, label)
    if command.to_department == actor.department:
        raise invalid_argument(Text("不能向本部门发起协同"), reason="same_department")
    try:
        role = RequestRole(command.role)
    except ValueError:
        raise invalid_argument(Text("协同角色只能是主办（lead）或协办（assisting）")) from None
    if role is RequestRole.LEAD and case.lead_department not in (None, command.to_department):
        raise invalid_argument(
            Text("该办件已由{department}主办，只能再发协办请求",
                 department=ctx.department_name(case.lead_department)),
            reason="lead_taken",
        )
    require_text(command.subject, label, Text("协同事项"))
    require_text(command.needed, label, Text("需要对方提供的材料或意见"))
    try:
        policy = ctx.policies.for_request(command.sla)
    except KeyError:
        raise invalid_argument(Text("没有名为 {sla} 的时限规则", sla=command.sla),
                               reason="unknown_sla") from None
    allowance = policy.allowance(ctx.calendar.hours_per_day)
    if allowance is None:
        raise invalid_argument(Text("时限规则「{policy}」不能用于协同请求", policy=policy.name),
                               reason="unknown_sla")

    request = CollabRequest(
        id=request_id,
        case_id=case.id,
        from_department=actor.department,
        to_department=command.to_department,
        role=role,
        subject=command.subject,
        needed=command.needed,
        sla=policy.code,
        sent_at=ctx.now,
        sent_by=actor.id,
        attachments=command.attachments,
        clock_started_at=ctx.now,
        allowance=allowance,
        due_at=ctx.calendar.add_working_time(ctx.now, allowance),
        handled_by=(command.to_department,),
    )
    events = [ctx.event("request", request_id, "sent", actor,
                        case_id=case.id, to_department=request.to_department, role=role.value,
                        subject=request.subject, needed=request.needed,
                        attachments=list(request.attachments), sla=policy.code,
                        due_at=iso(request.due_at))]
    new_case = case_rules.start_collaboration(case, request, actor, ctx)
    if new_case is not case:
        events.append(ctx.event("case", case.id, "collaboration_started", actor,
                                request_id=request_id, old_state=case.state.value,
                                new_state=new_case.state.value))
    return Transition(request=request, events=tuple(events),
                      case=None if new_case is case else new_case)


def decide(request: CollabRequest, command: Command, actor: Staff, ctx: Context) -> Transition:
    """Apply a command to an existing request, or raise :class:`Rejected`."""
    handler = _HANDLERS.get(type(command))
    if handler is None:
        raise TypeError(f"{type(command).__name__} is not a command on an existing request")
    new, events = handler(request, command, actor, ctx)
    return Transition(request=replace(new, version=request.version + 1), events=tuple(events))


def recompute_deadline(request: CollabRequest, ctx: Context, actor: Staff) -> Transition | None:
    """After a calendar change: the same allowance measured on the new calendar."""
    if request.clock_started_at is None:
        return None
    due = ctx.calendar.add_working_time(request.clock_started_at, request.allowance)
    if due == request.due_at:
        return None
    new = replace(request, due_at=due, version=request.version + 1)
    return Transition(request=new, events=(_deadline_event(request, new, "recomputed", actor,
                                                           ctx),))


# -- the receiving department ------------------------------------------------------------------


def _accept(r: CollabRequest, c: Accept, actor: Staff, ctx: Context):
    _receiver(r, actor, ctx, c.label)
    _state(r, c.label, {S.SENT, S.FORWARDED, S.REOPENED})
    new = replace(r, state=S.ACCEPTED, accepted_at=ctx.now, accepted_by=actor.id)
    return new, [ctx.event("request", r.id, "accepted", actor)]


def _reply(r: CollabRequest, c: Reply, actor: Staff, ctx: Context):
    _receiver(r, actor, ctx, c.label)
    _state(r, c.label, {S.ACCEPTED}, hint=Text("请先签收"))
    require_text(c.text, c.label, Text("回复内容"))
    new = replace(r, state=S.REPLIED, reply_text=c.text, reply_attachments=c.attachments,
                  replied_at=ctx.now, replied_by=actor.id, pending_extension=None)
    new = _stop_clock(new)
    return new, [ctx.event("request", r.id, "replied", actor, text=c.text,
                           attachments=list(c.attachments), on_time=_on_time(r, ctx))]


def _send_back(r: CollabRequest, c: SendBack, actor: Staff, ctx: Context):
    _receiver(r, actor, ctx, c.label)
    _state(r, c.label, AWAITING_ANSWER)
    require_text(c.reason, c.label, Text("退回原因（需要补正什么）"))
    remaining = max(timedelta(0), ctx.calendar.working_time_between(ctx.now, r.due_at))
    new = replace(r, state=S.SENT_BACK, send_back_reason=c.reason, clock_started_at=None,
                  due_at=None, paused_remaining=remaining, pending_extension=None)
    return new, [ctx.event("request", r.id, "sent_back", actor, reason=c.reason),
                 _deadline_event(r, new, "paused", actor, ctx,
                                 remaining_seconds=int(remaining.total_seconds()))]


def _forward(r: CollabRequest, c: Forward, actor: Staff, ctx: Context):
    _receiver(r, actor, ctx, c.label)
    _state(r, c.label, AWAITING_ANSWER)
    ctx.require_department(c.to_department, c.label)
    if c.to_department in (r.to_department, r.from_department):
        raise invalid_argument(Text("请转办给其他部门（不能转给本部门或发起部门）"),
                               reason="same_department")
    require_text(c.reason, c.label, Text("转办原因"))
    new = _start_clock(replace(r, state=S.FORWARDED, to_department=c.to_department,
                               accepted_at=None, accepted_by=None, pending_extension=None,
                               handled_by=(*r.handled_by, c.to_department)),
                       ctx.policies.for_request(r.sla).allowance(ctx.calendar.hours_per_day), ctx)
    return new, [ctx.event("request", r.id, "forwarded", actor, from_department=r.to_department,
                           to_department=c.to_department, reason=c.reason),
                 _deadline_event(r, new, "restarted", actor, ctx)]


def _extend(r: CollabRequest, c: Extend, actor: Staff, ctx: Context):
    _receiver(r, actor, ctx, c.label)
    _state(r, c.label, {S.ACCEPTED}, hint=Text("请先签收"))
    if r.pending_extension is not None:
        raise invalid_state(Text("已有一条延期申请等待批准，不能重复申请"))
    if not 0 < c.working_hours <= MAX_EXTENSION_HOURS:
        raise invalid_argument(Text("延期时长应在 0 到 {most} 个工作小时之间",
                                    most=MAX_EXTENSION_HOURS))
    require_text(c.reason, c.label, Text("延期原因"))
    ext = Extension(working_hours=c.working_hours, reason=c.reason, requested_by=actor.id,
                    requested_at=ctx.now)
    return replace(r, pending_extension=ext), [
        ctx.event("request", r.id, "extension_requested", actor,
                  working_hours=c.working_hours, reason=c.reason)]


# -- the requesting department -----------------------------------------------------------------


def _approve_extension(r: CollabRequest, c: ApproveExtension, actor: Staff, ctx: Context):
    _requester(r, actor, ctx, c.label, roles=LEADER_ROLES)
    if r.pending_extension is None or r.state is not S.ACCEPTED:
        raise invalid_state(Text("该请求没有待批准的延期申请"))
    extra = timedelta(hours=r.pending_extension.working_hours)
    new = replace(r, pending_extension=None, allowance=r.allowance + extra)
    new = replace(new, due_at=ctx.calendar.add_working_time(new.clock_started_at, new.allowance))
    return new, [ctx.event("request", r.id, "extension_approved", actor,
                           working_hours=r.pending_extension.working_hours),
                 _deadline_event(r, new, "extended", actor, ctx)]


def _decline_extension(r: CollabRequest, c: DeclineExtension, actor: Staff, ctx: Context):
    _requester(r, actor, ctx, c.label, roles=LEADER_ROLES)
    if r.pending_extension is None or r.state is not S.ACCEPTED:
        raise invalid_state(Text("该请求没有待批准的延期申请"))
    return replace(r, pending_extension=None), [
        ctx.event("request", r.id, "extension_declined", actor, reason=c.reason)]


def _resubmit(r: CollabRequest, c: Resubmit, actor: Staff, ctx: Context):
    _requester(r, actor, ctx, c.label)
    _state(r, c.label, {S.SENT_BACK})
    require_text(c.text, c.label, Text("补正说明"))
    resumed = S.ACCEPTED if r.accepted_at is not None else (
        S.FORWARDED if len(r.handled_by) > 1 else S.SENT)
    new = _start_clock(replace(r, state=resumed, paused_remaining=None,
                               attachments=(*r.attachments, *c.attachments)),
                       r.paused_remaining or timedelta(0), ctx)
    return new, [ctx.event("request", r.id, "resubmitted", actor, text=c.text,
                           attachments=list(c.attachments)),
                 _deadline_event(r, new, "resumed", actor, ctx)]


def _withdraw(r: CollabRequest, c: Withdraw, actor: Staff, ctx: Context):
    _requester(r, actor, ctx, c.label)
    _state(r, c.label, OPEN)
    require_text(c.reason, c.label, Text("撤回原因"))
    new = _stop_clock(replace(r, state=S.WITHDRAWN, pending_extension=None))
    return new, [ctx.event("request", r.id, "withdrawn", actor, reason=c.reason)]


def _urge(r: CollabRequest, c: Urge, actor: Staff, ctx: Context):
    # 催办 by the requesting department, or 督办 by the receiving department's leader.
    as_leader = actor.department == r.to_department and actor.has_role(*LEADER_ROLES)
    if not as_leader:
        _requester(r, actor, ctx, c.label)
    _state(r, c.label, AWAITING_ANSWER)
    return replace(r, urge_count=r.urge_count + 1), [
        ctx.event("request", r.id, "urged", actor, note=c.note, by_leader=as_leader,
                  holder=r.to_department)]


def _confirm(r: CollabRequest, c: Confirm, actor: Staff, ctx: Context):
    _requester(r, actor, ctx, c.label)
    _state(r, c.label, {S.REPLIED})
    if c.rating not in Rating.LABELS:
        raise invalid_argument(Text("评价请选择 1 到 5 星"))
    unknown = sorted(set(c.indicators) - set(RATING_INDICATORS))
    if unknown or len(set(c.indicators)) != len(c.indicators):
        raise invalid_argument(Text("评价指标只能是：{indicators}（每项一次）",
                                    indicators=listing(Text(label) for label in
                                                       RATING_INDICATORS.values())))
    rating = Rating(stars=c.rating, comment=c.comment, indicators=c.indicators)
    if rating.unsatisfied:
        require_text(c.comment, c.label, Text("不满意的原因"))
    new = replace(r, state=S.CONFIRMED, rating=rating)
    events = [ctx.event("request", r.id, "confirmed", actor, rating=c.rating,
                        rating_label=rating.label, comment=c.comment,
                        indicators=list(c.indicators))]
    if rating.unsatisfied and r.rectification is None:
        # 差评整改: the department that answered owes a rectification and a callback
        allowance = ctx.policies.get(RECTIFICATION_POLICY).allowance(ctx.calendar.hours_per_day)
        rectification = Rectification(opened_at=ctx.now,
                                      due_at=ctx.calendar.add_working_time(ctx.now, allowance))
        new = replace(new, rectification=rectification)
        events.append(ctx.event("request", r.id, "rectification_opened", actor,
                                holder=r.to_department, due_at=iso(rectification.due_at)))
    return new, events


def _reopen(r: CollabRequest, c: Reopen, actor: Staff, ctx: Context):
    _requester(r, actor, ctx, c.label)
    _state(r, c.label, {S.REPLIED, S.CONFIRMED})
    if r.state is S.CONFIRMED and not (r.rating and r.rating.unsatisfied):
        raise invalid_state(Text("只有评价为不满意的请求可以重新办理"))
    require_text(c.reason, c.label, Text("重新办理的原因"))
    new = _start_clock(replace(r, state=S.REOPENED, accepted_at=None, accepted_by=None),
                       ctx.policies.for_request(r.sla).allowance(ctx.calendar.hours_per_day), ctx)
    return new, [ctx.event("request", r.id, "reopened", actor, reason=c.reason),
                 _deadline_event(r, new, "restarted", actor, ctx)]


# -- 差评整改: the answering department's rectification of an unsatisfied rating ------------


def _rectification_callback(r: CollabRequest, c: RectificationCallback, actor: Staff,
                            ctx: Context):
    _receiver(r, actor, ctx, c.label)
    rect = _rectification(r, c.label, {RS.OPEN})
    require_text(c.measures, c.label, Text("整改措施"))
    require_text(c.called_by, c.label, Text("回访人"))
    if c.outcome not in CALLBACK_OUTCOMES:
        raise invalid_argument(Text("回访结果只能是：{outcomes}", outcomes=listing(
            Text(label) for label in CALLBACK_OUTCOMES.values())))
    if not rect.opened_at <= c.called_at <= ctx.now:
        raise invalid_argument(Text("回访时间应在差评之后、现在之前"), reason="called_at")
    call = RectificationCall(called_at=c.called_at, called_by=c.called_by,
                                  outcome=c.outcome, recorded_by=actor.id, note=c.note)
    closes = c.outcome in CALLBACK_CLOSES
    new = replace(rect, measures=c.measures, callbacks=(*rect.callbacks, call),
                  state=RS.RECTIFIED if closes else RS.OPEN,
                  closed_at=ctx.now if closes else None)
    return replace(r, rectification=new), [
        ctx.event("request", r.id, "rectification_callback", actor, measures=c.measures,
                  called_by=c.called_by, called_at=iso(c.called_at), outcome=c.outcome,
                  outcome_label=CALLBACK_OUTCOMES[c.outcome], note=c.note, closed=closes,
                  on_time=ctx.now <= rect.due_at)]


def _appeal(r: CollabRequest, c: Appeal, actor: Staff, ctx: Context):
    _receiver(r, actor, ctx, c.label)
    rect = _rectification(r, c.label, {RS.OPEN})
    require_text(c.reason, c.label, Text("申诉理由"))
    new = replace(rect, state=RS.APPEALED, appeal_reason=c.reason, appealed_by=actor.id,
                  appealed_at=ctx.now)
    return replace(r, rectification=new), [
        ctx.event("request", r.id, "appealed", actor, reason=c.reason)]


def _decide_appeal(r: CollabRequest, c: DecideAppeal, actor: Staff, ctx: Context):
    if actor.department != r.to_department:
        raise wrong_department(Text("只有{department}的部门领导可以裁决该申诉",
                                    department=ctx.department_name(r.to_department)))
    require_role(actor, LEADER_ROLES, c.label)
    rect = _rectification(r, c.label, {RS.APPEALED})
    require_text(c.note, c.label, Text("裁决意见"))
    if c.uphold:  # the rating was mistaken: it no longer counts, nothing is owed
        new = replace(r, rating=replace(r.rating, annulled=True), rectification=replace(
            rect, state=RS.ANNULLED, decision_note=c.note, decided_by=actor.id,
            closed_at=ctx.now))
    else:
        new = replace(r, rectification=replace(rect, state=RS.OPEN, decision_note=c.note,
                                               decided_by=actor.id))
    return new, [ctx.event("request", r.id, "appeal_decided", actor, upheld=c.uphold,
                           note=c.note)]


def _rectification(r: CollabRequest, label: str, allowed) -> Rectification:
    rect = r.rectification
    if rect is None:
        raise invalid_state(Text("该请求没有差评整改，不能{action}", action=Text(label)))
    if rect.state not in allowed:
        raise invalid_state(Text("该整改当前为「{state}」，不能{action}",
                                 state=Text(rect.state.label), action=Text(label)))
    return rect


_HANDLERS = {
    Accept: _accept, Reply: _reply, SendBack: _send_back, Forward: _forward, Extend: _extend,
    ApproveExtension: _approve_extension, DeclineExtension: _decline_extension,
    Resubmit: _resubmit, Withdraw: _withdraw, Urge: _urge, Confirm: _confirm, Reopen: _reopen,
    RectificationCallback: _rectification_callback, Appeal: _appeal,
    DecideAppeal: _decide_appeal,
}


# -- checks and the clock ----------------------------------------------------------------------


def _receiver(r: CollabRequest, actor: Staff, ctx: Context, label: str) -> None:
    if actor.department != r.to_department:
        raise wrong_department(Text("只有{department}可以{action}该请求",
                                    department=ctx.department_name(r.to_department),
                                    action=Text(label)))
    require_role(actor, HANDLING_ROLES, label)


def _requester(r: CollabRequest, actor: Staff, ctx: Context, label: str,
               roles=WORKING_ROLES) -> None:
    if actor.department != r.from_department:
        raise wrong_department(Text("只有发起部门{department}可以{action}该请求",
                                    department=ctx.department_name(r.from_department),
                                    action=Text(label)))
    require_role(actor, roles, label)


def _state(r: CollabRequest, label: str, allowed, hint: Text | None = None) -> None:
    if r.state not in allowed:
        tail = Text("，{hint}", hint=hint) if hint and r.state in AWAITING_ANSWER else ""
        raise invalid_state(Text("该请求当前为「{state}」，不能{action}{tail}",
                                 state=Text(r.state.label), action=Text(label), tail=tail))


def _start_clock(r: CollabRequest, allowance: timedelta, ctx: Context) -> CollabRequest:
    return replace(r, clock_started_at=ctx.now, allowance=allowance,
                   due_at=ctx.calendar.add_working_time(ctx.now, allowance))


def _stop_clock(r: CollabRequest) -> CollabRequest:
    # The last due_at stays for the record (on-time statistics); nobody owes an answer now.
    return replace(r, clock_started_at=None, paused_remaining=None)


def _on_time(r: CollabRequest, ctx: Context) -> bool:
    return r.due_at is None or ctx.now <= r.due_at


def _deadline_event(old: CollabRequest, new: CollabRequest, reason: str, actor: Staff,
                    ctx: Context, **extra) -> Event:
    return ctx.event("request", old.id, "deadline_changed", actor, reason=reason,
                     old_due_at=iso(old.due_at), new_due_at=iso(new.due_at), **extra)


def _names(ctx: Context, codes) -> str:
    return either(ctx.department_name(c) for c in sorted(codes))
