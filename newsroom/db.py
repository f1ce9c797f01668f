"""Database routing for a primary with an optional read replica (DATABASE_REPLICA_URL).

Readers' requests read from the replica. Anything that must see its own writes reads from
the primary: every write, every request from staff (they have a session), and every request
for a few seconds after a write from the same browser (the `recent-write` cookie), so an
editor who publishes and reloads never sees the replica's lag.
"""

from contextvars import ContextVar

from django.conf import settings

REPLICA = "replica"
READ_YOUR_WRITES_COOKIE = "recent-write"
READ_YOUR_WRITES_SECONDS = 10

_use_primary: ContextVar[bool] = ContextVar("use_primary", default=False)


def has_replica() -> bool:
    return REPLICA in settings.DATABASES


class PrimaryReplicaRouter:
    """Reads go to the replica unless this request must read its own writes."""

    def db_for_read(self, model, **hints):
        if has_replica() and not _use_primary.get():
            return REPLICA
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # same data, whichever copy it was read from

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


class ReadYourWritesMiddleware:
    """Sends a request's reads to the primary when it writes, comes from staff, or follows a
    recent write from the same browser."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        writes = request.method not in ("GET", "HEAD", "OPTIONS")
        primary = (
            writes
            or settings.SESSION_COOKIE_NAME in request.COOKIES
            or READ_YOUR_WRITES_COOKIE in request.COOKIES
        )
        token = _use_primary.set(primary)
        try:
            response = self.get_response(request)
        finally:
            _use_primary.reset(token)
        if writes and has_replica():
            response.set_cookie(
                READ_YOUR_WRITES_COOKIE, "1", max_age=READ_YOUR_WRITES_SECONDS, httponly=True,
                samesite="Lax", secure=request.is_secure(),
            )  # fmt: skip
        return response
