"""``windowdesk --self-test`` from the checkout: no display, nothing left behind."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def self_test(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY")}
    env["TMPDIR"] = str(tmp_path)  # where its throwaway directory goes, to check clean-up
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)


def test_self_test_passes_without_a_display_and_cleans_up(tmp_path):
    done = self_test(tmp_path, "-m", "app.cli", "--self-test")
    assert done.returncode == 0, done.stderr
    summary = done.stdout.strip()
    assert summary.startswith("self-test ok: keyring (memory), embedded server, cache, sync (")
    assert "translations (en), main window in " in summary
    assert list(tmp_path.iterdir()) == []


def test_a_failed_step_is_named_on_stderr_and_still_cleans_up(tmp_path):
    missing = tmp_path / "no-resources"
    done = self_test(tmp_path, "-c", (
        "import sys, pathlib, ui.selftest as t;"
        f"t.resources_dir = lambda: pathlib.Path({str(missing)!r});"
        "sys.exit(t.run())"))
    assert done.returncode == 1 and done.stdout == ""
    assert "self-test failed at translations: " in done.stderr
    assert "windowdesk_en.qm not found" in done.stderr
    assert list(tmp_path.iterdir()) == []
