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
  that carry a rating, 2 decimals, and how many those are; ``null`` / 0 when none. A rating
  annulled by an upheld appeal (申诉成立) does not count.
- **unsatisfied** (差评): of those, the ratings of 不满意 or 非常不满意 (2 or 1 star) that
  stand; each opened a rectification (差评整改).
- **rectification_rate** (整改率): of the unsatisfied, the share rectified (a callback found
  the citizen satisfied); **callback_rate** (回访率): the share with at least one callback
  that reached the citizen (any outcome but 未联系上). ``null`` when none is unsatisfied;
  the target of both is 100 %.
- Every department in the caller's scope appears (ordered by ``sort_order``, then code),
  with zeros and nulls when it has no requests.
- **leaderboard**: the departments with at least one reply in the period, ranked by
  on_time_rate descending, then avg_reply_working_hours ascending, then department code
  (on the rounded figures shown); ranks 1..n, no shared ranks.

- **daily** (for the charts): for each local day of the period, ``received`` (requests sent
  that day) and, of the replies made that day (``replied_at``), how many and the share on
  time.

Rates are rounded half-up to 4 decimals, hours and ratings to 2.

**Monthly evaluation** (月度考核, :func:`monthly_evaluation`) covers the requests sent in one
local calendar month, per receiving department and per staff member:

- **overdue**: requests that missed their deadline: owed an answer now (clock running, also
  after a reopening) with ``due_at`` before now, or answered after ``due_at``.
- **replied** / **on_time** / **on_time_rate**: as above, for the month's requests that are
  answered now (a reopened one is owed again, not replied).
- a request counts for the staff member who replied it, or — not replied yet — for the one
  who accepted (签收) it; one nobody has taken up counts for its department only.

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

from sqlalchemy import and_, case, func, or_, select, true
from sqlalchemy.orm import Session

from app.domain.enums import RectificationState
from app.worktime import WorkCalendar
from server.errors import ApiError
from server.models import Department, RequestRow, User

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
    unsatisfied: int = 0
    rectification_rate: float | None = None
    callback_rate: float | None = None


@dataclass(frozen=True)
class LeaderboardEntry:
    rank: int
    department: str
    name: str
    on_time_rate: float | None
    avg_reply_working_hours: float | None


@dataclass(frozen=True)
class DayFigures:
    day: date
    received: int
    replied: int
    on_time_rate: float | None


