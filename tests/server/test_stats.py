"""Department statistics: the service on a hand-written fixture, and GET /api/v1/stats over
HTTP against a real server process (SQLite and PostgreSQL)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.domain.entities import CollabRequest, Rating, Rectification, RectificationCall
from app.domain.enums import RectificationState, RequestRole, RequestState
from app.domain.serialize import to_data
from app.reference import load_demo_hall
from app.worktime import WorkCalendar
from server.config import Settings
from server.db import Database
from server.errors import ApiError
from server.models import RequestRow
from server.reference import load_hall
from server.stats import service
from server.sync.changes import ChangeLog
from tests.support.server import Api, op, register_op, send_op

SHANGHAI = ZoneInfo("Asia/Shanghai")
S = RequestState


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A local time in Asia/Shanghai, November 2026."""
    return datetime(2026, 11, day, hour, minute, tzinfo=SHANGHAI)


# -- the service on a hand-written fixture -----------------------------------------------------
#
# November 2026: Mon 16 .. Fri 20 and Mon 23 .. Fri 27 are plain workdays; 21/22 and 28/29
# are weekends. Working hours 09:00–12:00 and 13:30–17:30 (7 h a day).
# Period: 2026-11-16 .. 2026-11-27 (local days). Now: Sat 2026-11-28 10:00 Shanghai.

NOW = at(28, 10)
PERIOD = service.Period(date(2026, 11, 16), date(2026, 11, 27))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database(request, tmp_path):
    if request.param == "postgres":
        url = request.getfixturevalue("postgres_url")
    else:
        url = f"sqlite:///{tmp_path / 'stats.db'}"
    db = Database(url)
    db.migrate()
    settings = Settings(db_url=url, data_dir=tmp_path, clock=lambda: NOW)
    with db.write() as session:
        load_hall(session, ChangeLog(), load_demo_hall(), settings, password="demo-2026")
    yield db
    db.dispose()


LI_TING = "598acfbd-e503-52d7-a112-c8c2b8327e50"  # tax01 李婷
ZHANG_WEI = "2ce375b2-6bab-56b5-8925-77e08e0e670b"  # tax02 张伟


def add(session, to: str, sent: datetime, state: RequestState, due: datetime | None, *,
        replied: datetime | None = None, clock: datetime | None = None, stars: int | None = None,
        handled_by: tuple[str, ...] | None = None, by: str | None = None,
        annulled: bool = False, rectification: Rectification | None = None) -> None:
    """``by`` replied the request, or accepted it when it is not replied."""
    request = CollabRequest(
        id=str(uuid.uuid4()), case_id=str(uuid.uuid4()), from_department="bdc",
        to_department=to, role=RequestRole.ASSISTING, subject="完税证明", needed="契税完税证明",
        sla="collab_half_day", sent_at=sent, sent_by="bdc01", state=state,
        clock_started_at=clock, allowance=timedelta(hours=3.5), due_at=due, replied_at=replied,
        rating=Rating(stars=stars, comment="", annulled=annulled) if stars else None,
        rectification=rectification,
        handled_by=handled_by or (to,), replied_by=by if replied else None,
        accepted_by=None if replied else by)
    session.add(RequestRow(id=request.id, case_id=request.case_id, from_department="bdc",
                           to_department=to, state=state.value, sent_at=sent, due_at=due,
                           clock_started_at=clock, replied_at=replied, version=1,
                           data=to_data(request)))


RS = RectificationState


def rectification(state: RectificationState, *outcomes: str) -> Rectification:
    return Rectification(opened_at=at(23, 14), due_at=at(30, 14), state=state,
                         callbacks=tuple(RectificationCall(at(24, 10), "王科长", outcome, "x")
                                         for outcome in outcomes))


