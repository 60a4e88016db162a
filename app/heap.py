"""Garbage collection in WindowDesk's long-running processes: the desktop and the server.

What a process builds to get going (modules, classes, the app, the open cache) lives as long
as the process. Frozen, the collector never walks it again: each full collection over it
took 0.1–0.7 s of the desktop's start at 100,000 cached requests (issue #8, P1) and 6–8 s of
a 17 s round of 2,000 long-polls on the server (P8). A young collection every 50,000 new
objects instead of 700 leaves the short-lived ones (a pulled page's rows, a waiting poll's
request) to their reference counts: about a tenth of an initial sync (P5) and of a push (P7).
"""

from __future__ import annotations

import gc

YOUNG_OBJECTS = 50_000


def keep_what_is_built(*, collect_first: bool = False) -> None:
    """Call once the process is built. ``collect_first`` frees what start-up left behind
    before it is frozen for good (worth its few tens of milliseconds on a server)."""
    if collect_first:
        gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_OBJECTS, 10, 10)
