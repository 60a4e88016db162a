"""Push and pull over HTTP against a real server process (SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
import time
import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from server.sync.pull import MAX_LIMIT
from tests.support.server import Api, op, register_op, send_op


def new_request(bdc: Api, **send_args) -> tuple[str, str]:
    case_id, request_id = str(uuid.uuid4()), str(uuid.uuid4())
    results = bdc.push(register_op(case_id), send_op(case_id, request_id=request_id,
                                                     **send_args))
    assert [r["status"] for r in results] == ["applied", "applied"], results
    return case_id, request_id


def test_every_answer_carries_server_time_and_a_date_header(server, bdc):
    for response in (bdc.get("/api/v1/health"), bdc.get("/api/v1/sync/pull"),
                     bdc.get("/api/v1/nowhere")):
        assert datetime.fromisoformat(response.json()["server_time"]).tzinfo is not None
        assert response.headers["date"]


def test_replaying_a_push_answers_duplicate_and_changes_nothing(bdc, tax):
    case_id = str(uuid.uuid4())
    ops = [register_op(case_id), send_op(case_id), op("case.complete", case_id, result="")]
    first = bdc.push(*ops)
    assert [r["status"] for r in first] == ["applied", "applied", "rejected"]
    _, cursor = tax.pull_all()
    again = bdc.push(*ops)
    assert [r["status"] for r in again] == ["duplicate"] * 3
    assert [r["original"]["status"] for r in again] == ["applied", "applied", "rejected"]
    assert again[2]["original"]["code"] == "invalid_argument"
    assert again[2]["original"]["message"] == first[2]["message"]
    assert tax.pull(cursor)["changes"] == []  # nothing changed


def test_a_rejected_op_never_blocks_the_ops_after_it(bdc):
    case_id = str(uuid.uuid4())
    results = bdc.push(op("request.accept", str(uuid.uuid4())), register_op(case_id),
                       op("case.explode", case_id), register_op(case_id))
    assert [r["status"] for r in results] == ["rejected", "applied", "rejected", "rejected"]
    assert [r.get("code") for r in results] == ["not_found", None, "invalid_argument",
                                                "conflict"]
    assert all(r["message"] for r in results if r["status"] == "rejected")


def test_long_poll_delivers_a_new_request_within_a_second(bdc, tax):
    _, cursor = tax.pull_all()
    answer: dict = {}

    def poll():
        started = time.monotonic()
        answer["page"] = tax.pull(cursor, wait=10)
        answer["seconds"] = time.monotonic() - started

    poller = threading.Thread(target=poll)
    poller.start()
    time.sleep(0.3)  # let the poll reach the server and wait there: it must be woken, not spin
    sent_at = time.monotonic()
    _, request_id = new_request(bdc)
    poller.join(timeout=15)
    assert time.monotonic() - sent_at < 1.0
    requests_seen = {c["id"]: c["data"] for c in answer["page"]["changes"]
                     if c["entity"] == "request"}
    assert request_id in requests_seen
    data = requests_seen[request_id]
    assert data["state"] == "sent" and data["to_department"] == "tax"
    assert datetime.fromisoformat(data["due_at"]) > datetime.fromisoformat(data["sent_at"])


def test_another_department_never_sees_the_case_or_request(bdc, gaj):
    _, cursor = gaj.pull_all()
    case_id, request_id = new_request(bdc)
    seen, _ = gaj.pull_all(cursor)
    ids = {key[1] for key in seen}
    assert case_id not in ids and request_id not in ids
    events = [d for (entity, _), d in seen.items() if entity == "event"]
    assert all(e["entity_id"] not in (case_id, request_id) for e in events)
    refused = gaj.push(op("request.accept", request_id))[0]
    assert (refused["status"], refused["code"]) == ("rejected", "forbidden")


def test_the_receiver_sees_the_case_with_the_citizen_and_its_history(bdc, tax):
    _, cursor = tax.pull_all()
    case_id, request_id = new_request(bdc)
    seen, _ = tax.pull_all(cursor)
    case = seen[("case", case_id)]
    assert case["citizen_id_number"] == "11010519491231002X" and case["state"] == "in_progress"
    kinds = {d["kind"] for (entity, _), d in seen.items()
             if entity == "event" and d["entity_id"] in (case_id, request_id)}
    assert {"registered", "sent", "collaboration_started"} <= kinds


def test_pull_pages_with_has_more_and_a_clamped_limit(bdc):
    for _ in range(3):
        new_request(bdc)
    first = bdc.pull(limit=2)
    assert len(first["changes"]) == 2 and first["has_more"] is True
    second = bdc.pull(first["cursor"], limit=2)
    assert {c["id"] for c in first["changes"]}.isdisjoint(c["id"] for c in second["changes"])
    clamped = bdc.pull(limit=100_000)
    assert len(clamped["changes"]) <= MAX_LIMIT


def test_an_unknown_cursor_gets_an_explicit_reset(bdc):
    for cursor in ("another-db:5", "garbage", bdc.pull()["cursor"].split(":")[0] + ":999999999"):
        response = bdc.get("/api/v1/sync/pull", params={"cursor": cursor})
        assert response.status_code == 409
        assert response.json()["error"]["code"] == "cursor_reset"


@pytest.mark.parametrize("body", [
    None, "not json", {"ops": []}, {"device_id": "x"}, {"device_id": "x", "ops": [{}]},
    {"device_id": "x", "ops": [{"op_id": "1", "type": "t", "entity_id": "e", "args": []}]},
    {"device_id": 5, "ops": []},
])
def test_a_malformed_push_is_a_4xx_with_a_code(bdc, body):
    response = bdc.post("/api/v1/sync/push", data=body) if isinstance(body, str | None) \
        else bdc.post("/api/v1/sync/push", json=body)
    assert 400 <= response.status_code < 500
    error = response.json()["error"]
    assert error["code"] == "invalid_request" and error["message"]


@pytest.mark.parametrize("args", [
    {"citizen_id_number": "110105194912310021"}, {"citizen_phone": "123"},
    {"matter_code": "no-such-matter"}, {"channel": "pigeon"},
])
def test_invalid_citizen_data_is_a_rejected_op(bdc, args):
    result = bdc.push(register_op(**args))[0]
    assert result["status"] == "rejected" and result["code"] == "invalid_argument"


def test_unknown_departments_and_op_types_are_rejected(bdc):
    case_id = str(uuid.uuid4())
    results = bdc.push(register_op(case_id), send_op(case_id, to="nowhere"),
                       op("request.teleport", str(uuid.uuid4())))
    assert [r["status"] for r in results] == ["applied", "rejected", "rejected"]
    assert results[1]["code"] == "invalid_argument"


def test_calls_without_a_token_are_401(server):
    anonymous = Api(server.url)
    for response in (anonymous.get("/api/v1/sync/pull"),
                     anonymous.post("/api/v1/sync/push", json={"device_id": "x", "ops": []}),
                     anonymous.post("/api/v1/auth/logout")):
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "unauthorized"
    anonymous.http.headers["Authorization"] = "Bearer not-a-token"
    assert anonymous.get("/api/v1/sync/pull").status_code == 401


def test_logout_revokes_the_token(server):
    api = Api(server.url).login("bdc-lead")
    assert api.get("/api/v1/auth/me").json()["user"]["username"] == "bdc-lead"
    assert api.post("/api/v1/auth/logout").status_code == 200
    assert api.get("/api/v1/auth/me").status_code == 401


def test_public_endpoints_need_no_token(server):
    anonymous = Api(server.url)
    assert anonymous.get("/api/v1/health").json()["status"] == "ok"
    assert "/api/v1/sync/push" in anonymous.get("/openapi.json").json()["paths"]
    assert anonymous.get("/docs").status_code == 200


def test_colliding_case_numbers_reject_one_op_without_blocking_the_push(bdc):
    prefix = uuid.uuid4().hex[:8]  # same department, same day, same 8 characters
    first, second = (f"{prefix}-0000-4000-8000-{n:012d}" for n in (1, 2))
    results = bdc.push(register_op(first), register_op(second), register_op())
    assert [r["status"] for r in results] == ["applied", "rejected", "applied"]
    assert results[1]["code"] == "conflict" and "办件" in results[1]["message"]


def test_the_case_number_is_dated_by_the_clerk_s_registration_time(bdc):
    shanghai = ZoneInfo("Asia/Shanghai")
    registered_at = (datetime.now(shanghai) - timedelta(days=2)).replace(hour=23, minute=50)
    case_id = str(uuid.uuid4())
    registered = register_op(case_id)
    registered["client_time"] = registered_at.isoformat()  # offline, pushed two days later
    assert bdc.push(registered)[0]["status"] == "applied"
    seen, _ = bdc.pull_all()
    assert seen[("case", case_id)]["number"].startswith(f"BDC-{registered_at:%Y%m%d}-")
