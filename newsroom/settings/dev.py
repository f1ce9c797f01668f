"""Local development: `make run`. Safe defaults, never used in production."""

import os

from .base import *  # noqa: F403
from .base import env_bool, env_list

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-insecure-key-do-not-use-in-production"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
DEMO_ACCOUNTS = True
SERVE_MEDIA = env_bool("SERVE_MEDIA", True)
WHITENOISE_AUTOREFRESH = True

# Benchmarks, the load test, the corpus generator and the profiler (`manage.py help`).
INSTALLED_APPS += ["devtools"]  # noqa: F405
