"""Who a token belongs to, remembered for a few seconds: a long-poll client comes back after
every change, and reading its token and user from the database each time was most of the
work of a re-poll (docs/architecture.md, "Authentication")."""

from __future__ import annotations

import asyncio
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime
from typing import Generic, TypeVar

from starlette.concurrency import run_in_threadpool

P = TypeVar("P")

LIFETIME_SECONDS = 5.0  # docs/protocol.md §4.3: how late another process's revocation bites


class PrincipalCache(Generic[P]):
    """Principals by token hash, each kept at most ``lifetime`` seconds after it was read.

    Within this process a revocation evicts at once (:meth:`evict`); what other processes
    change (a revoked token, a deactivated or moved user) is seen when the entry runs out.
    A token's own ``expires_at`` is checked on every hit. Requests that miss together (the
    re-polls one change wakes, when their token's entry has just run out) share one read.
    """

    def __init__(self, lifetime: float = LIFETIME_SECONDS,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self.lifetime = lifetime
        self._monotonic = monotonic
        # oldest first, so the stale ones are dropped from the front
        self._entries: OrderedDict[str, tuple[float, datetime, P]] = OrderedDict()
        self._reading: dict[str, asyncio.Future[P]] = {}
        self._evictions = 0
        self._lock = threading.Lock()  # logout evicts from a worker thread

    async def principal(self, digest: str, now: datetime,
                        read: Callable[[str], tuple[P, datetime]]) -> P:
        """The cached principal, or ``read(digest)`` (in the threadpool: it reads the
        database) remembered; ``read`` raises for a token that is not valid."""
        found = self.get(digest, now)
        if found is not None:
            return found
        with self._lock:
            reading = self._reading.get(digest)
            if reading is None:
                reading = self._reading[digest] = asyncio.ensure_future(
                    self._read(digest, read, self._evictions))
        # shielded: a request that goes away must not cancel the read for the others
        return await asyncio.shield(reading)

    async def _read(self, digest: str, read: Callable[[str], tuple[P, datetime]],
                    stamp: int) -> P:
        try:
            principal, expires_at = await run_in_threadpool(read, digest)
            self.put(digest, expires_at, principal, stamp)
            return principal
        finally:
            with self._lock:
                if self._reading.get(digest) is asyncio.current_task():
                    del self._reading[digest]

    def get(self, digest: str, now: datetime) -> P | None:
        with self._lock:
            entry = self._entries.get(digest)
            if entry is None:
                return None
            read_at, expires_at, principal = entry
            if expires_at <= now or self._monotonic() - read_at > self.lifetime:
                del self._entries[digest]
                return None
            return principal

    def put(self, digest: str, expires_at: datetime, principal: P, stamp: int) -> None:
        """Remember a principal read from the database, unless something was evicted since
        ``stamp``: the read may predate that logout, and must not bring the token back."""
        with self._lock:
            if stamp != self._evictions:
                return
            now = self._monotonic()
            self._entries.pop(digest, None)
            self._entries[digest] = (now, expires_at, principal)
            while self._entries:  # memory stays bounded by the tokens of the last lifetime
                _, (read_at, _, _) = next(iter(self._entries.items()))
                if now - read_at <= self.lifetime:
                    break
                self._entries.popitem(last=False)

    def evict(self, digest: str) -> None:
        with self._lock:
            self._evictions += 1
            self._entries.pop(digest, None)
            self._reading.pop(digest, None)  # begun before the revocation: not to be joined
