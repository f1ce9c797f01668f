"""When the database is unreachable, readers get "back in a moment", not an error page.

Django turns any exception it cannot handle into `handler500`; this one answers a lost
database connection with 503 Service Unavailable and `Retry-After`, for readers and staff
alike. Pages already in the page cache keep being served: a cache hit never reaches here.
Recovery needs no restart: Django drops a connection that failed at the end of the request
(and, with CONN_HEALTH_CHECKS, one that broke while idle), so the next request reconnects.
"""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.views import defaults

logger = logging.getLogger(__name__)

# Long enough for a database restart or failover, short enough that readers come back soon.
RETRY_AFTER_SECONDS = 30
FALLBACK = "<!doctype html><title>Back in a moment</title><h1>Back in a moment</h1>"


def server_error(request):
    """500 as usual, or 503 if the request failed because the database could not be reached."""
    if not database_unreachable(sys.exc_info()[1]):
        return defaults.server_error(request)
    try:
        # No request, so no context processors: nothing here may need the database.
        content = render_to_string("503.html", {"retry_after": RETRY_AFTER_SECONDS})
    except Exception:  # noqa: BLE001 - the error page itself must not fail
        logger.exception("Could not render 503.html")
        content = FALLBACK
    response = HttpResponse(content, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"  # neither a CDN nor a browser may keep the outage
    return response


def database_unreachable(error: BaseException | None) -> bool:
    """Whether this error, or one it was raised from, is a failed database connection
    (refused, dropped, timed out). Django reports all of those as OperationalError or
    InterfaceError, whatever the backend."""
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, OperationalError | InterfaceError):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False
