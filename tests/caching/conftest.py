"""The caching tests run on local memory and on a real Redis (TEST_REDIS_URL), configured as
production has it (django-redis, IGNORE_EXCEPTIONS)."""

import os

import pytest
from django.core.cache import cache

from caching import store
from tests.caching_kit import REDIS_URL, redis_available, redis_cache


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


@pytest.fixture
def remembered_values(settings):
    """Values remembered for pages (caching.values), as in production."""
    settings.REMEMBER_VALUES = True