@dataclass(frozen=True)
class Stats:
    period: Period
    as_of: datetime
    departments: list[DepartmentStats]
    leaderboard: list[LeaderboardEntry]
    daily: list[DayFigures]


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
        return Stats(period=period, as_of=now, departments=[], leaderboard=[],
                     daily=daily_figures(session, calendar, period, codes))
    lo, hi = period.bounds(calendar)
    in_period = (RequestRow.to_department.in_(codes), RequestRow.sent_at >= lo,
                 RequestRow.sent_at < hi)
    replied = RequestRow.replied_at.is_not(None)
    # an annulled rating (申诉成立) counts as no rating
    stars = case((RequestRow.data[("rating", "annulled")].as_boolean() == true(), None),
                 else_=RequestRow.data[("rating", "stars")].as_integer())

    counts = {row.department: row for row in session.execute(
        select(RequestRow.to_department.label("department"),
               func.count().label("received"),
               func.count(RequestRow.replied_at).label("replied"),
               func.coalesce(func.sum(case(
                   (and_(replied, or_(RequestRow.due_at.is_(None),
                                      RequestRow.replied_at <= RequestRow.due_at)), 1),
                   else_=0)), 0).label("on_time"),
               func.count(stars).label("rated"),
               func.count(case((stars <= 2, 1))).label("unsatisfied"),
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

    rectifications = _rectifications(session, in_period)

    rows = []
    for code, name in scope:
        c = counts.get(code)
        if c is None:
            rows.append(DepartmentStats(department=code, name=name,
                                        overdue_now=overdue.get(code, 0)))
            continue
        rectified, called_back = rectifications.get(code, (0, 0))
        rows.append(DepartmentStats(
            department=code, name=name, received=c.received, replied=c.replied,
            completion_rate=_ratio(c.replied, c.received, 4),
            on_time_rate=_ratio(c.on_time, c.replied, 4),
            avg_reply_working_hours=_ratio(_microseconds(working[code]),
                                           c.replied * 3_600_000_000, 2),
            overdue_now=overdue.get(code, 0),
            avg_rating=_ratio(c.stars, c.rated, 2), rated=c.rated, unsatisfied=c.unsatisfied,
            rectification_rate=_ratio(rectified, c.unsatisfied, 4),
            callback_rate=_ratio(called_back, c.unsatisfied, 4)))
    return Stats(period=period, as_of=now, departments=rows, leaderboard=leaderboard(rows),
                 daily=daily_figures(session, calendar, period, codes))


def _rectifications(session: Session, in_period) -> dict[str, tuple[int, int]]:
    """Per department: (rectifications rectified, rectifications called back)."""
    state = RequestRow.data[("rectification", "state")].as_string()
    found: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for department, rect_state, calls in session.execute(
            select(RequestRow.to_department, state,
                   RequestRow.data[("rectification", "callbacks")])
            .where(*in_period, state.is_not(None), state != RectificationState.ANNULLED.value)):
        counts = found[department]
        counts[0] += rect_state == RectificationState.RECTIFIED.value
        counts[1] += any(call["outcome"] != "unreachable" for call in calls or ())
    return {department: (rectified, called) for department, (rectified, called)
            in found.items()}


def daily_figures(session: Session, calendar: WorkCalendar, period: Period,
                  codes: Collection[str]) -> list[DayFigures]:
    """Requests received and replies made on each local day of ``period``."""
    lo, hi = period.bounds(calendar)
    received: dict[date, int] = defaultdict(int)
    for (sent_at,) in session.execute(select(RequestRow.sent_at).where(
            RequestRow.to_department.in_(codes), RequestRow.sent_at >= lo,
            RequestRow.sent_at < hi)):
        received[sent_at.astimezone(calendar.tz).date()] += 1
    replied: dict[date, int] = defaultdict(int)
    on_time: dict[date, int] = defaultdict(int)
    for replied_at, due_at in session.execute(select(RequestRow.replied_at, RequestRow.due_at)
                                              .where(RequestRow.to_department.in_(codes),
                                                     RequestRow.replied_at >= lo,
                                                     RequestRow.replied_at < hi)):
        day = replied_at.astimezone(calendar.tz).date()
        replied[day] += 1
        on_time[day] += due_at is None or replied_at <= due_at
    days = [period.start + timedelta(days=i) for i in range((period.end - period.start).days + 1)]
    return [DayFigures(day=d, received=received[d], replied=replied[d],
                       on_time_rate=_ratio(on_time[d], replied[d], 4)) for d in days]


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


# -- monthly evaluation ------------------------------------------------------------------------


@dataclass(frozen=True)
class EvaluationRow:
    """One department (``staff`` None) or one staff member of it, for a month."""

    department: str
    department_name: str
    staff: str | None
    staff_name: str
    received: int  # departments only; 0 on staff rows
    replied: int
    on_time: int
    overdue: int
    on_time_rate: float | None


@dataclass(frozen=True)
class Evaluation:
    month: date  # its first day
    as_of: datetime
    departments: list[EvaluationRow]
    staff: list[EvaluationRow]


def resolve_month(text: str | None, today: date) -> date:
    """The first day of the asked month ("2026-11"); this month by default."""
    if text is None:
        return today.replace(day=1)
    try:
        return datetime.strptime(text, "%Y-%m").date()
    except ValueError:
        raise invalid_period(f"月份「{text}」的格式不正确，应为 YYYY-MM，例如 2026-11") from None


def month_period(month: date) -> Period:
    first = month.replace(day=1)
    after = (first + timedelta(days=32)).replace(day=1)
    return Period(first, after - timedelta(days=1))


def monthly_evaluation(session: Session, calendar: WorkCalendar, month: date, now: datetime,
                       departments: Collection[str] | None = None) -> Evaluation:
    """Overdue counts and on-time rates of ``month`` by department and by staff member
    (definitions in the module docstring)."""
    query = select(Department.code, Department.name).order_by(Department.sort_order,
                                                              Department.code)
    if departments is not None:
        query = query.where(Department.code.in_(sorted(departments)))
    scope = session.execute(query).all()
    names = dict(scope)
    lo, hi = month_period(month).bounds(calendar)
    tally: dict[tuple[str, str | None], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    rows = session.execute(select(
        RequestRow.to_department, RequestRow.replied_at, RequestRow.due_at,
        RequestRow.clock_started_at, RequestRow.data["replied_by"].as_string(),
        RequestRow.data["accepted_by"].as_string())
        .where(RequestRow.to_department.in_(list(names)), RequestRow.sent_at >= lo,
               RequestRow.sent_at < hi))
    for department, replied_at, due_at, clock, replied_by, accepted_by in rows:
        running = clock is not None  # owed an answer now (also after a reopening)
        replied = replied_at is not None and not running
        on_time = replied and (due_at is None or replied_at <= due_at)
        overdue = (replied and not on_time) or (running and due_at is not None and due_at < now)
        tally[(department, None)][0] += 1
        holder = replied_by if replied else accepted_by
        for key in [(department, None)] + ([(department, holder)] if holder else []):
            counts = tally[key]
            counts[1] += replied
            counts[2] += on_time
            counts[3] += overdue
    people = dict(session.execute(select(User.id, User.name).where(
        User.id.in_(sorted({s for _, s in tally if s})))).all())

    def row(department: str, staff: str | None) -> EvaluationRow:
        received, replied, on_time, overdue = tally[(department, staff)]
        return EvaluationRow(department=department, department_name=names[department],
                             staff=staff, staff_name=people.get(staff, staff or ""),
                             received=received, replied=replied, on_time=on_time,
                             overdue=overdue, on_time_rate=_ratio(on_time, replied, 4))

    by_department = [row(code, None) for code, _ in scope]
    order = {code: i for i, (code, _) in enumerate(scope)}
    by_staff = sorted((row(d, s) for d, s in list(tally) if s),
                      key=lambda r: (order[r.department], -r.overdue, r.staff_name, r.staff))
    return Evaluation(month=month.replace(day=1), as_of=now, departments=by_department,
                      staff=by_staff)
