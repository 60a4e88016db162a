"""Department statistics (部门统计) and the leaderboard (排行榜) for supervisors.

Definitions — one row per department, for a period of local days ``from``..``to``
(inclusive, in the hall's time zone ``calendar.tz``):

- **per department** means the department that *received* the request: ``to_department``.
  A forwarded request (转办) counts for the department holding it now, not for the ones it
  passed through.
- **received**: requests whose ``sent_at`` falls in the period (every state, withdrawn
  ones included).
- **replied**: of those, the ones that have been answered: ``replied_at`` is set. A request
  that was replied and then confirmed, or reopened, or replied again after a reopening,
  counts once (``replied_at`` holds its latest reply).
- **completion_rate** (办结率) = replied / received; ``null`` when received = 0.
- **on_time_rate** (按时率): of the replied ones, the share with ``replied_at <= due_at``
  (the deadline stays on the request after the reply; a reply with no deadline counts as on
  time, as in the reply's own ``on_time``); ``null`` when none was replied.
- **avg_reply_working_hours**: the mean working time from ``sent_at`` to ``replied_at``
  (``calendar.working_time_between``: only working hours of workdays count), in hours,
  2 decimals; ``null`` when none was replied.
- **overdue_now**: the department's requests whose clock runs (``clock_started_at`` set)
  and whose ``due_at`` is before now (``as_of``), whenever they were sent: not limited to
  the period.
- **avg_rating** / **rated** (好差评): the mean of the stars of the requests of the period
  that carry a rating, 2 decimals, and how many those are; ``null`` / 0 when none.
- Every department in the caller's scope appears (ordered by ``sort_order``, then code),
  with zeros and nulls when it has no requests.
- **leaderboard**: the departments with at least one reply in the period, ranked by
  on_time_rate descending, then avg_reply_working_hours ascending, then department code
  (on the rounded figures shown); ranks 1..n, no shared ranks.

Rates are rounded half-up to 4 decimals, hours and ratings to 2.

The figures come from four narrow queries in one snapshot — the departments, per-department
counts of the period, the (sent_at, replied_at) pairs of the period's replies, and the
overdue counts — and the working time is summed in Python, since it needs the calendar.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session

from app.worktime import WorkCalendar
from server.errors import ApiError
from server.models import Department, RequestRow

MAX_PERIOD_DAYS = 366


@dataclass(frozen=True)
class Period:
    start: date  # first local day, inclusive
    end: date  # last local day, inclusive

    def bounds(self, calendar: WorkCalendar) -> tuple[datetime, datetime]:
        """[start, end) in UTC: local midnight of ``start`` to local midnight after ``end``."""
        lo = datetime.combine(self.start, time(), tzinfo=calendar.tz)
        hi = datetime.combine(self.end + timedelta(days=1), time(), tzinfo=calendar.tz)
        return lo.astimezone(UTC), hi.astimezone(UTC)


def invalid_period(message: str) -> ApiError:
    return ApiError(422, "invalid_period", message)


def resolve_period(start: date | None, end: date | None, today: date) -> Period:
    """The asked period; by default the current month up to today. A missing ``to`` is
    today, a missing ``from`` is the first day of ``to``'s month."""
    end = end or today
    start = start or end.replace(day=1)
    if start > end:
        raise invalid_period(f"统计起始日期（{start}）不能晚于结束日期（{end}）")
    if (end - start).days + 1 > MAX_PERIOD_DAYS:
        raise invalid_period(f"统计区间最长 {MAX_PERIOD_DAYS} 天，请缩短起止日期")
    return Period(start, end)


@dataclass(frozen=True)
class DepartmentStats:
    department: str
    name: str
    received: int = 0
    replied: int = 0
    completion_rate: float | None = None
    on_time_rate: float | None = None
    avg_reply_working_hours: float | None = None
    overdue_now: int = 0
    avg_rating: float | None = None
    rated: int = 0


@dataclass(frozen=True)
class LeaderboardEntry:
    rank: int
    department: str
    name: str
    on_time_rate: float | None
    avg_reply_working_hours: float | None


