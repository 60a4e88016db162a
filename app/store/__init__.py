"""The counter PC's local cache: an encrypted SQLite (SQLCipher) file, migrated on open."""

from app.store.db import Store, StoreError, WrongCacheKey, migrate, open_store, reset_store

__all__ = ["Store", "StoreError", "WrongCacheKey", "migrate", "open_store", "reset_store"]
