"""Cursor pull: the changes after a cursor that this user may see, with each entity's
full current state."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from server.models import (
    Access,
    Blob,
    BlobRef,
    BlobUpload,
    CaseRow,
    Department,
    EventRow,
    MatterType,
    RequestRow,
    Setting,
    User,
    Window,
)
from server.sync.changes import head, visible_positions

DEFAULT_LIMIT = 100
# A catch-up stores a page per transaction; fewer, bigger commits cost the PC far less
# (an initial sync of 10,000 requests: 28 pages of 1,000 → 6 of 5,000).
MAX_LIMIT = 5000


class CursorReset(Exception):
    """The cursor belongs to another database or lies beyond this one's log."""


@dataclass(frozen=True)
class Page:
    cursor: str
    has_more: bool
    changes: list[dict[str, Any]]


def parse_cursor(cursor: str | None, epoch: str) -> int:
    if not cursor:
        return 0
    cursor_epoch, _, position = cursor.partition(":")
    if cursor_epoch != epoch or not position.isdigit():
        raise CursorReset
    return int(position)


def clamp_limit(limit: int | None) -> int:
    return DEFAULT_LIMIT if not limit or limit < 1 else min(limit, MAX_LIMIT)


def pull_page(session: Session, epoch: str, scope: frozenset[str] | None,
              cursor: str | None, limit: int) -> Page:
    """``scope``: the departments whose changes the user sees (``Principal.departments``);
    it is all that decides what a page holds."""
    after = parse_cursor(cursor, epoch)
    last = head(session)
    if after > last:
        raise CursorReset
    positions = visible_positions(session, after, limit + 1, scope)
    has_more = len(positions) > limit
    positions = positions[:limit]
    # Past the last visible change the cursor jumps to the head: everything up to it was
    # scanned, including changes this user may not see.
    new_after = positions[-1][0] if has_more else last
    return Page(cursor=f"{epoch}:{new_after}", has_more=has_more,
                changes=_materialise(session, positions, scope))


def _materialise(session: Session, positions: list[tuple[int, str, str]],
                 scope: frozenset[str] | None) -> list[dict]:
    """Each entity once (at its latest position), with its current state."""
    latest: dict[tuple[str, str], int] = {}
    for seq, entity, entity_id in positions:
        latest[(entity, entity_id)] = seq
    by_entity: dict[str, list[str]] = defaultdict(list)
    for entity, entity_id in latest:
        by_entity[entity].append(entity_id)
    states: dict[tuple[str, str], tuple[int, dict]] = {}
    loaders = {**_LOADERS, "attachment": _attachments(scope)}
    for entity, ids in by_entity.items():
        for entity_id, version, data in loaders[entity](session, ids):
            states[(entity, entity_id)] = (version, data)
    changes = []
    for (entity, entity_id), _seq in sorted(latest.items(), key=lambda kv: kv[1]):
        if (entity, entity_id) in states:
            version, data = states[(entity, entity_id)]
            changes.append({"entity": entity, "id": entity_id, "version": version, "data": data})
    return changes


# Columns, not ORM objects: a page loads hundreds of rows only to serialise them.

def _cases(session, ids):
    return session.execute(select(CaseRow.id, CaseRow.version, CaseRow.data)
                           .where(CaseRow.id.in_(ids)))


def _requests(session, ids):
    return session.execute(select(RequestRow.id, RequestRow.version, RequestRow.data)
                           .where(RequestRow.id.in_(ids)))


def _events(session, ids):
    for event_id, op_id, data in session.execute(
            select(EventRow.id, EventRow.op_id, EventRow.data).where(EventRow.id.in_(ids))):
        yield event_id, 1, {"id": event_id, "op_id": op_id, **data}


def _departments(session, ids):
    for code, name, parent, sort_order in session.execute(
            select(Department.code, Department.name, Department.parent_code,
                   Department.sort_order).where(Department.code.in_(ids))):
        yield code, 1, {"code": code, "name": name, "parent": parent, "sort_order": sort_order}


def _windows(session, ids):
    for code, department, name in session.execute(
            select(Window.code, Window.department_code, Window.name)
            .where(Window.code.in_(ids))):
        yield code, 1, {"code": code, "department": department, "name": name}


def _matter_types(session, ids):
    for code, data in session.execute(
            select(MatterType.code, MatterType.data).where(MatterType.code.in_(ids))):
        yield code, 1, data


def _setting(name: str):
    """Hall-wide documents travel as entity ``name`` with the single id ``default``."""

    def load(session, ids):
        row = session.get(Setting, name)
        if row is not None and "default" in ids:
            yield "default", row.version, row.data

    return load


def _users(session, ids):
    for user_id, username, name, department, roles, window, active in session.execute(
            select(User.id, User.username, User.name, User.department_code, User.roles,
                   User.window_code, User.active).where(User.id.in_(ids))):
        yield user_id, 1, {"id": user_id, "username": username, "name": name,
                           "department": department, "roles": roles, "window": window,
                           "active": active}


def _attachments(scope: frozenset[str] | None):
    """A blob's name as the user who referenced it gave it, from a reference this user
    sees (another department's name for the same file stays with them); else an
    uploader's name; else one made from the hash. Among several, the first in sort order."""

    def load(session, ids):
        refs = select(BlobRef.sha256, func.min(BlobRef.file_name)).where(
            BlobRef.sha256.in_(ids)).group_by(BlobRef.sha256)
        if scope is not None:
            refs = refs.where(exists().where(
                Access.entity == BlobRef.entity, Access.entity_id == BlobRef.entity_id,
                Access.department_code.in_(scope)))
        referenced = dict(session.execute(refs).all())
        uploaded = dict(session.execute(
            select(BlobUpload.sha256, func.min(BlobUpload.file_name))
            .where(BlobUpload.sha256.in_(ids)).group_by(BlobUpload.sha256)).all())
        for blob in session.scalars(select(Blob).where(Blob.sha256.in_(ids))):
            sha = blob.sha256
            name = referenced.get(sha) or uploaded.get(sha) or f"附件-{sha[:8]}"
            yield sha, 1, {"sha256": sha, "file_name": name, "size": blob.size,
                           "mime": blob.mime}

    return load


_LOADERS = {
    "case": _cases, "request": _requests, "event": _events, "department": _departments,
    "window": _windows, "matter_type": _matter_types, "calendar": _setting("calendar"),
    "sla_policy": _setting("sla_policy"), "user": _users,
}
