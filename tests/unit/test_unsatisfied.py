"""办理不满意 from the cache alone, with a chosen ``now``: who sees which rectification, the
working time left until its deadline, the order, the masking, and who may 重新办理."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from app import unsatisfied
from app.domain import commands as c
from app.domain.enums import RectificationState, RequestState
from app.notifications import due_notifications, mark_shown
from app.store import open_store
from tests.unit.domain_fixtures import (
    ADMIN,
    BDC_CLERK,
    BDC_LEAD,
    DEPARTMENTS,
    GAJ_CLERK,
    GAJ_LEAD,
    MONDAY_10,
    TAX_CLERK,
    TAX_LEAD,
    TAX_LIAISON,
    VALID_ID,
    new_case,
    request_in,
)
from tests.unit.test_escalations import act, put

RS = RectificationState
NEXT_MONDAY_10 = MONDAY_10 + timedelta(days=7)  # 5 working days of 7 h after MONDAY_10


@pytest.fixture
def store(tmp_path):
    s = open_store(tmp_path)
    put(s, *[{"entity": "department", "id": code, "data": {"name": name}}
             for code, name in DEPARTMENTS.items()],
        *[{"entity": "user", "id": who.id, "data": {
            "username": who.username, "name": f"{who.username}的名字",
            "department": who.department, "roles": [r.value for r in who.roles]}}
          for who in (BDC_CLERK, TAX_LIAISON, TAX_LEAD)])
    yield s
    s.close()


def rated(store, stars: int, *, request_id: str = "req-1", at=MONDAY_10,
          comment: str = "等了两个小时", indicators=("efficiency", "attitude")):
    """bdc01's request, answered by the tax department, confirmed with ``stars`` at ``at``."""
    replied = replace(request_in(RequestState.REPLIED), id=request_id)
    put(store, new_case(), replied)
    return act(store, replied, c.Confirm(rating=stars, comment=comment, indicators=indicators),
               BDC_CLERK, at)


def test_a_bad_rating_is_listed_for_both_departments_with_its_countdown(store):
    rated(store, 1)
    now = MONDAY_10 + timedelta(hours=2)

    [row] = unsatisfied.unsatisfied_rows(store, TAX_LIAISON, now)
    assert row.request_id == "req-1" and row.state is RS.OPEN
    assert row.receiving and row.other_department == "不动产登记中心"
    assert (row.holder, row.rater) == ("税务局", "不动产登记中心")
    assert row.opened_at == MONDAY_10 and row.due_at == NEXT_MONDAY_10
    assert row.remaining == timedelta(hours=33) and not row.overdue
    assert (row.stars, row.rating_label) == (1, "非常不满意")
    assert row.indicators == "服务效率、服务态度"
    assert row.reason == "等了两个小时"
    assert row.citizen_masked == "张三 110***********002X" and row.matter_name == ""
    assert row.may_reopen is False  # the answering department cannot reopen

    [mine] = unsatisfied.unsatisfied_rows(store, BDC_CLERK, now)
    assert not mine.receiving and mine.other_department == "税务局"
    assert mine.may_reopen is True  # the rater may: the rating stands


def test_who_sees_it(store):
    rated(store, 2)
    for who in (TAX_CLERK, TAX_LEAD, BDC_LEAD):
        assert len(unsatisfied.unsatisfied_rows(store, who, MONDAY_10)) == 1, who.username
    for who in (GAJ_CLERK, GAJ_LEAD, ADMIN):  # another department; no working role
        assert unsatisfied.unsatisfied_rows(store, who, MONDAY_10) == [], who.username
    assert not unsatisfied.may_view(ADMIN) and unsatisfied.may_view(TAX_CLERK)


def test_a_good_rating_opens_nothing(store):
    rated(store, 3, indicators=())
    assert unsatisfied.unsatisfied_rows(store, TAX_LIAISON, MONDAY_10,
                                        include_closed=True) == []


def test_overdue_first_then_by_time_left(store):
    rated(store, 2, request_id="req-late", at=MONDAY_10 - timedelta(days=7))
    rated(store, 1, request_id="req-new")
    rated(store, 2, request_id="req-mid", at=MONDAY_10 - timedelta(days=3))  # Friday
    now = MONDAY_10 + timedelta(hours=1)

    rows = unsatisfied.unsatisfied_rows(store, TAX_LIAISON, now)

    assert [r.request_id for r in rows] == ["req-late", "req-mid", "req-new"]
    late = rows[0]
    assert late.overdue and late.remaining == -timedelta(hours=1)
    assert rows[1].remaining == timedelta(hours=27)  # 4 working days less the hour


