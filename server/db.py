"""Engines, transactions and migrations for SQLite (embedded default) and PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, insert, select, text
from sqlalchemy.orm import Session, sessionmaker

from server.models import Meta

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SETUP_LOCK = 0x57_44_4D_47  # "WDMG": one process sets up, the others wait


class Database:
    """One database, two kinds of transaction.

    ``write()`` is a transaction that may change rows: on SQLite it takes the write lock at
    BEGIN (BEGIN IMMEDIATE), so two writers queue instead of failing half-way. ``read()``
    sees one snapshot for all its statements (REPEATABLE READ on PostgreSQL; a deferred
    transaction on SQLite under WAL).
    """

    def __init__(self, url: str) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        if self.is_sqlite:
            self.engine = _sqlite_engine(url, immediate=True)
            read_engine = _sqlite_engine(url, immediate=False)
        else:
            # hide_parameters: SQL logging must never print citizens' ID numbers or phones
            self.engine = create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True,
                                        hide_parameters=True)
            read_engine = self.engine.execution_options(isolation_level="REPEATABLE READ")
        self._writes = sessionmaker(self.engine, expire_on_commit=False)
        self._reads = sessionmaker(read_engine, expire_on_commit=False)
        self._read_engine = read_engine

    @contextmanager
    def write(self) -> Iterator[Session]:
        with self._writes.begin() as session:
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._reads.begin() as session:
            yield session

    def migrate(self) -> None:
        """Bring the schema to head, once, even when several processes start together."""
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS_DIR))
        with self.engine.begin() as conn:
            self.lock_for_setup(conn)
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
            # under the same lock, so two processes starting together agree on one epoch
            if conn.execute(select(Meta.value).where(Meta.key == "epoch")).first() is None:
                conn.execute(insert(Meta).values(key="epoch", value=uuid.uuid4().hex[:12]))

    def lock_for_setup(self, conn) -> None:
        """Serialise one-time setup (migrations, demo data) across processes starting
        together; SQLite's single writer does that by itself."""
        if not self.is_sqlite:
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": SETUP_LOCK})

    def epoch(self) -> str:
        """Identifies this database's change log; a cursor from another one must reset."""
        with self.read() as session:
            return session.scalar(select(Meta.value).where(Meta.key == "epoch"))

    def dispose(self) -> None:
        self.engine.dispose()
        if self._read_engine is not self.engine:
            self._read_engine.dispose()


def _sqlite_engine(url: str, *, immediate: bool) -> Engine:
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30,
                                              "isolation_level": None},
                           hide_parameters=True)

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn, _record):  # type: ignore[no-untyped-def]
        for pragma in ("journal_mode = WAL", "synchronous = NORMAL", "foreign_keys = ON",
                       "busy_timeout = 30000"):
            dbapi_conn.execute(f"PRAGMA {pragma}")

    begin = "BEGIN IMMEDIATE" if immediate else "BEGIN"

    @event.listens_for(engine, "begin")
    def _begin(conn):  # type: ignore[no-untyped-def]
        conn.exec_driver_sql(begin)

    return engine
