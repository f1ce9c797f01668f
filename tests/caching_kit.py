"""Helpers for tests of what readers' caches are told (caching.invalidation)."""

from caching.store import store


def invalidations() -> int:
    """How many changes the cache has been told of so far: each announcement, once committed,
    is one invalidation (caching.store counts them)."""
    return store().lookup("count").seq
