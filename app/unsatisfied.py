"""办理不满意: requests rated 不满意 or 非常不满意, with their 差评整改, decided from the cache
(no Qt).

:func:`unsatisfied_rows` is the list of that name: the rectifications still owed (open or
under appeal; the closed ones on request) of the requests this user's department — or, for
a department leader, the departments they lead — answered or sent, each with the working
time left until its deadline (server-corrected ``now``, the synced calendar) and whether
this user may 重新办理 it, as the state machine says. :func:`rectification_view` is the
差评整改 section of one request's detail.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app import local
from app.detail import allowed_actions
from app.domain import commands as c
from app.domain.entities import (
    CALLBACK_CLOSES,
    CALLBACK_OUTCOMES,
    RATING_INDICATORS,
    CollabRequest,
    Rating,
    Staff,
)
from app.domain.enums import RectificationState
from app.domain.rules import WORKING_ROLES
from app.domain.serialize import from_data
from app.escalations import is_supervisor, led_departments
from app.inbox import remaining
from app.store import Store
from app.store import models as m
from app.text import Text, listing
from app.validation import mask_id_number, mask_numbers_in
from app.worktime import WorkCalendar

RS = RectificationState
OWED = (RS.OPEN, RS.APPEALED)  # the deadline runs: the department still owes a callback


@dataclass(frozen=True)
class UnsatisfiedRow:
    """One line of 办理不满意. Times are in the hall's time zone; the citizen's ID number is
    masked, and so is any ID number or phone typed into the subject or the reason."""

    request_id: str
    case_number: str  # "" while the case has not reached this PC
    subject: str
    state: RectificationState
    receiving: bool  # the user's department owes the rectification (else it rated)
    holder: str  # the department that owes it
    rater: str  # the department that rated
    matter_name: str
    citizen_masked: str  # "张三 110***********002X"
    stars: int
    indicators: str  # what was unsatisfactory, "服务效率、服务态度" ("" if none ticked)
    reason: str  # the rater's comment
    opened_at: datetime
    due_at: datetime
    closed_at: datetime | None
    remaining: timedelta | None  # working time left (negative: overdue); None once closed
    may_reopen: bool  # this user may 重新办理 the request now

    @property
    def other_department(self) -> str:
        return self.rater if self.receiving else self.holder

    @property
    def rating_label(self) -> Text:
        return Text(Rating.LABELS[self.stars])

    @property
    def overdue(self) -> bool:
        return self.remaining is not None and self.remaining <= timedelta(0)


def may_view(actor: Staff) -> bool:
    """Every working user of a department has the list (a clerk, a liaison, a leader)."""
    return bool(actor.department) and actor.has_role(*WORKING_ROLES)


def unsatisfied_rows(store: Store, actor: Staff, now: datetime, *,
                     include_closed: bool = False) -> list[UnsatisfiedRow]:
    """The rectifications ``actor`` may see, overdue first, then by working time left; with
    ``include_closed`` the rectified and annulled ones follow, most recently closed first."""
    if not may_view(actor):
        return []
    r = m.CollabRequest
    states = [s.value for s in (RS if include_closed else OWED)]
    with store.read() as session:
        departments = _departments(session, actor)
        found = session.execute(
            select(r.data, m.Case.number, m.Case.citizen_name, m.Case.citizen_id_number,
                   m.MatterType.name)
            .outerjoin(m.Case, m.Case.id == r.case_id)
            .outerjoin(m.MatterType, m.MatterType.code == m.Case.matter_code)
            .where(or_(r.to_department.in_(departments), r.from_department.in_(departments)),
                   r.data[("rectification", "state")].as_string().in_(states))).all()
        ctx = local.context(session, now, "")
    tz, names = ctx.calendar.tz, ctx.departments
    rows = []
    for data, number, citizen, id_number, matter in found:
        request = from_data(CollabRequest, data)
        rect, rating = request.rectification, request.rating
        if rect is None or rating is None:
            continue
        rows.append(UnsatisfiedRow(
            request_id=request.id,
            case_number=number or "",
            subject=mask_numbers_in(request.subject),
            state=rect.state,
            receiving=request.to_department in departments,
            holder=names.get(request.to_department, request.to_department),
            rater=names.get(request.from_department, request.from_department),
            matter_name=matter or "",
            citizen_masked=" ".join(p for p in (citizen, mask_id_number(id_number)) if p),
            stars=rating.stars,
            indicators=indicator_names(rating.indicators),
            reason=mask_numbers_in(rating.comment),
            opened_at=rect.opened_at.astimezone(tz),
            due_at=rect.due_at.astimezone(tz),
            closed_at=rect.closed_at.astimezone(tz) if rect.closed_at else None,
            remaining=(None if rect.state.is_closed
                       else remaining(ctx.calendar, now, rect.due_at)),
            # the state machine decides, as it does for the detail's buttons
            may_reopen=c.Reopen in allowed_actions(request, None, actor, ctx),
        ))
    owed = sorted((row for row in rows if row.remaining is not None),
                  key=lambda row: (row.remaining, row.request_id))
    closed = sorted((row for row in rows if row.remaining is None),
                    key=lambda row: (row.closed_at or row.opened_at, row.request_id),
                    reverse=True)
    return owed + closed


def indicator_names(codes) -> str:
    """The ticked 好差评 indicators in words, "服务效率、服务态度"."""
    return listing(Text(RATING_INDICATORS[code]) for code in codes if code in RATING_INDICATORS)


# -- the detail's section --------------------------------------------------------------------


@dataclass(frozen=True)
class CallRow:
    """One 回访 as the detail lists it."""

    called_at: datetime
    called_by: str
    outcome: Text
    closes: bool
    note: str
    recorded_by: str


@dataclass(frozen=True)
class RectificationView:
    """The 差评整改 of one request in words: what was rated, by when it must be put right,
    the callbacks, the appeal and its decision. Times are in the hall's time zone."""

    state: RectificationState
    holder: str
    stars: int
    indicators: str
    reason: str
    opened_at: datetime
    due_at: datetime
    closed_at: datetime | None
    remaining: timedelta | None  # at the time asked; None once closed
    measures: str
    calls: tuple[CallRow, ...]
    appeal_reason: str
    appealed_by: str
    appealed_at: datetime | None
    verdict: Text | None  # the supervisor's decision; None until there is one
    decision_note: str
    decided_by: str
    calendar: WorkCalendar

    @property
    def rating_label(self) -> Text:
        return Text(Rating.LABELS[self.stars])

    def remaining_at(self, now: datetime) -> timedelta | None:
        """The countdown at ``now`` (server-corrected), for a ticking display."""
        if self.state.is_closed:
            return None
        return remaining(self.calendar, now, self.due_at)


