"""Helpers for the tests of caching: a real Redis configured as production has it, and what
readers' caches are told (caching.invalidation)."""

import os

import pytest
import redis

from caching.store import store


def _redis_url() -> str:
    """TEST_REDIS_URL, with a database of its own for each parallel test process (pytest-xdist's
    gw0, gw1, … count down from its number): clearing the cache empties a whole database."""
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
    if worker == 0:
        return url
    base, _, database = url.rpartition("/")
    return f"{base}/{(int(database or 0) - worker) % 16}"


REDIS_URL = _redis_url()


def redis_available() -> bool:
    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


def use_real_redis(settings, **cache_options) -> None:
    """The default cache on the real Redis at TEST_REDIS_URL; the test is skipped without one
    (failed in CI, where it must be there)."""
    if not redis_available():
        if os.environ.get("CI"):
            pytest.fail(f"Redis is not reachable at {REDIS_URL}")
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    settings.CACHES = redis_cache(REDIS_URL, **cache_options)


def redis_cache(location: str = REDIS_URL, prefix: str = "newsroom-tests", **options) -> dict:
    """CACHES as production has them (django-redis, IGNORE_EXCEPTIONS), at `location`."""
    return {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": location,
            "KEY_PREFIX": prefix,
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, **options},
        }
    }


def invalidations() -> int:
    """How many changes the cache has been told of so far: each announcement, once committed,
    is one invalidation (caching.store counts them)."""
    return store().lookup("count").seq