def load_fixture(session) -> None:
    # -- tax --
    # T1 Mon 23 10:00 → replied 14:00, due 15:00: on time; 10–12 + 13:30–14:00 = 2.5 h. ★5
    add(session, "tax", at(23, 10), S.CONFIRMED, at(23, 15), replied=at(23, 14), stars=5,
        by=LI_TING)
    # T2 Fri 20 16:00 → replied Mon 23 13:45, due Mon 11:00: late;
    #    Fri 16:00–17:30 1.5 h + Mon 9–12 3 h + 13:30–13:45 0.25 h = 4.75 h. ★2
    add(session, "tax", at(20, 16), S.CONFIRMED, at(23, 11), replied=at(23, 13, 45), stars=2,
        by=ZHANG_WEI)
    # T3 Tue 24 09:00 → replied 09:30, due 14:00: on time, 0.5 h, not rated yet.
    add(session, "tax", at(24, 9), S.REPLIED, at(24, 14), replied=at(24, 9, 30), by=LI_TING)
    # T4 Wed 25 09:00, accepted, clock running, due 12:30 < now: overdue now.
    add(session, "tax", at(25, 9), S.ACCEPTED, at(25, 12, 30), clock=at(25, 9), by=ZHANG_WEI)
    # T5 Fri 27 23:30 local (15:30 UTC): in the period; due Mon 30, not overdue.
    add(session, "tax", at(27, 23, 30), S.SENT, at(30, 12, 30), clock=at(27, 23, 30))
    # T6 Sat 28 00:10 local (still Fri 27 16:10 UTC): outside the period; not overdue.
    add(session, "tax", at(28, 0, 10), S.SENT, at(30, 12, 30), clock=at(28, 0, 10))
    # T7 forwarded gaj → tax: counts for tax. Mon 16 09:00 → replied Tue 17 10:00, due Tue
    #    12:00: on time; Mon 7 h + Tue 1 h = 8 h. ★4
    add(session, "tax", at(16, 9), S.CONFIRMED, at(17, 12), replied=at(17, 10), stars=4,
        handled_by=("gaj", "tax"))
    # T8 sent Fri 13 (before the period), replied, rated ★1, reopened: its new clock ran out
    #    Thu 26 13:30: overdue now (whatever the period), but not received in the period.
    add(session, "tax", at(13, 10), S.REOPENED, at(26, 13, 30), replied=at(13, 11), stars=1,
        clock=at(26, 10))
    # T9 withdrawn Thu 26: received, not replied; its old due_at is past but no clock runs.
    add(session, "tax", at(26, 10), S.WITHDRAWN, at(26, 13, 30))
    # tax: received 7 (T1 T2 T3 T4 T5 T7 T9), replied 4 (T1 T2 T3 T7) → 4/7 = 0.5714;
    #      on time 3/4 = 0.75; hours (2.5 + 4.75 + 0.5 + 8) / 4 = 3.9375 → 3.94;
    #      overdue now 2 (T4 T8); rated 3 (T1 T2 T7): (5 + 2 + 4) / 3 = 3.6667 → 3.67.

    # -- gaj --
    # G1 Tue 17 09:00 → replied 12:30 = due 12:30 (at the deadline: on time);
    #    9–12 3 h, the lunch break adds nothing = 3 h. ★5
    add(session, "gaj", at(17, 9), S.CONFIRMED, at(17, 12, 30), replied=at(17, 12, 30),
        stars=5)
    # G2 Wed 18 15:00 → replied Thu 19 11:00, due Thu 10:00: late; 2.5 h + 2 h = 4.5 h.
    add(session, "gaj", at(18, 15), S.REPLIED, at(19, 10), replied=at(19, 11))
    # gaj: received 2, replied 2 → 1.0; on time 1/2 = 0.5; hours (3 + 4.5) / 2 = 3.75;
    #      rated 1 → 5.0; overdue 0.

    # -- rsj: all Mon 23 09:00; three on time, one late --
    add(session, "rsj", at(23, 9), S.REPLIED, at(23, 12, 30), replied=at(23, 10))  # 1 h
    add(session, "rsj", at(23, 9), S.REPLIED, at(23, 10, 30), replied=at(23, 11))  # 2 h, late
    add(session, "rsj", at(23, 9), S.REPLIED, at(23, 12, 30), replied=at(23, 9, 30))  # 0.5 h
    add(session, "rsj", at(23, 9), S.REPLIED, at(23, 12, 30), replied=at(23, 9, 30))  # 0.5 h
    # rsj: on time 3/4 = 0.75 (as tax) but (1 + 2 + 0.5 + 0.5) / 4 = 1.0 h: ahead of tax.

    # -- zjj: 差评整改, all Mon 23 09:00, replied on time --
    # Z1 1 h, ★2, rectified (a callback found the citizen satisfied)
    add(session, "zjj", at(23, 9), S.CONFIRMED, at(23, 12, 30), replied=at(23, 10), stars=2,
        rectification=rectification(RS.RECTIFIED, "satisfied"))
    # Z2 2 h, ★1, open; the one callback did not reach the citizen
    add(session, "zjj", at(23, 9), S.CONFIRMED, at(23, 12, 30), replied=at(23, 11), stars=1,
        rectification=rectification(RS.OPEN, "unreachable"))
    # Z3 0.5 h, ★2 annulled by an upheld appeal: no rating, no rectification
    add(session, "zjj", at(23, 9), S.CONFIRMED, at(23, 12, 30), replied=at(23, 9, 30),
        stars=2, annulled=True, rectification=rectification(RS.ANNULLED))
    # Z4 3 h, ★1, open; called back, still unsatisfied
    add(session, "zjj", at(23, 9), S.CONFIRMED, at(23, 12, 30), replied=at(23, 12), stars=1,
        rectification=rectification(RS.OPEN, "unsatisfied"))
    # zjj: received 4, replied 4, on time 1.0, hours (1 + 2 + 0.5 + 3) / 4 = 1.625 → 1.63;
    #      rated 3: (2 + 1 + 1) / 3 = 1.33; unsatisfied 3 (Z1 Z2 Z4): rectified 1 → 0.3333,
    #      called back and reached 2 (Z1 Z4) → 0.6667.

    # -- ybj and scjg: identical, one reply each, Tue 24 09:00 → 11:00 (2 h), on time --
    add(session, "ybj", at(24, 9), S.REPLIED, at(24, 12, 30), replied=at(24, 11))
    add(session, "scjg", at(24, 9), S.REPLIED, at(24, 12, 30), replied=at(24, 11))
    # both 1.0 and 2.0 h: the code decides, scjg before ybj (though ybj sorts first).


