"""A pulled page in the cache (app.local.apply_server_changes): every column as the clerk's
own writes store it, the server's events in place of an op's pending ones, search keys
also when a request comes before its case, and the same page twice changes nothing."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from app import local
from app.domain import commands as c
from app.domain import requests
from app.domain.serialize import to_data
from app.store import models as m
from app.store import open_store
from tests.unit.domain_fixtures import BDC_CLERK, ctx, new_case, register_command

MATTER = {"entity": "matter_type", "id": "bdc-transfer",
          "data": {"name": "二手房Transfer", "department": "bdc",
                   "default_category": "general"}}


@pytest.fixture
def store(tmp_path):
    s = open_store(tmp_path)
    yield s
    s.close()


def sent():
    """case-1 and its request req-1 to tax, with the send's events."""
    case = new_case()
    done = requests.send("req-1", case, c.SendRequest(
        case_id=case.id, to_department="tax", role="assisting", subject="完税证明",
        needed="契税完税证明"), BDC_CLERK, ctx())
    return done.case or case, done.request, done.events


def change(entity: str, entity_id: str, data: dict) -> dict:
    return {"entity": entity, "id": entity_id, "data": data}


def apply(store, *changes) -> set:
    with store.session() as session:
        return local.apply_server_changes(session, list(changes))


def rows(store, table: str) -> list[dict]:
    with store.read() as session:
        result = session.connection().exec_driver_sql(f"SELECT * FROM {table} ORDER BY 1")
        return [dict(row._mapping) for row in result]


def test_a_pulled_case_request_and_event_are_stored_column_for_column(store):
    case, request, events = sent()
    before = datetime.now(UTC).replace(tzinfo=None)
    touched = apply(store, MATTER, change("case", case.id, to_data(case)),
                    change("request", request.id, to_data(request)),
                    change("event", "ev-1", {**to_data(events[0]), "op_id": "op-1"}))
    assert touched == {("case", "case-1"), ("request", "req-1")}

    case_json = json.dumps(to_data(case))
    assert rows(store, "cases") == [{
        "id": "case-1", "number": case.number, "department_code": "bdc",
        "matter_code": "bdc-transfer", "citizen_name": "张三",
        "citizen_id_number": "11010519491231002X", "citizen_phone": "13800138000",
        "channel": "window", "category": "general", "state": case.state.value,
        "due_at": case.due_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f"),
        "registered_at": "2026-11-23 02:00:00.000000", "version": case.version,
        "data": case_json, "server_data": case_json}]

    (stored,) = rows(store, "requests")
    updated_at = datetime.fromisoformat(stored.pop("updated_at"))
    assert before <= updated_at <= datetime.now(UTC).replace(tzinfo=None)
    request_json = json.dumps(to_data(request))
    assert stored == {
        "id": "req-1", "case_id": "case-1", "from_department": "bdc", "to_department": "tax",
        "role": "assisting", "state": "sent", "subject": "完税证明",
        "sent_at": "2026-11-23 02:00:00.000000",
        "due_at": request.due_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f"),
        "version": request.version, "data": request_json, "server_data": request_json,
        "search_key": f"{case.number.lower()} 张三 002x 二手房transfer"}

    event = events[0]
    assert rows(store, "events") == [{
        "id": "ev-1", "entity": event.entity, "entity_id": event.entity_id,
        "kind": event.kind, "actor_id": "id-bdc01", "actor_name": "bdc01",
        "department_code": "bdc", "at": "2026-11-23 02:00:00.000000", "device": "pc-test",
        "details": json.dumps(dict(event.details)), "op_id": "op-1", "pending": 0}]


