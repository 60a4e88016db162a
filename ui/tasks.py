"""The one helper for background work: run a function off the UI thread, then hand its
result (or its exception) back to the UI thread.

Anything that may wait on the network or the disk — a login, downloading an attachment,
copying a file — goes through :func:`run_in_background`, so the window never freezes.
The callbacks always run on the UI thread: the worker emits a signal of a relay object
that lives there, and Qt queues the call across the threads.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, wait
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)

# Relays waiting for their worker; they must outlive it (and nothing else holds them).
_waiting: set[_Relay] = set()
# Work on threads of the pages' own (the inbox's query worker), see track().
_in_flight: set[Future] = set()


class _Relay(QObject):
    """Lives on the UI thread; its signals, emitted by the worker, are queued to it."""

    succeeded = Signal(object)
    failed = Signal(object)

    def __init__(self, on_done: Callable[[Any], None],
                 on_error: Callable[[BaseException], None] | None) -> None:
        super().__init__()
        self.on_done = on_done
        self.on_error = on_error
        self.succeeded.connect(self._succeeded)
        self.failed.connect(self._failed)

    @Slot(object)
    def _succeeded(self, result: Any) -> None:
        _waiting.discard(self)
        self.on_done(result)

    @Slot(object)
    def _failed(self, error: BaseException) -> None:
        _waiting.discard(self)
        if self.on_error is not None:
            self.on_error(error)
        else:
            log.error("background task failed", exc_info=error)


class _Task(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.fn = fn
        self.relay = relay

    def run(self) -> None:  # on a pool thread
        try:
            result = self.fn()
        except BaseException as error:  # noqa: BLE001 — every failure goes back to the UI
            self.relay.failed.emit(error)
        else:
            self.relay.succeeded.emit(result)


def run_in_background(fn: Callable[[], Any], on_done: Callable[[Any], None],
                      on_error: Callable[[BaseException], None] | None = None) -> None:
    """Run ``fn()`` on the global thread pool; then, on the UI thread, ``on_done(result)``
    or ``on_error(exception)`` (without ``on_error`` the failure is logged).

    Call it from the UI thread. ``fn`` must not touch widgets.
    """
    relay = _Relay(on_done, on_error)
    _waiting.add(relay)
    QThreadPool.globalInstance().start(_Task(fn, relay))

def track(future: Future) -> None:
    """Work submitted to a thread outside the global pool that finish_background_work
    must wait for as well."""
    _in_flight.add(future)
    future.add_done_callback(_in_flight.discard)


def finish_background_work(timeout_ms: int = 10_000) -> None:
    """Let running tasks end before the cache they read is closed: a look at a closed
    SQLCipher database takes the process down."""
    QThreadPool.globalInstance().waitForDone(timeout_ms)
    wait(list(_in_flight), timeout=timeout_ms / 1000)
