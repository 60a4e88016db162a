"""Translating texts that lupdate cannot find in a ``tr()`` call: column headers kept in
constants, and the Chinese labels of ``app``'s enumerations (states, filters, bands).
``resources/i18n/build.py`` puts those same texts into the .ts file under this context."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

CONTEXT = "WindowDesk"


def tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)
