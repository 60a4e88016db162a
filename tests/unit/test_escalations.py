"""超期督办提醒 decided from the cache alone, with a chosen ``now``: the local countdown is
enough (offline), the server's escalation also counts, each item pops up once per deadline
(also after a restart), and only a supervisor of the holding department is told."""

from __future__ import annotations

import uuid
from datetime import UTC, timedelta

import pytest

from app import escalations
from app.domain import commands as c
from app.domain import requests
from app.domain.entities import SYSTEM, Case, CollabRequest, Event
from app.domain.rules import iso
from app.domain.serialize import to_data
from app.local import apply_server_changes
from app.store import open_store
from tests.unit.domain_fixtures import (
    BDC_CLERK,
    BDC_LEAD,
    CALENDAR,
    DEPARTMENTS,
    GAJ_LEAD,
    MONDAY_10,
    TAX_LEAD,
    TAX_LIAISON,
    VALID_ID,
    ctx,
    new_case,
)

PHONE = "13912345678"


@pytest.fixture
def store(tmp_path):
    s = open_store(tmp_path)
    put(s, *[{"entity": "department", "id": code, "data": {"name": name}}
             for code, name in DEPARTMENTS.items()],
        *[{"entity": "user", "id": who.id, "data": {
            "username": who.username, "name": f"{who.username}的名字",
            "department": who.department, "roles": [r.value for r in who.roles]}}
          for who in (BDC_CLERK, BDC_LEAD, TAX_LIAISON, TAX_LEAD, GAJ_LEAD)])
    yield s
    s.close()


def put(store, *things) -> None:
    """Store things as a pull from the server would."""
    changes = []
    for thing in things:
        if isinstance(thing, Case):
            changes.append({"entity": "case", "id": thing.id, "data": to_data(thing)})
        elif isinstance(thing, CollabRequest):
            changes.append({"entity": "request", "id": thing.id, "data": to_data(thing)})
        elif isinstance(thing, Event):
            changes.append({"entity": "event", "id": str(uuid.uuid4()), "data": to_data(thing)})
        else:
            changes.append(thing)
    with store.session() as session:
        apply_server_changes(session, changes)


def act(store, request: CollabRequest, command, actor, at) -> CollabRequest:
    done = requests.decide(request, command, actor, ctx(at))
    put(store, done.request, *done.events)
    return done.request


def sent(store) -> CollabRequest:
    """bdc01 asks the tax department for a certificate on Monday at 10:00."""
    case = new_case()
    done = requests.send("req-1", case, c.SendRequest(
        case_id=case.id, to_department="tax", role="assisting", subject="完税证明",
        needed="契税完税证明"), BDC_CLERK, ctx())
    put(store, case, done.request, *done.events)
    return done.request


def late(request: CollabRequest, amount: timedelta):
    return CALENDAR.add_working_time(request.due_at, amount)


def test_the_local_countdown_alone_makes_a_request_overdue(store):
    request = sent(store)
    assert escalations.overdue_for_supervisor(
        store, TAX_LEAD, request.due_at - timedelta(minutes=1)) == []

    now = late(request, timedelta(hours=1, minutes=5))  # no escalated event: offline
    [item] = escalations.overdue_for_supervisor(store, TAX_LEAD, now)

    assert item.request_id == request.id and item.escalated is False
    assert item.overdue == timedelta(hours=1, minutes=5)
    assert item.overdue_text == "1小时05分"
    assert item.key == f"overdue-popup:{request.id}@{request.due_at.astimezone(UTC).isoformat()}"
    assert (item.subject, item.role, item.holder) == ("完税证明", "协办", "税务局")
    assert (item.from_department, item.sent_by) == ("不动产登记中心", "bdc01的名字")
    assert item.sent_at == MONDAY_10 and item.due_at == request.due_at
    assert item.accepted_by == "" and item.accepted_at is None
    assert item.case_line.startswith("办件 ") and "110***********002X" in item.case_line
    assert VALID_ID not in item.case_line
    assert [e.verb for e in item.history] == ["发起协同", "开始协同"]


def test_the_whole_history_accepted_reminded_urged(store):
    request = sent(store)
    at = MONDAY_10 + timedelta(minutes=20)
    request = act(store, request, c.Accept(), TAX_LIAISON, at)
    put(store, ctx(at).event("request", request.id, "reminder", SYSTEM,
                             due_at=iso(request.due_at), holder="tax", minutes_left=60))
    act(store, request, c.Urge(note="群众在窗口等候"), BDC_CLERK, at + timedelta(minutes=5))
    now = late(request, timedelta(minutes=30))
    put(store, ctx(now).event("request", request.id, "escalated", SYSTEM,
                              due_at=iso(request.due_at), holder="tax", notify=[TAX_LEAD.id],
                              overdue_seconds=1800))
    act(store, request, c.Urge(note="请马上办理"), TAX_LEAD, now)

    [item] = escalations.overdue_for_supervisor(store, TAX_LEAD, now)

    assert item.escalated is True
    assert (item.accepted_by, item.accepted_at) == ("tax01的名字", at)
    assert (item.reminders, item.urges, item.leader_urges) == (1, 1, 1)
    assert item.state == "办理中"
    verbs = [e.verb for e in item.history]
    assert verbs[-5:] == ["签收", "到期提醒", "催办", "超期督办", "催办"]
    assert item.history[-1].details == "部门领导督办；留言：请马上办理"
    assert item.history[-2].details == "税务局 已超期 30分钟，已通知部门领导"


