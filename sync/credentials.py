"""Who is logged in on this PC, and how they prove it offline.

The session token lives only in the OS keyring. The profile file beside the cache holds
what is not secret: the server address, the user, this PC's device id, and an Argon2 hash
of the password, so the last user can unlock the cache while the server is unreachable.
"""

from __future__ import annotations

import json
import os
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from app.secrets import delete_secret, get_secret, set_secret

PROFILE_FILE = "profile.json"
_hasher = PasswordHasher()


@dataclass
class Profile:
    server: str
    username: str
    user: dict[str, Any]  # id, name, department, roles, window: as the server said at login
    device_id: str
    unlock_hash: str
    ca_bundle: str | None = None

    @property
    def token_name(self) -> str:
        return f"token:{self.server}|{self.username}"


def load_profile(data_dir: Path) -> Profile | None:
    path = data_dir / PROFILE_FILE
    if not path.exists():
        return None
    try:
        return Profile(**json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, TypeError):
        return None  # a damaged profile only means: log in again


def device_id(data_dir: Path) -> str:
    """This PC's id for the server's op records; the same across logins."""
    profile = load_profile(data_dir)
    return profile.device_id if profile else f"pc-{uuid.uuid4()}"


def remember_login(data_dir: Path, *, server: str, username: str, password: str,
                   user: dict[str, Any], token: str, device: str,
                   ca_bundle: str | None = None) -> Profile:
    """After a successful online login: token into the keyring, the rest into the profile."""
    previous = load_profile(data_dir)
    if previous is not None and previous.token_name != f"token:{server}|{username}":
        delete_secret(previous.token_name)
    profile = Profile(server=server, username=username, user=user, device_id=device,
                      unlock_hash=_hasher.hash(password), ca_bundle=ca_bundle)
    set_secret(profile.token_name, token)
    _write(data_dir, profile)
    return profile


def token(profile: Profile) -> str | None:
    return get_secret(profile.token_name)


def forget_token(profile: Profile) -> None:
    delete_secret(profile.token_name)


def unlock_offline(data_dir: Path, username: str, password: str) -> Profile | None:
    """The profile, if ``username`` was the last to log in here and the password matches."""
    profile = load_profile(data_dir)
    if profile is None or profile.username != username:
        return None
    try:
        _hasher.verify(profile.unlock_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    return profile


def _write(data_dir: Path, profile: Profile) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / PROFILE_FILE
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(asdict(profile), ensure_ascii=False, indent=2),
                         encoding="utf-8")
    os.replace(temporary, path)
