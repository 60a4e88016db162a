"""Server settings: where the data lives, limits, and the clock (injectable for tests)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from app.paths import user_data_dir
from app.sqltypes import utcnow


def default_data_dir() -> Path:
    return user_data_dir() / "server"


@dataclass
class Settings:
    db_url: str = ""  # empty: SQLite file in data_dir
    data_dir: Path = field(default_factory=default_data_dir)
    token_ttl: timedelta = timedelta(days=14)
    max_blob_bytes: int = 20 * 1024 * 1024
    # Failed logins allowed within the window below: few per account; more per address,
    # since a whole hall may reach the server through one proxy address.
    login_failures_per_account: int = 5
    login_failures_per_address: int = 50
    login_failure_window: timedelta = timedelta(minutes=15)
    long_poll_max_seconds: float = 30.0
    scheduler_interval_seconds: float = 30.0  # 0 turns the in-process scheduler off
    clock: Callable[[], datetime] = utcnow

    def __post_init__(self) -> None:
        self.data_dir = Path(self.data_dir)
        if not self.db_url:
            self.db_url = f"sqlite:///{self.data_dir / 'hub.db'}"

    @property
    def blob_dir(self) -> Path:
        return self.data_dir / "blobs"
