"""The Qt binding must not leak references to None: PySide6 6.12.0 on Python 3.11 loses
one on every call that returns nothing, and a running window dies with none_dealloc."""

import subprocess
import sys

PROBE = """
import sys
from PySide6.QtCore import QObject
o = QObject()
before = sys.getrefcount(None)
for _ in range(10_000):
    o.setObjectName("x")
print(before - sys.getrefcount(None))
"""


def test_void_calls_keep_the_reference_count_of_none():
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert abs(int(done.stdout)) < 100, f"None lost {done.stdout.strip()} references"
