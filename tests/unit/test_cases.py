"""The case (办件) lifecycle and the command parser shared by client and server."""

from __future__ import annotations

import dataclasses
import re
import typing
from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from app.domain import cases
from app.domain.commands import (
    BY_OP_TYPE,
    CompleteCase,
    ExplainCase,
    RecordCallback,
    ReopenCase,
    SetCaseDeadline,
    parse_command,
    to_args,
)
from app.domain.entities import Callback
from app.domain.enums import CaseState, Category
from app.domain.errors import Rejected
from app.domain.sla import SlaPolicies
from tests.unit.domain_fixtures import (
    ADMIN,
    BDC_ADMIN,
    BDC_CLERK,
    GAJ_CLERK,
    MONDAY_10,
    TAX_LIAISON,
    VALID_ID,
    ctx,
    new_case,
    register_command,
    staff,
)

C = CaseState


def test_register_numbers_the_case_and_sets_the_deadline_by_category():
    t = cases.register("3f9a0c12-aaaa-bbbb-cccc-000000000001", register_command(), BDC_CLERK,
                       ctx())
    case = t.case
    assert case.number == "BDC-20261123-3F9A0C12"
    assert case.state is C.REGISTERED and case.department == "bdc"
    assert case.due_at == MONDAY_10.replace(day=30)  # general: 5 working days
    event = t.events[0]
    assert event.kind == "registered" and event.details["number"] == case.number
    # the timeline never carries the citizen's ID number or phone
    assert VALID_ID not in repr(event) and "13800138000" not in repr(event)


@pytest.mark.parametrize(("category", "due"), [
    ("urgent", MONDAY_10.replace(day=25)),
    ("simple", MONDAY_10.replace(day=25)),
    ("general", MONDAY_10.replace(day=30)),
    ("complex", None),
])
def test_case_deadline_comes_from_its_category(category, due):
    assert new_case(category).due_at == due


def test_register_normalises_a_lowercase_x():
    t = cases.register("c", register_command(citizen_id_number=VALID_ID.lower()), BDC_CLERK,
                       ctx())
    assert t.case.citizen_id_number == VALID_ID


@pytest.mark.parametrize(("overrides", "fragment"), [
    ({"citizen_id_number": "110105194912310021"}, "校验位"),
    ({"citizen_id_number": "1101051949"}, "18位"),
    ({"citizen_phone": "12345"}, ""),
    ({"citizen_name": "  "}, "申请人姓名"),
    ({"citizen_name": "张" * 51}, "过长"),
    ({"channel": "fax"}, "12345热线"),
    ({"category": "whenever"}, "急件"),
    ({"matter_code": "no-such"}, "事项清单"),
])
def test_register_explains_bad_input_in_chinese(overrides, fragment):
    with pytest.raises(Rejected) as err:
        cases.register("c", register_command(**overrides), BDC_CLERK, ctx())
    assert err.value.code == "invalid_argument"
    assert fragment in err.value.message
    assert re.search(r"[\u4e00-\u9fff]", err.value.message)


def test_register_needs_a_working_role_and_a_department():
    with pytest.raises(Rejected) as err:
        cases.register("c", register_command(), BDC_ADMIN, ctx())
    assert err.value.reason == "wrong_role"
    with pytest.raises(Rejected) as err:
        cases.register("c", register_command(), staff("x", None), ctx())
    assert err.value.reason == "wrong_department"


def closed(state=C.COMPLETED, outcome=None):
    case = replace(new_case(), state=state)
    if outcome:
        case = replace(case, callbacks=(Callback(MONDAY_10, BDC_CLERK.id, outcome),))
    return case


def unsatisfied():
    return closed(outcome="unsatisfied")


COMMANDS = [
    (CompleteCase(result="已办结，证书已发放"), {C.REGISTERED, C.IN_PROGRESS, C.REOPENED}),
    (ExplainCase(reason="材料不全，已告知"), {C.REGISTERED, C.IN_PROGRESS, C.REOPENED}),
    (RecordCallback(outcome="satisfied", note="群众满意"), {C.COMPLETED, C.EXPLAINED}),
]


@pytest.mark.parametrize("state", list(C), ids=[s.value for s in C])
@pytest.mark.parametrize(("command", "allowed"), COMMANDS,
                         ids=[type(c).__name__ for c, _ in COMMANDS])
def test_case_commands_are_allowed_exactly_in_their_states(command, allowed, state):
    case = replace(new_case(), state=state)
    if state in allowed:
        t = cases.decide(case, command, BDC_CLERK, ctx())
        assert t.case.version == case.version + 1 and t.events
    else:
        with pytest.raises(Rejected) as err:
            cases.decide(case, command, BDC_CLERK, ctx())
        assert err.value.code == "invalid_state" and state.label in err.value.message


@pytest.mark.parametrize("command", [c for c, _ in COMMANDS] + [ReopenCase(reason="r")])
def test_case_commands_refuse_other_departments_and_roles(command):
    case = new_case()
    with pytest.raises(Rejected) as err:
        cases.decide(case, command, GAJ_CLERK, ctx())
    assert err.value.reason == "wrong_department"
    with pytest.raises(Rejected) as err:
        cases.decide(case, command, BDC_ADMIN, ctx())
    assert err.value.reason == "wrong_role"
    with pytest.raises(Rejected) as err:
        cases.decide(case, command, ADMIN, ctx())
    assert err.value.code == "forbidden"


