"""The fold's SQL: `INSERT … ON CONFLICT` statements that add a batch's sums to the rollup
rows (or create them), many rows a statement: on PostgreSQL one array a column, on SQLite
(3.35 and later: upserts, RETURNING) VALUES lists as long as its limit on parameters allows.

Why not the ORM: `bulk_create(update_conflicts=True)` sets a row's counts to the batch's
instead of adding to them, and two workers (or a retry) must add, never overwrite.
"""

from collections.abc import Iterable, Sequence

from django.db import connection

try:
    import psycopg
except ImportError:  # SQLite only
    psycopg = None

# Bound parameters per statement: under SQLite's 32,766. Rows per statement on PostgreSQL.
MAX_PARAMS = 30_000
MAX_ROWS = 50_000


def _chunks(rows: Sequence[tuple], size: int) -> Iterable[Sequence[tuple]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _insert(model, columns: Sequence[str], rows: Sequence[tuple], tail: str, returning=False):
    """Run `INSERT INTO table (columns) … tail` over `rows`, chunked; the rows it returned
    (the columns' values) if `returning`.

    On PostgreSQL the rows go as one array a column (`SELECT * FROM unnest(…)`): a statement
    of eight parameters is planned at once, where one of 30,000 parameters in VALUES lists
    took most of the fold's time (docs/audience-folding.md). SQLite takes VALUES lists."""
    quote = connection.ops.quote_name
    table = model._meta.db_table
    head = f"INSERT INTO {quote(table)} ({', '.join(map(quote, columns))}) "
    back = f" RETURNING {', '.join(map(quote, columns))}" if returning else ""
    found = []
    if connection.vendor == "postgresql":
        types = [model._meta.get_field(c).db_type(connection) for c in columns]
        arrays = ", ".join(f"%b::{kind}[]" for kind in types)
        sql = head + f"SELECT * FROM unnest({arrays})" + tail + back
        connection.ensure_connection()
        # Server-side binding, binary arrays: Django's cursor binds on the client, quoting
        # every value into the statement's text, which took half of a batch's write.
        with psycopg.Cursor(connection.connection) as cursor:
            for chunk in _chunks(rows, MAX_ROWS):
                cursor.execute(sql, [list(column) for column in zip(*chunk, strict=True)])
                if returning:
                    found.extend(cursor.fetchall())
        return found
    with connection.cursor() as cursor:
        one = "(" + ", ".join(["%s"] * len(columns)) + ")"
        for chunk in _chunks(rows, max(1, MAX_PARAMS // len(columns))):
            params = [value for row in chunk for value in row]
            cursor.execute(head + "VALUES " + ", ".join([one] * len(chunk)) + tail + back, params)
            if returning:
                found.extend(cursor.fetchall())
    return found


def add_to(model, keys: Sequence[str], counts: Sequence[str], rows: Sequence[tuple]) -> None:
    """Add each row's counts (its last `len(counts)` values) to the row with its keys, creating
    it when there is none."""
    if not rows:
        return
    quote = connection.ops.quote_name
    table = model._meta.db_table
    added = ", ".join(
        f"{quote(c)} = {quote(table)}.{quote(c)} + excluded.{quote(c)}" for c in counts
    )
    tail = f" ON CONFLICT ({', '.join(map(quote, keys))}) DO UPDATE SET {added}"
    _insert(model, [*keys, *counts], rows, tail)


def insert_new(model, columns: Sequence[str], rows: Sequence[tuple]) -> list[tuple]:
    """Insert the rows not there yet (by the table's unique constraint on `columns`); the
    ones that were new. How the fold counts a visitor once a day."""
    if not rows:
        return []
    return _insert(model, columns, rows, " ON CONFLICT DO NOTHING", returning=True)


def replace_older(
    model, key: str, columns: Sequence[str], rows: Sequence[tuple], newer: str
) -> None:
    """Insert the rows, or overwrite the row with the same `key` where the new `newer` value
    is later than the stored one (a live reader's last page)."""
    if not rows:
        return
    quote = connection.ops.quote_name
    table = model._meta.db_table
    values = ", ".join(f"{quote(c)} = excluded.{quote(c)}" for c in columns if c != key)
    tail = (
        f" ON CONFLICT ({quote(key)}) DO UPDATE SET {values}"
        f" WHERE excluded.{quote(newer)} > {quote(table)}.{quote(newer)}"
    )
    _insert(model, columns, rows, tail)
