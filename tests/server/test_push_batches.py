"""Pushes of several ops whose later ops build on earlier ones in the same batch (SQLite and
PostgreSQL): each op sees what the ones before it did, though the server writes most of
a push's rows together at its end."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime, timedelta

from tests.support.server import Api, op, register_op, send_op


def statuses(results: list[dict]) -> list[str]:
    return [r["status"] for r in results]


def events_of(seen: dict, *entity_ids: str) -> list[dict]:
    return [d for (entity, _), d in seen.items()
            if entity == "event" and d["entity_id"] in entity_ids]


def test_an_op_id_repeated_in_one_push_is_applied_once(bdc, tax):
    _, cursor = tax.pull_all()
    case_id = str(uuid.uuid4())
    send = send_op(case_id)
    refused = op("case.complete", case_id, result="")
    results = bdc.push(register_op(case_id), send, send, refused, refused)
    assert statuses(results) == ["applied", "applied", "duplicate", "rejected", "duplicate"]
    assert results[2]["original"] == {"status": "applied"}
    assert results[4]["original"] == {"status": "rejected", "code": results[3]["code"],
                                      "message": results[3]["message"]}
    seen, _ = tax.pull_all(cursor)
    assert [key for key in seen if key[0] == "request"] == [("request", send["entity_id"])]


def test_a_rejected_op_in_the_middle_leaves_the_ops_around_it_applied(bdc, tax):
    _, cursor = tax.pull_all()
    case_id = str(uuid.uuid4())
    bad_send = send_op(case_id, to="nowhere")
    good_send = send_op(case_id)
    results = bdc.push(register_op(case_id), bad_send, good_send,
                       op("request.urge", bad_send["entity_id"]),
                       op("request.urge", good_send["entity_id"], note="请尽快"))
    assert statuses(results) == ["applied", "rejected", "applied", "rejected", "applied"]
    assert (results[1]["code"], results[3]["code"]) == ("invalid_argument", "not_found")
    seen, _ = tax.pull_all(cursor)
    assert ("request", bad_send["entity_id"]) not in seen
    assert seen[("request", good_send["entity_id"])]["state"] == "sent"
    kinds = [e["kind"] for e in events_of(seen, good_send["entity_id"])]
    assert "urged" in kinds


def test_a_case_and_its_requests_in_one_push_reach_exactly_the_departments_involved(
        bdc, tax, gaj):
    _, tax_cursor = tax.pull_all()
    _, gaj_cursor = gaj.pull_all()
    case_id = str(uuid.uuid4())
    sends = [send_op(case_id) for _ in range(3)]
    assert statuses(bdc.push(register_op(case_id), *sends)) == ["applied"] * 4
    seen, _ = tax.pull_all(tax_cursor)
    assert seen[("case", case_id)]["state"] == "in_progress"
    assert {key for key in seen if key[0] == "request"} == {
        ("request", s["entity_id"]) for s in sends}
    assert "registered" in [e["kind"] for e in events_of(seen, case_id)]
    unseen, _ = gaj.pull_all(gaj_cursor)
    assert not any(key[1] == case_id or key in seen for key in unseen)


def test_a_refused_attempt_on_a_request_made_in_the_same_push_reaches_its_receiver(bdc, tax):
    _, cursor = tax.pull_all()
    case_id = str(uuid.uuid4())
    send = send_op(case_id)
    results = bdc.push(register_op(case_id), send, op("request.accept", send["entity_id"]))
    assert statuses(results) == ["applied", "applied", "rejected"]
    seen, _ = tax.pull_all(cursor)
    attempts = [e for e in events_of(seen, send["entity_id"]) if e["kind"] == "rejected_attempt"]
    assert [a["details"]["op_type"] for a in attempts] == ["request.accept"]


def test_a_department_given_a_case_receives_what_the_same_push_did_to_it_before(bdc, tax):
    case_id = str(uuid.uuid4())
    assert statuses(bdc.push(register_op(case_id, category="complex"))) == ["applied"]
    _, cursor = tax.pull_all()
    due = (datetime.now(UTC) + timedelta(days=20)).replace(microsecond=0)
    results = bdc.push(op("case.set_deadline", case_id, due_at=due.isoformat(),
                          reason="会商确定"), send_op(case_id))
    assert statuses(results) == ["applied", "applied"]
    seen, _ = tax.pull_all(cursor)
    assert datetime.fromisoformat(seen[("case", case_id)]["due_at"]) == due
    kinds = {e["kind"] for e in events_of(seen, case_id)}
    assert {"registered", "deadline_changed"} <= kinds


def test_re_pushing_a_batch_with_new_ops_added_applies_only_the_new_ones(bdc, tax):
    case_id = str(uuid.uuid4())
    first = [register_op(case_id), send_op(case_id)]
    assert statuses(bdc.push(*first)) == ["applied", "applied"]
    _, cursor = tax.pull_all()
    more = send_op(case_id)
    results = bdc.push(*first, more)
    assert statuses(results) == ["duplicate", "duplicate", "applied"]
    seen, _ = tax.pull_all(cursor)
    assert {key for key in seen if key[0] == "request"} == {("request", more["entity_id"])}


def test_a_number_found_taken_on_writing_rejects_that_op_and_what_built_on_it(bdc, tax):
    prefix = uuid.uuid4().hex[:8]  # same department, same day, same 8 characters: same number
    earlier, clashing = (f"{prefix}-0000-4000-8000-{n:012d}" for n in (1, 2))
    assert statuses(bdc.push(register_op(earlier))) == ["applied"]
    _, cursor = tax.pull_all()
    other = str(uuid.uuid4())
    lost, kept = send_op(clashing), send_op(other)
    batch = [register_op(clashing), lost, register_op(other), kept]
    results = bdc.push(*batch)
    assert statuses(results) == ["rejected", "rejected", "applied", "applied"]
    assert [r.get("code") for r in results] == ["conflict", "not_found", None, None]
    seen, cursor = tax.pull_all(cursor)
    assert ("case", clashing) not in seen and ("request", lost["entity_id"]) not in seen
    assert {key for key in seen if key[0] in ("case", "request")} == {
        ("case", other), ("request", kept["entity_id"])}
    again = bdc.push(*batch)
    assert [r["original"]["status"] for r in again] == ["rejected", "rejected", "applied",
                                                        "applied"]
    assert tax.pull(cursor)["changes"] == []


def test_an_empty_push_answers_no_results_and_logs_nothing(bdc, tax):
    _, cursor = tax.pull_all()
    assert bdc.push() == []
    assert tax.pull(cursor)["changes"] == []


def test_the_same_batch_pushed_twice_at_once_is_applied_once(server):
    case_id = str(uuid.uuid4())
    batch = [register_op(case_id), *(send_op(case_id) for _ in range(20))]
    clients = [Api(server.url).login("bdc01") for _ in range(2)]
    start = threading.Barrier(len(clients))
    answers: list[list[dict]] = []

    def push(api: Api) -> None:
        start.wait(30)
        answers.append(api.push(*batch))

    threads = [threading.Thread(target=push, args=(api,)) for api in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(answers) == 2
    for first, second in zip(*answers, strict=True):
        assert sorted((first["status"], second["status"])) == ["applied", "duplicate"]
        assert (first.get("original") or second.get("original")) == {"status": "applied"}
