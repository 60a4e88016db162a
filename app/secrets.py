"""The one door to the OS keyring: session tokens and cache keys live there and nowhere else.

There is deliberately no plaintext fallback. Without a keyring backend every call raises
:class:`KeyringUnavailable` with a message a clerk's IT contact can act on.
"""

from __future__ import annotations

import keyring
import keyring.backend
import keyring.errors

SERVICE = "WindowDesk"

NO_KEYRING_MESSAGE = (
    "未找到系统密钥环，无法安全保存登录凭据和本地缓存密钥。"
    "Windows 和 macOS 自带密钥环；Linux 请安装并启动 gnome-keyring 或 KWallet"
    "（例如 apt-get install gnome-keyring），然后重新打开本程序。"
)


class KeyringUnavailable(RuntimeError):
    """No usable OS keyring backend; the message is Chinese and meant for the user."""

    def __init__(self, detail: str = "") -> None:
        super().__init__(NO_KEYRING_MESSAGE)
        self.detail = detail


def get_secret(name: str) -> str | None:
    try:
        return keyring.get_password(SERVICE, name)
    except keyring.errors.KeyringError as exc:
        raise KeyringUnavailable(str(exc)) from exc


def set_secret(name: str, value: str) -> None:
    try:
        keyring.set_password(SERVICE, name, value)
    except keyring.errors.KeyringError as exc:
        raise KeyringUnavailable(str(exc)) from exc


def delete_secret(name: str) -> None:
    try:
        keyring.delete_password(SERVICE, name)
    except keyring.errors.PasswordDeleteError:
        pass  # already gone: deleting is idempotent
    except keyring.errors.KeyringError as exc:
        raise KeyringUnavailable(str(exc)) from exc


class MemoryKeyring(keyring.backend.KeyringBackend):
    """An in-process keyring that forgets everything when the process ends.

    For tests and for ``--demo`` mode only (demo data, nothing real).
    """

    # Below keyring's own "no keyring found" backend (priority 0), which is always a
    # candidate: keyring never picks this one by itself, so a PC without an OS keyring gets
    # KeyringUnavailable instead of tokens and cache keys that vanish at exit. At 0 it tied
    # with that backend, and keyring picks among equals in no fixed order.
    priority = -1

    def __init__(self) -> None:
        super().__init__()
        self._store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self._store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self._store.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError(username)


def use_memory_keyring() -> MemoryKeyring:
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    return backend