def test_a_satisfied_callback_closes_it_an_unreachable_one_does_not(store):
    request = rated(store, 1)
    at = MONDAY_10 + timedelta(hours=3)
    call = dict(measures="约谈经办人", called_by="李婷", called_at=at - timedelta(minutes=5))
    request = act(store, request, c.RectificationCallback(outcome="unreachable", **call),
                  TAX_LIAISON, at)
    assert [r.state for r in unsatisfied.unsatisfied_rows(store, TAX_LIAISON, at)] == [RS.OPEN]

    act(store, request, c.RectificationCallback(outcome="satisfied", **call), TAX_LIAISON, at)

    assert unsatisfied.unsatisfied_rows(store, TAX_LIAISON, at) == []
    [closed] = unsatisfied.unsatisfied_rows(store, TAX_LIAISON, at, include_closed=True)
    assert closed.state is RS.RECTIFIED and closed.remaining is None
    assert closed.closed_at == at and not closed.overdue


def test_an_upheld_appeal_annuls_it_and_ends_reopening(store):
    request = rated(store, 2)
    request = act(store, request, c.Appeal(reason="评价的是其他窗口"), TAX_LIAISON, MONDAY_10)
    [row] = unsatisfied.unsatisfied_rows(store, BDC_CLERK, MONDAY_10)
    assert row.state is RS.APPEALED and row.remaining == timedelta(hours=35)  # still running

    request = act(store, request, c.DecideAppeal(uphold=True, note="核实为误评"), TAX_LEAD,
                  MONDAY_10 + timedelta(hours=1))

    assert unsatisfied.unsatisfied_rows(store, BDC_CLERK, MONDAY_10) == []
    [row] = unsatisfied.unsatisfied_rows(store, BDC_CLERK, MONDAY_10, include_closed=True)
    assert row.state is RS.ANNULLED and row.may_reopen is False

    view = unsatisfied.rectification_view(store, request, MONDAY_10 + timedelta(hours=2))
    assert view.verdict == "申诉成立，差评撤销" and view.decision_note == "核实为误评"
    assert view.appeal_reason == "评价的是其他窗口"
    assert (view.appealed_by, view.decided_by) == ("tax01的名字", "tax-lead的名字")
    assert view.remaining is None and view.remaining_at(MONDAY_10) is None


def test_a_dismissed_appeal_keeps_the_deadline(store):
    request = rated(store, 2)
    request = act(store, request, c.Appeal(reason="评价有误"), TAX_LIAISON, MONDAY_10)
    request = act(store, request, c.DecideAppeal(uphold=False, note="差评属实"), TAX_LEAD,
                  MONDAY_10)
    view = unsatisfied.rectification_view(store, request, MONDAY_10 + timedelta(hours=1))
    assert view.state is RS.OPEN and view.verdict == "驳回申诉，继续整改"
    assert view.due_at == NEXT_MONDAY_10 and view.remaining == timedelta(hours=34)
    assert view.remaining_at(NEXT_MONDAY_10 + timedelta(hours=1)) == -timedelta(hours=1)


def test_the_detail_section_lists_the_callbacks(store):
    request = rated(store, 1)
    at = MONDAY_10 + timedelta(hours=3)
    request = act(store, request, c.RectificationCallback(
        measures="约谈经办人", called_by="王科长", called_at=at, outcome="basically_satisfied",
        note="申请人认可"), TAX_LIAISON, at)

    view = unsatisfied.rectification_view(store, request, at)

    assert view.state is RS.RECTIFIED and view.closed_at == at and view.measures == "约谈经办人"
    [call] = view.calls
    assert (call.called_at, call.called_by, call.outcome, call.closes, call.note) == (
        at, "王科长", "基本满意", True, "申请人认可")
    assert call.recorded_by == "tax01的名字"
    assert (view.rating_label, view.indicators, view.holder) == ("非常不满意",
                                                                 "服务效率、服务态度", "税务局")


def test_numbers_typed_into_the_reason_are_masked(store):
    rated(store, 1, comment=f"申请人 {VALID_ID} 电话 13800138000 等了很久")
    [row] = unsatisfied.unsatisfied_rows(store, TAX_LIAISON, MONDAY_10)
    assert VALID_ID not in row.reason and "13800138000" not in row.reason
    assert "110***********002X" in row.reason


def test_the_countdown_is_working_time(store):
    rated(store, 2)
    saturday = NEXT_MONDAY_10 - timedelta(hours=50)  # Saturday 08:00
    # only Monday 09:00–10:00 is left: the weekend does not count
    [row] = unsatisfied.unsatisfied_rows(store, TAX_LIAISON, saturday)
    assert row.remaining == timedelta(hours=1) and not row.overdue


def test_the_receiving_department_is_told_once(store):
    rated(store, 1, comment="等了两个小时，态度生硬")
    now = MONDAY_10 + timedelta(minutes=5)

    def told(who):
        return [n for n in due_notifications(store, who, now) if n.kind == "rectification"]

    [notice] = told(TAX_LIAISON)
    assert notice.title == "差评整改" and (notice.entity, notice.entity_id) == ("request", "req-1")
    assert "评价为「非常不满意」：等了两个小时，态度生硬" in notice.body
    assert "本部门须在 11月30日 10:00 前整改并回访" in notice.body
    assert "110***********002X" in notice.body and VALID_ID not in notice.body
    assert told(BDC_CLERK) == []  # the rater is not told its own rating
    mark_shown(store, [notice.key], now)
    assert told(TAX_LIAISON) == []
