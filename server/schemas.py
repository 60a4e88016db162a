"""Shared pieces of the HTTP contract."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


class Timestamped(BaseModel):
    """Every JSON answer says what time the server thinks it is (UTC)."""

    server_time: datetime


class UserOut(BaseModel):
    id: str
    username: str
    name: str
    department: str | None
    roles: list[str]
    window: str | None = None


class Health(Timestamped):
    status: str
    version: str
