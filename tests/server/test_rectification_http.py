"""差评整改 over HTTP: a 非常不满意 rating opens a rectification the answering department
sees, its callback closes it, its supervisor decides an appeal; the statistics follow."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from tests.support.server import Api, op, register_op, send_op


@pytest.fixture(scope="module")
def tax_lead(server):
    return Api(server.url).login("tax-lead")


def answered_and_rated(bdc: Api, tax: Api, stars: int) -> str:
    case_id, request_id = str(uuid.uuid4()), str(uuid.uuid4())
    results = bdc.push(register_op(case_id), send_op(case_id, request_id=request_id))
    results += tax.push(op("request.accept", request_id),
                        op("request.reply", request_id, text="完税证明已开具"))
    results += bdc.push(op("request.confirm", request_id, rating=stars, comment="回复太慢",
                           indicators=["efficiency"]))
    assert [r["status"] for r in results] == ["applied"] * 5, results
    return request_id


def request_data(api: Api, request_id: str) -> dict:
    changes, _ = api.pull_all()
    return changes[("request", request_id)]


def test_a_callback_closes_the_rectification(bdc, tax, tax_lead):
    request_id = answered_and_rated(bdc, tax, 1)
    rect = request_data(tax, request_id)["rectification"]
    assert rect["state"] == "open"
    assert datetime.fromisoformat(rect["due_at"]) > datetime.now(UTC) + timedelta(hours=20)
    called_at = datetime.now(UTC).isoformat()
    callback = dict(measures="已约谈经办人", called_by="王科长", called_at=called_at)
    (refused,) = bdc.push(op("request.rectification_callback", request_id, outcome="satisfied",
                             **callback))
    assert refused["status"] == "rejected" and refused["code"] == "forbidden"
    (applied,) = tax.push(op("request.rectification_callback", request_id,
                             outcome="satisfied", **callback))
    assert applied["status"] == "applied", applied
    seen_by_requester = request_data(bdc, request_id)["rectification"]
    assert seen_by_requester["state"] == "rectified"
    assert seen_by_requester["callbacks"][0]["called_by"] == "王科长"
    body = tax_lead.get("/api/v1/stats").json()
    (row,) = body["departments"]
    assert row["unsatisfied"] >= 1 and row["rectification_rate"] is not None


def test_an_appeal_is_decided_by_the_supervisor(bdc, tax, tax_lead):
    request_id = answered_and_rated(bdc, tax, 2)
    (appealed,) = tax.push(op("request.appeal", request_id, reason="申请人评错了窗口"))
    assert appealed["status"] == "applied", appealed
    (refused,) = tax.push(op("request.decide_appeal", request_id, uphold=True, note="同意"))
    assert refused["status"] == "rejected" and refused["code"] == "forbidden"
    (decided,) = tax_lead.push(op("request.decide_appeal", request_id, uphold=True,
                                  note="核实为误评"))
    assert decided["status"] == "applied", decided
    data = request_data(bdc, request_id)
    assert data["rectification"]["state"] == "annulled" and data["rating"]["annulled"] is True
    kinds = [event["kind"] for (entity, _), event in tax.pull_all()[0].items()
             if entity == "event" and event["entity_id"] == request_id]
    assert {"rectification_opened", "appealed", "appeal_decided"} <= set(kinds)
