"""Per-IP allowances for the public forms (newsletter sign-up, contact), counted in the cache.

The cache is the right store: a count lost with it only gives an address a fresh hour, and a
cache that is down (django-redis's IGNORE_EXCEPTIONS) leaves the forms open rather than shut.
"""

from django.conf import settings
from django.core.cache import cache


def client_ip(request) -> str | None:
    """The reader's IP: REMOTE_ADDR, or with TRUSTED_PROXY_COUNT proxies in front, the entry
    they appended to X-Forwarded-For (entries before it are the client's to invent)."""
    hops = settings.TRUSTED_PROXY_COUNT
    if hops:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        forwarded = [entry.strip() for entry in forwarded if entry.strip()]
        if len(forwarded) >= hops:
            return forwarded[-hops][:45]
    return request.META.get("REMOTE_ADDR")


def allow(scope: str, ip: str | None, *, per_hour: int) -> bool:
    """Count one use of `scope` (a form) by `ip`; False once it passed `per_hour` uses in the
    hour that began with its first."""
    if not ip:
        return True
    key = f"{scope}:{ip}"
    cache.add(key, 0, timeout=3600)
    count = cache.incr(key)  # None when the cache is down: the form stays open
    return count is None or count <= per_hour
