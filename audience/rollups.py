"""The fold's SQL: multi-row `INSERT … ON CONFLICT` statements that add a batch's sums to the
rollup rows (or create them), in as few round trips as the database's limit on parameters
allows. The same SQL runs on PostgreSQL and on SQLite (3.35 and later: upserts, RETURNING).

Why not the ORM: `bulk_create(update_conflicts=True)` sets a row's counts to the batch's
instead of adding to them, and two workers (or a retry) must add, never overwrite.
"""

from collections.abc import Iterable, Sequence

from django.db import connection

# Bound parameters per statement: under SQLite's 32,766 and PostgreSQL's 65,535.
MAX_PARAMS = 30_000


def _chunks(rows: Sequence[tuple], width: int) -> Iterable[Sequence[tuple]]:
    size = max(1, MAX_PARAMS // width)
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _insert(table: str, columns: Sequence[str], rows: Sequence[tuple], tail: str, returning=""):
    """Run `INSERT INTO table (columns) VALUES (…), (…) tail` over `rows`, chunked; the rows
    `returning` gave, if it names columns."""
    quote = connection.ops.quote_name
    head = f"INSERT INTO {quote(table)} ({', '.join(map(quote, columns))}) VALUES "
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    back = f" RETURNING {', '.join(map(quote, returning))}" if returning else ""
    found = []
    with connection.cursor() as cursor:
        for chunk in _chunks(rows, len(columns)):
            params = [value for row in chunk for value in row]
            cursor.execute(head + ", ".join([one] * len(chunk)) + tail + back, params)
            if returning:
                found.extend(cursor.fetchall())
    return found


def add_to(table: str, keys: Sequence[str], counts: Sequence[str], rows: Sequence[tuple]) -> None:
    """Add each row's counts (its last `len(counts)` values) to the row with its keys, creating
    it when there is none."""
    if not rows:
        return
    quote = connection.ops.quote_name
    added = ", ".join(
        f"{quote(c)} = {quote(table)}.{quote(c)} + excluded.{quote(c)}" for c in counts
    )
    tail = f" ON CONFLICT ({', '.join(map(quote, keys))}) DO UPDATE SET {added}"
    _insert(table, [*keys, *counts], rows, tail)


def insert_new(table: str, columns: Sequence[str], rows: Sequence[tuple]) -> list[tuple]:
    """Insert the rows not there yet (by the table's unique constraint on `columns`); the
    ones that were new. How the fold counts a visitor once a day."""
    if not rows:
        return []
    return _insert(table, columns, rows, " ON CONFLICT DO NOTHING", returning=columns)


def replace_older(
    table: str, key: str, columns: Sequence[str], rows: Sequence[tuple], newer: str
) -> None:
    """Insert the rows, or overwrite the row with the same `key` where the new `newer` value
    is later than the stored one (a live reader's last page)."""
    if not rows:
        return
    quote = connection.ops.quote_name
    values = ", ".join(f"{quote(c)} = excluded.{quote(c)}" for c in columns if c != key)
    tail = (
        f" ON CONFLICT ({quote(key)}) DO UPDATE SET {values}"
        f" WHERE excluded.{quote(newer)} > {quote(table)}.{quote(newer)}"
    )
    _insert(table, columns, rows, tail)
