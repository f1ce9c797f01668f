from tests.caching.conftest import cache_backend, page_cache  # noqa: F401 - the real page cache
