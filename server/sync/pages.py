"""Pull pages shared between pulls that ask for the same page at the same moment.

One push wakes every long-poll of its departments at once, and those of one scope usually
hold the same cursor: they are answered from one query and one encoded body instead of
one each. A pull only joins a query that has not started yet, so its answer still comes
from a snapshot taken after it asked, exactly as if it had queried alone.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime

import pydantic_core
from pydantic import TypeAdapter
from starlette.concurrency import run_in_threadpool

from server.db import Database
from server.sync.pull import pull_page

_SERVER_TIME = TypeAdapter(datetime)  # formats server_time as every other answer does


@dataclass(frozen=True)
class EncodedPage:
    """A pull answer encoded once, all but its ``server_time`` (stamped when it is sent)."""

    cursor: str
    has_changes: bool
    rest: bytes  # the JSON object's members after server_time, with the closing brace

    def body(self, server_time: datetime) -> bytes:
        return b'{"server_time":' + _SERVER_TIME.dump_json(server_time) + b"," + self.rest


@dataclass
class _Query:
    task: asyncio.Task[EncodedPage] | None = None
    started: bool = False  # set by the worker thread before it reads


PageKey = tuple[frozenset[str] | None, str, int]  # (scope, cursor, limit)


class SharedPages:
    """Everything that decides a page's content is in its key: the scope (departments, or
    None for all), the cursor and the limit. Nothing per user is in a page."""

    def __init__(self, db: Database, epoch: str) -> None:
        self._db = db
        self._epoch = epoch
        self._queued: dict[PageKey, _Query] = {}

    async def get(self, scope: frozenset[str] | None, cursor: str, limit: int) -> EncodedPage:
        """Raises :class:`~server.sync.pull.CursorReset` as ``pull_page`` does."""
        key = (scope, cursor, limit)
        query = self._queued.get(key)
        if query is None or query.started:
            query = self._queued[key] = _Query()
            query.task = asyncio.create_task(run_in_threadpool(self._load, query, key))
            query.task.add_done_callback(lambda _: self._forget(key, query))
        # shielded: a pull that goes away must not cancel the query for the others
        return await asyncio.shield(query.task)

    def _load(self, query: _Query, key: PageKey) -> EncodedPage:
        query.started = True  # before the snapshot: pulls that ask from now on need a new one
        scope, cursor, limit = key
        with self._db.read() as session:
            page = pull_page(session, self._epoch, scope, cursor, limit)
        encoded = pydantic_core.to_json({"cursor": page.cursor, "has_more": page.has_more,
                                         "changes": page.changes})
        return EncodedPage(cursor=page.cursor, has_changes=bool(page.changes),
                           rest=encoded[1:])

    def _forget(self, key: PageKey, query: _Query) -> None:
        if self._queued.get(key) is query:
            del self._queued[key]