def test_complete_and_explain_close_the_case():
    done = cases.decide(new_case(), CompleteCase(result="证书已发放"), BDC_CLERK, ctx())
    assert done.case.state is C.COMPLETED and done.case.result == "证书已发放"
    assert done.events[0].details["on_time"] is True
    told = cases.decide(new_case(), ExplainCase(reason="不符合条件"), BDC_CLERK, ctx())
    assert told.case.state is C.EXPLAINED and told.case.explanation == "不符合条件"
    with pytest.raises(Rejected):
        cases.decide(new_case(), CompleteCase(result=""), BDC_CLERK, ctx())


def test_callback_outcome_must_be_known():
    with pytest.raises(Rejected) as err:
        cases.decide(closed(), RecordCallback(outcome="meh"), BDC_CLERK, ctx())
    assert "满意" in err.value.message


def test_reopen_only_after_an_unsatisfied_callback():
    with pytest.raises(Rejected) as err:
        cases.decide(closed(outcome="satisfied"), ReopenCase(reason="r"), BDC_CLERK, ctx())
    assert err.value.code == "invalid_state"
    t = cases.decide(unsatisfied(), ReopenCase(reason="群众不满意"), BDC_CLERK,
                     ctx(MONDAY_10.replace(day=25)))
    assert t.case.state is C.REOPENED
    assert t.case.due_at == datetime(2026, 12, 2, 10, tzinfo=MONDAY_10.tzinfo)  # 5 fresh days
    assert [e.kind for e in t.events] == ["reopened", "deadline_changed"]


def test_a_complex_case_gets_its_deadline_from_the_lead_department():
    case = replace(new_case("complex"), lead_department="tax")
    due = datetime(2026, 12, 18, 17, 30, tzinfo=MONDAY_10.tzinfo)
    t = cases.decide(case, SetCaseDeadline(due_at=due, reason="三方会商"), TAX_LIAISON, ctx())
    assert t.case.due_at == due
    assert t.events[0].details["old_due_at"] is None
    with pytest.raises(Rejected) as err:  # the registering window is not the lead
        cases.decide(case, SetCaseDeadline(due_at=due, reason="x"), BDC_CLERK, ctx())
    assert err.value.reason == "wrong_department"
    with pytest.raises(Rejected) as err:
        cases.decide(case, SetCaseDeadline(due_at=MONDAY_10 - timedelta(hours=1), reason="x"),
                     TAX_LIAISON, ctx())
    assert err.value.code == "invalid_argument"
    with pytest.raises(Rejected) as err:
        cases.decide(replace(case, category=Category.GENERAL),
                     SetCaseDeadline(due_at=due, reason="x"), TAX_LIAISON, ctx())
    assert err.value.code == "invalid_state"


# -- the wire form of commands -------------------------------------------------------------------


SAMPLE_BY_TYPE = {str: "文本", int: 3, float: 2.5, bool: True, tuple[str, ...]: ["a" * 64],
                  datetime: "2026-12-01T10:00:00+08:00", str | None: "request"}


@pytest.mark.parametrize("op_type", sorted(BY_OP_TYPE))
def test_every_command_round_trips_through_its_wire_form(op_type):
    hints = typing.get_type_hints(BY_OP_TYPE[op_type])
    args = {f.name: SAMPLE_BY_TYPE[hints[f.name]]
            for f in dataclasses.fields(BY_OP_TYPE[op_type])}
    command = parse_command(op_type, args)
    assert to_args(command) == args
    assert parse_command(op_type, to_args(command)) == command


def test_optional_arguments_take_their_defaults():
    assert parse_command("request.confirm", {"rating": 5}).comment == ""
    assert parse_command("request.send", {"case_id": "c", "to_department": "tax", "role": "lead",
                                          "subject": "s", "needed": "n"}).sla is None


@pytest.mark.parametrize(("op_type", "args", "reason", "fragment"), [
    ("request.explode", {}, "unknown_op_type", "未知"),
    ("request.reply", {}, "invalid_argument", "缺少参数 text"),
    ("request.reply", {"text": 5}, "invalid_argument", "格式"),
    ("request.reply", {"text": "x", "extra": 1}, "invalid_argument", "extra"),
    ("request.confirm", {"rating": True}, "invalid_argument", "格式"),
    ("request.confirm", {"rating": "5"}, "invalid_argument", "格式"),
    ("request.reply", {"text": "x", "attachments": "abc"}, "invalid_argument", "格式"),
    ("request.reply", {"text": "x" * 5000}, "invalid_argument", "过长"),
    ("case.set_deadline", {"due_at": "2026-12-01T10:00:00", "reason": "x"}, "invalid_argument",
     "时区"),
    ("case.set_deadline", {"due_at": "tomorrow", "reason": "x"}, "invalid_argument", "时区"),
    ("request.reply", ["text"], "invalid_argument", "对象"),
])
def test_malformed_ops_are_refused_with_a_reason(op_type, args, reason, fragment):
    with pytest.raises(Rejected) as err:
        parse_command(op_type, args)
    assert err.value.reason == reason and fragment in err.value.message


def test_sla_policies_round_trip_and_validate():
    policies = SlaPolicies.default()
    assert SlaPolicies.from_dict(policies.to_dict()) == policies
    assert [r.total_seconds() for r in policies.reminders] == [10800, 3600, 0]
    assert policies.for_case(Category.COMPLEX).working_days is None
    broken = policies.to_dict()
    broken["case_by_category"].pop("urgent")
    with pytest.raises(ValueError):
        SlaPolicies.from_dict(broken)