def figures(row: service.DepartmentStats) -> tuple:
    return (row.received, row.replied, row.completion_rate, row.on_time_rate,
            row.avg_reply_working_hours, row.overdue_now, row.avg_rating, row.rated)


def test_the_figures_match_the_hand_computed_ones(database):
    with database.write() as session:
        load_fixture(session)
    with database.read() as session:
        stats = service.department_stats(session, WorkCalendar(), PERIOD, NOW)
    assert stats.as_of == NOW and stats.period == PERIOD
    by_code = {row.department: row for row in stats.departments}
    assert figures(by_code["tax"]) == (7, 4, 0.5714, 0.75, 3.94, 2, 3.67, 3)
    assert figures(by_code["gaj"]) == (2, 2, 1.0, 0.5, 3.75, 0, 5.0, 1)
    assert figures(by_code["rsj"]) == (4, 4, 1.0, 0.75, 1.0, 0, None, 0)
    assert figures(by_code["ybj"]) == figures(by_code["scjg"]) == (1, 1, 1.0, 1.0, 2.0, 0,
                                                                    None, 0)
    # every department appears, in sort_order, with zeros and nulls when it has nothing
    assert [row.department for row in stats.departments] == [
        "bdc", "tax", "gaj", "rsj", "ybj", "scjg", "zjj", "gjj", "mzj", "zrzy", "zwfw"]
    assert by_code["tax"].name == "税务局"
    assert figures(by_code["bdc"]) == (0, 0, None, None, None, 0, None, 0)
    assert [(e.rank, e.department, e.on_time_rate, e.avg_reply_working_hours)
            for e in stats.leaderboard] == [(1, "zjj", 1.0, 1.63), (2, "scjg", 1.0, 2.0),
                                            (3, "ybj", 1.0, 2.0), (4, "rsj", 0.75, 1.0),
                                            (5, "tax", 0.75, 3.94), (6, "gaj", 0.5, 3.75)]
    assert figures(by_code["zjj"]) == (4, 4, 1.0, 1.0, 1.63, 0, 1.33, 3)
    assert [(row.unsatisfied, row.rectification_rate, row.callback_rate)
            for row in (by_code["zjj"], by_code["tax"], by_code["bdc"])] == [
        (3, 0.3333, 0.6667), (1, 0.0, 0.0), (0, None, None)]
    # tax's ★2 (T2) was rated before rectifications existed: unsatisfied, never rectified


def test_a_scope_limits_rows_and_leaderboard(database):
    with database.write() as session:
        load_fixture(session)
    with database.read() as session:
        only_tax = service.department_stats(session, WorkCalendar(), PERIOD, NOW, {"tax"})
        nothing = service.department_stats(session, WorkCalendar(), PERIOD, NOW, frozenset())
        # Tue 24 alone: T3 (replied, on time, 0.5 h); T4 and T8 are overdue whatever the day
        one_day = service.department_stats(
            session, WorkCalendar(), service.Period(date(2026, 11, 24), date(2026, 11, 24)),
            NOW, {"tax"})
    assert [row.department for row in only_tax.departments] == ["tax"]
    assert [e.department for e in only_tax.leaderboard] == ["tax"]
    assert figures(one_day.departments[0]) == (1, 1, 1.0, 1.0, 0.5, 2, None, 0)
    assert nothing.departments == [] and nothing.leaderboard == []


