"""What every screen of one logged-in window needs, handed over in one object."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.domain.entities import Staff
from app.services import Desk
from app.store import Store
from sync.client import Client
from sync.qt import SyncAdapter


@dataclass
class UiContext:
    """One user's session as the widgets see it. Widgets read through ``store.read()``-based
    query functions in ``app`` and act through ``desk``; they never touch SQL or HTTP."""

    client: Client
    adapter: SyncAdapter

    @property
    def store(self) -> Store:
        return self.client.store

    @property
    def desk(self) -> Desk:
        return self.client.desk

    @property
    def actor(self) -> Staff:
        return self.client.actor

    def now(self) -> datetime:
        """Server-corrected time: every countdown uses this, never the PC clock."""
        return self.client.clock.now()
