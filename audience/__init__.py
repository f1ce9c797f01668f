"""What readers read: first-party, cookie-free audience figures (docs/audience.md).

The path of a count, one module a step:

- `events.py`: the event format, the one thing every step agrees on.
- `collecting.py`: the beacon endpoint (a middleware answering before sessions and CSRF):
  validates, drops bots, hashes the visitor with the day's salt, appends to the buffer.
- `buffer.py`: where events wait (a Redis stream, or a database table without Redis).
- `folding.py`: the worker's step, buffer to rollups in PostgreSQL, idempotent by a cursor
  written in the same transaction as the rollups.
- `models.py`: the rollups (per day and hour, per story, page, section, series, author and
  the whole site), breakdowns, search terms, newsletter clicks and sign-ups, live readers.
- `figures.py`: what the desk reads from the rollups; `desk/audience_*.py` shows it.
"""
