"""Production: PostgreSQL, Redis, object storage, behind gunicorn.

Refuses to start without its secrets rather than fall back to an unsafe default.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DATABASES, STORAGES, env_bool, env_list

DEBUG = False


def _required(name: str) -> str:
    value = os.environ.get(name, "")
    if not value:
        raise ImproperlyConfigured(f"{name} must be set in production (see .env.example).")
    return value


SECRET_KEY = _required("SECRET_KEY")
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("dev-only"):
    raise ImproperlyConfigured("SECRET_KEY must be a long random value in production.")
_required("DATABASE_URL")
if not DATABASES["default"]["ENGINE"].endswith("postgresql"):
    raise ImproperlyConfigured("Production runs on PostgreSQL: DATABASE_URL must be postgres://…")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS") or _required("ALLOWED_HOSTS").split(",")
DEMO_ACCOUNTS = False

# The page cache and its invalidation must be shared by every worker: with a cache per
# process, an unpublished story would linger in the workers that did not handle the change.
if PAGE_CACHE and not REDIS_URL:  # noqa: F405
    raise ImproperlyConfigured(
        "REDIS_URL must be set in production (or PAGE_CACHE=off): every gunicorn worker must "
        "share the page cache, or an unpublished story could linger in the others."
    )

DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("DB_CONN_MAX_AGE", "60"))

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
