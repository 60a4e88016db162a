"""A keyring for the benchmark's child processes: a cold-started client must find its
cache key and token, and an in-memory keyring does not cross processes.

Plaintext JSON in a temporary file named by WD_BENCH_KEYRING_FILE, for throwaway bench
data only. Selected with PYTHON_KEYRING_BACKEND=bench.filekeyring.FileKeyring (keyring's
own switch), so the product code runs unchanged.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import keyring.backend
import keyring.errors

ENV = "WD_BENCH_KEYRING_FILE"


class FileKeyring(keyring.backend.KeyringBackend):
    priority = 1

    @property
    def _path(self) -> Path:
        return Path(os.environ[ENV])

    def _load(self) -> dict[str, str]:
        return json.loads(self._path.read_text()) if self._path.exists() else {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(f"{service}\n{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        data = self._load()
        data[f"{service}\n{username}"] = password
        self._path.write_text(json.dumps(data))

    def delete_password(self, service: str, username: str) -> None:
        data = self._load()
        if data.pop(f"{service}\n{username}", None) is None:
            raise keyring.errors.PasswordDeleteError(username)
        self._path.write_text(json.dumps(data))
