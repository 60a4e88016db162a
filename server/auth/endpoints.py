from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from server.auth import service
from server.deps import CurrentUser, DbDep, SettingsDep
from server.errors import ApiError
from server.schemas import Timestamped, UserOut

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])


class LoginIn(BaseModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)
    device_id: str = Field(min_length=1, max_length=128)


class LoginOut(Timestamped):
    token: str
    expires_at: datetime
    user: UserOut


class MeOut(Timestamped):
    user: UserOut
    departments: list[str] | None  # the departments whose work this user sees; null: all


class LoggedOut(Timestamped):
    ok: bool


def user_out(staff) -> UserOut:
    return UserOut(id=staff.id, username=staff.username, name=staff.name,
                   department=staff.department, roles=sorted(r.value for r in staff.roles),
                   window=staff.window)


@router.post("/login", response_model=LoginOut,
             responses={401: {"description": "用户名或密码错误"},
                        429: {"description": "失败次数过多，见 Retry-After"}})
def login(body: LoginIn, request: Request, db: DbDep, settings: SettingsDep) -> LoginOut:
    address = request.client.host if request.client else "unknown"
    with db.write() as session:
        result = service.login(session, settings, body.username, body.password, body.device_id,
                               address)
        user = service.staff_of(result.user) if result else None
    if result is None:
        raise ApiError(401, "invalid_credentials", "用户名或密码错误")
    return LoginOut(token=result.token, expires_at=result.expires_at, user=user_out(user),
                    server_time=settings.clock())


@router.post("/logout", response_model=LoggedOut)
def logout(principal: CurrentUser, request: Request, db: DbDep,
           settings: SettingsDep) -> LoggedOut:
    with db.write() as session:
        service.logout(session, settings, principal.token_hash)
    request.app.state.principals.evict(principal.token_hash)  # this process: at once
    return LoggedOut(ok=True, server_time=settings.clock())


@router.get("/me", response_model=MeOut)
def me(principal: CurrentUser, settings: SettingsDep) -> MeOut:
    departments = None if principal.departments is None else sorted(principal.departments)
    return MeOut(user=user_out(principal.staff), departments=departments,
                 server_time=settings.clock())
