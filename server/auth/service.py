"""Passwords (Argon2), opaque session tokens (stored as SHA-256), login throttling."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from app.domain.entities import Staff
from app.domain.enums import StaffRole
from server.config import Settings
from server.errors import ApiError, unauthorized
from server.models import AuthToken, LoginFailure, User

_hasher = PasswordHasher()
# Verified against when the user does not exist, so a wrong username costs the same time
# as a wrong password and the response time does not reveal which accounts exist.
_DUMMY_HASH = _hasher.hash("not-a-password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def _password_matches(stored_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def staff_of(user: User) -> Staff:
    return Staff(id=user.id, username=user.username, name=user.name,
                 department=user.department_code,
                 roles=frozenset(StaffRole(r) for r in user.roles), window=user.window_code)


@dataclass(frozen=True)
class Login:
    token: str
    expires_at: datetime
    user: User


def login(session: Session, settings: Settings, username: str, password: str, device_id: str,
          address: str) -> Login | None:
    """A new session, or None for wrong credentials (the failure is recorded, so the caller
    must let the transaction commit before answering 401)."""
    now = settings.clock()
    keys = (f"user:{username.casefold()}", f"addr:{address}")
    _refuse_if_throttled(session, settings, {keys[0]: settings.login_failures_per_account,
                                             keys[1]: settings.login_failures_per_address}, now)
    user = session.scalar(select(User).where(User.username == username))
    ok = _password_matches(user.password_hash if user else _DUMMY_HASH, password)
    if not (ok and user and user.active):
        session.add_all(LoginFailure(key=k, at=now) for k in keys)
        return None
    session.execute(delete(LoginFailure).where(LoginFailure.key == keys[0]))
    token = secrets.token_urlsafe(32)
    expires = now + settings.token_ttl
    session.add(AuthToken(token_hash=token_hash(token), user_id=user.id, device_id=device_id,
                          created_at=now, expires_at=expires))
    return Login(token=token, expires_at=expires, user=user)


def _refuse_if_throttled(session: Session, settings: Settings, limits: dict[str, int],
                         now: datetime) -> None:
    since = now - settings.login_failure_window
    for key, limit in limits.items():
        count, oldest = session.execute(
            select(func.count(), func.min(LoginFailure.at))
            .where(LoginFailure.key == key, LoginFailure.at > since)).one()
        if count >= limit:
            wait = max(1, int((oldest + settings.login_failure_window - now).total_seconds()) + 1)
            raise ApiError(429, "too_many_attempts",
                           f"登录失败次数过多，请 {max(1, wait // 60)} 分钟后再试",
                           {"Retry-After": str(wait)})


def authenticate(session: Session, settings: Settings, digest: str) -> tuple[User, datetime]:
    """The user behind a token (given by its hash), or 401; and when the token expires."""
    found = session.execute(select(AuthToken.expires_at, AuthToken.revoked_at, User)
                            .join(User, User.id == AuthToken.user_id)
                            .where(AuthToken.token_hash == digest)).first()
    if found is None:
        raise unauthorized()
    expires_at, revoked_at, user = found
    if revoked_at is not None or expires_at <= settings.clock() or not user.active:
        raise unauthorized()
    return user, expires_at


def logout(session: Session, settings: Settings, digest: str) -> None:
    row = session.get(AuthToken, digest)
    if row is not None and row.revoked_at is None:
        row.revoked_at = settings.clock()


def create_user(session: Session, settings: Settings, *, username: str, name: str,
                password: str, department: str | None, roles: list[str],
                window: str | None = None, password_hash: str | None = None,
                user_id: str | None = None) -> User:
    for role in roles:
        StaffRole(role)  # ValueError for an unknown role
    user = User(id=user_id or str(uuid.uuid4()), username=username, name=name,
                department_code=department, window_code=window, roles=sorted(roles),
                password_hash=password_hash or hash_password(password), active=True,
                created_at=settings.clock())
    session.add(user)
    return user
