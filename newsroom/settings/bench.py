"""The benchmark's gunicorn (`make bench`, `make load-test`): production, plus the devtools app
for /_bench/fixed/, the fixed-page ceiling the pages are measured against. Never deployed."""

from .production import *  # noqa: F403

INSTALLED_APPS += ["devtools"]  # noqa: F405
