"""The caching tests run on local memory and on a real Redis (TEST_REDIS_URL), configured as
production has it (django-redis, IGNORE_EXCEPTIONS)."""

import os

import pytest
import redis
from django.core.cache import cache

from caching import store

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def redis_available() -> bool:
    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


def redis_cache(location: str, **options) -> dict:
    """CACHES as production has them (django-redis), at `location`."""
    return {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": location,
            "KEY_PREFIX": "newsroom-tests",
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, **options},
        }
    }


@pytest.fixture(params=["locmem", "redis"])
def cache_backend(request, settings):
    """One cache backend, emptied: local memory, or the real Redis (in CI it must be there)."""
    if request.param == "redis":
        if not redis_available():
            if os.environ.get("CI"):
                pytest.fail(f"Redis is not reachable at {REDIS_URL}")
            pytest.skip(f"Redis is not reachable at {REDIS_URL}")
        settings.CACHES = redis_cache(REDIS_URL)
    cache.clear()
    store.clear()
    yield request.param
    cache.clear()


@pytest.fixture
def page_cache(cache_backend, settings):
    """The page cache turned on, on one cache backend."""
    settings.PAGE_CACHE = True
    return cache_backend
