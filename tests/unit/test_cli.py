"""The two console scripts run, as installed in the virtualenv."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BIN = Path(sys.executable).parent


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, timeout=120)


def test_windowdesk_help():
    done = run(str(BIN / "windowdesk"), "--help")
    assert done.returncode == 0 and "一窗协同" in done.stdout and "deadline" in done.stdout


def test_windowdesk_server_help():
    done = run(str(BIN / "windowdesk-server"), "--help")
    assert done.returncode == 0 and "serve" in done.stdout and "import-calendar" in done.stdout


def test_windowdesk_overview_shows_the_demo_hall():
    done = run(str(BIN / "windowdesk"), "info")
    assert done.returncode == 0, done.stderr
    assert "部门 " in done.stdout and "协同请求答复" in done.stdout


def test_windowdesk_deadline_on_working_time():
    done = run(str(BIN / "windowdesk"), "deadline", "--from", "2026-11-27T16:00:00+08:00",
               "--hours", "3")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "2026-11-30T10:30:00+08:00"  # Friday 16:00 → Monday 10:30


def test_windowdesk_deadline_marks_a_year_without_an_official_notice():
    done = run(str(BIN / "windowdesk"), "deadline", "--from", "2027-03-10T10:00:00+08:00",
               "--policy", "request")
    assert done.returncode == 0 and "暂定" in done.stdout


def test_windowdesk_deadline_explains_bad_input():
    done = run(str(BIN / "windowdesk"), "deadline", "--from", "2026-11-27T16:00:00")
    assert done.returncode == 2 and "无法计算期限" in done.stderr
