"""Typed dependencies: the database, the settings, and the authenticated principal."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import select

from app.domain.entities import Staff
from app.domain.enums import StaffRole
from app.domain.rules import with_descendants
from server.auth.cache import PrincipalCache
from server.auth.service import authenticate, staff_of, token_hash
from server.config import Settings
from server.db import Database
from server.errors import unauthorized
from server.models import Department


# async, as every dependency here: FastAPI runs a plain ``def`` dependency in its threadpool,
# a hop per request that costs more than the dependency itself
async def get_db(request: Request) -> Database:
    return request.app.state.db


async def get_settings(request: Request) -> Settings:
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


async def current_principal(request: Request,
                            credentials: Annotated[HTTPAuthorizationCredentials | None,
                                                   Depends(_bearer)]) -> Principal:
    if credentials is None or not credentials.credentials:
        raise unauthorized()
    state = request.app.state
    cache: PrincipalCache[Principal] = state.principals
    return await cache.principal(token_hash(credentials.credentials), state.settings.clock(),
                                 partial(_read_principal, state.db, state.settings))


def _read_principal(db: Database, settings: Settings, digest: str) -> tuple[Principal, datetime]:
    with db.read() as session:
        user, expires_at = authenticate(session, settings, digest)
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
    return Principal(staff=staff, token_hash=digest, departments=scope), expires_at


CurrentUser = Annotated[Principal, Depends(current_principal)]
