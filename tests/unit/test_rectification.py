"""差评整改: an unsatisfied rating opens a rectification for the department that answered;
a callback that finds the citizen satisfied closes it; an appeal is decided by the
department's supervisor."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.domain import requests
from app.domain.commands import (
    Appeal,
    Confirm,
    DecideAppeal,
    RectificationCallback,
    Reopen,
    parse_command,
    to_args,
)
from app.domain.enums import RectificationState, RequestState
from app.domain.errors import Rejected
from tests.unit.domain_fixtures import (
    BDC_CLERK,
    GAJ_LEAD,
    GAJ_LIAISON,
    MONDAY_10,
    TAX_CLERK,
    TAX_LEAD,
    TAX_LIAISON,
    ctx,
    request_in,
)

RS = RectificationState
LATER = MONDAY_10 + timedelta(hours=2)


def rated(stars: int, **confirm):
    t = requests.decide(request_in(RequestState.REPLIED),
                        Confirm(rating=stars, comment="回复太慢", **confirm), BDC_CLERK, ctx())
    return t


def callback(outcome: str, called_at=MONDAY_10 + timedelta(hours=1)) -> RectificationCallback:
    return RectificationCallback(measures="已约谈经办人，改进流程", called_by="王科长",
                                 called_at=called_at, outcome=outcome)


def test_an_unsatisfied_rating_opens_a_rectification_with_five_working_days():
    t = rated(1, indicators=("efficiency", "attitude"))
    rect = t.request.rectification
    assert rect.state is RS.OPEN and rect.opened_at == MONDAY_10
    # Monday 10:00 + 5 working days of 7 h = the next Monday 10:00
    assert rect.due_at == MONDAY_10 + timedelta(days=7)
    assert t.request.rating.indicators == ("efficiency", "attitude")
    assert [e.kind for e in t.events] == ["confirmed", "rectification_opened"]
    assert t.events[0].details["indicators"] == ["efficiency", "attitude"]
    assert t.events[1].details == {"holder": "tax", "due_at": rect.due_at.isoformat()}


def test_a_satisfied_rating_opens_nothing():
    t = rated(3)
    assert t.request.rectification is None and [e.kind for e in t.events] == ["confirmed"]


@pytest.mark.parametrize("indicators", [("speed",), ("overall", "overall")])
def test_unknown_or_repeated_indicators_are_refused(indicators):
    with pytest.raises(Rejected) as err:
        rated(5, indicators=indicators)
    assert err.value.code == "invalid_argument" and "服务效率" in err.value.message


def test_a_callback_that_finds_the_citizen_satisfied_closes_it():
    r = rated(2).request
    unreachable = requests.decide(r, callback("unreachable"), TAX_LIAISON, ctx(LATER)).request
    assert unreachable.rectification.state is RS.OPEN
    t = requests.decide(unreachable, callback("basically_satisfied"), TAX_LIAISON, ctx(LATER))
    rect = t.request.rectification
    assert rect.state is RS.RECTIFIED and rect.closed_at == LATER
    assert [c.outcome for c in rect.callbacks] == ["unreachable", "basically_satisfied"]
    assert rect.callbacks[-1].called_by == "王科长" and rect.callbacks[-1].recorded_by == \
        TAX_LIAISON.id
    assert rect.measures == "已约谈经办人，改进流程"
    assert t.events[0].kind == "rectification_callback"
    assert t.events[0].details["closed"] is True and t.events[0].details["on_time"] is True
    with pytest.raises(Rejected) as err:  # closed: nothing more is owed
        requests.decide(t.request, callback("satisfied"), TAX_LIAISON, ctx(LATER))
    assert err.value.code == "invalid_state" and "已整改" in err.value.message


def test_a_callback_is_the_receivers_and_needs_a_sane_time():
    r = rated(1).request
    with pytest.raises(Rejected) as err:
        requests.decide(r, callback("satisfied"), BDC_CLERK, ctx(LATER))
    assert err.value.reason == "wrong_department"
    with pytest.raises(Rejected) as err:
        requests.decide(r, callback("satisfied"), TAX_CLERK, ctx(LATER))
    assert err.value.reason == "wrong_role"
    for when in (MONDAY_10 - timedelta(minutes=1), LATER + timedelta(minutes=1)):
        with pytest.raises(Rejected) as err:
            requests.decide(r, callback("satisfied", called_at=when), TAX_LIAISON, ctx(LATER))
        assert err.value.code == "invalid_argument"
    with pytest.raises(Rejected) as err:
        requests.decide(r, callback("happy"), TAX_LIAISON, ctx(LATER))
    assert "未联系上" in err.value.message
    with pytest.raises(Rejected) as err:  # a request without a bad rating has nothing to fix
        requests.decide(rated(4).request, callback("satisfied"), TAX_LIAISON, ctx(LATER))
    assert err.value.code == "invalid_state" and "没有差评整改" in err.value.message


def test_an_upheld_appeal_annuls_the_rating():
    appealed = requests.decide(rated(1).request, Appeal(reason="申请人评错了对象"), TAX_LIAISON,
                               ctx(LATER))
    assert appealed.request.rectification.state is RS.APPEALED
    assert appealed.request.rectification.appeal_reason == "申请人评错了对象"
    with pytest.raises(Rejected) as err:  # only the department's supervisor decides
        requests.decide(appealed.request, DecideAppeal(uphold=True, note="同意"), TAX_LIAISON,
                        ctx(LATER))
    assert err.value.reason == "wrong_role"
    with pytest.raises(Rejected) as err:
        requests.decide(appealed.request, DecideAppeal(uphold=True, note="同意"), GAJ_LEAD,
                        ctx(LATER))
    assert err.value.reason == "wrong_department"
    with pytest.raises(Rejected):  # no callback while the appeal waits
        requests.decide(appealed.request, callback("satisfied"), TAX_LIAISON, ctx(LATER))
    t = requests.decide(appealed.request, DecideAppeal(uphold=True, note="核实为误评"),
                        TAX_LEAD, ctx(LATER))
    assert t.request.rectification.state is RS.ANNULLED
    assert t.request.rating.annulled and not t.request.rating.unsatisfied
    assert t.events[0].details == {"upheld": True, "note": "核实为误评"}
    with pytest.raises(Rejected) as err:  # an annulled rating allows no 重新办理
        requests.decide(t.request, Reopen(reason="再办一次"), BDC_CLERK, ctx(LATER))
    assert err.value.code == "invalid_state"


def test_a_dismissed_appeal_reopens_the_rectification():
    r = requests.decide(rated(2).request, Appeal(reason="x"), TAX_LIAISON, ctx(LATER)).request
    t = requests.decide(r, DecideAppeal(uphold=False, note="差评属实，请整改"), TAX_LEAD,
                        ctx(LATER))
    assert t.request.rectification.state is RS.OPEN
    assert t.request.rectification.decision_note == "差评属实，请整改"
    assert t.request.rating.unsatisfied
    with pytest.raises(Rejected) as err:  # the other department cannot appeal
        requests.decide(t.request, Appeal(reason="y"), GAJ_LIAISON, ctx(LATER))
    assert err.value.reason == "wrong_department"


def test_the_ops_travel_as_json():
    for command in (callback("satisfied"), Appeal(reason="误评"),
                    DecideAppeal(uphold=False, note="维持"),
                    Confirm(rating=2, comment="慢", indicators=("efficiency",))):
        assert parse_command(command.op_type, to_args(command)) == command
    with pytest.raises(Rejected) as err:
        parse_command("request.decide_appeal", {"uphold": "yes", "note": "x"})
    assert err.value.code == "invalid_argument"
