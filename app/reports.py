"""统计 and 月度考核 as a supervisor's screens read them. No Qt.

The figures are the server's (docs/protocol.md §12, §12.1): a counter PC mirrors only its
own department's requests, so it could not count them itself. Each answer is kept in the
encrypted cache as a snapshot (``report_snapshots``), and when the server cannot be
reached the screens show the last snapshot with the time the server computed it.

Tables are described by column lists (:data:`DEPARTMENT_COLUMNS`, :data:`EVALUATION_COLUMNS`)
that the screens and the exports share; a figure the server adds is one more line there,
and a figure an older server does not send reads as ``None`` (shown "—").
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import Enum
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select

from app.domain.entities import Staff
from app.domain.enums import StaffRole
from app.intake import hall_timezone
from app.sqltypes import utcnow
from app.store import Store
from app.store import models as m

KEEP_SNAPSHOTS = 100  # the most recently fetched; older questions are asked again
Report = TypeVar("Report")


def may_view(actor: Staff) -> bool:
    """The server answers department leaders (their departments) and admins (all) only."""
    return actor.has_role(StaffRole.SUPERVISOR, StaffRole.ADMIN)


# -- columns ---------------------------------------------------------------------------------


class Kind(Enum):
    """How a figure is shown and exported."""

    TEXT = "text"
    COUNT = "count"
    RATE = "rate"  # a share 0..1, shown as a percentage
    HOURS = "hours"
    STARS = "stars"


@dataclass(frozen=True)
class Column:
    key: str  # the field in the server's answer
    header: str
    kind: Kind


DEPARTMENT_COLUMNS = (
    Column("name", "部门", Kind.TEXT),
    Column("received", "收件数", Kind.COUNT),
    Column("replied", "已回复", Kind.COUNT),
    Column("completion_rate", "办结率", Kind.RATE),
    Column("on_time_rate", "按时率", Kind.RATE),
    Column("avg_reply_working_hours", "平均回复用时（工作小时）", Kind.HOURS),
    Column("overdue_now", "当前超期", Kind.COUNT),
    Column("avg_rating", "平均评价（星）", Kind.STARS),
    Column("rated", "评价数", Kind.COUNT),
    Column("unsatisfied", "差评数", Kind.COUNT),
    Column("rectification_rate", "整改率", Kind.RATE),
    Column("callback_rate", "回访率", Kind.RATE),
)

EVALUATION_COLUMNS = (
    Column("department_name", "部门", Kind.TEXT),
    Column("staff_name", "工作人员", Kind.TEXT),
    Column("received", "收件数", Kind.COUNT),
    Column("replied", "已回复", Kind.COUNT),
    Column("on_time", "按时回复", Kind.COUNT),
    Column("overdue", "超期数", Kind.COUNT),
    Column("on_time_rate", "按时率", Kind.RATE),
)
# 收件数 belongs to a department: a staff member replies, they are not sent requests.
EVALUATION_DEPARTMENT_COLUMNS = tuple(c for c in EVALUATION_COLUMNS if c.key != "staff_name")
EVALUATION_STAFF_COLUMNS = tuple(c for c in EVALUATION_COLUMNS if c.key != "received")
LEADERBOARD_COLUMNS = (
    Column("rank", "名次", Kind.COUNT),
    Column("name", "部门", Kind.TEXT),
    Column("on_time_rate", "按时率", Kind.RATE),
    Column("avg_reply_working_hours", "平均用时", Kind.HOURS),
)


def display(value: Any, kind: Kind) -> str:
    """A figure as a table shows it: "57.1%", "3.94", "—" when there is none."""
    if value is None:
        return "—"
    if kind is Kind.RATE:
        return f"{value * 100:.1f}%"
    if kind in (Kind.HOURS, Kind.STARS):
        return f"{value:.2f}"
    return str(value)


# -- what the server answers -----------------------------------------------------------------


@dataclass(frozen=True)
class DepartmentFigures:
    department: str
    name: str
    figures: Mapping[str, int | float | None]  # by the server's key

    def value(self, key: str) -> str | int | float | None:
        if key in ("department", "name"):
            return getattr(self, key)
        return self.figures.get(key)


@dataclass(frozen=True)
class LeaderboardEntry:
    rank: int
    department: str
    name: str
    on_time_rate: float | None
    avg_reply_working_hours: float | None
    first: bool  # the best of the board
    last: bool  # the one that has to catch up (a board of one has none)

    def value(self, key: str) -> Any:
        return getattr(self, key, None)


@dataclass(frozen=True)
class DayFigures:
    day: date
    received: int
    replied: int
    on_time_rate: float | None


@dataclass(frozen=True)
class StatsReport:
    start: date
    end: date
    as_of: datetime  # in the hall's time zone
    offline: bool  # the server could not be reached: these are the cached figures
    departments: list[DepartmentFigures]
    leaderboard: list[LeaderboardEntry]
    daily: list[DayFigures]


@dataclass(frozen=True)
class EvaluationRow:
    """A department (``staff`` None) or one staff member of it, for a month."""

    department: str
    department_name: str
    staff: str | None
    staff_name: str
    received: int | None  # None on staff rows
    replied: int
    on_time: int
    overdue: int
    on_time_rate: float | None

    def value(self, key: str) -> Any:
        return getattr(self, key, None)


@dataclass(frozen=True)
class EvaluationReport:
    month: str  # "2026-11"
    as_of: datetime  # in the hall's time zone
    offline: bool
    departments: list[EvaluationRow]
    staff: list[EvaluationRow]


class MalformedReport(ValueError):
    """The server's answer does not have the shape of docs/protocol.md §12."""


