"""Entities survive the trip to JSON and back unchanged: client and server share this."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta

from hypothesis import given
from hypothesis import strategies as st

from app.domain import requests
from app.domain.commands import Accept, Confirm, Extend, Reply, SendBack, SendRequest
from app.domain.entities import Case, CollabRequest, Event, Staff
from app.domain.serialize import from_data, to_data
from tests.unit.domain_fixtures import (
    BDC_CLERK,
    BDC_LEAD,
    MONDAY_10,
    TAX_LIAISON,
    ctx,
    new_case,
    sent_request,
)


def round_trip(obj):
    return from_data(type(obj), json.loads(json.dumps(to_data(obj))))


def test_a_request_through_its_whole_life_round_trips():
    r = sent_request()
    steps = [(Accept(), TAX_LIAISON), (Extend(working_hours=2, reason="调档"), TAX_LIAISON),
             (SendBack(reason="缺合同"), TAX_LIAISON)]
    for command, actor in steps:
        t = requests.decide(r, command, actor, ctx())
        assert round_trip(t.request) == t.request
        for event in t.events:
            assert round_trip(event) == event
        r = t.request
    replied = requests.decide(sent_request(), Accept(), TAX_LIAISON, ctx()).request
    replied = requests.decide(replied, Reply(text="好", attachments=("a" * 64,)), TAX_LIAISON,
                              ctx()).request
    rated = requests.decide(replied, Confirm(rating=2, comment="慢"), BDC_CLERK, ctx()).request
    assert round_trip(rated) == rated and round_trip(rated).rating.unsatisfied


def test_case_and_staff_round_trip():
    case = new_case()
    assert round_trip(case) == case
    assert round_trip(BDC_LEAD) == BDC_LEAD


def test_the_wire_form_is_plain_json_in_utc():
    data = to_data(sent_request())
    assert data["due_at"] == "2026-11-23T07:00:00+00:00"  # 15:00 in Shanghai
    assert data["state"] == "sent" and data["allowance"] == 3.5 * 3600
    assert data["paused_remaining"] is None


def test_unknown_keys_are_ignored_and_missing_ones_defaulted():
    data = to_data(sent_request())
    data["added_by_a_newer_server"] = 1
    del data["urge_count"]
    assert from_data(CollabRequest, data).urge_count == 0


@given(minutes=st.integers(min_value=0, max_value=10_000))
def test_durations_and_instants_survive(minutes):
    r = sent_request()
    changed = replace(r, paused_remaining=timedelta(minutes=minutes),
                      due_at=MONDAY_10 + timedelta(minutes=minutes))
    assert round_trip(changed) == changed


def test_types_come_back_as_they_were():
    send = SendRequest(case_id="case-1", to_department="tax", role="lead", subject="s",
                       needed="n")
    event = round_trip(requests.send("r", new_case(), send, BDC_CLERK, ctx()).events[0])
    assert isinstance(event, Event) and event.at == MONDAY_10
    assert isinstance(round_trip(new_case()), Case)
    assert isinstance(round_trip(BDC_CLERK), Staff)
