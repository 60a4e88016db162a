"""Many rows into one table at once: what a push writes (hundreds of rows per table).

SQLAlchemy's ``execute(insert(table), rows)`` builds and converts each row's parameters one
by one, and on PostgreSQL sends one INSERT per row. Here each column's values are converted
together, by the column type's own bind conversion, and then go

- on PostgreSQL, as one ``INSERT … SELECT * FROM unnest(array, array, …)``: one statement
  and one (binary) parameter per column, whatever the number of rows;
- on SQLite, to the driver's ``executemany`` of one INSERT (SQLite runs in this process: a
  statement per row costs no round trip), or, to return keys, as multi-row ``VALUES``.

:func:`present` asks which of many values a column holds, the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import Column, Connection, Dialect, Table, any_, bindparam, select
from sqlalchemy.dialects import postgresql

from app.sqltypes import UTCDateTime

SQLITE_ROWS_PER_STATEMENT = 500  # × columns stays under SQLite's 32,766 parameters


def insert_rows(conn: Connection, table: Table, rows: Sequence[dict[str, Any]], *,
                skip_taken: bool = False) -> int:
    """Insert ``rows`` (dicts with the same keys: column names). With ``skip_taken``, a row
    whose key or a unique value is taken is left out (on PostgreSQL, once a transaction
    inserting the same value has ended). Returns how many rows were inserted."""
    if not rows:
        return 0
    shape = _shape(conn.dialect, table, tuple(rows[0]))
    columns = shape.columns(rows)
    if shape.postgres:
        return conn.exec_driver_sql(shape.unnest(skip_taken), shape.arrays(columns)).rowcount
    return conn.exec_driver_sql(shape.values(1, skip_taken),
                                list(zip(*columns, strict=True))).rowcount


def insert_new_keys(conn: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> list:
    """Insert the rows whose key and unique values are free (``skip_taken``); the primary
    keys of those inserted."""
    if not rows:
        return []
    shape = _shape(conn.dialect, table, tuple(rows[0]))
    columns = shape.columns(rows)
    if shape.postgres:
        return list(conn.exec_driver_sql(shape.unnest(True, returning=True),
                                         shape.arrays(columns)).scalars())
    keys: list = []
    values = list(zip(*columns, strict=True))
    for start in range(0, len(values), SQLITE_ROWS_PER_STATEMENT):
        chunk = values[start:start + SQLITE_ROWS_PER_STATEMENT]
        keys += conn.exec_driver_sql(shape.values(len(chunk), True, returning=True),
                                     tuple(v for row in chunk for v in row)).scalars()
    return keys


def present(conn: Connection, column: Column, values: Collection[Any]) -> set:
    """Which of ``values`` the column holds. On PostgreSQL the values go as one array: an
    ``IN`` list of hundreds of parameters is a new, long statement text every time."""
    if not values:
        return set()
    if conn.dialect.name == "postgresql":
        condition = column == any_(bindparam("values", list(values),
                                             type_=postgresql.ARRAY(column.type)))
    else:
        condition = column.in_(values)
    return set(conn.scalars(select(column).where(condition)))


@dataclass(frozen=True)
class _Shape:
    """An INSERT into some columns of a table, for one dialect."""

    postgres: bool
    names: tuple[str, ...]
    converters: tuple[Callable[[Any], Any] | None, ...]  # the types' bind conversions
    of_times: tuple[bool, ...]  # which columns hold instants (UTCDateTime)
    sql_types: tuple[str, ...]
    into: str  # INSERT INTO table (columns)
    returning: str  # RETURNING the primary key

    def columns(self, rows: Sequence[dict[str, Any]]) -> list[list[Any]]:
        """Each column's values, as the driver takes them."""
        out = []
        for name, convert, of_times in zip(self.names, self.converters, self.of_times,
                                           strict=True):
            values = [row[name] for row in rows]
            if convert is None:
                out.append(values)
            elif of_times:  # most rows of a push carry its one instant: convert that once
                done: dict[Any, Any] = {}
                out.append([done[v] if v in done else done.setdefault(v, convert(v))
                            for v in values])
            else:
                out.append([convert(v) for v in values])
        return out

    @staticmethod
    def arrays(columns: list[list[Any]]) -> dict[str, list[Any]]:
        return {f"c{i}": values for i, values in enumerate(columns)}

    def unnest(self, skip_taken: bool, *, returning: bool = False) -> str:
        arrays = ", ".join(f"%(c{i})b::{t}[]" for i, t in enumerate(self.sql_types))
        return self._finish(f"{self.into} SELECT * FROM unnest({arrays})", skip_taken,
                            returning)

    def values(self, n_rows: int, skip_taken: bool, *, returning: bool = False) -> str:
        row = f"({', '.join('?' for _ in self.names)})"
        return self._finish(f"{self.into} VALUES {', '.join([row] * n_rows)}", skip_taken,
                            returning)

    def _finish(self, sql: str, skip_taken: bool, returning: bool) -> str:
        return (sql + (" ON CONFLICT DO NOTHING" if skip_taken else "")
                + (self.returning if returning else ""))


@cache  # per dialect, table and columns: looked up once
def _shape(dialect: Dialect, table: Table, names: tuple[str, ...]) -> _Shape:
    columns = [table.c[name] for name in names]
    quote = dialect.identifier_preparer.quote
    return _Shape(
        postgres=dialect.name == "postgresql",
        names=names,
        converters=tuple(c.type.dialect_impl(dialect).bind_processor(dialect)
                         for c in columns),
        of_times=tuple(isinstance(c.type, UTCDateTime) for c in columns),
        sql_types=tuple(c.type.compile(dialect=dialect) for c in columns),
        into=f"INSERT INTO {quote(table.name)} ({', '.join(quote(n) for n in names)})",
        returning=f" RETURNING {', '.join(quote(c.name) for c in table.primary_key)}",
    )