def test_daily_figures_bucket_by_local_day(database):
    with database.write() as session:
        load_fixture(session)
    with database.read() as session:
        daily = service.department_stats(session, WorkCalendar(), PERIOD, NOW, {"tax"}).daily
    assert [d.day for d in daily] == [date(2026, 11, 16) + timedelta(days=i) for i in range(12)]
    by_day = {d.day.day: (d.received, d.replied, d.on_time_rate) for d in daily}
    # received: T7 Mon 16, T2 Fri 20, T1 Mon 23, T3 Tue 24, T4 Wed 25, T9 Thu 26, T5 Fri 27
    #   (23:30 local); replies: T7 Tue 17 on time, T1 and T2 Mon 23 (T2 late), T3 Tue 24.
    assert by_day == {16: (1, 0, None), 17: (0, 1, 1.0), 18: (0, 0, None), 19: (0, 0, None),
                      20: (1, 0, None), 21: (0, 0, None), 22: (0, 0, None), 23: (1, 2, 0.5),
                      24: (1, 1, 1.0), 25: (1, 0, None), 26: (1, 0, None), 27: (1, 0, None)}


def test_monthly_evaluation_by_department_and_staff(database):
    with database.write() as session:
        load_fixture(session)
    with database.read() as session:
        evaluation = service.monthly_evaluation(session, WorkCalendar(), date(2026, 11, 5),
                                                NOW, {"tax", "gaj"})
    assert evaluation.month == date(2026, 11, 1)
    figures_of = {(r.department, r.staff_name): (r.received, r.replied, r.on_time, r.overdue,
                                                 r.on_time_rate)
                  for r in [*evaluation.departments, *evaluation.staff]}
    # tax, November (sent Nov 1–30 local): T1–T9 all (T6 is Sat 28 local, T8 Fri 13).
    #   replied T1 T2 T3 T7 → 4 (T8 was reopened: owed again); on time T1 T3 T7 → 0.75;
    #   overdue: T2 (late), T4 and T8 (running, due passed) → 3.
    assert figures_of[("tax", "")] == (9, 4, 3, 3, 0.75)
    # 李婷 replied T1 and T3 on time; 张伟 replied T2 late and holds T4, overdue.
    assert figures_of[("tax", "李婷")] == (0, 2, 2, 0, 1.0)
    assert figures_of[("tax", "张伟")] == (0, 1, 0, 2, 0.0)
    assert figures_of[("gaj", "")] == (2, 2, 1, 1, 0.5)
    assert [r.department for r in evaluation.departments] == ["tax", "gaj"]
    # the worst first within a department
    assert [r.staff_name for r in evaluation.staff] == ["张伟", "李婷"]


def test_periods_default_to_this_month_and_are_checked():
    today = date(2026, 11, 23)
    assert service.resolve_period(None, None, today) == service.Period(date(2026, 11, 1), today)
    assert service.resolve_period(None, date(2026, 2, 10), today) == \
        service.Period(date(2026, 2, 1), date(2026, 2, 10))
    assert service.resolve_period(date(2026, 1, 1), date(2027, 1, 1), today).end == \
        date(2027, 1, 1)  # 366 days
    for start, end in ((date(2026, 11, 24), date(2026, 11, 23)),
                       (date(2026, 1, 1), date(2027, 1, 2))):  # 367 days
        with pytest.raises(ApiError) as raised:
            service.resolve_period(start, end, today)
        assert raised.value.code == "invalid_period" and raised.value.status == 422
    # local days: Nov 1 in Shanghai starts at 16:00 UTC on Oct 31
    assert service.Period(date(2026, 11, 1), date(2026, 11, 1)).bounds(WorkCalendar()) == (
        datetime(2026, 10, 31, 16, tzinfo=UTC), datetime(2026, 11, 1, 16, tzinfo=UTC))


# -- over HTTP ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tax_lead(server):
    return Api(server.url).login("tax-lead")


@pytest.fixture(scope="module")
def admin(server):
    return Api(server.url).login("admin")


def around_today() -> dict[str, str]:
    """A period that holds the server's today in Shanghai, even across midnight."""
    today = datetime.now(SHANGHAI).date()
    return {"from": str(today - timedelta(days=1)), "to": str(today + timedelta(days=1))}


def test_a_supervisor_sees_their_department_only(tax_lead):
    answer = tax_lead.get("/api/v1/stats")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert [d["department"] for d in body["departments"]] == ["tax"]
    today = date.fromisoformat(body["to"])
    assert date.fromisoformat(body["from"]) == today.replace(day=1)
    assert datetime.fromisoformat(body["as_of"]).tzinfo is not None
    assert tax_lead.get("/api/v1/stats", params={"department": "tax"}).status_code == 200
    refused = tax_lead.get("/api/v1/stats", params={"department": "bdc"})
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "forbidden" and refused.json()["error"]["message"]