def test_an_ops_pending_events_give_way_to_the_servers_events(store):
    with store.session() as session:
        mine = local.record_action(session, "case.register", "case-2",
                                   to_data(register_command()), BDC_CLERK, ctx())
        other = local.record_action(session, "case.register", "case-3",
                                    to_data(register_command()), BDC_CLERK, ctx())
    _, _, events = sent()
    apply(store, *[change("event", f"ev-{i}", {**to_data(e), "op_id": mine})
                   for i, e in enumerate(events)])

    assert {(r["id"], r["op_id"], r["pending"]) for r in rows(store, "events")} == {
        ("ev-0", mine, 0), ("ev-1", mine, 0), (f"{other}:0", other, 1)}


def test_a_request_before_its_case_gets_its_search_key_when_the_case_arrives(store):
    case, request, _ = sent()
    apply(store, MATTER, change("request", request.id, to_data(request)))
    assert rows(store, "requests")[0]["search_key"] == ""

    apply(store, change("case", case.id, to_data(case)))
    assert rows(store, "requests")[0]["search_key"] == (
        f"{case.number.lower()} 张三 002x 二手房transfer")

    apply(store, change("request", request.id, to_data(request)))  # its case now stored
    assert rows(store, "requests")[0]["search_key"] == (
        f"{case.number.lower()} 张三 002x 二手房transfer")


def test_the_same_page_twice_changes_nothing(store):
    case, request, events = sent()
    page = [MATTER, change("case", case.id, to_data(case)),
            change("request", request.id, to_data(request)),
            *[change("event", f"ev-{i}", to_data(e)) for i, e in enumerate(events)]]
    apply(store, *page)
    first = {t: rows(store, t) for t in ("cases", "requests", "events")}
    apply(store, *page)
    again = {t: rows(store, t) for t in ("cases", "requests", "events")}
    for table in (first, again):
        for row in table["requests"]:
            row.pop("updated_at")  # when this PC last wrote it
    assert again == first


def test_rows_loaded_earlier_in_the_session_show_the_pulled_state(store):
    case, _, _ = sent()
    apply(store, change("case", case.id, to_data(case)))
    newer = {**to_data(case), "citizen_name": "李四", "version": case.version + 1}
    with store.session() as session:
        assert session.get(m.Case, case.id).citizen_name == "张三"
        local.apply_server_changes(session, [change("case", case.id, newer)])
        row = session.get(m.Case, case.id)
        assert (row.citizen_name, row.server_data["citizen_name"]) == ("李四", "李四")


def test_reference_data_is_stored_whole_and_the_last_change_of_a_page_wins(store):
    apply(store, change("department", "sub", {"name": "子", "parent": "bdc", "sort_order": 3}),
          change("user", "u1", {"username": "bdc09", "name": "甲", "department": "bdc",
                                "roles": ["clerk"], "window": "w1"}),
          change("calendar", "any", {"tz": "Asia/Shanghai"}),
          change("user", "u1", {"username": "bdc09", "name": "甲", "roles": ["supervisor"],
                                "active": False}))
    assert rows(store, "departments") == [
        {"code": "sub", "name": "子", "parent_code": "bdc", "sort_order": 3}]
    with store.read() as session:
        user = session.get(m.Staff, "u1")
        assert (user.roles, user.department_code, user.window_code, user.active) == (
            ["supervisor"], None, None, False)
        assert session.get(m.CalendarData, local.DEFAULT).data == {"tz": "Asia/Shanghai"}


def test_a_request_sent_from_this_pc_is_searchable_before_it_syncs(store):
    """The clerk registers a case and sends a request offline: the sent box finds it by
    the citizen's name, the ID's last digits and the matter at once."""
    from app import inbox

    apply(store, MATTER)
    with store.session() as session:
        local.record_action(session, "case.register", "case-9", to_data(register_command()),
                            BDC_CLERK, ctx())
        local.record_action(session, "request.send", "req-9", to_data(c.SendRequest(
            case_id="case-9", to_department="tax", role="assisting", subject="完税证明",
            needed="契税完税证明")), BDC_CLERK, ctx())
    sent_box = inbox.read_index(store, "bdc", sent=True)
    for typed in ("张三", "002x", "transfer"):
        assert sent_box.select(search=typed) == ["req-9"], typed
