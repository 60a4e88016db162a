"""A keyring backend for tests of separate processes (the command line, a killed writer):
this machine has no OS keyring, and an in-memory one does not cross processes.

Plaintext JSON in a temporary file named by WD_TEST_KEYRING_FILE — for tests only. Select
it with PYTHON_KEYRING_BACKEND=tests.support.filekeyring.FileKeyring.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import keyring.backend
import keyring.errors


class FileKeyring(keyring.backend.KeyringBackend):
    priority = 1

    @property
    def _path(self) -> Path:
        return Path(os.environ["WD_TEST_KEYRING_FILE"])

    def _load(self) -> dict[str, str]:
        return json.loads(self._path.read_text()) if self._path.exists() else {}

    def _save(self, data: dict[str, str]) -> None:
        temporary = self._path.with_suffix(".tmp")
        temporary.write_text(json.dumps(data))
        os.replace(temporary, self._path)

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(f"{service}\n{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        data = self._load()
        data[f"{service}\n{username}"] = password
        self._save(data)

    def delete_password(self, service: str, username: str) -> None:
        data = self._load()
        if data.pop(f"{service}\n{username}", None) is None:
            raise keyring.errors.PasswordDeleteError(username)
        self._save(data)
