"""Appending to the immutable timeline. Nothing updates or deletes event rows."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from app.domain.entities import Event
from app.domain.serialize import to_data
from server.models import EventRow
from server.sync.changes import ChangeLog, audience_of


def event_row(event: Event, case_id: str, op_id: str | None) -> dict[str, Any]:
    """The ``events`` row of a new event, under a fresh id."""
    return {"id": str(uuid.uuid4()), "entity": event.entity, "entity_id": event.entity_id,
            "case_id": case_id, "kind": event.kind, "at": event.at, "op_id": op_id,
            "data": to_data(event)}


def append_events(session: Session, log: ChangeLog, events: Iterable[Event], case_id: str,
                  op_id: str | None = None) -> None:
    rows = [event_row(event, case_id, op_id) for event in events]
    if not rows:
        return
    session.execute(insert(EventRow.__table__), rows)
    for row in rows:
        log.record("event", row["id"], audience_of(session, row["entity"], row["entity_id"]))
