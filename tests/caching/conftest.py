"""The caching tests run on local memory and on a real Redis (TEST_REDIS_URL), configured as
production has it (django-redis, IGNORE_EXCEPTIONS)."""

import pytest
from django.core.cache import cache

from caching import store
from tests.caching_kit import use_real_redis


@pytest.fixture(params=["locmem", "redis"])
def cache_backend(request, settings):
    """One cache backend, emptied: local memory, or the real Redis (in CI it must be there)."""
    if request.param == "redis":
        use_real_redis(settings)
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
