"""The server's time as this PC can best know it: the PC clock plus a measured offset.

Every countdown and reminder runs on :meth:`ServerClock.now`, so a PC whose clock is wrong
still shows the right time left. The offset comes from the ``server_time`` of answers,
corrected for the round trip (the server stamped its time somewhere in the middle), and the
sample with the shortest round trip wins: it has the least uncertainty.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from datetime import UTC, datetime

SKEW_WARNING_SECONDS = 120.0
SAMPLES = 16


class ServerClock:
    def __init__(self, wall: Callable[[], float] = time.time, offset: float = 0.0) -> None:
        self._wall = wall  # injectable: tests give the PC a wrong clock
        self._lock = threading.Lock()
        self._samples: deque[tuple[float, float]] = deque(maxlen=SAMPLES)
        self._offset = offset  # seconds to add to the PC clock; kept across restarts

    def wall(self) -> float:
        return self._wall()

    def observe(self, sent: float, received: float, server_time: datetime) -> None:
        """One exchange: PC wall times when the request left and the answer came back."""
        round_trip = max(0.0, received - sent)
        offset = server_time.timestamp() - (sent + received) / 2
        with self._lock:
            self._samples.append((round_trip, offset))
            self._offset = min(self._samples)[1]

    def seed(self, offset: float) -> None:
        """The offset measured in an earlier session, until this one measures its own."""
        with self._lock:
            if not self._samples:
                self._offset = offset

    @property
    def offset(self) -> float:
        with self._lock:
            return self._offset

    @property
    def skewed(self) -> bool:
        """The PC clock is off by more than two minutes: worth telling the clerk."""
        return abs(self.offset) > SKEW_WARNING_SECONDS

    def now(self) -> datetime:
        return datetime.fromtimestamp(self._wall() + self.offset, UTC)
