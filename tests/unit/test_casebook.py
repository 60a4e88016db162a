"""办件查询 from the cache: which cases a department sees, the search, and each line."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from app.casebook import find_cases
from app.domain.enums import RequestState
from app.store import open_store
from tests.unit.domain_fixtures import DEPARTMENTS, MONDAY_10, new_case, request_in
from tests.unit.test_escalations import put


@pytest.fixture
def store(tmp_path):
    s = open_store(tmp_path)
    put(s, *[{"entity": "department", "id": code, "data": {"name": name}}
             for code, name in DEPARTMENTS.items()],
        {"entity": "matter_type", "id": "bdc-transfer", "data": {
            "name": "二手房转移登记", "department": "bdc", "default_category": "general"}})
    yield s
    s.close()


def case(case_id: str, number: str, name: str = "张三", department: str = "bdc", hours: int = 0):
    return replace(new_case(at=MONDAY_10 + timedelta(hours=hours)), id=case_id, number=number,
                   citizen_name=name, department=department)


def request(request_id: str, case_id: str, to: str, state=RequestState.SENT, minutes: int = 0):
    r = request_in(state)
    return replace(r, id=request_id, case_id=case_id, to_department=to,
                   sent_at=r.sent_at + timedelta(minutes=minutes))


def test_own_cases_and_cases_asked_of_the_department_newest_first(store):
    put(store, case("c-bdc", "BDC-1"), case("c-gaj", "GAJ-1", department="gaj", hours=1),
        case("c-other", "GAJ-2", department="gaj", hours=2),
        request("r-1", "c-bdc", "tax", RequestState.REPLIED),
        request("r-2", "c-bdc", "gaj", minutes=5), request("r-3", "c-gaj", "tax"),
        request("r-4", "c-other", "bdc"))

    assert [r.number for r in find_cases(store, "tax")] == ["GAJ-1", "BDC-1"]
    assert [r.number for r in find_cases(store, "bdc")] == ["GAJ-2", "BDC-1"]
    [line] = [r for r in find_cases(store, "tax") if r.number == "BDC-1"]
    assert line.citizen == "张三 110***********002X"  # never the whole ID number
    assert line.matter == "二手房转移登记" and line.state_label == "已受理"
    assert line.requests == "税务局 已回复；公安局户政 待签收"
    assert line.first_request_id == "r-1"
    assert line.registered_at == MONDAY_10 and line.registered_at.utcoffset() == timedelta(hours=8)


def test_search_by_number_name_id_digits_and_matter(store):
    put(store, case("c-1", "BDC-20261123-0001"), case("c-2", "BDC-20261123-0002", name="李四"))

    def found(text):
        return sorted(r.number for r in find_cases(store, "bdc", text))

    assert found("0002") == ["BDC-20261123-0002"]
    assert found("bdc-2026") == ["BDC-20261123-0001", "BDC-20261123-0002"]  # any case
    assert found("李四") == ["BDC-20261123-0002"]
    assert found("002x") == ["BDC-20261123-0001", "BDC-20261123-0002"]  # the ID's last digits
    assert found("转移登记") == ["BDC-20261123-0001", "BDC-20261123-0002"]
    assert found("王五") == []
