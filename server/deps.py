"""Typed dependencies: the database, the settings, and the authenticated principal."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import select

from app.domain.entities import Staff
from app.domain.enums import StaffRole
from app.domain.rules import with_descendants
from server.auth.service import authenticate, staff_of
from server.config import Settings
from server.db import Database
from server.errors import unauthorized
from server.models import Department


def get_db(request: Request) -> Database:
    return request.app.state.db


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


DbDep = Annotated[Database, Depends(get_db)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
_bearer = HTTPBearer(auto_error=False, description="会话令牌：POST /api/v1/auth/login 获得")


@dataclass(frozen=True)
class Principal:
    """Who is calling, and which departments' work they may see (None: all of it)."""

    staff: Staff
    token_hash: str
    departments: frozenset[str] | None

    @property
    def is_admin(self) -> bool:
        return StaffRole.ADMIN in self.staff.roles

    def sees(self, departments) -> bool:
        return self.departments is None or not self.departments.isdisjoint(departments)


def current_principal(db: DbDep, settings: SettingsDep,
                      credentials: Annotated[HTTPAuthorizationCredentials | None,
                                             Depends(_bearer)]) -> Principal:
    if credentials is None or not credentials.credentials:
        raise unauthorized()
    with db.read() as session:
        user, digest = authenticate(session, settings, credentials.credentials)
        staff = staff_of(user)
        if staff.has_role(StaffRole.ADMIN):
            scope = None
        elif staff.department is None:
            scope = frozenset()
        elif staff.has_role(StaffRole.SUPERVISOR):
            # a leader also sees the departments under theirs
            rows = session.execute(select(Department.code, Department.parent_code)).all()
            scope = with_descendants(staff.department, rows)
        else:
            scope = frozenset({staff.department})
    return Principal(staff=staff, token_hash=digest, departments=scope)


CurrentUser = Annotated[Principal, Depends(current_principal)]
