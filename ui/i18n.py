"""Translating texts that lupdate cannot find in a ``tr()`` call: column headers kept in
constants, the Chinese labels of ``app``'s enumerations (states, filters, bands), and the
texts ``app`` builds as :class:`app.text.Text` (messages, timeline, notifications).
``resources/i18n/build.py`` puts those same texts into the .ts file under this context."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from app.text import Text

CONTEXT = "WindowDesk"


def tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def say(text: str) -> str:
    """A text of ``app`` in the UI's language. A Text: its template translated, then filled
    with its params (those that are Texts said the same way; others as they are). Any other
    str: translated when it is exactly a known label, else as it is (a name, a server's
    message)."""
    if not isinstance(text, Text):
        return tr(text)
    if not text.params:
        return tr(text.template)
    return tr(text.template).format(**{k: say(v) if isinstance(v, Text) else v
                                       for k, v in text.params.items()})
