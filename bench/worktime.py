"""Benchmark: how long n working-time deadlines take (cold calendar cache each repeat)."""

from __future__ import annotations

import random
import statistics
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from app.worktime import WorkCalendar


def bench_deadlines(n: int = 10_000, repeats: int = 5) -> dict:
    """Median seconds to compute ``n`` deadlines of 0.5–5 working days from varied starts."""
    rng = random.Random(20261123)  # fixed seed: comparable runs
    zones = [ZoneInfo("Asia/Shanghai"), ZoneInfo("UTC")]
    base = datetime(2025, 1, 1)
    cases = [
        (
            (base + timedelta(minutes=rng.randrange(2 * 365 * 24 * 60))).replace(
                tzinfo=rng.choice(zones)),
            rng.choice([0.5, 2, 3, 5]) if rng.random() < 0.8 else rng.uniform(0.5, 5),
        )
        for _ in range(n)
    ]
    timings = []
    for _ in range(repeats):
        cal = WorkCalendar()  # fresh: the per-date workday cache starts empty, as in a new process
        t0 = time.perf_counter()
        for start, days in cases:
            cal.add_working_days(start, days)
        timings.append(time.perf_counter() - t0)
    median = statistics.median(timings)
    return {"value": median, "unit": "s", "median": median, "min": min(timings),
            "max": max(timings), "n": n}


if __name__ == "__main__":
    print(bench_deadlines())
