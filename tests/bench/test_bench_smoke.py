"""The benchmark harness still runs and writes its JSON (never its figures: those are
measured by ``python -m bench``, not asserted here)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REQUIRED = {"value", "unit", "median", "min", "max"}


def test_tiny_p2_writes_the_required_keys(tmp_path):
    out = tmp_path / "results.json"
    run = subprocess.run([sys.executable, "-m", "bench", "--sizes", "tiny", "--only", "P2",
                          "--out", str(out)], cwd=ROOT, capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 0, run.stderr[-3000:]
    results = json.loads(out.read_text(encoding="utf-8"))
    assert set(results) == {"P2", "_run"}
    assert set(results["P2"]) >= REQUIRED
    assert results["P2"]["unit"] == "ms"
    assert "P2" in run.stdout  # the table
