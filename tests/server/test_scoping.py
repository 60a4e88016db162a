"""The scoping matrix: every endpoint × role × own/other department.

The scene: bdc01 (不动产登记中心) registers a case with a PDF and sends a request to 税务局.
The actors cover every role in the sending department (bdc), the receiving one (tax), a
third one (gaj), and the administrator.
"""

from __future__ import annotations

import hashlib
import uuid

import pytest

from tests.support.server import Api, op, register_op, send_op

ACTORS = ["bdc01", "bdc02", "bdc-lead", "tax01", "tax02", "tax-lead", "gaj01", "gaj02",
          "gaj-lead", "admin"]
SEES_THE_CASE = {"bdc01", "bdc02", "bdc-lead", "tax01", "tax02", "tax-lead", "admin"}
# who may do what to a fresh request sent by bdc to tax
MAY = {
    "request.accept": {"tax01", "tax-lead"},  # the receiving department's liaison or leader
    "request.urge": {"bdc01", "bdc02", "bdc-lead", "tax-lead"},  # the sender, or 督办
    "request.withdraw": {"bdc01", "bdc02", "bdc-lead"},
    "case.complete": {"bdc01", "bdc02", "bdc-lead"},
}
ARGS = {"request.urge": {"note": "请尽快"}, "request.withdraw": {"reason": "群众撤回"},
        "case.complete": {"result": "已办结"}}
# GET /stats?department=X: supervisors for their own department, admin for all
STATS = {("tax-lead", "tax"), ("bdc-lead", "bdc"), ("gaj-lead", "gaj"),
         ("admin", "tax"), ("admin", "bdc"), ("admin", "gaj")}


@pytest.fixture(scope="module")
def apis(server):
    return {name: Api(server.url).login(name) for name in ACTORS}


@pytest.fixture(scope="module")
def scene(apis):
    bdc = apis["bdc01"]
    pdf = b"%PDF-1.4\n% scoping " + uuid.uuid4().hex.encode() + b"\n%%EOF\n"
    sha = hashlib.sha256(pdf).hexdigest()
    assert bdc.put(f"/api/v1/blobs/{sha}", data=pdf,
                   params={"name": "不动产权证书.pdf"}).status_code == 201
    case_id, request_id = str(uuid.uuid4()), str(uuid.uuid4())
    results = bdc.push(register_op(case_id, attachments=[sha]),
                       send_op(case_id, request_id=request_id))
    assert [r["status"] for r in results] == ["applied", "applied"]
    return {"case": case_id, "request": request_id, "blob": sha}


@pytest.mark.parametrize("name", ACTORS)
def test_pull_shows_the_case_exactly_to_the_departments_involved(apis, scene, name):
    seen, _ = apis[name].pull_all()
    visible = {("case", scene["case"]), ("request", scene["request"])} <= set(seen)
    assert visible == (name in SEES_THE_CASE)
    if name not in SEES_THE_CASE:
        assert not any(d.get("entity_id") in (scene["case"], scene["request"])
                       for (entity, _), d in seen.items() if entity == "event")
    # reference data is for everyone
    assert any(entity == "department" for entity, _ in seen)


@pytest.mark.parametrize("name", ACTORS)
def test_an_attachments_name_reaches_exactly_those_who_see_the_case(apis, scene, name):
    seen, _ = apis[name].pull_all()
    attachment = seen.get(("attachment", scene["blob"]))
    if name in SEES_THE_CASE:
        assert attachment is not None and attachment["file_name"] == "不动产权证书.pdf"
    else:
        assert attachment is None


@pytest.mark.parametrize("name", ACTORS)
def test_blobs_are_served_exactly_to_those_who_see_the_case(apis, scene, name):
    path = f"/api/v1/blobs/{scene['blob']}"
    expected = 200 if name in SEES_THE_CASE else 404
    assert apis[name].head(path).status_code == expected
    assert apis[name].get(path).status_code == expected


@pytest.mark.parametrize("name", ACTORS)
@pytest.mark.parametrize("op_type", sorted(MAY))
def test_ops_are_applied_exactly_for_the_allowed_roles_and_departments(apis, name, op_type):
    case_id, request_id = str(uuid.uuid4()), str(uuid.uuid4())
    assert [r["status"] for r in apis["bdc01"].push(
        register_op(case_id), send_op(case_id, request_id=request_id))] == ["applied"] * 2
    target = case_id if op_type.startswith("case.") else request_id
    result = apis[name].push(op(op_type, target, **ARGS.get(op_type, {})))[0]
    if name in MAY[op_type]:
        assert result["status"] == "applied", result
    else:
        assert (result["status"], result["code"]) == ("rejected", "forbidden"), result


@pytest.mark.parametrize("name", ACTORS)
@pytest.mark.parametrize("department", ["tax", "bdc", "gaj"])
def test_statistics_by_role_and_department(apis, name, department):
    response = apis[name].get("/api/v1/stats", params={"department": department})
    if (name, department) in STATS:
        assert response.status_code == 200
        assert [d["department"] for d in response.json()["departments"]] == [department]
    else:
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "forbidden"


@pytest.mark.parametrize("name", ACTORS)
def test_me_reports_the_scope_each_role_gets(apis, name):
    me = apis[name].get("/api/v1/auth/me").json()
    assert me["user"]["username"] == name
    if name == "admin":
        assert me["departments"] is None
    else:
        assert me["departments"] == [name.split("0")[0].split("-")[0]]


def test_unscoped_stats_of_a_leader_cover_only_their_department(apis):
    body = apis["tax-lead"].get("/api/v1/stats").json()
    assert [d["department"] for d in body["departments"]] == ["tax"]
    assert len(apis["admin"].get("/api/v1/stats").json()["departments"]) >= 10