def parse_stats(snapshot: Snapshot, tz: ZoneInfo) -> StatsReport:
    body = snapshot.body
    try:
        return StatsReport(
            start=date.fromisoformat(body["from"]), end=date.fromisoformat(body["to"]),
            as_of=snapshot.as_of.astimezone(tz), offline=snapshot.offline,
            departments=[DepartmentFigures(
                department=d["department"], name=d.get("name") or d["department"],
                figures={k: v for k, v in d.items() if _is_figure(v)})
                for d in body["departments"]],
            leaderboard=[LeaderboardEntry(
                rank=int(e["rank"]), department=e["department"],
                name=e.get("name") or e["department"], on_time_rate=e.get("on_time_rate"),
                avg_reply_working_hours=e.get("avg_reply_working_hours"),
                first=i == 0, last=0 < i == len(body["leaderboard"]) - 1)
                for i, e in enumerate(body["leaderboard"])],
            daily=[DayFigures(day=date.fromisoformat(d["day"]), received=int(d["received"]),
                              replied=int(d["replied"]), on_time_rate=d.get("on_time_rate"))
                   for d in body["daily"]])
    except (KeyError, TypeError, ValueError) as error:
        raise MalformedReport(f"统计数据格式不正确：{error!r}") from error


def parse_evaluation(snapshot: Snapshot, tz: ZoneInfo) -> EvaluationReport:
    body = snapshot.body

    def row(r: dict[str, Any]) -> EvaluationRow:
        staff = r.get("staff")
        return EvaluationRow(
            department=r["department"], department_name=r.get("department_name") or
            r["department"], staff=staff, staff_name=r.get("staff_name") or staff or "",
            received=None if staff else int(r["received"]), replied=int(r["replied"]),
            on_time=int(r["on_time"]), overdue=int(r["overdue"]),
            on_time_rate=r.get("on_time_rate"))

    try:
        return EvaluationReport(
            month=str(body["month"]), as_of=snapshot.as_of.astimezone(tz),
            offline=snapshot.offline, departments=[row(r) for r in body["departments"]],
            staff=[row(r) for r in body["staff"]])
    except (KeyError, TypeError, ValueError) as error:
        raise MalformedReport(f"考核数据格式不正确：{error!r}") from error


def _is_figure(value: Any) -> bool:
    return value is None or (isinstance(value, int | float) and not isinstance(value, bool))


# -- snapshots and the offline fallback ------------------------------------------------------


@dataclass(frozen=True)
class Snapshot:
    key: str
    body: dict[str, Any]
    as_of: datetime
    fetched_at: datetime
    offline: bool = False


class NothingCached(Exception):
    """The server cannot be reached and this PC has never fetched these figures."""


def save_snapshot(store: Store, snapshot: Snapshot) -> None:
    with store.session() as session:
        session.merge(m.ReportSnapshot(key=snapshot.key, body=snapshot.body,
                                       as_of=snapshot.as_of, fetched_at=snapshot.fetched_at))
        session.flush()
        stale = select(m.ReportSnapshot.key).order_by(
            m.ReportSnapshot.fetched_at.desc()).offset(KEEP_SNAPSHOTS)
        session.execute(delete(m.ReportSnapshot).where(m.ReportSnapshot.key.in_(stale)))


def load_snapshot(store: Store, key: str, similar: str | None = None) -> Snapshot | None:
    """The snapshot of ``key``; without one, the newest whose key is LIKE ``similar``."""
    with store.read() as session:
        row = session.get(m.ReportSnapshot, key)
        if row is None and similar is not None:
            row = session.scalars(select(m.ReportSnapshot)
                                  .where(m.ReportSnapshot.key.like(similar))
                                  .order_by(m.ReportSnapshot.fetched_at.desc()).limit(1)).first()
        if row is None:
            return None
        return Snapshot(key=row.key, body=row.body, as_of=row.as_of, fetched_at=row.fetched_at)


