"""GET /api/v1/stats: department statistics and the leaderboard, for supervisors and admins.
The definitions of every figure are in :mod:`server.stats.service`."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from app.domain.enums import StaffRole
from server.deps import CurrentUser, DbDep, Principal, SettingsDep
from server.errors import ApiError
from server.schemas import Timestamped
from server.stats import service

router = APIRouter(prefix="/api/v1/stats", tags=["stats"])


class DepartmentStatsOut(BaseModel):
    department: str = Field(description="部门编码（收到请求的部门）")
    name: str
    received: int = Field(description="区间内收到的协同请求数（按发起时间）")
    replied: int = Field(description="其中已回复的数量")
    completion_rate: float | None = Field(description="办结率 = 已回复 / 收到；无请求时为 null")
    on_time_rate: float | None = Field(description="按时率：已回复中在期限内回复的比例")
    avg_reply_working_hours: float | None = Field(description="平均回复用时（工作小时）")
    overdue_now: int = Field(description="当前已超期且仍在计时的请求数（不限区间）")
    avg_rating: float | None = Field(description="平均评价星级")
    rated: int = Field(description="有评价的请求数（申诉成立的评价不计）")
    unsatisfied: int = Field(description="差评数（不满意、非常不满意），每条开启一项差评整改")
    rectification_rate: float | None = Field(description="整改率：差评中已整改的比例")
    callback_rate: float | None = Field(description="回访率：差评中已回访到申请人的比例")


class LeaderboardOut(BaseModel):
    rank: int
    department: str
    name: str
    on_time_rate: float | None
    avg_reply_working_hours: float | None


class DayOut(BaseModel):
    day: date = Field(description="日期（大厅所在时区）")
    received: int = Field(description="当天收到的请求数")
    replied: int = Field(description="当天作出的回复数")
    on_time_rate: float | None = Field(description="当天回复中按时的比例；无回复时为 null")


class StatsOut(Timestamped):
    model_config = ConfigDict(populate_by_name=True)

    from_: date = Field(alias="from", description="统计起始日（含），大厅所在时区")
    to: date = Field(description="统计结束日（含）")
    as_of: datetime = Field(description="统计时刻（服务器时间）；overdue_now 以此为准")
    departments: list[DepartmentStatsOut]
    leaderboard: list[LeaderboardOut]
    daily: list[DayOut] = Field(description="区间内每天的收件量和按时率（图表用）")


class EvaluationRowOut(BaseModel):
    department: str
    department_name: str
    staff: str | None = Field(description="工作人员 id；部门合计行为 null")
    staff_name: str
    received: int = Field(description="当月收到的请求数（仅部门行）")
    replied: int = Field(description="已回复")
    on_time: int = Field(description="按时回复")
    overdue: int = Field(description="超期：逾期回复，或仍在计时且已过期限")
    on_time_rate: float | None


class EvaluationOut(Timestamped):
    month: str = Field(description="考核月份 YYYY-MM")
    as_of: datetime
    departments: list[EvaluationRowOut]
    staff: list[EvaluationRowOut]


def _scope(principal: Principal, department: str | None) -> frozenset[str] | None:
    """The departments the caller asks about and may see (None: all)."""
    if not (principal.is_admin or principal.staff.has_role(StaffRole.SUPERVISOR)):
        raise ApiError(403, "forbidden", "只有部门领导和系统管理员可以查看统计")
    if department is None:
        return principal.departments
    if principal.departments is not None and department not in principal.departments:
        raise ApiError(403, "forbidden", "无权查看该部门的统计")
    return frozenset({department})


@router.get("", response_model=StatsOut,
            responses={403: {"description": "forbidden：只有部门领导（本部门及下属部门）和管理员"},
                       404: {"description": "not_found：没有这个部门"},
                       422: {"description": "invalid_period：起止日期颠倒或超过 366 天"}},
            summary="部门统计与排行榜")
def stats(request: Request, principal: CurrentUser, db: DbDep, settings: SettingsDep,
          from_: Annotated[date | None, Query(alias="from",
                                              description="起始日 YYYY-MM-DD，默认本月1日")] = None,
          to: Annotated[date | None, Query(description="结束日 YYYY-MM-DD（含），默认今天")] = None,
          department: Annotated[str | None, Query(description="只看这个部门")] = None,
          ) -> StatsOut:
    """Per-department volume, completion rate (办结率), on-time rate, average reply time in
    working hours, overdue count and rating, plus a leaderboard. Definitions: see
    :mod:`server.stats.service`."""
    scope = _scope(principal, department)
    now = settings.clock()
    with db.read() as session:
        calendar = request.app.state.rules.get(session).calendar
        period = service.resolve_period(from_, to, now.astimezone(calendar.tz).date())
        result = service.department_stats(session, calendar, period, now, scope)
    if department is not None and not result.departments:
        raise ApiError(404, "not_found", f"没有编码为 {department} 的部门")
    return StatsOut(
        server_time=now, from_=period.start, to=period.end, as_of=result.as_of,
        departments=[DepartmentStatsOut(**vars(d)) for d in result.departments],
        leaderboard=[LeaderboardOut(**vars(e)) for e in result.leaderboard],
        daily=[DayOut(**vars(d)) for d in result.daily])


@router.get("/evaluation", response_model=EvaluationOut,
            responses={403: {"description": "forbidden：只有部门领导（本部门及下属部门）和管理员"},
                       422: {"description": "invalid_period：月份格式应为 YYYY-MM"}},
            summary="月度考核：各部门和工作人员的超期数与按时率")
def evaluation(request: Request, principal: CurrentUser, db: DbDep, settings: SettingsDep,
               month: Annotated[str | None, Query(description="月份 YYYY-MM，默认本月")] = None,
               department: Annotated[str | None, Query(description="只看这个部门")] = None,
               ) -> EvaluationOut:
    """Overdue count and on-time rate for one month, per department and per staff member.
    Definitions: see :mod:`server.stats.service`."""
    scope = _scope(principal, department)
    now = settings.clock()
    with db.read() as session:
        calendar = request.app.state.rules.get(session).calendar
        first = service.resolve_month(month, now.astimezone(calendar.tz).date())
        result = service.monthly_evaluation(session, calendar, first, now, scope)
    return EvaluationOut(
        server_time=now, month=f"{first:%Y-%m}", as_of=result.as_of,
        departments=[EvaluationRowOut(**vars(r)) for r in result.departments],
        staff=[EvaluationRowOut(**vars(r)) for r in result.staff])
