"""Working-time calendar: deadlines, holidays, overrides, and properties over 2024–2026."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.paths import resources_dir
from app.worktime import (
    MAX_IDLE_DAYS,
    CalendarOverrides,
    Closure,
    WorkCalendar,
    WorkingHours,
    fallback_holidays,
    official_data_covers,
)

SH = ZoneInfo("Asia/Shanghai")
H = timedelta(hours=1)
EXAMPLES = resources_dir() / "calendar"
CAL = WorkCalendar()  # shared: its workday cache makes the property tests fast


def sh(y, mo, d, h=0, mi=0, s=0, us=0) -> datetime:
    return datetime(y, mo, d, h, mi, s, us, tzinfo=SH)


def example_overrides() -> CalendarOverrides:
    return CalendarOverrides.load(EXAMPLES / "example-overrides.json")


# --------------------------------------------------------------------------- deadlines


@pytest.mark.parametrize(
    ("start", "amount", "expected"),
    [
        # 2026-11-23 is a Monday.
        (sh(2026, 11, 23, 10), 3.5 * H, sh(2026, 11, 23, 15)),  # half a working day
        (sh(2026, 11, 23, 11), H, sh(2026, 11, 23, 12)),  # ends at close, not 13:30
        (sh(2026, 11, 23, 16, 30), H, sh(2026, 11, 23, 17, 30)),
        (sh(2026, 11, 23, 17), H, sh(2026, 11, 24, 9, 30)),
        (sh(2026, 11, 27, 16), 3 * H, sh(2026, 11, 30, 10, 30)),  # Friday → Monday
        (sh(2026, 11, 28, 10), H, sh(2026, 11, 30, 10)),  # starts on a Saturday
        (sh(2026, 11, 23, 12, 30), H, sh(2026, 11, 23, 14, 30)),  # starts at lunch
        (sh(2026, 11, 23, 7), 3 * H, sh(2026, 11, 23, 12)),  # before opening
        (sh(2026, 11, 23, 20), 7 * H, sh(2026, 11, 24, 17, 30)),  # evening + one full day
        (sh(2026, 11, 23, 9), 7 * H, sh(2026, 11, 23, 17, 30)),  # not next morning 09:00
        (sh(2026, 11, 23, 11, 59, 59, 999_999), timedelta(microseconds=1),
         sh(2026, 11, 23, 12)),
    ],
)
def test_concrete_deadlines(start, amount, expected):
    deadline = CAL.add_working_time(start, amount)
    assert deadline == expected
    assert deadline.tzinfo is start.tzinfo
    assert CAL.working_time_between(start, deadline) == amount


def test_half_working_day_is_three_and_a_half_hours():
    assert CAL.hours_per_day == 7 * H
    assert CAL.add_working_days(sh(2026, 11, 23, 10), 0.5) == sh(2026, 11, 23, 15)
    assert CAL.add_working_days(sh(2026, 11, 23, 10), 5) == sh(2026, 11, 30, 10)


def test_national_day_2026_uses_official_data():
    # 2026: Oct 1–7 off; Sat Oct 10 is a make-up workday (调休上班).
    assert not CAL.is_workday(date(2026, 10, 7))
    assert CAL.is_workday(date(2026, 10, 10)) and date(2026, 10, 10).weekday() == 5
    assert CAL.add_working_time(sh(2026, 9, 30, 16, 30), 2 * H) == sh(2026, 10, 8, 10)
    assert CAL.add_working_time(sh(2026, 10, 9, 17), H) == sh(2026, 10, 10, 9, 30)


def test_spring_festival_2026_uses_official_data():
    # 2026: Sat Feb 14 works (调休), Feb 15–23 off, Feb 24 back at work.
    assert chinese_calendar.is_workday(date(2026, 2, 14))
    assert CAL.add_working_time(sh(2026, 2, 13, 17), H) == sh(2026, 2, 14, 9, 30)
    assert CAL.add_working_time(sh(2026, 2, 14, 17), H) == sh(2026, 2, 24, 9, 30)
    assert CAL.working_time_between(sh(2026, 2, 14, 17, 30), sh(2026, 2, 24, 9)) == timedelta(0)


def test_make_up_workday_on_a_sunday_counts():
    # 元旦 2026: Jan 1–3 off, Sunday Jan 4 is a make-up workday.
    assert date(2026, 1, 4).weekday() == 6 and chinese_calendar.is_workday(date(2026, 1, 4))
    assert CAL.add_working_time(sh(2025, 12, 31, 17), H) == sh(2026, 1, 4, 9, 30)


def test_utc_in_utc_out():
    start = datetime(2026, 11, 23, 2, tzinfo=UTC)  # 10:00 in Shanghai
    deadline = CAL.add_working_time(start, 3.5 * H)
    assert deadline == datetime(2026, 11, 23, 7, tzinfo=UTC)
    assert deadline.tzinfo is UTC
    other = timezone(timedelta(hours=-5))
    assert CAL.add_working_time(start.astimezone(other), 3.5 * H).tzinfo is other


def test_zero_amount_returns_start_unchanged():
    start = sh(2026, 11, 28, 3)  # a Saturday night: still unchanged
    assert CAL.add_working_time(start, timedelta(0)) is start


def test_naive_and_negative_inputs_rejected():
    with pytest.raises(ValueError, match="timezone-aware"):
        CAL.add_working_time(datetime(2026, 11, 23, 10), H)
    with pytest.raises(ValueError, match="timezone-aware"):
        CAL.working_time_between(datetime(2026, 11, 23, 10), sh(2026, 11, 23, 11))
    with pytest.raises(ValueError, match="negative"):
        CAL.add_working_time(sh(2026, 11, 23, 10), -H)
    with pytest.raises(ValueError, match="negative"):
        CAL.add_working_days(sh(2026, 11, 23, 10), -1)


def test_working_time_between_is_signed():
    a, b = sh(2026, 11, 23, 10), sh(2026, 11, 24, 10)
    assert CAL.working_time_between(a, b) == 7 * H
    assert CAL.working_time_between(b, a) == -7 * H
    assert CAL.working_time_between(a, a) == timedelta(0)
    assert CAL.working_time_between(sh(2026, 11, 23, 12), sh(2026, 11, 23, 13, 30)) == 0 * H


def test_is_workday_accepts_aware_datetimes_as_hall_local_dates():
    # 2026-11-27 16:00 UTC is already Saturday 00:00 in Shanghai.
    assert CAL.is_workday(datetime(2026, 11, 27, 15, 59, tzinfo=UTC))
    assert not CAL.is_workday(datetime(2026, 11, 27, 16, 0, tzinfo=UTC))
    with pytest.raises(ValueError, match="timezone-aware"):
        CAL.is_workday(datetime(2026, 11, 27, 10))


def test_is_working_time():
    assert CAL.is_working_time(sh(2026, 11, 23, 9))
    assert not CAL.is_working_time(sh(2026, 11, 23, 12))
    assert not CAL.is_working_time(sh(2026, 11, 28, 10))  # Saturday


# --------------------------------------------------------------------------- 2027 fallback


FALLBACK_2027_OFF = [
    date(2027, 1, 1),  # 元旦
    date(2027, 2, 5),  # 除夕
    date(2027, 2, 6), date(2027, 2, 7), date(2027, 2, 8),  # 初一..初三
    date(2027, 4, 5),  # 清明
    date(2027, 5, 1), date(2027, 5, 2),
    date(2027, 6, 9),  # 端午 (lunar 5/5)
    date(2027, 9, 15),  # 中秋 (lunar 8/15)
    date(2027, 10, 1), date(2027, 10, 2), date(2027, 10, 3),
]


def test_2027_is_not_covered_by_official_data():
    # If a chinesecalendar upgrade covers 2027, the fallback tests below need a later year.
    assert not official_data_covers(2027)
    assert official_data_covers(2026)


@pytest.mark.parametrize("day", FALLBACK_2027_OFF, ids=str)
def test_2027_statutory_days_are_off(day):
    assert not WorkCalendar().is_workday(day)


def test_2027_fallback_dates_and_ordinary_days():
    assert set(fallback_holidays(2027)) == set(FALLBACK_2027_OFF)
    cal = WorkCalendar()
    assert cal.is_workday(date(2027, 3, 10))  # an ordinary Wednesday
    assert not cal.is_workday(date(2027, 3, 13))  # Saturday
    assert not cal.is_workday(date(2027, 2, 14))  # a Sunday: no invented make-up workdays
    # 除夕 2027 is a Friday: Thursday 17:00 + 1 h jumps over 除夕..初三 to Tuesday.
    assert cal.add_working_time(sh(2027, 2, 4, 17), H) == sh(2027, 2, 9, 9, 30)


def test_every_2027_day_is_provisional_and_2026_is_not():
    cal = WorkCalendar()
    day = date(2027, 1, 1)
    while day.year == 2027:
        assert cal.is_provisional(day)
        day += timedelta(days=1)
    assert not cal.is_provisional(date(2026, 12, 31))
    assert not cal.is_provisional(date(2026, 1, 1))


def test_override_covering_2027_makes_it_official():
    cal = WorkCalendar(overrides=example_overrides())
    assert not cal.is_provisional(date(2027, 3, 10))
    assert cal.is_provisional(date(2028, 3, 10))
    assert cal.is_workday(date(2027, 2, 14))  # the file's Sunday make-up workday
    assert not cal.is_workday(date(2027, 2, 10))  # the file's bridge day (a Wednesday)
    assert cal.is_workday(date(2027, 3, 10))
    assert not cal.is_workday(date(2027, 3, 13))  # normal weekends still apply
    assert not cal.is_workday(date(2026, 12, 24))  # local closure
    assert cal.overrides.closure_reason(date(2026, 12, 24)) == "大厅停电检修"
    assert cal.add_working_time(sh(2026, 12, 23, 17), H) == sh(2026, 12, 25, 9, 30)


@pytest.mark.parametrize(
    ("year", "expected"),
    [(2022, date(2022, 4, 5)), (2024, date(2024, 4, 4)), (2025, date(2025, 4, 4)),
     (2026, date(2026, 4, 5)), (2027, date(2027, 4, 5))],
)
def test_qingming_solar_term(year, expected):
    assert [d for d, name in fallback_holidays(year).items() if name == "清明节"] == [expected]


@pytest.mark.parametrize("year", [2025, 2026])
def test_fallback_is_a_subset_of_official_holidays(year):
    # The fallback lacks bridge days and make-up workdays but must never call a workday off.
    for day, name in fallback_holidays(year).items():
        assert chinese_calendar.is_holiday(day), (day, name)


@pytest.mark.parametrize("year", range(2010, 2025))
def test_fallback_matches_older_years_except_new_statutory_days(year):
    # Before the 2025 revision 除夕 (2014–2024) and May 2 were not statutory days.
    named = fallback_holidays(year)
    chuxi = min(d for d, name in named.items() if name == "春节")
    for day in set(named) - {chuxi, date(year, 5, 2)}:
        assert chinese_calendar.is_holiday(day), (day, named[day])


def test_fallback_has_no_rules_outside_lunar_tables():
    with pytest.raises(ValueError, match="covers_years"):
        WorkCalendar().is_workday(date(2100, 3, 10))
    # …but an overrides file covering the year makes it usable.
    cal = WorkCalendar(overrides=CalendarOverrides(covers_years={2100}))
    assert cal.is_workday(date(2100, 3, 10))


# --------------------------------------------------------------------------- overrides


def test_json_and_yaml_examples_agree():
    from_json = CalendarOverrides.load(EXAMPLES / "example-overrides.json")
    from_yaml = CalendarOverrides.load(EXAMPLES / "example-overrides.yaml")
    assert from_json == from_yaml
    assert from_json.covers_years == {2027}
    start = sh(2027, 2, 4, 16)
    a = WorkCalendar(overrides=from_json).add_working_days(start, 2)
    b = WorkCalendar(overrides=from_yaml).add_working_days(start, 2)
    assert a == b == sh(2027, 2, 15, 16)  # Sunday Feb 14 works, Mon Feb 15 too


def test_example_json_covers_every_fallback_holiday_of_2027():
    # A file that covers a year replaces the fallback: it must not forget a statutory day.
    assert set(fallback_holidays(2027)) <= example_overrides().holidays


def test_overrides_round_trip():
    ov = example_overrides()
    data = ov.to_dict()
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data
    assert CalendarOverrides.from_dict(data) == ov
    assert CalendarOverrides.from_dict(data).to_dict() == data
    assert CalendarOverrides().to_dict() == {
        "name": "", "covers_years": [], "holidays": [], "workdays": [], "closures": []}


def test_calendar_round_trip():
    cal = WorkCalendar(tz="Asia/Urumqi", periods=[("08:30", "12:00"), (time(14), time(18))],
                       overrides=example_overrides())
    data = json.loads(json.dumps(cal.to_dict(), ensure_ascii=False))
    assert data["periods"] == [["08:30", "12:00"], ["14:00", "18:00"]]
    again = WorkCalendar.from_dict(data)
    assert again == cal and again.to_dict() == cal.to_dict()
    start = sh(2027, 2, 4, 10)
    assert again.add_working_days(start, 3) == cal.add_working_days(start, 3)
    assert WorkCalendar.from_dict({}) == WorkCalendar()


def test_overrides_constructor_accepts_python_values():
    ov = CalendarOverrides(holidays={date(2026, 11, 23)},
                           closures={date(2026, 11, 24): "系统升级"})
    assert ov.closures == (Closure(date(2026, 11, 24), "系统升级"),)
    cal = WorkCalendar(overrides=ov)
    assert cal.add_working_time(sh(2026, 11, 23, 10), H) == sh(2026, 11, 25, 10)
    assert not cal.is_provisional(date(2026, 11, 23))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"holidays": ["2027-01-01", "2027-02-30"]}, r"holidays\[1\].*2027-02-30"),
        ({"holidays": ["2027/01/01"]}, r"holidays\[0\]"),
        ({"workdays": ["2027-02-14", "2027-02-14"]}, r"workdays\[1\].*twice"),
        ({"holidays": ["2027-02-14"], "workdays": ["2027-02-14"]}, "both"),
        ({"holidays": "2027-01-01"}, "holidays: expected a list"),
        ({"covers_years": ["2027"]}, r"covers_years\[0\]"),
        ({"covers_years": 2027}, "covers_years"),
        ({"closures": [{"date": "2026-12-24"}]}, r"closures\[0\]"),
        ({"closures": [{"date": "2026-12-24", "reason": " "}]}, r"closures\[0\].*reason"),
        ({"closures": [{"date": "24.12.2026", "reason": "x"}]}, r"closures\[0\]\.date"),
        ({"holiday": ["2027-01-01"]}, "unknown key"),
        ({"name": 5}, "name"),
    ],
)
def test_bad_overrides_rejected(data, message):
    with pytest.raises(ValueError, match=message):
        CalendarOverrides.from_dict(data)


@pytest.mark.parametrize(
    ("filename", "text", "message"),
    [
        ("bad.json", '{"holidays": ["2027-01-01",]}', "bad.json"),
        ("bad.yaml", "holidays: [2027-01-01\n", "bad.yaml"),
        ("bad.yml", "holidays:\n  - 2027-13-01\n", r"holidays\[0\]"),
        ("bad.yaml", "- 2027-01-01\n", "mapping"),
        ("bad.txt", "{}", r"\.json, \.yaml"),
    ],
)
def test_bad_override_files_rejected(tmp_path, filename, text, message):
    path = tmp_path / filename
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        CalendarOverrides.load(path)


def test_override_file_with_bom_and_empty_file(tmp_path):
    path = tmp_path / "notepad.json"
    path.write_text('{"workdays": ["2026-11-28"]}', encoding="utf-8-sig")
    assert CalendarOverrides.load(path).workdays == {date(2026, 11, 28)}
    empty = tmp_path / "empty.yaml"
    empty.write_text("# nothing yet\n", encoding="utf-8")
    assert CalendarOverrides.load(empty) == CalendarOverrides()


def test_everything_off_raises_instead_of_looping():
    start = date(2026, 1, 1)
    days = {start + timedelta(days=i) for i in range(MAX_IDLE_DAYS + 400)}
    cal = WorkCalendar(overrides=CalendarOverrides(holidays=days))
    with pytest.raises(ValueError, match="no working time"):
        cal.add_working_time(sh(2026, 1, 1, 10), H)


# --------------------------------------------------------------------------- working hours


def test_custom_periods_change_results():
    cal = WorkCalendar(periods=[(time(8, 30), time(12)), (time(14), time(18))])
    assert cal.hours_per_day == 7.5 * H
    monday = sh(2026, 11, 23, 11)
    assert cal.add_working_time(monday, 2 * H) == sh(2026, 11, 23, 15)
    assert CAL.add_working_time(monday, 2 * H) == sh(2026, 11, 23, 14, 30)
    assert cal.add_working_time(sh(2026, 11, 23, 17, 30), H) == sh(2026, 11, 24, 9)
    assert cal.add_working_days(sh(2026, 11, 23, 8, 30), 0.5) == sh(2026, 11, 23, 14, 15)
    assert cal.add_working_time(sh(2026, 11, 23, 13), H) == sh(2026, 11, 23, 15)


def test_single_period_and_string_periods():
    cal = WorkCalendar(periods=[("09:00", "17:00")])
    assert cal.hours_per_day == 8 * H
    assert cal.add_working_time(sh(2026, 11, 23, 11), 2 * H) == sh(2026, 11, 23, 13)
    assert WorkingHours((("09:00", "12:00"),)).to_list() == [["09:00", "12:00"]]


@pytest.mark.parametrize(
    ("periods", "message"),
    [
        ([], "at least one"),
        ([(time(12), time(9))], "start must be before end"),
        ([(time(9), time(9))], "start must be before end"),
        ([(time(13, 30), time(17, 30)), (time(9), time(12))], "sorted"),
        ([(time(9), time(12)), (time(11), time(17))], "non-overlapping"),
        ([(time(9), time(12)), (time(12), time(17))], "merge touching"),
        ([("9am", "12:00")], "period 1 start"),
        ([("09:00", "25:00")], "period 1 end"),
        ([(time(9),)], "pair"),
        ([(time(9, tzinfo=UTC), time(12))], "tzinfo"),
        ("09:00-12:00", "list"),
    ],
)
def test_invalid_periods_rejected(periods, message):
    with pytest.raises(ValueError, match=message):
        WorkCalendar(periods=periods)


def test_invalid_time_zone_rejected():
    with pytest.raises(ValueError, match="time zone"):
        WorkCalendar(tz="Asia/Beijing")


# --------------------------------------------------------------------------- properties


INPUT_ZONES = [UTC, SH, timezone(timedelta(hours=8)), timezone(timedelta(hours=-5)),
               timezone(timedelta(hours=5, minutes=45)), ZoneInfo("America/New_York")]

starts = st.datetimes(
    min_value=datetime(2024, 1, 1), max_value=datetime(2026, 12, 31, 23, 59, 59),
    timezones=st.sampled_from(INPUT_ZONES), allow_imaginary=False,
)
whole_seconds_starts = starts.map(lambda d: d.replace(microsecond=0))
any_starts = st.one_of(whole_seconds_starts, starts)
# 0 to 4 working days, either whole minutes or with microseconds.
amounts = st.one_of(
    st.integers(0, 4 * 7 * 60).map(lambda m: timedelta(minutes=m)),
    st.timedeltas(min_value=timedelta(0), max_value=timedelta(hours=28)),
)


def utc(moment: datetime) -> datetime:
    # Aware datetimes sharing a tzinfo compare by wall clock; compare instants in UTC.
    return moment.astimezone(UTC)


@given(any_starts, amounts)
def test_round_trip_with_working_time_between(start, amount):
    deadline = CAL.add_working_time(start, amount)
    assert deadline.tzinfo is start.tzinfo
    assert CAL.working_time_between(start, deadline) == amount
    assert CAL.working_time_between(deadline, start) == -amount


@given(any_starts, amounts.filter(bool))
def test_deadline_is_inside_or_at_end_of_a_working_period(start, amount):
    deadline = CAL.add_working_time(start, amount)
    local = deadline.astimezone(SH)
    assert CAL.is_workday(local.date())
    assert any(open_ < local.time() <= close for open_, close in CAL.periods)
    assert not any(local.time() == open_ for open_, _ in CAL.periods)
    # Earliest such instant: a microsecond earlier, the work is not done yet.
    assert CAL.working_time_between(start, deadline - timedelta(microseconds=1)) < amount
    assert utc(deadline) > utc(start)


@given(any_starts, st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=10)), amounts)
def test_monotonic_in_start(start, shift, amount):
    later = (utc(start) + shift).astimezone(start.tzinfo)
    assert utc(CAL.add_working_time(start, amount)) <= utc(CAL.add_working_time(later, amount))


@given(any_starts, amounts, amounts)
def test_monotonic_in_amount(start, a, b):
    small, big = sorted((a, b))
    assert utc(CAL.add_working_time(start, small)) <= utc(CAL.add_working_time(start, big))


@given(any_starts, amounts, amounts)
def test_additive(start, a, b):
    # Half a day, then another half, is one day: chaining deadlines loses no time.
    first = CAL.add_working_time(start, a)
    assert CAL.add_working_time(first, b) == CAL.add_working_time(start, a + b)


@given(any_starts, st.sampled_from([0.5, 1, 2, 3, 5]))
def test_working_days_are_hours_per_day(start, days):
    expected = CAL.add_working_time(start, CAL.hours_per_day * days)
    assert CAL.add_working_days(start, days) == expected
