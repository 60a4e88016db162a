"""The frozen bundle, built from this checkout by packaging/build.py into a temporary
folder: within its size budget, without what the app does not use, and its --self-test
passes offscreen with nothing from the system's Python or time-zone database."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Loaded by path: a folder named "packaging" would shadow the PyPI package of that name.
_spec = importlib.util.spec_from_file_location("windowdesk_build", ROOT / "packaging" / "build.py")
build = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build)

pytestmark = pytest.mark.packaging


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("bundle")
    done = subprocess.run([sys.executable, str(ROOT / "packaging" / "build.py"),
                           "--dist", str(out / "dist"), "--work", str(out / "work")],
                          capture_output=True, text=True, timeout=1200)
    assert done.returncode == 0, done.stdout + done.stderr
    print(done.stdout)  # size, build and start-up times, shown with -s
    return out / "dist" / "windowdesk"


def test_the_bundle_is_within_its_size_budget(bundle):
    assert build.bundle_size(bundle) / 1e6 <= build.BUDGET_MB


def test_the_bundle_ships_data_and_leaves_out_what_the_app_does_not_use(bundle):
    internal = bundle / "_internal"
    shipped = {p.relative_to(internal).as_posix() for p in internal.rglob("*")}
    assert "resources/i18n/windowdesk_en.qm" in shipped
    assert "resources/i18n/windowdesk_en.ts" not in shipped
    assert "resources/demo/hall.json" in shipped and "resources/sla_policies.json" in shipped
    assert "app/store/migrations/env.py" in shipped and "server/migrations/env.py" in shipped
    qt_translations = {Path(p).name for p in shipped if "/translations/" in p}
    assert qt_translations == {"qtbase_zh_CN.qm", "qtbase_en.qm"}
    assert any(p.endswith("platforms/libqxcb.so") for p in shipped)
    for unused in ("Qt6Quick", "Qt6Qml", "Qt6WebEngine", "Qt6Multimedia", "Qt63D",
                   "Qt6VirtualKeyboard", "Qt6Wayland", "tkinter", "hypothesis"):
        assert not [p for p in shipped if unused in p], unused


def test_the_frozen_self_test_passes_offscreen(bundle, tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
           "PYTHONTZPATH": "",  # no system zone files: the bundled tzdata must answer
           "TMPDIR": str(tmp_path)}  # its throwaway directory, to check the clean-up
    env.pop("PYTHONPATH", None)
    done = subprocess.run([str(bundle / "windowdesk"), "--self-test"], cwd=tmp_path,
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("self-test ok: keyring (memory), embedded server, cache, ")
    assert "sync (" in done.stdout and "translations (en), main window in " in done.stdout
    assert list(tmp_path.iterdir()) == []
