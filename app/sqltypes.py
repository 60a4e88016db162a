"""SQLAlchemy pieces shared by the client cache and the server database: UTC instants and
one naming convention, so both schemas store time and name constraints the same way."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, event, types
from sqlalchemy.orm import Mapper

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def as_utc(value: datetime | None) -> datetime | None:
    """Normalise an aware datetime to UTC; a naive one is a bug (whose local time would it be?)."""
    if value is None:
        return None
    if not isinstance(value, datetime):
        raise TypeError(f"expected a datetime, got {type(value).__name__}")
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        raise ValueError(f"naive datetime {value!r}: pass an aware datetime (e.g. tzinfo=UTC)")
    return value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(types.TypeDecorator[datetime]):
    """Aware UTC in and out. PostgreSQL stores ``timestamptz``; SQLite stores naive UTC text
    (fixed width, so it sorts)."""

    impl = DateTime
    cache_ok = True

    def load_dialect_impl(self, dialect: Any) -> Any:
        return dialect.type_descriptor(DateTime(timezone=dialect.name == "postgresql"))

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        utc = as_utc(value)
        if utc is None or dialect.name == "postgresql":
            return utc
        return utc.replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)


def check_datetimes_on_assignment(base: type) -> None:
    """Make every UTCDateTime attribute of ``base``'s models refuse naive datetimes at once.

    The type decorator alone would only complain at flush time, wrapped in a StatementError
    far from the bug; this raises a plain ValueError where the value is set.
    """

    @event.listens_for(base, "mapper_configured", propagate=True)
    def _install(mapper: Mapper[Any], cls: type) -> None:
        for prop in mapper.column_attrs:
            if isinstance(prop.columns[0].type, UTCDateTime):
                event.listen(getattr(cls, prop.key), "set", _to_utc, retval=True)


def _to_utc(target: Any, value: Any, oldvalue: Any, initiator: Any) -> datetime | None:
    return as_utc(value)
