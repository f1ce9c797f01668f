"""The test suite: `make test`. DATABASE_URL picks PostgreSQL; unset, SQLite."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import DATABASES, STORAGES

DEBUG = False
SECRET_KEY = "test-only-key"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
DEMO_ACCOUNTS = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = Path(os.environ.get("TEST_MEDIA_ROOT", tempfile.mkdtemp(prefix="newsroom-media-")))
STORAGES = {
    **STORAGES,
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": tempfile.mkdtemp(prefix="newsroom-private-")},
    },
}

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # An in-memory test database: fast, and nothing left behind under var/.
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}
WHITENOISE_AUTOREFRESH = True

# Tests that need renditions build them explicitly (media.renditions.build_renditions).
IMAGE_RENDITIONS_ON_UPLOAD = False

# Most tests look at what a page renders; the page-cache tests (tests/caching/test_page_cache.py)
# turn it on and run the on-commit hooks that invalidate it.
PAGE_CACHE = False
# Likewise for remembered values (caching.values): a test that writes and reads back inside
# one transaction never commits, so nothing is dropped. tests/caching/test_fragments.py and
# test_query_budget.py turn it on.
REMEMBER_VALUES = False
# CDN purges of edits go at once in tests (no purger is set but in the CDN tests); the tests
# of the window set it.
CDN_PURGE_WINDOW = 0

# The tools are tested too (tests/articles/test_load_test_editor.py, tests/site/test_scale.py).
INSTALLED_APPS += ["devtools"]  # noqa: F405