def rectification_view(store: Store, request: CollabRequest,
                       now: datetime) -> RectificationView | None:
    rect, rating = request.rectification, request.rating
    if rect is None or rating is None:
        return None
    with store.read() as session:
        ctx = local.context(session, now, "")
        ids = {rect.appealed_by, rect.decided_by, *(call.recorded_by for call in rect.callbacks)}
        people = dict(session.execute(select(m.Staff.id, m.Staff.name)
                                      .where(m.Staff.id.in_([i for i in ids if i]))).all())
    tz = ctx.calendar.tz
    verdict = None
    if rect.decided_by:  # upheld annuls the rating; dismissed, the rectification goes on
        verdict = (Text("申诉成立，差评撤销") if rect.state is RS.ANNULLED
                   else Text("驳回申诉，继续整改"))
    return RectificationView(
        state=rect.state,
        holder=ctx.department_name(request.to_department),
        stars=rating.stars,
        indicators=indicator_names(rating.indicators),
        reason=rating.comment,
        opened_at=rect.opened_at.astimezone(tz),
        due_at=rect.due_at.astimezone(tz),
        closed_at=rect.closed_at.astimezone(tz) if rect.closed_at else None,
        remaining=None if rect.state.is_closed else remaining(ctx.calendar, now, rect.due_at),
        measures=rect.measures,
        calls=tuple(CallRow(
            called_at=call.called_at.astimezone(tz), called_by=call.called_by,
            outcome=Text(CALLBACK_OUTCOMES.get(call.outcome, call.outcome)),
            closes=call.outcome in CALLBACK_CLOSES, note=call.note,
            recorded_by=people.get(call.recorded_by, "")) for call in rect.callbacks),
        appeal_reason=rect.appeal_reason,
        appealed_by=people.get(rect.appealed_by or "", ""),
        appealed_at=rect.appealed_at.astimezone(tz) if rect.appealed_at else None,
        verdict=verdict,
        decision_note=rect.decision_note,
        decided_by=people.get(rect.decided_by or "", ""),
        calendar=ctx.calendar,
    )


def _departments(session: Session, actor: Staff) -> set[str]:
    """A leader sees the departments they lead (as the server scopes them); anyone else
    their own."""
    if is_supervisor(actor):
        return led_departments(session, actor.department or "")
    return {actor.department or ""}


__all__ = ["OWED", "CallRow", "RectificationView", "UnsatisfiedRow", "indicator_names",
           "may_view", "rectification_view", "unsatisfied_rows"]