def fetch_or_cached(store: Store, key: str, fetch: Callable[[], dict[str, Any]],
                    parse: Callable[[Snapshot], Report], *,
                    unreachable: tuple[type[BaseException], ...],
                    similar: str | None = None) -> Report:
    """The server's answer to ``fetch()``, parsed and kept as the snapshot of ``key``; when
    ``fetch`` raises one of ``unreachable``, the kept snapshot (see :func:`load_snapshot`)
    marked offline. Any other error (a refusal) goes to the caller."""
    try:
        body = fetch()
    except unreachable as error:
        cached = load_snapshot(store, key, similar)
        if cached is None:
            raise NothingCached(key) from error
        return parse(replace(cached, offline=True))
    try:
        as_of = datetime.fromisoformat(body["as_of"])
    except (KeyError, TypeError, ValueError) as error:
        raise MalformedReport(f"统计时间格式不正确：{error!r}") from error
    snapshot = Snapshot(key=key, body=body, as_of=as_of, fetched_at=utcnow())
    report = parse(snapshot)  # before saving: a malformed answer never replaces a good one
    save_snapshot(store, snapshot)
    return report


def stats(store: Store, fetch: Callable[[], dict[str, Any]], start: date, end: date, *,
          unreachable: tuple[type[BaseException], ...]) -> StatsReport:
    """统计 of ``start``..``end``. Offline without that exact period cached, an earlier
    snapshot from the same first day stands in (yesterday's "this month"); the report says
    which days it covers."""
    tz = hall_timezone(store)
    return fetch_or_cached(store, f"stats:{start}:{end}", fetch,
                           lambda snapshot: parse_stats(snapshot, tz),
                           unreachable=unreachable, similar=f"stats:{start}:%")


def evaluation(store: Store, fetch: Callable[[], dict[str, Any]], month: str, *,
               unreachable: tuple[type[BaseException], ...]) -> EvaluationReport:
    """月度考核 of ``month`` ("2026-11")."""
    tz = hall_timezone(store)
    return fetch_or_cached(store, f"evaluation:{month}", fetch,
                           lambda snapshot: parse_evaluation(snapshot, tz),
                           unreachable=unreachable)


# -- periods ---------------------------------------------------------------------------------


class Preset(Enum):
    TODAY = "today"
    WEEK = "week"
    MONTH = "month"
    CUSTOM = "custom"

    @property
    def label(self) -> str:
        return {"today": "今天", "week": "本周", "month": "本月", "custom": "自定义"}[self.value]


def hall_today(store: Store, now: datetime) -> date:
    """The hall's date at ``now`` (server-corrected time): periods are local days."""
    return now.astimezone(hall_timezone(store)).date()


def preset_period(preset: Preset, today: date) -> tuple[date, date]:
    """First and last local day: today; Monday to today; the 1st to today. A custom period
    starts as this month, for the supervisor to change."""
    if preset is Preset.TODAY:
        return today, today
    if preset is Preset.WEEK:
        return today - timedelta(days=today.weekday()), today
    return today.replace(day=1), today


def recent_months(today: date, count: int = 24) -> list[str]:
    """"2026-11", "2026-10", …: this month and the ``count - 1`` before it."""
    year, month = today.year, today.month
    months = []
    for _ in range(count):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months


# -- charts ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChartPoint:
    label: str
    received: int
    replied: int
    on_time_rate: float | None


MAX_POINTS = 31  # more bars than that do not fit a chart beside the tables


def chart_points(daily: Sequence[DayFigures]) -> list[ChartPoint]:
    """The daily series as a chart shows it: by day up to a month, then by week (from
    Monday) up to half a year, then by month. A bucket's on-time rate weighs each day's
    rate by its replies."""
    if len(daily) <= MAX_POINTS:
        return [ChartPoint(f"{d.day:%m-%d}", d.received, d.replied, d.on_time_rate)
                for d in daily]
    weekly = len(daily) <= MAX_POINTS * 6

    def bucket(day: date) -> str:
        if weekly:
            return f"{day - timedelta(days=day.weekday()):%m-%d}起"
        return f"{day.year % 100:02d}年{day.month}月"

    sums: dict[str, list[int]] = {}
    for d in daily:
        total = sums.setdefault(bucket(d.day), [0, 0, 0])
        total[0] += d.received
        total[1] += d.replied
        total[2] += round((d.on_time_rate or 0.0) * d.replied)
    return [ChartPoint(label, received, replied,
                       round(on_time / replied, 4) if replied else None)
            for label, (received, replied, on_time) in sums.items()]
