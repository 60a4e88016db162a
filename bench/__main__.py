"""``python -m bench [--quick | --sizes tiny] [--only P2,P5] [--out FILE]``: every figure of
issue #8, a table on stdout, and a JSON object per figure id (docs/benchmarks.md)."""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from bench.common import SIZES, Sizes, load_average


@dataclass(frozen=True)
class Figure:
    id: str
    title: str
    target: float
    higher_is_better: bool
    run: Callable[[Sizes], dict]


def _figures() -> list[Figure]:
    # imported here: each module pulls in its part of the product (Qt, server, psycopg)
    from bench import desktop, server, sync

    return [
        Figure("P1", "cold start to the inbox painted", 0.8, False, desktop.cold_start),
        Figure("P2", "search/filter latency per keystroke, p95", 20, False, desktop.keystrokes_ui),
        Figure("P3", "CPU per countdown tick", 1, False, desktop.tick_cpu),
        Figure("P4", "client RSS", 200, False, desktop.rss),
        Figure("P5", "initial sync into an empty encrypted cache", 35_000, True,
               sync.initial_sync),
        Figure("P6", "op A → B's cache via long-poll, p99 paced", 20, False, sync.propagation),
        Figure("P7", "server push throughput, SQLite", 5_000, True, server.push_throughput),
        Figure("P8", "long-poll clients held with p99 ≤ 1 s", 5_000, True, server.long_polls),
    ]


def met(figure: Figure, result: dict) -> bool:
    value = result["value"]
    if figure.higher_is_better:
        ok = value >= figure.target
        if figure.id == "P5" and "floor" in result:
            ok = ok and value >= 0.25 * result["floor"]
        return ok
    return value <= figure.target


def _number(x: float | None) -> str:
    if x is None:
        return "—"
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:.3g}"


def table(figures: list[Figure], results: dict[str, dict]) -> str:
    lines = [f"{'id':3} {'figure':48} {'value':>10} {'unit':8} {'target':>8} "
             f"{'floor':>10} met?"]
    for f in figures:
        r = results.get(f.id)
        if r is None:
            continue
        if "error" in r:
            lines.append(f"{f.id:3} {f.title:48} {'failed':>10}  {r['error'][:60]}")
            continue
        sign = "≥" if f.higher_is_better else "≤"
        lines.append(f"{f.id:3} {f.title:48} {_number(r['value']):>10} {r['unit']:8} "
                     f"{sign}{_number(f.target):>7} {_number(r.get('floor')):>10} "
                     f"{'yes' if met(f, r) else 'NO'}")
    return "\n".join(lines)


def machine() -> dict:
    return {"python": platform.python_version(), "sqlite": sqlite3.sqlite_version,
            "platform": platform.platform(), "cpus": os.cpu_count()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller sizes (< 3 minutes)")
    parser.add_argument("--sizes", choices=sorted(SIZES), help="full, quick or tiny")
    parser.add_argument("--only", default="", help="comma-separated figure ids, e.g. P2,P5")
    parser.add_argument("--out", type=Path, help="write the results as JSON here")
    args = parser.parse_args(argv)
    sizes = SIZES[args.sizes or ("quick" if args.quick else "full")]
    figures = _figures()
    wanted = {x.strip().upper() for x in args.only.split(",") if x.strip()}
    unknown = wanted - {f.id for f in figures}
    if unknown:
        parser.error(f"unknown figure ids: {', '.join(sorted(unknown))}")
    results: dict[str, dict] = {}
    started, load_at_start = time.perf_counter(), load_average()
    for figure in figures:
        if wanted and figure.id not in wanted:
            continue
        print(f"{figure.id} {figure.title} …", file=sys.stderr, flush=True)
        t0 = time.perf_counter()
        try:
            result = figure.run(sizes)
            result["met"] = met(figure, result)
        except Exception as exc:  # one broken figure must not hide the others
            traceback.print_exc()
            result = {"error": f"{type(exc).__name__}: {exc}"}
        result.update(title=figure.title, target=figure.target,
                      seconds_to_measure=round(time.perf_counter() - t0, 1))
        results[figure.id] = result
    print(table(figures, results))
    print(f"sizes {sizes.name}; {time.perf_counter() - started:.0f} s; "
          f"load average now {load_average()}")
    if args.out:
        document = dict(results, _run={"sizes": asdict(sizes), **machine(),
                                       "load_average_at_start": load_at_start,
                                       "load_average_at_end": load_average()})
        args.out.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n",
                            encoding="utf-8")
    return 1 if any("error" in r for r in results.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
