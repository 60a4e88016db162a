"""Appending to the immutable timeline. Nothing updates or deletes event rows."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy.orm import Session

from app.domain.entities import Event
from app.domain.serialize import to_data
from server.models import EventRow
from server.sync.changes import ChangeLog, audience_of


def append_events(session: Session, log: ChangeLog, events: Iterable[Event], case_id: str,
                  op_id: str | None = None) -> None:
    for event in events:
        row = EventRow(id=str(uuid.uuid4()), entity=event.entity, entity_id=event.entity_id,
                       case_id=case_id, kind=event.kind, at=event.at, op_id=op_id,
                       data=to_data(event))
        session.add(row)
        log.record("event", row.id, audience_of(session, event.entity, event.entity_id))
    session.flush()
