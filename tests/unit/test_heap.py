"""The collector's set-up of the long-running processes (app/heap.py), in a fresh interpreter
so the test process keeps its own."""

from __future__ import annotations

import json
import subprocess
import sys

from app.heap import YOUNG_OBJECTS

PROBE = """
import gc, json
from app.heap import keep_what_is_built
before, full = gc.get_freeze_count(), gc.get_stats()[2]["collections"]
keep_what_is_built(collect_first={collect})
print(json.dumps([before, gc.get_freeze_count(), gc.get_threshold()[0],
                  gc.get_stats()[2]["collections"] - full]))
"""


def _probe(collect: bool) -> list[int]:
    out = subprocess.run([sys.executable, "-c", PROBE.format(collect=collect)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_what_is_built_is_frozen_and_young_collections_come_less_often():
    before, frozen, threshold, full_collections = _probe(collect=False)
    assert before == 0 and frozen > 1000 and threshold == YOUNG_OBJECTS
    assert full_collections == 0  # the desktop's first paint must not wait for one


def test_a_server_collects_before_it_freezes():
    _, frozen, _, full_collections = _probe(collect=True)
    assert frozen > 1000 and full_collections == 1
