"""Where WindowDesk keeps its files on this PC."""

from __future__ import annotations

import sys
from pathlib import Path

import platformdirs

APP_NAME = "WindowDesk"


def user_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def resources_dir() -> Path:
    """The ``resources/`` folder: beside the packages in a checkout, inside a frozen bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"
