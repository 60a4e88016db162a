"""Opening the encrypted client cache: key from the OS keyring, SQLCipher, WAL, migrations."""

from __future__ import annotations

import hashlib
import logging
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import Engine, create_engine, event, exc, text
from sqlalchemy.orm import Session, sessionmaker

from app import paths
from app.secrets import delete_secret, get_secret, set_secret

log = logging.getLogger(__name__)

CACHE_FILE = "cache.db"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# The newest file in migrations/versions (tests/unit/test_store.py keeps this true): a cache
# already there opens without importing alembic, a fifth of the start-up time.
HEAD_REVISION = "0005"
BUSY_TIMEOUT_MS = 5000
_PLAIN_SQLITE_HEADER = b"SQLite format 3\x00"

_REBUILD_HINT = (
    "本地缓存可以从服务器重新同步：请关闭本程序，删除文件 {path}"
    "（以及同目录下同名的 -wal、-shm 文件），再重新打开并登录。"
    "注意：尚未上传到服务器的离线操作会随缓存一起丢失。"
)


class StoreError(Exception):
    """The local cache cannot be used; the message is Chinese and meant for the user."""


class WrongCacheKey(StoreError):
    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(
            f"本地缓存无法用当前密钥打开（{reason}）。" + _REBUILD_HINT.format(path=path)
        )
        self.path = path


def _damaged(path: Path, detail: object) -> StoreError:
    message = f"本地缓存文件已损坏或无法读取（{detail}）。"
    return StoreError(message + _REBUILD_HINT.format(path=path))


def key_name(data_dir: Path) -> str:
    """The keyring entry holding this data dir's cache key (one per dir, so test and demo
    dirs never share or overwrite the real one)."""
    digest = hashlib.sha256(str(data_dir.resolve()).encode("utf-8")).hexdigest()[:16]
    return f"cache-key:{digest}"


def _cache_key(data_dir: Path, path: Path) -> str:
    name = key_name(data_dir)
    key = get_secret(name)
    if key is not None:
        return key
    if path.exists() and path.stat().st_size > 0:
        # A fresh key could never open the existing file; don't store one that would
        # shadow the lost key if it turns up again (e.g. a keyring restored from backup).
        raise WrongCacheKey(path, "系统密钥环中找不到本机缓存的密钥")
    key = secrets.token_hex(32)  # 256 bits, used as a raw SQLCipher key (no KDF needed)
    set_secret(name, key)
    log.info("generated a new cache key, stored in the OS keyring as %s", name)
    return key


class Store:
    """The cache, with two kinds of transaction.

    ``session()`` may write: it takes SQLite's write lock at BEGIN (BEGIN IMMEDIATE), so a
    clerk's action and the sync engine queue for each other instead of one failing with
    "database is locked" when it reads, then writes, after the other committed. ``read()``
    only reads: under WAL it never waits for a writer, so the UI stays quick during a sync.
    """

    def __init__(self, engine: Engine, read_engine: Engine, path: Path) -> None:
        self.engine = engine
        self.read_engine = read_engine
        self.path = path
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._reads = sessionmaker(read_engine, expire_on_commit=False)
        # Writers of this process queue here, and the next one starts the moment the last
        # one commits; waiting on SQLite's lock instead sleeps in steps of 1, 2, 5, 10… ms,
        # which made a clerk's action, a push's bookkeeping and a pulled page wait for each
        # other by tens of milliseconds (issue #8, P6). Re-entrant: a nested session behaves
        # as before (SQLite's busy timeout).
        self._writers = threading.RLock()

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: commits when the block ends normally, rolls back on exception."""
        with self._writers, self._sessions.begin() as session:
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A consistent snapshot for reading; nothing written here is kept."""
        with self._reads() as session:  # closing rolls back: reads never commit
            yield session

    def close(self) -> None:
        self.engine.dispose()
        self.read_engine.dispose()