@dataclass(frozen=True)
class Stats:
    period: Period
    as_of: datetime
    departments: list[DepartmentStats]
    leaderboard: list[LeaderboardEntry]


def department_stats(session: Session, calendar: WorkCalendar, period: Period,
                     now: datetime, departments: Collection[str] | None = None) -> Stats:
    """Statistics of ``departments`` (None: every department) for ``period``, as of ``now``.

    See the module docstring for the definitions."""
    query = select(Department.code, Department.name).order_by(Department.sort_order,
                                                              Department.code)
    if departments is not None:
        query = query.where(Department.code.in_(sorted(departments)))
    scope = session.execute(query).all()
    codes = [code for code, _ in scope]
    if not codes:
        return Stats(period=period, as_of=now, departments=[], leaderboard=[])
    lo, hi = period.bounds(calendar)
    in_period = (RequestRow.to_department.in_(codes), RequestRow.sent_at >= lo,
                 RequestRow.sent_at < hi)
    replied = RequestRow.replied_at.is_not(None)
    stars = RequestRow.data[("rating", "stars")].as_integer()

    counts = {row.department: row for row in session.execute(
        select(RequestRow.to_department.label("department"),
               func.count().label("received"),
               func.count(RequestRow.replied_at).label("replied"),
               func.coalesce(func.sum(case(
                   (and_(replied, or_(RequestRow.due_at.is_(None),
                                      RequestRow.replied_at <= RequestRow.due_at)), 1),
                   else_=0)), 0).label("on_time"),
               func.count(stars).label("rated"),
               func.coalesce(func.sum(stars), 0).label("stars"))
        .where(*in_period).group_by(RequestRow.to_department))}

    working: dict[str, timedelta] = defaultdict(timedelta)
    for department, sent_at, replied_at in session.execute(
            select(RequestRow.to_department, RequestRow.sent_at, RequestRow.replied_at)
            .where(*in_period, replied)):
        working[department] += calendar.working_time_between(sent_at, replied_at)

    overdue = dict(session.execute(
        select(RequestRow.to_department, func.count())
        .where(RequestRow.to_department.in_(codes), RequestRow.clock_started_at.is_not(None),
               RequestRow.due_at < now)
        .group_by(RequestRow.to_department)).all())

    rows = []
    for code, name in scope:
        c = counts.get(code)
        if c is None:
            rows.append(DepartmentStats(department=code, name=name,
                                        overdue_now=overdue.get(code, 0)))
            continue
        rows.append(DepartmentStats(
            department=code, name=name, received=c.received, replied=c.replied,
            completion_rate=_ratio(c.replied, c.received, 4),
            on_time_rate=_ratio(c.on_time, c.replied, 4),
            avg_reply_working_hours=_ratio(_microseconds(working[code]),
                                           c.replied * 3_600_000_000, 2),
            overdue_now=overdue.get(code, 0),
            avg_rating=_ratio(c.stars, c.rated, 2), rated=c.rated))
    return Stats(period=period, as_of=now, departments=rows, leaderboard=leaderboard(rows))


def leaderboard(rows: list[DepartmentStats]) -> list[LeaderboardEntry]:
    ranked = sorted((r for r in rows if r.replied > 0),
                    key=lambda r: (-(r.on_time_rate or 0.0), r.avg_reply_working_hours or 0.0,
                                   r.department))
    return [LeaderboardEntry(rank=i, department=r.department, name=r.name,
                             on_time_rate=r.on_time_rate,
                             avg_reply_working_hours=r.avg_reply_working_hours)
            for i, r in enumerate(ranked, 1)]


def _microseconds(amount: timedelta) -> int:
    return (amount.days * 86_400 + amount.seconds) * 1_000_000 + amount.microseconds


def _ratio(numerator: int, denominator: int, places: int) -> float | None:
    """numerator / denominator rounded half-up to ``places`` decimals; None for 0 / 0."""
    if not denominator:
        return None
    exact = Decimal(int(numerator)) / Decimal(int(denominator))
    return float(exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))
