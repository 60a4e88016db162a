import os

# Qt renders offscreen in tests unless a test starts Xvfb itself for real screenshots.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from hypothesis import settings

from app.secrets import use_memory_keyring

settings.register_profile("ci", max_examples=200, deadline=None)
settings.register_profile("dev", max_examples=50, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture(autouse=True)
def memory_keyring():
    """Every test gets a fresh in-process keyring: no OS keyring, nothing left behind."""
    return use_memory_keyring()
