"""The server's Alembic migrations build exactly the schema the models describe, on SQLite
and on PostgreSQL, and an upgrade keeps the rows already there."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext

from server.db import MIGRATIONS_DIR, Database
from server.models import Base
from tests.support.pgcluster import postgres_cluster, postgres_url  # noqa: F401


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request, tmp_path):
    if request.param == "postgres":
        return request.getfixturevalue("postgres_url")
    return f"sqlite:///{tmp_path / 'server.db'}"


def upgrade(db: Database, revision: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with db.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)


def test_head_schema_matches_the_models(database_url):
    db = Database(database_url)
    try:
        db.migrate()
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
    finally:
        db.dispose()


def test_upgrading_to_attachment_names_keeps_uploads_and_references(database_url):
    db = Database(database_url)
    try:
        upgrade(db, "0001")
        with db.engine.begin() as conn:
            conn.execute(sa.text("INSERT INTO blob_uploads (sha256, user_id, at) "
                                 "VALUES ('a1', 'u1', '2026-11-23 01:00:00.000000')"))
            conn.execute(sa.text("INSERT INTO blob_refs (sha256, entity, entity_id) "
                                 "VALUES ('a1', 'case', 'c1')"))
        upgrade(db, "head")
        with db.engine.connect() as conn:
            assert conn.execute(sa.text(
                "SELECT user_id, file_name FROM blob_uploads")).all() == [("u1", None)]
            assert conn.execute(sa.text(
                "SELECT entity_id, file_name FROM blob_refs")).all() == [("c1", None)]
    finally:
        db.dispose()