def test_admin_sees_every_department(admin):
    body = admin.get("/api/v1/stats", params=around_today()).json()
    codes = [d["department"] for d in body["departments"]]
    assert codes[:3] == ["bdc", "tax", "gaj"] and len(codes) == 11
    only = admin.get("/api/v1/stats", params={"department": "gaj"}).json()
    assert [d["department"] for d in only["departments"]] == ["gaj"]
    missing = admin.get("/api/v1/stats", params={"department": "nowhere"})
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("username", ["bdc01", "tax01"])
def test_clerks_and_liaisons_are_refused(server, username):
    answer = Api(server.url).login(username).get("/api/v1/stats")
    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "forbidden" and answer.json()["error"]["message"]


@pytest.mark.parametrize("params", [{"from": "2026-11-23", "to": "2026-11-01"},
                                    {"from": "2025-01-01", "to": "2026-11-23"}])
def test_a_bad_period_is_refused_with_a_code(admin, params):
    answer = admin.get("/api/v1/stats", params=params)
    assert answer.status_code == 422
    assert answer.json()["error"]["code"] == "invalid_period"
    assert answer.json()["error"]["message"]
    garbled = admin.get("/api/v1/stats", params={"from": "yesterday"})
    assert garbled.status_code == 422 and garbled.json()["error"]["code"] == "invalid_request"


def test_a_reply_shows_in_the_receivers_figures(server, tax_lead):
    bdc, tax = Api(server.url).login("bdc01"), Api(server.url).login("tax01")
    case_id, request_id = str(uuid.uuid4()), str(uuid.uuid4())
    results = bdc.push(register_op(case_id), send_op(case_id, request_id=request_id))
    results += tax.push(op("request.accept", request_id),
                        op("request.reply", request_id, text="完税证明已开具"))
    results += bdc.push(op("request.confirm", request_id, rating=5))
    assert [r["status"] for r in results] == ["applied"] * 5, results
    body = tax_lead.get("/api/v1/stats", params=around_today()).json()
    (row,) = body["departments"]
    assert row["received"] >= 1 and row["replied"] >= 1 and row["rated"] >= 1
    assert 0 < row["completion_rate"] <= 1 and row["on_time_rate"] is not None
    assert row["avg_reply_working_hours"] is not None and row["avg_rating"] is not None
    assert [e["department"] for e in body["leaderboard"]] == ["tax"]
    assert body["leaderboard"][0]["rank"] == 1


def test_the_stats_endpoint_is_documented(server):
    schema = Api(server.url).get("/openapi.json").json()
    operation = schema["paths"]["/api/v1/stats"]["get"]
    assert {p["name"] for p in operation["parameters"]} == {"from", "to", "department"}
    assert "StatsOut" in schema["components"]["schemas"]
    assert "from" in schema["components"]["schemas"]["StatsOut"]["properties"]


def test_the_monthly_evaluation_over_http(server, tax_lead):
    bdc, tax = Api(server.url).login("bdc01"), Api(server.url).login("tax01")
    case_id, request_id = str(uuid.uuid4()), str(uuid.uuid4())
    results = bdc.push(register_op(case_id), send_op(case_id, request_id=request_id))
    results += tax.push(op("request.accept", request_id),
                        op("request.reply", request_id, text="完税证明已开具"))
    assert [r["status"] for r in results] == ["applied"] * 4, results
    body = tax_lead.get("/api/v1/stats/evaluation").json()
    server_now = datetime.fromisoformat(body["server_time"]).astimezone(SHANGHAI)
    assert body["month"] == f"{server_now:%Y-%m}"  # this month in the hall's time zone
    (department,) = body["departments"]
    assert department["department"] == "tax" and department["staff"] is None
    assert department["replied"] >= 1
    li_ting = next(r for r in body["staff"] if r["staff_name"] == "李婷")
    assert li_ting["replied"] >= 1 and li_ting["department"] == "tax"
    bad = tax_lead.get("/api/v1/stats/evaluation", params={"month": "2026-13"})
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_period"
    clerk = Api(server.url).login("tax01").get("/api/v1/stats/evaluation")
    assert clerk.status_code == 403


def test_the_daily_series_covers_the_period(admin):
    params = around_today()
    body = admin.get("/api/v1/stats", params=params).json()
    assert [d["day"] for d in body["daily"]] == [
        str(date.fromisoformat(params["from"]) + timedelta(days=i)) for i in range(3)]
