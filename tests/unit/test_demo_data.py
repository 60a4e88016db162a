"""The demo hall (resources/demo/hall.json) and its catalogue (resources/demo/catalogue.json)."""

from __future__ import annotations

import json
import re
import uuid
from collections import Counter
from zoneinfo import ZoneInfo

import pytest

from app.domain.entities import Department, MatterType, Staff, Window
from app.domain.enums import Category, RequestRole, StaffRole
from app.paths import resources_dir

DEMO = resources_dir() / "demo"
BUSINESS_DEPARTMENTS = {
    "bdc": "不动产登记中心",
    "tax": "税务局",
    "gaj": "公安局户政",
    "rsj": "人社局",
    "ybj": "医保局",
    "scjg": "市场监管局",
    "zjj": "住建局",
    "gjj": "公积金中心",
    "mzj": "民政局",
    "zrzy": "自然资源局",
}
ROLES = {r.value for r in StaffRole}
CATEGORIES = {c.value for c in Category}
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def hall() -> dict:
    return json.loads((DEMO / "hall.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def matters() -> list[dict]:
    return json.loads((DEMO / "catalogue.json").read_text(encoding="utf-8"))


def _dupes(values) -> list:
    return [v for v, n in Counter(values).items() if n > 1]


# --- hall.json ----------------------------------------------------------------------------


def test_hall_header(hall):
    assert hall["hall"]["code"] == "hall"
    assert CJK.search(hall["hall"]["name"]) and hall["hall"]["name"].endswith("政务服务中心")
    ZoneInfo(hall["hall"]["timezone"])  # a real time zone
    assert hall["hall"]["timezone"] == "Asia/Shanghai"


def test_codes_are_unique(hall):
    assert not _dupes(d["code"] for d in hall["departments"])
    assert not _dupes(w["code"] for w in hall["windows"])
    assert not _dupes(s["username"] for s in hall["staff"])
    assert not _dupes(s["id"] for s in hall["staff"])
    assert not _dupes(d["sort_order"] for d in hall["departments"])


def test_required_departments_with_stable_codes(hall):
    names = {d["code"]: d["name"] for d in hall["departments"]}
    for code, name in BUSINESS_DEPARTMENTS.items():
        assert names.get(code) == name


def test_references_resolve(hall):
    departments = {d["code"] for d in hall["departments"]}
    windows = {w["code"]: w for w in hall["windows"]}
    for d in hall["departments"]:
        assert d["parent"] is None or d["parent"] in departments
        assert d["parent"] != d["code"]
    for w in hall["windows"]:
        assert w["department"] in departments
    for s in hall["staff"]:
        assert s["department"] in departments, s["username"]
        if s["window"] is not None:
            assert s["window"] in windows, s["username"]
            assert windows[s["window"]]["department"] == s["department"], s["username"]


def test_every_department_has_a_window(hall):
    assert {w["department"] for w in hall["windows"]} >= {d["code"] for d in hall["departments"]}


def test_records_build_domain_entities(hall):
    for d in hall["departments"]:
        Department(**d)
    for w in hall["windows"]:
        Window(**w)
    for s in hall["staff"]:
        staff = Staff(**{**s, "roles": frozenset(StaffRole(r) for r in s["roles"])})
        assert staff.roles


def test_staff_records(hall):
    for s in hall["staff"]:
        assert set(s) == {"id", "username", "name", "department", "roles", "window"}
        assert uuid.UUID(s["id"]).version == 5  # stable: derived from the username
        assert s["roles"] and set(s["roles"]) <= ROLES, s["username"]
        assert 2 <= len(s["name"]) <= 4 and all(CJK.match(ch) for ch in s["name"]), s["name"]
        assert not any("password" in key for key in s)


@pytest.mark.parametrize(
    ("username", "department", "role"),
    [
        ("bdc01", "bdc", "clerk"),
        ("bdc-lead", "bdc", "supervisor"),
        ("tax01", "tax", "liaison"),
        ("tax-lead", "tax", "supervisor"),
        ("gaj01", "gaj", "clerk"),
    ],
)
def test_required_accounts(hall, username, department, role):
    staff = {s["username"]: s for s in hall["staff"]}
    assert staff[username]["department"] == department
    assert role in staff[username]["roles"]


def test_admin_is_in_the_management_office(hall):
    staff = {s["username"]: s for s in hall["staff"]}
    admin = staff["admin"]
    assert "admin" in admin["roles"]
    office = {d["code"]: d for d in hall["departments"]}[admin["department"]]
    assert office["code"] not in BUSINESS_DEPARTMENTS
    assert "政务服务" in office["name"]


def test_every_department_has_three_accounts_in_the_usual_roles(hall):
    staff = {s["username"]: s for s in hall["staff"]}
    for d in hall["departments"]:
        code = d["code"]
        first, second = ("liaison", "clerk") if code == "tax" else ("clerk", "liaison")
        assert staff[f"{code}01"]["roles"] == [first]
        assert staff[f"{code}02"]["roles"] == [second]
        assert staff[f"{code}-lead"]["roles"] == ["supervisor"]
        for username in (f"{code}01", f"{code}02", f"{code}-lead"):
            assert staff[username]["department"] == code
        # Counter staff sit at their department's window; supervisors do not.
        assert staff[f"{code}01"]["window"] is not None
        assert staff[f"{code}02"]["window"] is not None


def test_every_department_has_a_counter_role_and_a_supervisor(hall):
    for d in hall["departments"]:
        roles = {r for s in hall["staff"] if s["department"] == d["code"] for r in s["roles"]}
        assert roles & {"clerk", "liaison"}, d["code"]
        assert "supervisor" in roles, d["code"]


def test_no_secrets_in_the_hall_file():
    text = (DEMO / "hall.json").read_text(encoding="utf-8").lower()
    for word in ("password", "passwd", "secret", "token", "argon2"):
        assert word not in text


# --- catalogue.json -----------------------------------------------------------------------


def test_catalogue_size_and_unique_codes(matters):
    assert len(matters) >= 15
    assert not _dupes(m["code"] for m in matters)
    assert not _dupes(m["name"] for m in matters)


def test_matter_records(matters):
    keys = {
        "code",
        "name",
        "department",
        "default_category",
        "materials",
        "collaborations",
        "promised_working_days",
    }
    for m in matters:
        assert set(m) == keys, m["code"]
        assert re.fullmatch(r"[a-z]+(-[a-z0-9]+)+", m["code"]), m["code"]
        assert m["code"].startswith(m["department"] + "-"), m["code"]
        assert CJK.search(m["name"]), m["code"]
        assert m["default_category"] in CATEGORIES, m["code"]
        assert m["materials"] and all(CJK.search(x) for x in m["materials"]), m["code"]
        assert not _dupes(m["materials"]), m["code"]
        MatterType(
            code=m["code"],
            name=m["name"],
            department=m["department"],
            default_category=Category(m["default_category"]),
            materials=tuple(m["materials"]),
            promised_working_days=m["promised_working_days"],
        )


def test_promised_days_fit_the_category(matters):
    """Urgent and simple matters within 2 working days, general within 5 (DESIGN.md)."""
    limits = {"urgent": 2, "simple": 2, "general": 5}
    for m in matters:
        days = m["promised_working_days"]
        assert isinstance(days, int | float) and days > 0, m["code"]
        if m["default_category"] in limits:
            assert days <= limits[m["default_category"]], m["code"]
        else:
            assert days > 5, m["code"]


def test_matter_references_resolve(hall, matters):
    departments = {d["code"] for d in hall["departments"]}
    roles = {r.value for r in RequestRole}
    for m in matters:
        assert m["department"] in departments, m["code"]
        helpers = [c["department"] for c in m["collaborations"]]
        assert not _dupes(helpers), m["code"]
        for c in m["collaborations"]:
            assert c["department"] in departments, m["code"]
            assert c["department"] != m["department"], m["code"]
            assert c["role"] in roles, m["code"]
            assert CJK.search(c["needed"]), m["code"]


def test_every_department_owns_a_matter(hall, matters):
    owners = {m["department"] for m in matters}
    assert {d["code"] for d in hall["departments"]} <= owners


def test_categories_and_collaborations_are_all_exercised(matters):
    assert {m["default_category"] for m in matters} == CATEGORIES
    assert sum(1 for m in matters if m["collaborations"]) >= 10


@pytest.mark.parametrize(
    "name",
    [
        "二手房转移登记",
        "完税证明开具",
        "户口迁移",
        "营业执照设立登记",
        "公积金提取",
        "社会保障卡申领",
        "医保关系转移",
        "首次登记",
        "抵押权登记",
        "个体工商户登记",
        "低保",
        "建设工程规划许可",
        "商品房预售许可",
        "退休人员待遇核定",
        "二手房交易涉税申报",
    ],
)
def test_the_usual_matters_are_there(matters, name):
    assert any(name in m["name"] for m in matters)


def test_plausible_collaborations(matters):
    by_code = {m["code"]: m for m in matters}

    def helpers(code: str) -> set[str]:
        return {c["department"] for c in by_code[code]["collaborations"]}

    assert "tax" in helpers("bdc-transfer-secondhand")
    assert "完税证明" in by_code["bdc-transfer-secondhand"]["materials"]
    assert "bdc" in helpers("gaj-hukou-transfer")
    assert "bdc" in helpers("gjj-withdraw-house-purchase")
    assert by_code["zrzy-construction-planning-permit"]["default_category"] == "complex"
