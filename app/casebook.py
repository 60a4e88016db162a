"""办件查询: the cases a department registered or works on, for the case list (no Qt)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select

from app.domain.enums import CaseState, RequestState
from app.local import context
from app.sqltypes import utcnow
from app.store import Store
from app.store import models as m
from app.text import Text, clauses
from app.validation import mask_id_number

LIMIT = 500


@dataclass(frozen=True)
class CaseRow:
    case_id: str
    number: str
    citizen: str  # name and masked ID: lists never show a full ID number
    matter: str
    state_label: str
    registered_at: datetime  # in the hall's time zone, as the clerk reads it
    due_at: datetime | None
    requests: str  # e.g. "税务局 已回复；公安局户政 办理中" (a Text)
    first_request_id: str | None


def find_cases(store: Store, department: str, search: str = "") -> list[CaseRow]:
    """The department's cases, newest first, matching number, name, ID last 4 or matter."""
    with store.read() as session:
        # Columns, not ORM rows: a case's JSON document is not needed for its line.
        query = (select(m.Case.id, m.Case.number, m.Case.citizen_name, m.Case.citizen_id_number,
                        m.Case.matter_code, m.Case.state, m.Case.registered_at, m.Case.due_at,
                        m.MatterType.name.label("matter"))
                 .outerjoin(m.MatterType, m.MatterType.code == m.Case.matter_code)
                 # EXISTS per case, not IN (every request's case id): a department may
                 # have received 100,000 requests
                 .where(or_(m.Case.department_code == department,
                            select(m.CollabRequest.id).where(
                                m.CollabRequest.case_id == m.Case.id,
                                m.CollabRequest.to_department == department).exists()))
                 .order_by(m.Case.registered_at.desc()).limit(LIMIT))
        text = search.strip().lower()
        if text:
            like = f"%{text}%"
            query = query.where(or_(m.Case.number.ilike(like), m.Case.citizen_name.like(like),
                                    m.Case.citizen_id_number.ilike(f"%{text}"),
                                    m.MatterType.name.like(like)))
        found = session.execute(query).all()
        names = dict(session.execute(select(m.Department.code, m.Department.name)).all())
        tz = context(session, utcnow(), "").calendar.tz
        by_case: dict[str, list] = {}
        for request in session.execute(
                select(m.CollabRequest.id, m.CollabRequest.case_id, m.CollabRequest.to_department,
                       m.CollabRequest.state)
                .where(m.CollabRequest.case_id.in_([case.id for case in found]))
                .order_by(m.CollabRequest.sent_at)):
            by_case.setdefault(request.case_id, []).append(request)
        return [CaseRow(
            case_id=case.id, number=case.number,
            citizen=f"{case.citizen_name} {mask_id_number(case.citizen_id_number)}",
            matter=case.matter or case.matter_code, state_label=CaseState(case.state).label,
            registered_at=case.registered_at.astimezone(tz),
            due_at=case.due_at.astimezone(tz) if case.due_at else None,
            requests=clauses(Text("{department} {state}",
                                  department=names.get(r.to_department, r.to_department),
                                  state=Text(RequestState(r.state).label))
                             for r in by_case.get(case.id, [])),
            first_request_id=by_case[case.id][0].id if by_case.get(case.id) else None)
            for case in found]