def test_the_servers_escalation_counts_when_this_pc_is_a_little_behind(store):
    request = sent(store)
    put(store, ctx(request.due_at).event(
        "request", request.id, "escalated", SYSTEM, due_at=iso(request.due_at), holder="tax",
        notify=[TAX_LEAD.id], overdue_seconds=0))

    [item] = escalations.overdue_for_supervisor(
        store, TAX_LEAD, request.due_at - timedelta(seconds=20))
    assert item.escalated is True and item.overdue == timedelta(0)


def test_only_a_supervisor_of_the_holding_department_is_told(store):
    request = sent(store)
    now = late(request, timedelta(hours=1))
    for someone in (TAX_LIAISON, BDC_LEAD, GAJ_LEAD, BDC_CLERK):
        assert escalations.overdue_for_supervisor(store, someone, now) == []
    assert len(escalations.overdue_for_supervisor(store, TAX_LEAD, now)) == 1


def test_a_leader_also_watches_the_departments_under_theirs(store):
    put(store, {"entity": "department", "id": "gaj",
                "data": {"name": DEPARTMENTS["gaj"], "parent": "tax"}})
    case = new_case()
    done = requests.send("req-gaj", case, c.SendRequest(
        case_id=case.id, to_department="gaj", role="assisting", subject="户籍证明",
        needed="户籍证明"), BDC_CLERK, ctx())
    put(store, case, done.request, *done.events)

    now = late(done.request, timedelta(hours=1))
    [item] = escalations.overdue_for_supervisor(store, TAX_LEAD, now)
    assert item.holder == "公安局户政"
    assert escalations.overdue_for_supervisor(store, GAJ_LEAD, now)[0].request_id == "req-gaj"


def test_answered_or_paused_requests_are_not_overdue(store):
    request = act(store, sent(store), c.Accept(), TAX_LIAISON, MONDAY_10)
    now = late(request, timedelta(hours=1))
    act(store, request, c.SendBack(reason="缺少合同"), TAX_LIAISON, MONDAY_10)
    assert escalations.overdue_for_supervisor(store, TAX_LEAD, now) == []


def test_free_text_never_shows_an_id_number_or_a_phone(store):
    case = new_case()
    done = requests.send("req-2", case, c.SendRequest(
        case_id=case.id, to_department="tax", role="assisting", subject=f"完税证明 {VALID_ID}",
        needed="契税完税证明"), BDC_CLERK, ctx())
    put(store, case, done.request, *done.events)
    act(store, done.request, c.Urge(note=f"申请人电话 {PHONE}"), BDC_CLERK, MONDAY_10)

    [item] = escalations.overdue_for_supervisor(
        store, TAX_LEAD, late(done.request, timedelta(hours=1)))
    shown = " ".join([item.subject, item.case_line, *(e.details for e in item.history)])
    assert VALID_ID not in shown and PHONE not in shown
    assert "110***********002X" in item.subject


def test_each_pops_up_once_per_deadline_also_after_a_restart(store, tmp_path):
    request = act(store, sent(store), c.Accept(), TAX_LIAISON, MONDAY_10)
    now = late(request, timedelta(minutes=10))
    items = escalations.overdue_for_supervisor(store, TAX_LEAD, now)
    assert escalations.newly_overdue(store, items) == items

    escalations.mark_popped_up(store, items, now)
    assert escalations.newly_overdue(store, items) == []
    store.close()
    reopened = open_store(tmp_path)  # a restart
    try:
        again = escalations.overdue_for_supervisor(reopened, TAX_LEAD, now)
        assert again and escalations.newly_overdue(reopened, again) == []

        # an approved extension is a new deadline: overdue again is news again
        request = act(reopened, request, c.Extend(working_hours=2, reason="需要调档"),
                      TAX_LIAISON, now)
        request = act(reopened, request, c.ApproveExtension(), BDC_LEAD, now)
        assert escalations.overdue_for_supervisor(reopened, TAX_LEAD, now) == []
        later = late(request, timedelta(minutes=1))
        [fresh] = escalations.newly_overdue(
            reopened, escalations.overdue_for_supervisor(reopened, TAX_LEAD, later))
        assert fresh.request_id == request.id and fresh.key != items[0].key
    finally:
        reopened.close()


def test_the_tray_message_names_what_is_newly_overdue(store):
    request = sent(store)
    [item] = escalations.overdue_for_supervisor(
        store, TAX_LEAD, late(request, timedelta(minutes=45)))
    notice = escalations.popup_notice([item])
    assert (notice.kind, notice.entity, notice.entity_id) == ("overdue", "overdue", request.id)
    assert notice.title == "超期督办提醒"
    assert notice.body.startswith("1 件协同请求已超期：「完税证明」超期 45分钟")
    many = escalations.popup_notice([item] * 5)
    assert many.body.startswith("5 件协同请求已超期：") and " 等\n" in many.body
    assert many.body.count("「完税证明」") == escalations.NAMED_IN_NOTICE
