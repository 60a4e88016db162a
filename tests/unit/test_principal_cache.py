"""The principal cache's own rules, on a clock the test moves (the server-side behaviour is
in tests/server/test_principal_cache.py)."""

from __future__ import annotations

import asyncio
import threading
from datetime import timedelta

from app.sqltypes import utcnow
from server.auth.cache import PrincipalCache

LATER = utcnow() + timedelta(days=1)


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_an_entry_lives_its_lifetime_and_no_longer():
    clock = Clock()
    cache = PrincipalCache(lifetime=5.0, monotonic=clock)
    cache.put("a", LATER, "alice", 0)
    clock.now = 5.0
    assert cache.get("a", utcnow()) == "alice"
    clock.now = 5.01
    assert cache.get("a", utcnow()) is None


def test_an_expired_token_is_not_answered_from_the_cache():
    cache = PrincipalCache(lifetime=5.0, monotonic=Clock())
    expires = utcnow() + timedelta(seconds=1)
    cache.put("a", expires, "alice", 0)
    assert cache.get("a", expires - timedelta(microseconds=1)) == "alice"
    assert cache.get("a", expires) is None


def test_memory_holds_only_the_tokens_of_the_last_lifetime():
    clock = Clock()
    cache = PrincipalCache(lifetime=5.0, monotonic=clock)
    for i in range(100):
        clock.now = i
        cache.put(str(i), LATER, i, 0)
    assert len(cache._entries) == 6  # 94..99: the others were dropped when 99 came


def test_a_read_that_began_before_a_logout_does_not_bring_the_token_back():
    async def scenario() -> tuple[str, str | None]:
        cache = PrincipalCache(lifetime=5.0, monotonic=Clock())
        reading, logged_out = threading.Event(), threading.Event()

        def read(digest: str) -> tuple[str, object]:
            reading.set()
            logged_out.wait(5)  # the database answered before the logout committed
            return "alice", LATER

        first = asyncio.create_task(cache.principal("a", utcnow(), read))
        await asyncio.to_thread(reading.wait, 5)
        cache.evict("a")  # logout, from a worker thread in the server
        logged_out.set()
        answered = await first  # the request that raced the logout still gets its answer
        return answered, cache.get("a", utcnow())

    assert asyncio.run(scenario()) == ("alice", None)


def test_requests_that_miss_together_share_one_read_and_its_refusal():
    async def scenario() -> tuple[list[str], list, BaseException | None]:
        cache = PrincipalCache(lifetime=5.0, monotonic=Clock())
        reads: list[str] = []

        def read(digest: str) -> tuple[str, object]:
            reads.append(digest)
            raise PermissionError(digest)

        together = await asyncio.gather(*(cache.principal("a", utcnow(), read)
                                          for _ in range(20)), return_exceptions=True)
        later = (await asyncio.gather(cache.principal("a", utcnow(), read),
                                      return_exceptions=True))[0]
        return reads, together, later

    reads, together, later = asyncio.run(scenario())
    assert len(together) == 20 and all(isinstance(r, PermissionError) for r in together)
    assert isinstance(later, PermissionError)
    assert reads == ["a", "a"]  # one for the twenty; a refusal is not remembered
