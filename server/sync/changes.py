"""The change log: one ordered sequence of "this entity changed", scoped by department.

Positions must become visible in order, or a puller could move its cursor past a change
that commits late with a lower position (the classic sequence race on PostgreSQL). So a
writer takes positions only at the very end of its transaction, under a transaction-scoped
advisory lock held until commit: positions are handed out in commit order. SQLite has a
single writer anyway (BEGIN IMMEDIATE).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import Connection, func, select, text, union
from sqlalchemy.orm import Session

from server.bulk import insert_rows
from server.models import Access, Change, ChangeAudience

CHANNEL = "windowdesk_changes"
SEQUENCE_LOCK = 0x57_44_53_51  # "WDSQ"
PUBLIC = None  # the audience of reference data: everyone
NEXT_POSITIONS = text("SELECT nextval(pg_get_serial_sequence('changes', 'seq')) "
                      "FROM generate_series(1, :n)")


@dataclass
class ChangeLog:
    """Changes made in one transaction, written to the log by :meth:`commit_positions`."""

    entries: dict[tuple[str, str], set[str] | None] = field(default_factory=dict)

    def record(self, entity: str, entity_id: str, audience: Iterable[str] | None) -> None:
        key = (entity, entity_id)
        if audience is PUBLIC:
            self.entries[key] = PUBLIC
        elif key not in self.entries:
            self.entries[key] = set(audience)  # a copy: the caller's set may grow later
        elif self.entries[key] is not PUBLIC:
            self.entries[key].update(audience)

    def departments(self) -> set[str] | None:
        """Who to wake: None means everyone."""
        found: set[str] = set()
        for audience in self.entries.values():
            if audience is PUBLIC:
                return None
            found |= audience
        return found

    def commit_positions(self, session: Session) -> None:
        """Write the entries with their positions; call last, just before commit."""
        if not self.entries:
            return
        postgres = session.bind.dialect.name == "postgresql"
        if postgres:
            session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": SEQUENCE_LOCK})
            # the sequence's next numbers (no one else draws any while the lock is held),
            # ascending in the entries' order
            seqs = sorted(session.scalars(NEXT_POSITIONS, {"n": len(self.entries)}))
        else:  # the single writer numbers its rows itself
            first = head(session) + 1
            seqs = range(first, first + len(self.entries))
        conn = session.connection()
        insert_rows(conn, Change.__table__, [
            {"seq": seq, "entity": entity, "entity_id": entity_id, "public": audience is PUBLIC}
            for seq, ((entity, entity_id), audience) in zip(seqs, self.entries.items(),
                                                            strict=True)])
        insert_rows(conn, ChangeAudience.__table__, [
            {"seq": seq, "department_code": d}
            for seq, audience in zip(seqs, self.entries.values(), strict=True)
            for d in sorted(audience or ())])
        if postgres:
            wake = self.departments()
            payload = "*" if wake is None else ",".join(sorted(wake))
            session.execute(text("SELECT pg_notify(:c, :p)"), {"c": CHANNEL, "p": payload})


def audience_of(session: Session | Connection, entity: str, entity_id: str) -> set[str]:
    return set(session.scalars(select(Access.department_code).where(
        Access.entity == entity, Access.entity_id == entity_id)))


def head(session: Session) -> int:
    return session.scalar(select(func.max(Change.seq))) or 0


def visible_positions(session: Session, after: int, limit: int,
                      departments: frozenset[str] | None) -> list[tuple[int, str, str]]:
    """(seq, entity, entity_id) after ``after`` that these departments may see, in order."""
    if departments is None:
        query = select(Change.seq).where(Change.seq > after)
    else:
        query = union(
            select(ChangeAudience.seq).where(ChangeAudience.department_code.in_(departments),
                                             ChangeAudience.seq > after),
            select(Change.seq).where(Change.public.is_(True), Change.seq > after),
        )
    seqs = query.order_by("seq").limit(limit).subquery()
    rows = session.execute(select(Change.seq, Change.entity, Change.entity_id)
                           .join(seqs, seqs.c.seq == Change.seq).order_by(Change.seq))
    return [(seq, entity, entity_id) for seq, entity, entity_id in rows]
