"""The collaboration-request state machine: every transition, every refusal."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from app.domain import requests
from app.domain.commands import (
    Accept,
    ApproveExtension,
    Confirm,
    DeclineExtension,
    Extend,
    Forward,
    Reopen,
    Reply,
    Resubmit,
    SendBack,
    SendRequest,
    Urge,
    Withdraw,
)
from app.domain.entities import SYSTEM
from app.domain.enums import CaseState, RequestRole, RequestState
from app.domain.errors import Rejected
from app.worktime import CalendarOverrides, WorkCalendar
from tests.unit.domain_fixtures import (
    ADMIN,
    BDC_ADMIN,
    BDC_CLERK,
    BDC_LEAD,
    GAJ_CLERK,
    GAJ_LEAD,
    GAJ_LIAISON,
    MONDAY_10,
    SHANGHAI,
    TAX_CLERK,
    TAX_LEAD,
    TAX_LIAISON,
    ctx,
    new_case,
    request_in,
    sent_request,
)

S = RequestState
AWAITING = {S.SENT, S.ACCEPTED, S.FORWARDED, S.REOPENED}

# command, the actor who may give it, its allowed states,
# an actor of another department, an actor of the right department without the role
CASES = [
    (Accept(), TAX_LIAISON, {S.SENT, S.FORWARDED, S.REOPENED}, GAJ_LIAISON, TAX_CLERK),
    (Reply(text="已开具完税证明"), TAX_LIAISON, {S.ACCEPTED}, GAJ_LIAISON, TAX_CLERK),
    (SendBack(reason="缺少买卖合同"), TAX_LIAISON, AWAITING, GAJ_LIAISON, TAX_CLERK),
    (Forward(to_department="gaj", reason="需户籍证明"), TAX_LIAISON, AWAITING, GAJ_LIAISON,
     TAX_CLERK),
    (Extend(working_hours=2, reason="档案调取"), TAX_LIAISON, {S.ACCEPTED}, GAJ_LIAISON, TAX_CLERK),
    (ApproveExtension(), BDC_LEAD, {S.ACCEPTED}, GAJ_LEAD, BDC_CLERK),
    (DeclineExtension(reason="群众等不及"), BDC_LEAD, {S.ACCEPTED}, GAJ_LEAD, BDC_CLERK),
    (Resubmit(text="已补合同"), BDC_CLERK, {S.SENT_BACK}, GAJ_CLERK, BDC_ADMIN),
    (Withdraw(reason="群众撤回申请"), BDC_CLERK, AWAITING | {S.SENT_BACK}, GAJ_CLERK, BDC_ADMIN),
    (Urge(note="群众在窗口等候"), BDC_CLERK, AWAITING, GAJ_CLERK, BDC_ADMIN),
    (Confirm(rating=5, comment="很快"), BDC_CLERK, {S.REPLIED}, GAJ_CLERK, BDC_ADMIN),
    (Reopen(reason="证明金额有误"), BDC_CLERK, {S.REPLIED, S.CONFIRMED}, GAJ_CLERK, BDC_ADMIN),
]
IDS = [type(c[0]).__name__ for c in CASES]
NEEDS_PENDING_EXTENSION = (ApproveExtension, DeclineExtension)


def at_state(command, state):
    return request_in(state, pending_extension=isinstance(command, NEEDS_PENDING_EXTENSION))


@pytest.mark.parametrize("state", list(S), ids=[s.value for s in S])
@pytest.mark.parametrize(("command", "actor", "allowed", "_other", "_norole"), CASES, ids=IDS)
def test_each_command_is_allowed_exactly_in_its_states(command, actor, allowed, _other, _norole,
                                                       state):
    request = at_state(command, state)
    if state in allowed:
        t = requests.decide(request, command, actor, ctx(MONDAY_10 + timedelta(hours=1)))
        assert t.request.version == request.version + 1
        assert t.events and all(e.entity_id == request.id for e in t.events)
        assert all(e.actor_id == actor.id and e.device == "pc-test" for e in t.events)
    else:
        with pytest.raises(Rejected) as err:
            requests.decide(request, command, actor, ctx())
        assert err.value.code == "invalid_state"
        assert state.label in err.value.message or "延期" in err.value.message


@pytest.mark.parametrize(("command", "_actor", "allowed", "other", "_norole"), CASES, ids=IDS)
def test_another_department_is_refused(command, _actor, allowed, other, _norole):
    request = at_state(command, next(iter(allowed)))
    with pytest.raises(Rejected) as err:
        requests.decide(request, command, other, ctx())
    assert (err.value.code, err.value.reason) == ("forbidden", "wrong_department")
    assert "只有" in err.value.message


@pytest.mark.parametrize(("command", "_actor", "allowed", "_other", "norole"), CASES, ids=IDS)
def test_the_right_department_without_the_role_is_refused(command, _actor, allowed, _other,
                                                          norole):
    request = at_state(command, next(iter(allowed)))
    with pytest.raises(Rejected) as err:
        requests.decide(request, command, norole, ctx())
    assert (err.value.code, err.value.reason) == ("forbidden", "wrong_role")
    assert "权限" in err.value.message


def test_admin_can_do_nothing_in_the_workflow():
    for command, _, allowed, _, _ in CASES:
        with pytest.raises(Rejected) as err:
            requests.decide(at_state(command, next(iter(allowed))), command, ADMIN, ctx())
        assert err.value.code == "forbidden"


# -- send ----------------------------------------------------------------------------------------


def test_send_computes_the_deadline_on_working_time_and_starts_the_case():
    case = new_case()
    t = requests.send("req-1", case, SendRequest(case_id=case.id, to_department="tax",
                                                 role="lead", subject="完税证明", needed="契税"),
                      BDC_CLERK, ctx())
    r = t.request
    assert r.state is S.SENT and r.from_department == "bdc" and r.to_department == "tax"
    assert r.due_at == MONDAY_10.replace(hour=15)  # 10:00 + 3.5 h of a 7 h day (lunch skipped)
    assert r.role is RequestRole.LEAD and r.sla == "request"
    assert t.case.state is CaseState.IN_PROGRESS and t.case.lead_department == "tax"
    kinds = [(e.entity, e.kind) for e in t.events]
    assert kinds == [("request", "sent"), ("case", "collaboration_started")]
    assert t.events[0].details["due_at"] == r.due_at.isoformat()


def test_send_with_a_named_policy_uses_it():
    r = sent_request(sla="feedback")  # 3 working days from Monday 10:00
    assert r.due_at == MONDAY_10.replace(day=26)


@pytest.mark.parametrize(("actor", "reason"), [
    (GAJ_CLERK, "wrong_department"), (BDC_ADMIN, "wrong_role"), (ADMIN, "wrong_department"),
])
def test_send_refuses_the_wrong_actor(actor, reason):
    case = new_case()
    with pytest.raises(Rejected) as err:
        requests.send("r", case, SendRequest(case_id=case.id, to_department="tax",
                                             role="assisting", subject="s", needed="n"),
                      actor, ctx())
    assert err.value.reason == reason


@pytest.mark.parametrize(("overrides", "reason"), [
    ({"to_department": "bdc"}, "same_department"),
    ({"to_department": "nowhere"}, "unknown_department"),
    ({"role": "boss"}, "invalid_argument"),
    ({"subject": "  "}, "missing_text"),
    ({"sla": "no-such-policy"}, "unknown_sla"),
    ({"sla": "complex"}, "unknown_sla"),  # a policy without a fixed allowance
])
def test_send_refuses_bad_arguments(overrides, reason):
    case = new_case()
    fields = dict(case_id=case.id, to_department="tax", role="assisting", subject="完税证明",
                  needed="契税")
    fields.update(overrides)
    with pytest.raises(Rejected) as err:
        requests.send("r", case, SendRequest(**fields), BDC_CLERK, ctx())
    assert err.value.reason == reason
    assert err.value.message


def test_send_refuses_a_closed_case_and_a_second_lead():
    case = new_case()
    with pytest.raises(Rejected) as err:
        requests.send("r", replace(case, state=CaseState.COMPLETED),
                      SendRequest(case_id=case.id, to_department="tax", role="assisting",
                                  subject="s", needed="n"), BDC_CLERK, ctx())
    assert err.value.code == "invalid_state"
    with pytest.raises(Rejected) as err:
        requests.send("r", replace(case, lead_department="gaj"),
                      SendRequest(case_id=case.id, to_department="tax", role="lead",
                                  subject="s", needed="n"), BDC_CLERK, ctx())
    assert err.value.reason == "lead_taken"


# -- the clock -----------------------------------------------------------------------------------


def test_send_back_pauses_the_clock_and_resubmit_resumes_it():
    r = requests.decide(sent_request(), Accept(), TAX_LIAISON, ctx()).request
    one_pm_monday = MONDAY_10.replace(hour=13, minute=30)  # 2 h of working time used
    back = requests.decide(r, SendBack(reason="缺少合同"), TAX_LIAISON, ctx(one_pm_monday))
    assert back.request.state is S.SENT_BACK and back.request.due_at is None
    assert back.request.paused_remaining == timedelta(hours=1, minutes=30)
    pause = back.events[-1]
    assert pause.kind == "deadline_changed" and pause.details["reason"] == "paused"
    assert pause.details["old_due_at"] == r.due_at.isoformat()
    assert pause.details["new_due_at"] is None

    tuesday_nine = MONDAY_10.replace(day=24, hour=9)  # the citizen brings the contract next day
    resumed = requests.decide(back.request, Resubmit(text="已补合同"), BDC_CLERK,
                              ctx(tuesday_nine))
    assert resumed.request.state is S.ACCEPTED  # it had been accepted before
    assert resumed.request.due_at == tuesday_nine.replace(hour=10, minute=30)
    assert resumed.events[-1].details == {
        "reason": "resumed", "old_due_at": None,
        "new_due_at": resumed.request.due_at.isoformat()}


def test_overdue_when_sent_back_resumes_already_due():
    late = MONDAY_10.replace(hour=16)  # due 15:00
    back = requests.decide(sent_request(), SendBack(reason="x"), TAX_LIAISON, ctx(late)).request
    assert back.paused_remaining == timedelta(0)
    resumed = requests.decide(back, Resubmit(text="y"), BDC_CLERK, ctx(late)).request
    assert resumed.state is S.SENT and resumed.due_at == late


def test_forward_starts_a_new_clock_for_the_new_department():
    afternoon = MONDAY_10.replace(hour=14)
    t = requests.decide(sent_request(), Forward(to_department="gaj", reason="户籍问题"),
                        TAX_LIAISON, ctx(afternoon))
    r = t.request
    assert r.state is S.FORWARDED and r.to_department == "gaj"
    assert r.handled_by == ("tax", "gaj")
    assert r.due_at == MONDAY_10.replace(hour=17, minute=30)  # 14:00 + 3.5 h
    assert [e.kind for e in t.events] == ["forwarded", "deadline_changed"]
    assert t.events[1].details["reason"] == "restarted"
    # the new department accepts; the old one has no say any more
    assert requests.decide(r, Accept(), GAJ_LIAISON, ctx(afternoon)).request.state is S.ACCEPTED
    with pytest.raises(Rejected):
        requests.decide(r, Accept(), TAX_LIAISON, ctx(afternoon))


@pytest.mark.parametrize("target", ["tax", "bdc"])
def test_forward_refuses_own_and_requesting_department(target):
    with pytest.raises(Rejected) as err:
        requests.decide(sent_request(), Forward(to_department=target, reason="r"), TAX_LIAISON,
                        ctx())
    assert err.value.reason == "same_department"


def test_an_approved_extension_adds_working_time():
    r = requests.decide(sent_request(), Accept(), TAX_LIAISON, ctx()).request
    asked = requests.decide(r, Extend(working_hours=3, reason="调档"), TAX_LIAISON, ctx()).request
    assert asked.pending_extension.working_hours == 3 and asked.due_at == r.due_at
    with pytest.raises(Rejected) as err:
        requests.decide(asked, Extend(working_hours=1, reason="again"), TAX_LIAISON, ctx())
    assert err.value.code == "invalid_state"
    t = requests.decide(asked, ApproveExtension(), BDC_LEAD, ctx())
    assert t.request.pending_extension is None
    assert t.request.due_at == MONDAY_10.replace(day=24, hour=9, minute=30)  # 15:00 + 3 h
    assert t.events[-1].details["reason"] == "extended"
    declined = requests.decide(asked, DeclineExtension(reason="不行"), BDC_LEAD, ctx()).request
    assert declined.pending_extension is None and declined.due_at == r.due_at


@pytest.mark.parametrize("hours", [0, -1, 10_000])
def test_extension_hours_must_be_sensible(hours):
    r = request_in(S.ACCEPTED)
    with pytest.raises(Rejected) as err:
        requests.decide(r, Extend(working_hours=hours, reason="x"), TAX_LIAISON, ctx())
    assert err.value.code == "invalid_argument"


def test_reply_stops_the_clock_and_records_whether_it_was_on_time():
    r = request_in(S.ACCEPTED)
    on_time = requests.decide(r, Reply(text="ok"), TAX_LIAISON, ctx(r.due_at))
    assert on_time.request.clock_started_at is None and on_time.request.due_at == r.due_at
    assert on_time.events[0].details["on_time"] is True
    late = requests.decide(r, Reply(text="ok"), TAX_LIAISON, ctx(r.due_at + timedelta(seconds=1)))
    assert late.events[0].details["on_time"] is False
    with pytest.raises(Rejected) as err:
        requests.decide(r, Reply(text=" "), TAX_LIAISON, ctx())
    assert err.value.reason == "missing_text"


def test_a_calendar_change_recomputes_the_deadline_with_an_event():
    r = sent_request(at=MONDAY_10.replace(hour=16))  # due Tuesday 11:00
    closed_tuesday = WorkCalendar(overrides=CalendarOverrides.from_dict(
        {"name": "停电检修", "closures": [{"date": "2026-11-24", "reason": "大厅停电检修"}]}))
    t = requests.recompute_deadline(r, ctx(calendar=closed_tuesday), SYSTEM)
    assert t.request.due_at == MONDAY_10.replace(day=25, hour=11)
    assert t.events[0].details["old_due_at"] == r.due_at.isoformat()
    assert t.events[0].actor_id == "system"
    assert requests.recompute_deadline(r, ctx(), SYSTEM) is None  # nothing changed
    assert not closed_tuesday.is_workday(date(2026, 11, 24))


# -- the requester's side ------------------------------------------------------------------------


def test_urge_by_requester_or_by_the_holders_leader():
    r = request_in(S.ACCEPTED)
    by_requester = requests.decide(r, Urge(note="快"), BDC_CLERK, ctx())
    assert by_requester.request.urge_count == 1
    assert by_requester.events[0].details["by_leader"] is False
    by_leader = requests.decide(r, Urge(note="督办"), TAX_LEAD, ctx())
    assert by_leader.events[0].details == {"note": "督办", "by_leader": True, "holder": "tax"}
    with pytest.raises(Rejected):
        requests.decide(r, Urge(note="x"), TAX_LIAISON, ctx())  # the holder cannot urge itself


def test_confirm_rates_and_unsatisfied_needs_a_reason():
    r = request_in(S.REPLIED)
    t = requests.decide(r, Confirm(rating=4), BDC_CLERK, ctx())
    assert t.request.state is S.CONFIRMED and t.request.rating.label == "满意"
    assert t.events[0].details["rating_label"] == "满意"
    with pytest.raises(Rejected) as err:
        requests.decide(r, Confirm(rating=1), BDC_CLERK, ctx())
    assert "不满意的原因" in err.value.message
    for bad in (0, 6):
        with pytest.raises(Rejected):
            requests.decide(r, Confirm(rating=bad), BDC_CLERK, ctx())


def test_reopen_after_an_unsatisfied_rating_starts_a_new_clock():
    afternoon = MONDAY_10.replace(hour=14)
    t = requests.decide(request_in(S.CONFIRMED, rating=2), Reopen(reason="金额错误"), BDC_CLERK,
                        ctx(afternoon))
    assert t.request.state is S.REOPENED and t.request.accepted_at is None
    assert t.request.due_at == afternoon.replace(hour=17, minute=30)
    with pytest.raises(Rejected) as err:
        requests.decide(request_in(S.CONFIRMED, rating=4), Reopen(reason="x"), BDC_CLERK, ctx())
    assert err.value.code == "invalid_state" and "不满意" in err.value.message


def test_rejection_message_names_the_state_in_chinese():
    with pytest.raises(Rejected) as err:
        requests.decide(request_in(S.CONFIRMED, rating=5), SendBack(reason="x"), TAX_LIAISON,
                        ctx())
    assert err.value.message == "该请求当前为「已办结」，不能退回补正"


def test_events_carry_server_time_in_any_zone():
    utc_now = MONDAY_10.astimezone(SHANGHAI).astimezone(tz=None)
    t = requests.decide(sent_request(), Accept(), TAX_LIAISON, ctx(utc_now))
    assert t.events[0].at == utc_now and t.request.accepted_at == utc_now
