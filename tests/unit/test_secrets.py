"""app.secrets: the in-memory keyring is installed on purpose (tests, --demo), never picked by
keyring itself on a PC without an OS keyring."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import keyring
import keyring.backends.fail
import pytest

from app.secrets import MemoryKeyring, delete_secret, get_secret, set_secret, use_memory_keyring

ROOT = Path(__file__).resolve().parents[2]

# A fresh process, as the app starts: keyring chooses its backend on the first call.
PLAIN_START = """
import keyring
from app.secrets import KeyringUnavailable, set_secret
print(type(keyring.get_keyring()).__name__)
try:
    set_secret("probe", "secret")
except KeyringUnavailable:
    print("unavailable")
"""


def test_the_memory_keyring_ranks_below_keyrings_no_keyring_placeholder():
    assert MemoryKeyring.priority < keyring.backends.fail.Keyring.priority


@pytest.mark.skipif(not sys.platform.startswith("linux"),
                    reason="Windows and macOS always have an OS keyring")
def test_without_an_os_keyring_keyring_does_not_pick_the_memory_one(tmp_path):
    env = {name: value for name, value in os.environ.items()
           if name not in ("PYTHON_KEYRING_BACKEND", "PYTHONPATH")}
    # No Secret Service or KWallet to reach (no session bus), no keyring configuration.
    env.update(DBUS_SESSION_BUS_ADDRESS=f"unix:path={tmp_path / 'no-bus'}",
               HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "config"),
               XDG_DATA_HOME=str(tmp_path / "data"))
    done = subprocess.run([sys.executable, "-c", PLAIN_START], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["Keyring", "unavailable"]  # keyring.backends.fail's


def test_use_memory_keyring_installs_it():
    backend = use_memory_keyring()
    assert isinstance(backend, MemoryKeyring) and keyring.get_keyring() is backend
    set_secret("token", "abc")
    assert get_secret("token") == "abc"
    delete_secret("token")
    delete_secret("token")  # idempotent
    assert get_secret("token") is None
