"""Working-time calendar: deadlines counted in a service hall's working hours.

A collaboration request "due within half a working day" is due after 3.5 h of the hall's
opening hours, skipping lunch breaks, nights, weekends and holidays. The server computes
the authoritative deadline and clients recompute the same one for display, so everything
that decides a deadline (time zone, working periods, overrides) is a plain dict that the
server syncs (``WorkCalendar.to_dict`` / ``from_dict``).

Which days are workdays:

1. local overrides (closures, holidays, workdays) loaded by an admin;
2. years an overrides file declares it ``covers_years`` (a State Council notice typed in
   before the ``chinesecalendar`` package knows it): its lists plus normal weekends;
3. ``chinesecalendar``'s official data (weekends, statutory holidays, 调休 make-up workdays);
4. otherwise a *provisional* fallback: weekends plus the statutory days of the national
   holiday rules (as revised for 2025). It never invents workdays; it only lacks the bridge
   days and make-up workdays that the yearly notice adds.

Pure Python; no Qt and no I/O at import time (``load`` reads a file when called).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import chinese_calendar
import yaml
from lunardate import LunarDate

__all__ = [
    "DEFAULT_PERIODS",
    "DEFAULT_TZ",
    "CalendarOverrides",
    "Closure",
    "WorkCalendar",
    "WorkingHours",
    "fallback_holidays",
    "official_data_covers",
]

DEFAULT_TZ = "Asia/Shanghai"
DEFAULT_PERIODS: tuple[tuple[time, time], ...] = ((time(9), time(12)), (time(13, 30), time(17, 30)))

# A calendar in which no working time turns up for this many consecutive days is broken
# (e.g. an override declaring every day a holiday); fail loudly instead of looping forever.
MAX_IDLE_DAYS = 3660

_ZERO = timedelta(0)
_ONE_DAY = timedelta(days=1)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# lunardate's tables span lunar years 1900–2099; outside them the fallback cannot place
# 春节/端午/中秋, and guessing would turn holidays into workdays.
_FALLBACK_YEARS = range(1900, 2100)


# --------------------------------------------------------------------------- holiday rules


@cache
def official_data_covers(year: int) -> bool:
    """Whether ``chinesecalendar`` has the State Council data for ``year``.

    Probed rather than hard-coded so a package upgrade extends coverage automatically.
    """
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


@cache
def _fallback_holidays(year: int) -> Mapping[date, str]:
    if year not in _FALLBACK_YEARS:
        raise ValueError(
            f"no holiday data or rules for year {year}; "
            f"load an overrides file whose covers_years includes {year}"
        )
    days: dict[date, str] = {date(year, 1, 1): "元旦"}
    new_year = LunarDate(year, 1, 1).to_solar_date()
    # 除夕 is the day before lunar 1/1 (lunar month 12 may have 29 or 30 days), then 初一..初三.
    for offset in range(-1, 3):
        days[new_year + timedelta(days=offset)] = "春节"
    # 清明 is a solar term (Apr 4 or 5), not a lunar date.
    april = chinese_calendar.get_solar_terms(date(year, 4, 1), date(year, 4, 30))
    days[next(d for d, name in april if name == "清明")] = "清明节"
    days[date(year, 5, 1)] = days[date(year, 5, 2)] = "劳动节"
    days[LunarDate(year, 5, 5).to_solar_date()] = "端午节"
    days[LunarDate(year, 8, 15).to_solar_date()] = "中秋节"
    for d in (1, 2, 3):
        days[date(year, 10, d)] = "国庆节"
    return days


def fallback_holidays(year: int) -> dict[date, str]:
    """Statutory holiday dates of ``year`` under the national rules (revised for 2025).

    Used for years without official data. Raises ValueError outside 1900–2099.
    """
    return dict(_fallback_holidays(year))


# --------------------------------------------------------------------------- working hours


def _parse_time(value: Any, where: str) -> time:
    if isinstance(value, time):
        parsed = value
    elif isinstance(value, str) and re.fullmatch(r"\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?", value):
        try:
            parsed = time.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{where}: {value!r} is not a valid time of day") from None
    else:
        raise ValueError(f"{where}: expected a time like '09:00', got {value!r}")
    if parsed.tzinfo is not None:
        raise ValueError(f"{where}: working hours are wall-clock times; drop the tzinfo")
    return parsed


def _format_time(value: time) -> str:
    return value.isoformat("minutes" if not (value.second or value.microsecond) else "auto")


def _since_midnight(value: time) -> timedelta:
    return timedelta(hours=value.hour, minutes=value.minute, seconds=value.second,
                     microseconds=value.microsecond)


@dataclass(frozen=True)
class WorkingHours:
    """A hall's daily opening periods, e.g. 09:00–12:00 and 13:30–17:30.

    Periods must be sorted and separated by a break: touching periods (12:00–12:00) are
    rejected because a deadline at their shared instant would be both a close and an open.
    """

    periods: tuple[tuple[time, time], ...] = DEFAULT_PERIODS

    def __post_init__(self) -> None:
        if isinstance(self.periods, str | bytes) or not isinstance(self.periods, Iterable):
            raise ValueError(f"working periods must be a list of (start, end) pairs, "
                             f"got {self.periods!r}")
        parsed: list[tuple[time, time]] = []
        for i, period in enumerate(self.periods, 1):
            if isinstance(period, str | bytes) or not isinstance(period, Sequence) \
                    or len(period) != 2:
                raise ValueError(f"working period {i}: expected a (start, end) pair, "
                                 f"got {period!r}")
            start = _parse_time(period[0], f"working period {i} start")
            end = _parse_time(period[1], f"working period {i} end")
            label = f"working period {i} ({_format_time(start)}–{_format_time(end)})"
            if start >= end:
                raise ValueError(f"{label}: start must be before end")
            if parsed and start <= parsed[-1][1]:
                raise ValueError(
                    f"{label} must start after period {i - 1} ends at "
                    f"{_format_time(parsed[-1][1])}: periods must be sorted, non-overlapping "
                    f"and separated by a break (merge touching periods)")
            parsed.append((start, end))
        if not parsed:
            raise ValueError("at least one working period is required")
        object.__setattr__(self, "periods", tuple(parsed))

    @property
    def per_day(self) -> timedelta:
        return sum((_since_midnight(e) - _since_midnight(s) for s, e in self.periods), _ZERO)

    def offsets(self) -> tuple[tuple[timedelta, timedelta], ...]:
        """Periods as (open, close) offsets from local midnight: cheap datetime arithmetic."""
        return tuple((_since_midnight(s), _since_midnight(e)) for s, e in self.periods)

    def to_list(self) -> list[list[str]]:
        return [[_format_time(s), _format_time(e)] for s, e in self.periods]


# --------------------------------------------------------------------------- overrides


@dataclass(frozen=True, order=True)
class Closure:
    """A local closure of the hall (non-working day), e.g. a power cut."""

    date: date
    reason: str


class _TextDatesLoader(yaml.SafeLoader):
    """SafeLoader that keeps 2027-01-01 as text, so a bad date (2027-13-01) is reported by
    our parser with its position instead of a bare error from YAML's date constructor."""


_TextDatesLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _parse_date(value: Any, where: str) -> date:
    # Python callers may pass dates; files give text.
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(f"{where}: {value!r} is not a valid date (expected YYYY-MM-DD)")


def _parse_dates(values: Any, key: str) -> frozenset[date]:
    if not isinstance(values, list):
        raise ValueError(f"{key}: expected a list of dates, got {values!r}")
    seen: set[date] = set()
    for i, value in enumerate(values):
        day = _parse_date(value, f"{key}[{i}]")
        if day in seen:  # a duplicate is usually a typo for another date
            raise ValueError(f"{key}[{i}]: {day} is listed twice")
        seen.add(day)
    return frozenset(seen)


@dataclass(frozen=True)
class CalendarOverrides:
    """Admin-maintained corrections to the statutory calendar; synced from server to clients.

    Precedence: closures and holidays (off) beat workdays (on). For ``covers_years`` the
    lists plus normal weekends are the whole truth and those days are not provisional.
    """

    name: str = ""
    covers_years: frozenset[int] = frozenset()
    holidays: frozenset[date] = frozenset()
    workdays: frozenset[date] = frozenset()
    closures: tuple[Closure, ...] = ()
    _closed: Mapping[date, str] = field(init=False, repr=False, compare=False, hash=False,
                                        default_factory=dict)

    def __post_init__(self) -> None:
        years = frozenset(self.covers_years)
        for year in years:
            if isinstance(year, bool) or not isinstance(year, int) or not 1 <= year <= 9999:
                raise ValueError(f"covers_years: {year!r} is not a year")
        holidays, workdays = frozenset(self.holidays), frozenset(self.workdays)
        for day in holidays | workdays:
            if isinstance(day, datetime) or not isinstance(day, date):
                raise ValueError(f"holidays/workdays: {day!r} is not a date")
        both = holidays & workdays
        if both:
            raise ValueError("listed both as holiday and as workday: "
                             + ", ".join(d.isoformat() for d in sorted(both)))
        items = self.closures.items() if isinstance(self.closures, Mapping) else self.closures
        closures = tuple(sorted(c if isinstance(c, Closure) else Closure(*c) for c in items))
        closed: dict[date, str] = {}
        for c in closures:
            if isinstance(c.date, datetime) or not isinstance(c.date, date):
                raise ValueError(f"closures: {c.date!r} is not a date")
            if not isinstance(c.reason, str) or not c.reason.strip():
                raise ValueError(f"closures: {c.date} needs a reason")
            if c.date in closed:
                raise ValueError(f"closures: {c.date} is listed twice")
            closed[c.date] = c.reason
        if not isinstance(self.name, str):
            raise ValueError(f"name: expected text, got {self.name!r}")
        for attr, value in (("covers_years", years), ("holidays", holidays),
                            ("workdays", workdays), ("closures", closures), ("_closed", closed)):
            object.__setattr__(self, attr, value)

    def closure_reason(self, day: date) -> str | None:
        return self._closed.get(day)

    def is_closed(self, day: date) -> bool:
        return day in self._closed

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CalendarOverrides:
        if not isinstance(data, Mapping):
            raise ValueError(f"overrides must be a mapping, got {type(data).__name__}")
        # Unknown keys are refused: a misspelt "holiday:" would otherwise drop every entry.
        unknown = set(data) - {"name", "covers_years", "holidays", "workdays", "closures"}
        if unknown:
            raise ValueError(f"unknown key(s) {sorted(map(str, unknown))}; expected name, "
                             "covers_years, holidays, workdays, closures")
        name = data.get("name", "") or ""
        if not isinstance(name, str):
            raise ValueError(f"name: expected text, got {name!r}")
        years = data.get("covers_years") or []
        if not isinstance(years, list):
            raise ValueError(f"covers_years: expected a list of years, got {years!r}")
        for i, year in enumerate(years):
            if isinstance(year, bool) or not isinstance(year, int) or not 1 <= year <= 9999:
                raise ValueError(f"covers_years[{i}]: {year!r} is not a year")
        raw_closures = data.get("closures") or []
        if not isinstance(raw_closures, list):
            raise ValueError(f"closures: expected a list, got {raw_closures!r}")
        closures = []
        for i, item in enumerate(raw_closures):
            if not isinstance(item, Mapping) or set(item) != {"date", "reason"}:
                raise ValueError(f"closures[{i}]: expected {{date, reason}}, got {item!r}")
            reason = item["reason"]
            if not isinstance(reason, str) or not reason.strip():
                raise ValueError(f"closures[{i}]: reason must be non-empty text")
            closures.append(Closure(_parse_date(item["date"], f"closures[{i}].date"), reason))
        return cls(name=name, covers_years=frozenset(years),
                   holidays=_parse_dates(data.get("holidays") or [], "holidays"),
                   workdays=_parse_dates(data.get("workdays") or [], "workdays"),
                   closures=tuple(closures))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready and canonical (sorted), so equal overrides serialise identically."""
        return {
            "name": self.name,
            "covers_years": sorted(self.covers_years),
            "holidays": [d.isoformat() for d in sorted(self.holidays)],
            "workdays": [d.isoformat() for d in sorted(self.workdays)],
            "closures": [{"date": c.date.isoformat(), "reason": c.reason} for c in self.closures],
        }

    @classmethod
    def load(cls, path: str | Path) -> CalendarOverrides:
        """Read a .json or .yaml/.yml overrides file; a bad file raises ValueError."""
        path = Path(path)
        suffix = path.suffix.lower()
        if suffix not in (".json", ".yaml", ".yml"):
            raise ValueError(f"{path}: overrides file must be .json, .yaml or .yml")
        text = path.read_text(encoding="utf-8-sig")  # tolerate the BOM Windows Notepad adds
        try:
            data = json.loads(text) if suffix == ".json" else yaml.load(text, _TextDatesLoader)
            return cls.from_dict(data if data is not None else {})
        except (json.JSONDecodeError, yaml.YAMLError, ValueError) as exc:
            raise ValueError(f"{path}: {exc}") from exc


# --------------------------------------------------------------------------- calendar


def _require_aware(moment: datetime, what: str) -> None:
    if not isinstance(moment, datetime):
        raise TypeError(f"{what} must be a datetime, got {type(moment).__name__}")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{what} must be timezone-aware (naive datetimes are ambiguous)")


class WorkCalendar:
    """Working time of one service hall, computed on the hall's local wall clock.

    Instants in any time zone are converted to the hall's zone, counted there, and the
    result is converted back to the caller's tzinfo. (China has no DST; in a zone that has
    it, a transition inside working hours is counted by the wall clock.)
    """

    def __init__(
        self,
        tz: str | ZoneInfo = DEFAULT_TZ,
        periods: WorkingHours | Iterable[tuple[time | str, time | str]] = DEFAULT_PERIODS,
        overrides: CalendarOverrides | None = None,
    ) -> None:
        if isinstance(tz, ZoneInfo):
            self.tz = tz
        else:
            try:
                self.tz = ZoneInfo(tz)
            except (ZoneInfoNotFoundError, ValueError, TypeError):
                raise ValueError(f"unknown time zone {tz!r}") from None
        self.working_hours = periods if isinstance(periods, WorkingHours) \
            else WorkingHours(periods)  # type: ignore[arg-type]  # validated there
        self.overrides = overrides if overrides is not None else CalendarOverrides()
        self._offsets = self.working_hours.offsets()
        # Deciding a day costs several lookups (and lunar maths for fallback years); a deadline
        # visits the same few dozen days again and again. Concurrent fills are harmless: both
        # threads compute the same value.
        self._workday_cache: dict[date, bool] = {}

    # ----- configuration

    @property
    def periods(self) -> tuple[tuple[time, time], ...]:
        return self.working_hours.periods

    @property
    def hours_per_day(self) -> timedelta:
        return self.working_hours.per_day

    def to_dict(self) -> dict[str, Any]:
        return {"tz": self.tz.key, "periods": self.working_hours.to_list(),
                "overrides": self.overrides.to_dict()}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> WorkCalendar:
        if not isinstance(data, Mapping):
            raise ValueError(f"calendar must be a mapping, got {type(data).__name__}")
        unknown = set(data) - {"tz", "periods", "overrides"}
        if unknown:
            raise ValueError(f"unknown key(s) {sorted(map(str, unknown))}; "
                             "expected tz, periods, overrides")
        overrides = data.get("overrides")
        return cls(tz=data.get("tz", DEFAULT_TZ), periods=data.get("periods", DEFAULT_PERIODS),
                   overrides=CalendarOverrides.from_dict(overrides) if overrides else None)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, WorkCalendar):
            return NotImplemented
        return (self.tz.key, self.working_hours, self.overrides) == \
            (other.tz.key, other.working_hours, other.overrides)

    __hash__ = None  # type: ignore[assignment]  # mutable cache inside; not a dict key

    def __repr__(self) -> str:
        return (f"WorkCalendar(tz={self.tz.key!r}, periods={self.working_hours.to_list()!r}, "
                f"overrides={self.overrides.name or len(self.overrides.holidays)!r})")

    # ----- days

    def is_workday(self, day: date) -> bool:
        """Whether the hall works on ``day`` (an aware datetime means its local date)."""
        if isinstance(day, datetime):
            _require_aware(day, "day")
            day = day.astimezone(self.tz).date()
        cached = self._workday_cache.get(day)
        if cached is None:
            cached = self._workday_cache[day] = self._decide_workday(day)
        return cached

    def _decide_workday(self, day: date) -> bool:
        ov = self.overrides
        if ov.is_closed(day) or day in ov.holidays:
            return False
        if day in ov.workdays:
            return True
        if day.year in ov.covers_years:
            return day.weekday() < 5
        if official_data_covers(day.year):
            return chinese_calendar.is_workday(day)
        return day.weekday() < 5 and day not in _fallback_holidays(day.year)

    def is_provisional(self, day: date) -> bool:
        """True if ``day`` was decided by the fallback rules, not an official notice.

        Such a day may still become a holiday (bridge day) or a workday (调休) once the
        State Council publishes the year's arrangement.
        """
        if isinstance(day, datetime):
            _require_aware(day, "day")
            day = day.astimezone(self.tz).date()
        return not (day.year in self.overrides.covers_years or official_data_covers(day.year))

    # ----- instants

    def _local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.tz).replace(tzinfo=None)

    def is_working_time(self, moment: datetime) -> bool:
        """Whether ``moment`` falls inside an opening period (open inclusive, close exclusive)."""
        _require_aware(moment, "moment")
        local = self._local(moment)
        offset = local - datetime.combine(local.date(), time())
        return self.is_workday(local.date()) and any(o <= offset < c for o, c in self._offsets)

    def add_working_time(self, start: datetime, amount: timedelta) -> datetime:
        """The earliest instant at which ``amount`` of working time has elapsed since ``start``.

        A deadline may fall exactly at a closing time (12:00, 17:30), never at the next
        opening. The result has ``start``'s tzinfo.
        """
        _require_aware(start, "start")
        if not isinstance(amount, timedelta):
            raise TypeError(f"amount must be a timedelta, got {type(amount).__name__}")
        if amount < _ZERO:
            raise ValueError(f"amount must not be negative, got {amount}")
        if not amount:
            return start
        local = self._local(start)
        day = local.date()
        midnight = datetime.combine(day, time())
        offset = local - midnight
        remaining = amount
        last_work_day = day
        while True:
            if self.is_workday(day):
                for open_, close in self._offsets:
                    if offset < close:
                        begin = max(offset, open_)
                        available = close - begin
                        # "<=": finishing exactly at close belongs to this period.
                        if remaining <= available:
                            end = (midnight + begin + remaining).replace(tzinfo=self.tz)
                            return end.astimezone(start.tzinfo)
                        remaining -= available
                        last_work_day = day
            elif (day - last_work_day).days > MAX_IDLE_DAYS:
                raise ValueError(f"no working time found in the {MAX_IDLE_DAYS} days after "
                                 f"{last_work_day}; check the calendar overrides")
            day += _ONE_DAY
            midnight += _ONE_DAY
            offset = _ZERO

    def add_working_days(self, start: datetime, days: float) -> datetime:
        """``days`` × the hall's working hours per day (7 h by default) after ``start``."""
        if days < 0:
            raise ValueError(f"days must not be negative, got {days}")
        return self.add_working_time(start, self.hours_per_day * days)

    def working_time_between(self, start: datetime, end: datetime) -> timedelta:
        """Working time elapsed from ``start`` to ``end``; negative if ``end`` is earlier."""
        _require_aware(start, "start")
        _require_aware(end, "end")
        # Compare in UTC: aware datetimes sharing a tzinfo compare by wall clock, which is
        # wrong inside a DST fold.
        if end.astimezone(UTC) < start.astimezone(UTC):
            return -self.working_time_between(end, start)
        lo, hi = self._local(start), self._local(end)
        total = _ZERO
        day = lo.date()
        while day <= hi.date():
            if self.is_workday(day):
                midnight = datetime.combine(day, time())
                for open_, close in self._offsets:
                    a, b = max(midnight + open_, lo), min(midnight + close, hi)
                    if b > a:
                        total += b - a
            day += _ONE_DAY
        return total
