"""The server's tables. The workflow entities keep their full domain state in ``data``
(app.domain.serialize) plus the columns that queries filter and sort on."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from app.sqltypes import NAMING_CONVENTION, UTCDateTime, check_datetimes_on_assignment

# BIGINT on PostgreSQL; INTEGER on SQLite, where only INTEGER PRIMARY KEY is the rowid.
BigId = BigInteger().with_variant(Integer, "sqlite")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {
        str: String,
        datetime: UTCDateTime,
        dict[str, Any]: JSON,
        list[str]: JSON,
    }


check_datetimes_on_assignment(Base)


class Meta(Base):
    """Key/value facts about this database, e.g. its ``epoch`` (part of every cursor)."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(primary_key=True)
    value: Mapped[str]


# -- people and access ---------------------------------------------------------------------


class User(Base):
    __tablename__ = "users"
    id: Mapped[str] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(unique=True)
    name: Mapped[str]
    department_code: Mapped[str | None]
    window_code: Mapped[str | None]
    roles: Mapped[list[str]]
    password_hash: Mapped[str]
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime]


class AuthToken(Base):
    """A session. Only the SHA-256 of the opaque token is stored."""

    __tablename__ = "auth_tokens"
    token_hash: Mapped[str] = mapped_column(primary_key=True)
    user_id: Mapped[str] = mapped_column(index=True)
    device_id: Mapped[str]
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class LoginFailure(Base):
    """Failed logins, by account and by address; in the database so every process agrees."""

    __tablename__ = "login_failures"
    __table_args__ = (Index("ix_login_failures_key_at", "key", "at"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    key: Mapped[str]
    at: Mapped[datetime]


# -- reference data ------------------------------------------------------------------------


class Department(Base):
    __tablename__ = "departments"
    code: Mapped[str] = mapped_column(primary_key=True)
    name: Mapped[str]
    parent_code: Mapped[str | None]
    sort_order: Mapped[int] = mapped_column(default=0)


class Window(Base):
    __tablename__ = "windows"
    code: Mapped[str] = mapped_column(primary_key=True)
    department_code: Mapped[str]
    name: Mapped[str]


class MatterType(Base):
    __tablename__ = "matter_types"
    code: Mapped[str] = mapped_column(primary_key=True)
    name: Mapped[str]
    department_code: Mapped[str]
    data: Mapped[dict[str, Any]]  # the catalogue entry as imported


class Setting(Base):
    """Hall-wide documents every client needs: ``calendar``, ``sla_policy``."""

    __tablename__ = "settings"
    name: Mapped[str] = mapped_column(primary_key=True)
    data: Mapped[dict[str, Any]]
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime]


# -- workflow ------------------------------------------------------------------------------


class CaseRow(Base):
    __tablename__ = "cases"
    __table_args__ = (Index("ix_cases_department_registered", "department_code", "registered_at"),)
    id: Mapped[str] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(unique=True)
    department_code: Mapped[str]
    state: Mapped[str]
    category: Mapped[str]
    registered_at: Mapped[datetime]
    due_at: Mapped[datetime | None]
    version: Mapped[int]
    data: Mapped[dict[str, Any]]


class RequestRow(Base):
    __tablename__ = "requests"
    __table_args__ = (
        Index("ix_requests_to_state_due", "to_department", "state", "due_at"),
        Index("ix_requests_from_sent", "from_department", "sent_at"),
        Index("ix_requests_open_clock", "clock_started_at"),
    )
    id: Mapped[str] = mapped_column(primary_key=True)
    case_id: Mapped[str] = mapped_column(index=True)
    from_department: Mapped[str]
    to_department: Mapped[str]
    state: Mapped[str]
    sent_at: Mapped[datetime]
    due_at: Mapped[datetime | None]
    clock_started_at: Mapped[datetime | None]  # set while someone owes an answer
    replied_at: Mapped[datetime | None]
    version: Mapped[int]
    data: Mapped[dict[str, Any]]


class Access(Base):
    """Which departments see a case or request (sender, every holder, and their cases)."""

    __tablename__ = "access"
    __table_args__ = (
        PrimaryKeyConstraint("entity", "entity_id", "department_code"),
        Index("ix_access_department_entity", "department_code", "entity"),
    )
    entity: Mapped[str]
    entity_id: Mapped[str]
    department_code: Mapped[str]


class EventRow(Base):
    """Immutable timeline entries. Nothing updates or deletes these rows."""

    __tablename__ = "events"
    __table_args__ = (Index("ix_events_entity_id", "entity_id"),)
    seq: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(unique=True)
    entity: Mapped[str]
    entity_id: Mapped[str]
    case_id: Mapped[str] = mapped_column(index=True)
    kind: Mapped[str]
    at: Mapped[datetime]
    op_id: Mapped[str | None]
    data: Mapped[dict[str, Any]]


class AppliedOp(Base):
    """Every op ever pushed, with its result: the idempotency record."""

    __tablename__ = "ops"
    op_id: Mapped[str] = mapped_column(primary_key=True)
    user_id: Mapped[str]
    device_id: Mapped[str]
    type: Mapped[str]
    entity_id: Mapped[str]
    status: Mapped[str]  # "applied" | "rejected"
    code: Mapped[str | None]
    message: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime]


class Alert(Base):
    """A reminder or escalation already issued: at most one per request, deadline and
    threshold, whichever server process gets there first. A new deadline (forward,
    resubmit, extension, calendar change) gets its own."""

    __tablename__ = "alerts"
    __table_args__ = (PrimaryKeyConstraint("request_id", "due_at", "minutes_left"),)
    request_id: Mapped[str]
    due_at: Mapped[datetime]
    minutes_left: Mapped[int]
    at: Mapped[datetime]


# -- the change log ------------------------------------------------------------------------


class Change(Base):
    """One row per change of a visible entity, in commit order (see server/sync/changes.py)."""

    __tablename__ = "changes"
    __table_args__ = (Index("ix_changes_public_seq", "public", "seq"),)
    seq: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    entity: Mapped[str]
    entity_id: Mapped[str]
    public: Mapped[bool] = mapped_column(Boolean, default=False)


class ChangeAudience(Base):
    __tablename__ = "change_audience"
    __table_args__ = (
        PrimaryKeyConstraint("seq", "department_code"),
        Index("ix_change_audience_department_seq", "department_code", "seq"),
    )
    seq: Mapped[int] = mapped_column(BigId)
    department_code: Mapped[str]


# -- blobs ---------------------------------------------------------------------------------


class Blob(Base):
    __tablename__ = "blobs"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    mime: Mapped[str]
    created_at: Mapped[datetime]


class BlobUpload(Base):
    """Who has uploaded a blob: each of them may use it, before any case refers to it."""

    __tablename__ = "blob_uploads"
    __table_args__ = (PrimaryKeyConstraint("sha256", "user_id"),)
    sha256: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[str]
    at: Mapped[datetime]
    file_name: Mapped[str | None]  # as this user named the file at their last upload of it


class BlobRef(Base):
    """A case or request naming a blob, with the file's name as the op's user gave it."""

    __tablename__ = "blob_refs"
    __table_args__ = (PrimaryKeyConstraint("sha256", "entity", "entity_id"),)
    sha256: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str]
    entity_id: Mapped[str]
    file_name: Mapped[str | None]  # null for references made before names travelled
