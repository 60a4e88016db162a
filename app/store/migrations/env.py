"""Alembic environment for the client cache.

Run only through app.store.db.migrate(), which hands over an open (keyed) SQLCipher
connection: there is no URL here because the key must never sit in a config file.
"""

from alembic import context

from app.store.models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("the cache migrations run through app.store.db.migrate(), not the CLI")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite can't ALTER most things; batch mode rebuilds the table
)
with context.begin_transaction():
    context.run_migrations()
