"""统计 and 月度考核 without Qt: periods in the hall's time zone, snapshots in the encrypted
cache, the offline fallback, and the column list that tolerates figures yet to come."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from app import reports
from app.reports import (
    DEPARTMENT_COLUMNS,
    DayFigures,
    MalformedReport,
    NothingCached,
    Preset,
    Snapshot,
    chart_points,
    display,
    preset_period,
)
from app.store import open_store

SHANGHAI = ZoneInfo("Asia/Shanghai")


class Offline(Exception):
    pass


class Refused(Exception):
    pass


@pytest.fixture
def store(tmp_path):
    s = open_store(tmp_path)
    yield s
    s.close()


def stats_body(start="2026-11-01", end="2026-11-23", received=3, **extra):
    return {"server_time": "2026-11-23T06:05:00Z", "from": start, "to": end,
            "as_of": "2026-11-23T06:05:00Z",
            "departments": [{"department": "tax", "name": "税务局", "received": received,
                             "replied": 2, "completion_rate": 0.6667, "on_time_rate": 0.5,
                             "avg_reply_working_hours": 2.25, "overdue_now": 1,
                             "avg_rating": None, "rated": 0, "unsatisfied": 1,
                             "rectification_rate": 0.0, "callback_rate": 1.0, **extra}],
            "leaderboard": [{"rank": 1, "department": "tax", "name": "税务局",
                             "on_time_rate": 0.5, "avg_reply_working_hours": 2.25}],
            "daily": [{"day": start, "received": received, "replied": 2, "on_time_rate": 0.5}]}


def fetch_stats(store, fetch, start=date(2026, 11, 1), end=date(2026, 11, 23)):
    return reports.stats(store, fetch, start, end, unreachable=(Offline,))


def offline():
    raise Offline("no link")


# -- periods -----------------------------------------------------------------------------------


def test_presets_are_local_days_up_to_today():
    monday = date(2026, 11, 23)
    assert preset_period(Preset.TODAY, monday) == (monday, monday)
    assert preset_period(Preset.WEEK, monday) == (monday, monday)  # Monday: the week is today
    assert preset_period(Preset.WEEK, date(2026, 11, 29)) == (monday, date(2026, 11, 29))
    assert preset_period(Preset.MONTH, monday) == (date(2026, 11, 1), monday)
    assert preset_period(Preset.CUSTOM, monday) == (date(2026, 11, 1), monday)


def test_a_week_across_a_month_boundary_starts_in_the_previous_month():
    # Wed 2 December 2026: the week began on Mon 30 November; the month on the 1st
    wednesday = date(2026, 12, 2)
    assert preset_period(Preset.WEEK, wednesday) == (date(2026, 11, 30), wednesday)
    assert preset_period(Preset.MONTH, wednesday) == (date(2026, 12, 1), wednesday)
    # and across a year: Fri 1 January 2027 belongs to the week of Mon 28 December 2026
    assert preset_period(Preset.WEEK, date(2027, 1, 1))[0] == date(2026, 12, 28)


def test_today_is_the_halls_date_not_the_pcs(store):
    # 23:30 UTC on Sunday 22 November is already Monday 23 November in Shanghai
    assert reports.hall_today(store, datetime(2026, 11, 22, 23, 30, tzinfo=UTC)) == \
        date(2026, 11, 23)


def test_recent_months_count_back_across_the_year():
    assert reports.recent_months(date(2026, 2, 10), 4) == ["2026-02", "2026-01", "2025-12",
                                                           "2025-11"]


# -- snapshots and the offline fallback --------------------------------------------------------


def test_a_snapshot_round_trips_through_the_encrypted_cache(store):
    snapshot = Snapshot(key="evaluation:2026-11", body={"month": "2026-11", "名": "税务局"},
                        as_of=datetime(2026, 11, 23, 6, 5, tzinfo=UTC),
                        fetched_at=datetime(2026, 11, 23, 6, 6, tzinfo=UTC))
    reports.save_snapshot(store, snapshot)
    assert reports.load_snapshot(store, "evaluation:2026-11") == snapshot
    assert reports.load_snapshot(store, "evaluation:2026-10") is None


def test_fresh_figures_are_kept_and_shown_offline_later(store):
    fresh = fetch_stats(store, lambda: stats_body())
    assert not fresh.offline
    assert fresh.as_of == datetime(2026, 11, 23, 14, 5, tzinfo=SHANGHAI)  # hall time
    (tax,) = fresh.departments
    assert [display(tax.value(c.key), c.kind) for c in DEPARTMENT_COLUMNS] == [
        "税务局", "3", "2", "66.7%", "50.0%", "2.25", "1", "—", "0", "1", "0.0%", "100.0%"]

    cached = fetch_stats(store, offline)
    assert cached.offline and cached.as_of == fresh.as_of
    assert cached.departments == fresh.departments and cached.daily == fresh.daily


def test_offline_an_earlier_snapshot_of_the_same_period_start_stands_in(store):
    # yesterday's "this month" when today's was never fetched: it says which days it covers
    fetch_stats(store, lambda: stats_body(end="2026-11-22"), end=date(2026, 11, 22))
    cached = fetch_stats(store, offline, end=date(2026, 11, 23))
    assert cached.offline and cached.end == date(2026, 11, 22)
    with pytest.raises(NothingCached):
        fetch_stats(store, offline, start=date(2026, 11, 16))  # another period: nothing


def test_a_refusal_is_not_covered_by_the_cache(store):
    fetch_stats(store, lambda: stats_body())

    def forbidden():
        raise Refused("403 forbidden")

    with pytest.raises(Refused):
        fetch_stats(store, forbidden)


def test_a_malformed_answer_never_replaces_a_good_snapshot(store):
    fetch_stats(store, lambda: stats_body(received=3))
    broken = stats_body(received=5)
    del broken["daily"]
    with pytest.raises(MalformedReport):
        fetch_stats(store, lambda: broken)
    assert fetch_stats(store, offline).departments[0].value("received") == 3


def test_only_the_newest_snapshots_are_kept(store, monkeypatch):
    monkeypatch.setattr(reports, "KEEP_SNAPSHOTS", 3)
    t0 = datetime(2026, 11, 23, tzinfo=UTC)
    for day in range(1, 6):
        reports.save_snapshot(store, Snapshot(key=f"evaluation:2026-0{day}", body={},
                                              as_of=t0, fetched_at=t0 + timedelta(days=day)))
    kept = [reports.load_snapshot(store, f"evaluation:2026-0{day}") for day in range(1, 6)]
    assert [s is not None for s in kept] == [False, False, True, True, True]


# -- columns -----------------------------------------------------------------------------------


def test_a_figure_an_older_server_lacks_shows_a_dash(store):
    older = stats_body(rectification_rate=0.8)
    del older["departments"][0]["callback_rate"]  # a server from before 回访率
    (tax,) = fetch_stats(store, lambda: older).departments
    assert [display(tax.value(c.key), c.kind) for c in DEPARTMENT_COLUMNS][-2:] == ["80.0%",
                                                                                  "—"]
    del older["departments"][0]["avg_rating"]
    (tax,) = fetch_stats(store, lambda: older, start=date(2026, 11, 2)).departments
    assert tax.value("avg_rating") is None


def test_evaluation_rows_and_staff_rows(store):
    body = {"server_time": "2026-11-23T06:05:00Z", "month": "2026-11",
            "as_of": "2026-11-23T06:05:00Z",
            "departments": [{"department": "tax", "department_name": "税务局", "staff": None,
                             "staff_name": "", "received": 9, "replied": 4, "on_time": 3,
                             "overdue": 3, "on_time_rate": 0.75}],
            "staff": [{"department": "tax", "department_name": "税务局", "staff": "u1",
                       "staff_name": "张伟", "received": 0, "replied": 1, "on_time": 0,
                       "overdue": 2, "on_time_rate": 0.0}]}
    report = reports.evaluation(store, lambda: body, "2026-11", unreachable=(Offline,))
    assert report.month == "2026-11" and not report.offline
    assert report.departments[0].received == 9
    assert report.staff[0].received is None  # a staff member is not sent requests
    assert reports.evaluation(store, offline, "2026-11", unreachable=(Offline,)).offline


# -- charts ------------------------------------------------------------------------------------


def days(start: date, count: int, received=1, replied=0, rate=None) -> list[DayFigures]:
    return [DayFigures(start + timedelta(days=i), received, replied, rate) for i in range(count)]


def test_a_month_is_charted_by_day():
    points = chart_points(days(date(2026, 11, 1), 30))
    assert len(points) == 30 and points[0].label == "11-01"


def test_longer_periods_are_charted_by_week_then_by_month():
    # Mon 2 Nov .. Sun 13 Dec 2026 (42 days): six weeks. In week one, 2 replies a day on 4
    # days at 0.5 and 3 days without replies: 4 of 8 on time.
    daily = days(date(2026, 11, 2), 42, replied=2, rate=1.0)
    daily[:7] = [*days(date(2026, 11, 2), 4, replied=2, rate=0.5),
                 *days(date(2026, 11, 6), 3)]
    points = chart_points(daily)
    assert [p.label for p in points] == ["11-02起", "11-09起", "11-16起", "11-23起",
                                         "11-30起", "12-07起"]
    assert (points[0].received, points[0].replied, points[0].on_time_rate) == (7, 8, 0.5)
    assert points[1].on_time_rate == 1.0
    year = chart_points(days(date(2026, 1, 1), 365))
    assert len(year) == 12 and year[0].label == "26年1月" and year[1].received == 28
