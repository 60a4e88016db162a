"""``app/`` is the Qt-free core: every module imports with PySide6 made unimportable."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

BLOCK_QT_AND_IMPORT_ALL = r"""
import importlib, importlib.abc, pkgutil, sys

class NoQt(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("PySide6", "shiboken6", "PyQt5", "PyQt6"):
            raise ImportError(f"Qt is blocked in app/: {name}")
        return None

sys.meta_path.insert(0, NoQt())
import app
names = ["app"] + [m.name for m in pkgutil.walk_packages(app.__path__, "app.")]
for name in names:
    importlib.import_module(name)
assert not any(m.split(".")[0] == "PySide6" for m in sys.modules)
print(len(names))
"""


def test_every_app_module_imports_without_qt():
    done = subprocess.run([sys.executable, "-c", BLOCK_QT_AND_IMPORT_ALL], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout.strip()) >= 10  # the walk really found the modules


SYNC_CORE_WITHOUT_QT = BLOCK_QT_AND_IMPORT_ALL.replace(
    'import app\nnames = ["app"] + [m.name for m in pkgutil.walk_packages(app.__path__, "app.")]',
    'import sync\nnames = [m.name for m in pkgutil.walk_packages(sync.__path__, "sync.")'
    ' if m.name != "sync.qt"]')


def test_the_sync_engine_imports_without_qt():
    """Only the adapter (sync/qt.py) may touch Qt; the engine runs anywhere."""
    done = subprocess.run([sys.executable, "-c", SYNC_CORE_WITHOUT_QT], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout.strip()) >= 6


def test_the_blocker_really_blocks():
    probe = BLOCK_QT_AND_IMPORT_ALL.replace("import app\n", "import PySide6\nimport app\n")
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode != 0 and "Qt is blocked" in done.stderr
