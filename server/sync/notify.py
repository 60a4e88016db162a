"""Waking long-polls when a change commits: in this process directly, and from other
processes through PostgreSQL LISTEN/NOTIFY (or, on SQLite, by watching the log's head)."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable

from sqlalchemy.engine import make_url

from server.sync.changes import CHANNEL

log = logging.getLogger(__name__)


class ChangeNotifier:
    """Long-polls wait here; writers publish the departments a commit concerns.

    ``generation`` counts publications: a poller notes it *before* querying and passes it
    to :meth:`wait`, so a change that commits between its query and its wait is not missed.
    """

    def __init__(self) -> None:
        self.generation = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._waiters: dict[asyncio.Future, frozenset[str] | None] = {}

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop

    def publish(self, departments: set[str] | None) -> None:
        """Thread-safe. ``None`` concerns everyone (reference data)."""
        if self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._wake, frozenset(departments)
                                            if departments is not None else None)

    def _wake(self, departments: frozenset[str] | None) -> None:
        self.generation += 1
        for future, interest in list(self._waiters.items()):
            concerned = (departments is None or interest is None
                         or not interest.isdisjoint(departments))
            if concerned and not future.done():
                future.set_result(None)

    async def wait(self, interest: frozenset[str] | None, since: int, timeout: float) -> None:
        """Return when a change concerning ``interest`` is published, or after ``timeout``."""
        if self.generation != since:
            return  # something was published while the caller was querying: look again
        future = asyncio.get_running_loop().create_future()
        self._waiters[future] = interest
        try:
            await asyncio.wait_for(future, timeout)
        except TimeoutError:
            pass
        finally:
            self._waiters.pop(future, None)


class PostgresListener(threading.Thread):
    """LISTENs on the change channel and republishes what other processes committed."""

    def __init__(self, db_url: str, publish: Callable[[set[str] | None], None]) -> None:
        super().__init__(name="windowdesk-listen", daemon=True)
        url = make_url(db_url).set(drivername="postgresql")
        self._dsn = url.render_as_string(hide_password=False)
        self._publish = publish
        self._stop = threading.Event()
        self.listening = threading.Event()

    def run(self) -> None:
        # Here, not at the top: the embedded SQLite server imports this module too, and the
        # counter PC's bundle leaves psycopg out (packaging/windowdesk.spec).
        import psycopg

        while not self._stop.is_set():
            try:
                with psycopg.connect(self._dsn, autocommit=True) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    self.listening.set()
                    # Whatever committed while we were not listening was never announced
                    # to us: wake every poller once so it looks for itself.
                    self._publish(None)
                    while not self._stop.is_set():
                        for note in conn.notifies(timeout=0.5):
                            self._publish(None if note.payload == "*"
                                          else set(note.payload.split(",")))
            except psycopg.Error:
                log.warning("change listener lost its connection; reconnecting", exc_info=True)
                self.listening.clear()
                self._stop.wait(1.0)

    def stop(self) -> None:
        self._stop.set()


class HeadWatcher(threading.Thread):
    """For several processes on one SQLite file: wake everyone when the log grows."""

    def __init__(self, read_head: Callable[[], int],
                 publish: Callable[[set[str] | None], None], interval: float = 0.25) -> None:
        super().__init__(name="windowdesk-head", daemon=True)
        self._read_head = read_head
        self._publish = publish
        self._interval = interval
        self._stop = threading.Event()

    def run(self) -> None:
        seen = self._read_head()
        while not self._stop.wait(self._interval):
            current = self._read_head()
            if current != seen:
                seen = current
                self._publish(None)

    def stop(self) -> None:
        self._stop.set()