def _make_engine(path: Path, key: str, *, reader: bool = False) -> Engine:
    """``reader``: a pool for :meth:`Store.read` (plain BEGIN, a small page cache)."""
    def connect() -> sqlcipher.Connection:
        # isolation_level=None: the driver must not issue its own BEGINs; SQLAlchemy's
        # "begin" hook below does, so transactions and SAVEPOINTs behave as written.
        conn = sqlcipher.connect(
            str(path),
            isolation_level=None,
            check_same_thread=False,
            timeout=BUSY_TIMEOUT_MS / 1000,
        )
        try:
            conn.execute(f"PRAGMA key = \"x'{key}'\"")  # before anything else touches the file
            # We report a wrong key ourselves, in Chinese; SQLCipher's stderr lines are noise.
            conn.execute("PRAGMA cipher_log_level = NONE")
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlcipher.DatabaseError as err:
            conn.close()
            # SQLCipher says "not a database" for a wrong key and for garbage alike; a
            # size that is no whole number of pages means the file itself is broken.
            whole_pages = path.stat().st_size % 512 == 0
            if getattr(err, "sqlite_errorname", "") == "SQLITE_NOTADB" and whole_pages:
                raise WrongCacheKey(
                    path, "缓存文件可能来自另一台电脑，或本机密钥环中的缓存密钥已被更改"
                ) from err
            raise _damaged(path, err) from err
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")  # durable enough under WAL, much faster
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            if reader:
                # Reads are mostly scans of an index; each pooled reader kept up to 8 MB of
                # pages it rarely reads twice (issue #8, P4: about 6 MB less at 100,000).
                conn.execute("PRAGMA cache_size = -2048")
        except sqlcipher.DatabaseError as err:
            conn.close()
            raise _damaged(path, err) from err
        return conn

    # hide_parameters: SQL logging, if ever switched on, must not print citizens' data
    engine = create_engine(f"sqlite:///{path}", creator=connect, module=sqlcipher,
                           hide_parameters=True)

    begin = "BEGIN" if reader else "BEGIN IMMEDIATE"

    @event.listens_for(engine, "begin")
    def _begin(conn):  # type: ignore[no-untyped-def]
        conn.exec_driver_sql(begin)

    return engine


class SchemaMismatch(Exception):
    """The cache's schema version is unknown to this program (a newer WindowDesk wrote it)."""


def migrate(engine: Engine, revision: str = "head") -> None:
    """Upgrade the schema to ``revision`` in one transaction (SQLite DDL is transactional)."""
    if revision == "head" and stored_revision(engine) == HEAD_REVISION:
        return
    from alembic import command
    from alembic.config import Config
    from alembic.util.exc import CommandError

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        try:
            command.upgrade(config, revision)
        except CommandError as err:
            raise SchemaMismatch(str(err)) from err


def stored_revision(engine: Engine) -> str | None:
    """The schema version the cache is at; None for a new, empty cache."""
    with engine.connect() as conn:
        if conn.execute(text("SELECT 1 FROM sqlite_master WHERE type = 'table' "
                             "AND name = 'alembic_version'")).first() is None:
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def open_store(data_dir: Path | None = None, *, revision: str = "head") -> Store:
    """Open (creating if needed) the encrypted cache in ``data_dir`` and migrate it.

    ``revision`` is for tests of the migrations; the application always wants head.
    Raises WrongCacheKey / StoreError (Chinese messages) or app.secrets.KeyringUnavailable.
    """
    data_dir = Path(data_dir if data_dir is not None else paths.user_data_dir()).resolve()
    path = data_dir / CACHE_FILE
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        header = _read_header(path)
    except OSError as err:
        raise StoreError(f"无法访问本地缓存目录 {data_dir}（{err.strerror or err}）。") from err
    if header == _PLAIN_SQLITE_HEADER:
        raise StoreError(
            f"{path} 是未加密的数据库，不是本程序的加密缓存。" + _REBUILD_HINT.format(path=path)
        )

    key = _cache_key(data_dir, path)
    engine = _make_engine(path, key)
    try:
        migrate(engine, revision)
    except StoreError:
        engine.dispose()
        raise
    except SchemaMismatch as err:
        engine.dispose()
        # e.g. a cache written by a newer WindowDesk that this version cannot read
        raise StoreError(
            f"本地缓存的结构版本与本程序不匹配（{err}）。请升级本程序，或重建缓存。"
            + _REBUILD_HINT.format(path=path)
        ) from err
    except exc.DBAPIError as err:
        engine.dispose()
        raise _damaged(path, err.orig) from err
    log.info("opened the local cache at %s", path)
    return Store(engine, _make_engine(path, key, reader=True), path)


def _read_header(path: Path) -> bytes:
    try:
        with path.open("rb") as f:
            return f.read(len(_PLAIN_SQLITE_HEADER))
    except FileNotFoundError:
        return b""


def reset_store(data_dir: Path | None = None) -> None:
    """Delete the cache and its key so the next open_store() starts empty and re-syncs.

    Unpushed outbox ops are lost with it; the UI must say so before calling this.
    """
    data_dir = Path(data_dir if data_dir is not None else paths.user_data_dir()).resolve()
    for suffix in ("", "-wal", "-shm"):
        (data_dir / (CACHE_FILE + suffix)).unlink(missing_ok=True)
    delete_secret(key_name(data_dir))
