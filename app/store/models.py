"""The client cache schema (head revision): a mirror of what the server lets this user see,
plus the local-only outbox, conflicts, notification marks and sync state.

There are deliberately no foreign keys between mirrored tables: pulls deliver rows in the
server's change-log order, so a request may arrive before its case or a window before its
department. Integrity is the server's job; the cache only has to hold what it was given.
"""

from __future__ import annotations

import string
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    false,
    text,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from app.sqltypes import (
    NAMING_CONVENTION,
    UTCDateTime,
    check_datetimes_on_assignment,
    utcnow,
)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {
        str: String,
        datetime: UTCDateTime,
        dict[str, Any]: JSON,
        list[str]: JSON,
        list[dict[str, Any]]: JSON,
    }


check_datetimes_on_assignment(Base)


# --- reference data (synced from the server) -------------------------------------------


class Department(Base):
    __tablename__ = "departments"

    code: Mapped[str] = mapped_column(primary_key=True)
    name: Mapped[str]
    parent_code: Mapped[str | None]
    sort_order: Mapped[int] = mapped_column(default=0)


class Window(Base):
    __tablename__ = "windows"

    code: Mapped[str] = mapped_column(primary_key=True)
    department_code: Mapped[str] = mapped_column(index=True)
    name: Mapped[str]


class Staff(Base):
    __tablename__ = "staff"

    id: Mapped[str] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(unique=True)
    name: Mapped[str]
    department_code: Mapped[str | None] = mapped_column(index=True)
    # any of "clerk", "liaison", "supervisor", "admin"
    roles: Mapped[list[str]] = mapped_column(default=list)
    window_code: Mapped[str | None]
    active: Mapped[bool] = mapped_column(default=True, server_default=true())


class MatterType(Base):
    __tablename__ = "matter_types"

    code: Mapped[str] = mapped_column(primary_key=True)
    name: Mapped[str]
    department_code: Mapped[str] = mapped_column(index=True)
    default_category: Mapped[str]
    materials: Mapped[list[dict[str, Any]]] = mapped_column(default=list)
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)


class CalendarData(Base):
    __tablename__ = "calendar"

    name: Mapped[str] = mapped_column(primary_key=True)
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)


class SlaPolicy(Base):
    __tablename__ = "sla_policies"

    code: Mapped[str] = mapped_column(primary_key=True)
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)


# --- workflow entities --------------------------------------------------------------------


class Case(Base):
    __tablename__ = "cases"
    __table_args__ = (
        Index("ix_cases_department_state_registered", "department_code", "state", "registered_at"),
    )

    id: Mapped[str] = mapped_column(primary_key=True)  # UUID text
    # not unique: a case registered offline has no server number yet
    number: Mapped[str] = mapped_column(index=True)
    department_code: Mapped[str]
    matter_code: Mapped[str]
    citizen_name: Mapped[str]
    # indexed for "this citizen's earlier matters" at intake
    citizen_id_number: Mapped[str] = mapped_column(index=True)
    citizen_phone: Mapped[str | None]
    channel: Mapped[str]
    category: Mapped[str]
    state: Mapped[str]
    due_at: Mapped[datetime | None]
    registered_at: Mapped[datetime]
    version: Mapped[int] = mapped_column(default=0)
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # as the server last sent it; None while the case exists only on this PC
    server_data: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class CollabRequest(Base):
    __tablename__ = "requests"
    __table_args__ = (
        # the receiving department's inbox: "my open requests, most urgent first"
        Index("ix_requests_inbox", "to_department", "state", "due_at", "sent_at", "id",
              "search_key"),
        # the sending department's outbox view: "what we sent, newest first"
        Index("ix_requests_sent", "from_department", "state", "due_at", "sent_at", "id",
              "search_key"),
    )

    id: Mapped[str] = mapped_column(primary_key=True)  # UUID text
    case_id: Mapped[str] = mapped_column(index=True)
    from_department: Mapped[str]
    to_department: Mapped[str]
    role: Mapped[str]  # "lead" or "assisting"
    state: Mapped[str]
    subject: Mapped[str]
    sent_at: Mapped[datetime]
    due_at: Mapped[datetime | None]  # null while paused
    updated_at: Mapped[datetime]
    version: Mapped[int] = mapped_column(default=0)
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # as the server last sent it; None while the request exists only on this PC
    server_data: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # Denormalised so the inbox search box is one LIKE on one table; see search_key_for().
    # text("''") rather than "": same DDL, but Alembic's SQLite default comparison
    # mis-reads a plain empty-string default as a difference.
    search_key: Mapped[str] = mapped_column(Text, default="", server_default=text("''"))


