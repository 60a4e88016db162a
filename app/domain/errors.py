"""The one way a command is refused: a machine-readable code and a Chinese message (an
:class:`app.text.Text` when made on this side, so the UI can say it in English)."""

from __future__ import annotations


class Rejected(Exception):
    """A command the rules do not allow.

    ``code`` is what the wire carries (``invalid_state``, ``forbidden``, ``invalid_argument``);
    ``reason`` narrows it for tests and logs (``wrong_department``, ``wrong_role``, ...);
    ``message`` is said to the clerk (through ``ui.i18n.say``); it travels as plain Chinese.
    """

    INVALID_STATE = "invalid_state"
    FORBIDDEN = "forbidden"
    INVALID_ARGUMENT = "invalid_argument"

    def __init__(self, code: str, message: str, *, reason: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.reason = reason or code

    def __repr__(self) -> str:
        return f"Rejected({self.code!r}, {self.reason!r}, {self.message!r})"


def invalid_argument(message: str, *, reason: str = "invalid_argument") -> Rejected:
    return Rejected(Rejected.INVALID_ARGUMENT, message, reason=reason)


def wrong_department(message: str) -> Rejected:
    return Rejected(Rejected.FORBIDDEN, message, reason="wrong_department")


def wrong_role(message: str) -> Rejected:
    return Rejected(Rejected.FORBIDDEN, message, reason="wrong_role")


def invalid_state(message: str) -> Rejected:
    return Rejected(Rejected.INVALID_STATE, message, reason="invalid_state")