_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


def search_key_for(
    case_number: str, citizen_name: str, citizen_id_number: str, matter_name: str | None
) -> str:
    """The text the inbox search box matches against (a request's ``search_key``).

    Migration 0002 computes the same thing in SQL for existing rows, and SQLite's lower()
    only folds ASCII, so this folds ASCII only too: both paths must give identical keys.
    """
    parts = (case_number, citizen_name, citizen_id_number[-4:], matter_name or "")
    return " ".join(parts).translate(_ASCII_LOWER)


class Event(Base):
    """An immutable timeline entry (全程追溯); ``at`` is server time."""

    __tablename__ = "events"
    __table_args__ = (Index("ix_events_entity_at", "entity_id", "at"),)

    id: Mapped[str] = mapped_column(primary_key=True)
    entity: Mapped[str]  # "case" or "request"
    entity_id: Mapped[str]
    kind: Mapped[str]
    actor_id: Mapped[str]
    actor_name: Mapped[str]
    department_code: Mapped[str]
    at: Mapped[datetime]
    device: Mapped[str | None]
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    op_id: Mapped[str | None] = mapped_column(index=True)  # the op that caused it
    # made locally by an unsent op; replaced by the server's event once the op is applied
    pending: Mapped[bool] = mapped_column(default=False, server_default=false())


class Attachment(Base):
    __tablename__ = "attachments"

    sha256: Mapped[str] = mapped_column(primary_key=True)
    file_name: Mapped[str]
    size: Mapped[int]
    mime: Mapped[str]
    local_path: Mapped[str | None]  # null until the blob is downloaded


# --- local-only sync bookkeeping ------------------------------------------------------------


class OutboxOp(Base):
    """A user action waiting to be pushed; written in the same transaction as its local effect."""

    __tablename__ = "outbox"
    # AUTOINCREMENT so a seq is never reused after the newest ops were pushed and deleted:
    # the push order must stay the order in which the clerk acted.
    __table_args__ = {"sqlite_autoincrement": True}

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    op_id: Mapped[str] = mapped_column(unique=True)  # client-made UUID, the idempotency key
    type: Mapped[str]
    entity_id: Mapped[str] = mapped_column(index=True)
    args: Mapped[dict[str, Any]] = mapped_column(default=dict)
    client_time: Mapped[datetime]
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    last_error: Mapped[str | None] = mapped_column(Text)


class Conflict(Base):
    """An op the server rejected, kept so the clerk can read why (in Chinese) and dismiss it."""

    __tablename__ = "conflicts"

    op_id: Mapped[str] = mapped_column(primary_key=True)
    type: Mapped[str]
    entity_id: Mapped[str] = mapped_column(index=True)
    args: Mapped[dict[str, Any]] = mapped_column(default=dict)
    code: Mapped[str]
    message: Mapped[str] = mapped_column(Text)
    server_state: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    dismissed_at: Mapped[datetime | None]


class NotificationMark(Base):
    """One row per notification already shown (e.g. "request:<id>:reminder:3h"), so each
    fires once, also across restarts."""

    __tablename__ = "notification_marks"

    key: Mapped[str] = mapped_column(primary_key=True)
    shown_at: Mapped[datetime]


class SyncState(Base):
    """Cursor, last sync time, clock offset, device id. Never tokens or passwords: those
    live in the OS keyring only."""

    __tablename__ = "sync_state"

    key: Mapped[str] = mapped_column(primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class ReportSnapshot(Base):
    """The server's last answer to one statistics question ("stats:2026-11-01:2026-11-23",
    "evaluation:2026-11"), so a supervisor can still read the figures offline."""

    __tablename__ = "report_snapshots"

    key: Mapped[str] = mapped_column(primary_key=True)
    body: Mapped[dict[str, Any]]
    as_of: Mapped[datetime]  # when the server computed the figures
    fetched_at: Mapped[datetime]
