"""Settings shared by every environment. Values come from the environment."""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}.")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "desk.apps.DeskAdminConfig",  # Django's admin with the desk home (desk/site.py)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # Before staticfiles: `runserver` leaves static files to WhiteNoise, as production does.
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "taggit",
    "reversion",
    "reversion_compare",
    "solo",
    "django_ckeditor_5",
    "csp",
    "axes",
    "newsroom",
    "media",
    "sections",
    "articles",
    "pages",  # the newsroom's own pages: About, Masthead, policies
    "menus",  # the header navigation and footer links, edited on the desk
    "contact",  # the contact form: messages, tips and error reports, kept and mailed
    "audience",  # cookie-free audience figures: the beacon, the buffer, the rollups
    "desk.apps.DeskConfig",
    "wordpress",
    "newsletters",
    # After the apps whose models it names (caching.apps): page cache, keys, CDN purges.
    "caching",
    # After newsroom: its `db_worker` (newsroom/management/commands) wraps this one's.
    "django_tasks",
    "django_tasks_db",
    "anymail",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # The audience beacon (/a/e, /a/p.gif) is answered here: a report needs no session,
    # CSRF token or CSP, and must cost well under a millisecond (audience.collecting).
    "audience.collecting.CollectMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # ETag / 304 Not Modified for every response, cached pages included.
    "django.middleware.http.ConditionalGetMiddleware",
    # Old WordPress addresses answer with a redirect to what they became (/?p=123, and any
    # address the site itself answers 404). Before the page cache, which would answer /?p=.
    "wordpress.middleware.LegacyRedirectMiddleware",
    # A cached page is answered here, before what it does not need (CSP, sessions, auth,
    # CSRF, messages, axes): the headers those set, and the Surrogate-Key naming what the
    # page shows, are stored with it (caching.middleware).
    "caching.middleware.PageCacheMiddleware",
    # Content-Security-Policy on every response; a cached page keeps the one it was sent with.
    "csp.middleware.CSPMiddleware",
    "newsroom.security.SecurityHeadersMiddleware",
    # Which database this request reads from (a replica, if one is configured).
    "newsroom.db.ReadYourWritesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a locked-out login into a clear refusal.
    "axes.middleware.AxesMiddleware",
]

# Staff logins: django-axes locks a username at one address out after repeated failures.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesBackend",  # refuses locked-out logins; authenticates nobody itself
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.25"))  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
# Staff sessions end after 12 hours, or when the browser closes.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(12 * 60 * 60)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "newsroom.context_processors.site",
            ],
        },
    },
]

# The embedded default is a SQLite file under var/; production sets DATABASE_URL to PostgreSQL.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'newsroom.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
if not os.environ.get("DATABASE_URL"):
    # SQLite makes the file but not its folder: a fresh clone's first `manage.py migrate`
    # must work without `make run` having made var/.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
# An optional read replica: readers' queries go there, staff and fresh writes to the primary
# (newsroom.db).
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
# A database server that stops answering (a dropped network, a host gone) fails the request
# after this many seconds, with the 503 page (newsroom.outage), instead of holding a worker
# until gunicorn kills it. `?connect_timeout=` in the URL wins.
for _database in DATABASES.values():
    if _database["ENGINE"].endswith("postgresql"):
        _database.setdefault("OPTIONS", {}).setdefault(
            "connect_timeout", int(os.environ.get("DB_CONNECT_TIMEOUT", "5"))
        )
        # An open connection to a host that went silent is found dead in about 25 s; and one
        # with a query sent but never acknowledged (keepalives do not probe then) in 30 s.
        for _option, _value in (
            ("keepalives", 1),
            ("keepalives_idle", 10),
            ("keepalives_interval", 5),
            ("keepalives_count", 3),
            ("tcp_user_timeout", 30_000),
        ):
            _database["OPTIONS"].setdefault(_option, _value)  # fmt: skip
        # A query that hangs (a lock, a runaway plan) frees its worker instead of holding it
        # until gunicorn kills it; the reader gets the 503 page. 0 turns it off.
        _database["OPTIONS"].setdefault(
            "options",
            f"-c statement_timeout={int(os.environ.get('DB_STATEMENT_TIMEOUT', '30000'))}",
        )
DATABASE_ROUTERS = ["newsroom.db.PrimaryReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# SQLite (the development default) ignores the INCLUDE columns of the listing indexes, which
# only PostgreSQL uses; nothing to act on.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# Values worked out from the database and kept until what they show changes: a story's
# surroundings, the home page's blocks, the navigation (caching.values, docs/caching.md);
# REMEMBER_VALUES=off works them out every request.
REMEMBER_VALUES = env_bool("REMEMBER_VALUES", True)

# Whole-page cache for anonymous readers (caching.middleware); PAGE_CACHE=off disables it.
PAGE_CACHE = env_bool("PAGE_CACHE", True)
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "300"))
# Purging the CDN by the keys of what changed (caching.cdn, docs/caching.md): which purger,
# where it sends the purge, the service/zone/distribution id and API token it needs, how
# long a save may wait for the CDN before it logs and gives up, and the window in which
# soft changes (edits) are gathered into one purge.
CDN_PURGE_BACKEND = os.environ.get("CDN_PURGE_BACKEND", "caching.cdn.NoPurger")
CDN_PURGE_URL = os.environ.get("CDN_PURGE_URL", "")
CDN_PURGE_SERVICE = os.environ.get("CDN_PURGE_SERVICE", "")
CDN_PURGE_TOKEN = os.environ.get("CDN_PURGE_TOKEN", "")
CDN_PURGE_TIMEOUT = float(os.environ.get("CDN_PURGE_TIMEOUT", "2"))
CDN_PURGE_WINDOW = float(os.environ.get("CDN_PURGE_WINDOW", "0.25"))

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    # django-redis keeps one client per process; Django's own Redis backend builds a new one
    # (copying every response callback) for each read, half the cost of a cached page.
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "newsroom"),
            # A Redis that stops answering costs a request this long, then it is rendered:
            # django-redis logs the error and answers as if nothing were stored.
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": float(os.environ.get("REDIS_CONNECT_TIMEOUT", "1")),
                "SOCKET_TIMEOUT": float(os.environ.get("REDIS_TIMEOUT", "1")),
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "uploads"))
# Let Django serve uploads itself (development, or one server with no proxy or object storage).
SERVE_MEDIA = env_bool("SERVE_MEDIA", DEBUG)

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Uploaded originals (with their EXIF, GPS included) are kept here, never served.
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": os.environ.get("PRIVATE_ROOT", str(VAR_DIR / "private"))},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# S3-compatible object storage (AWS S3, MinIO, R2…) for sites with several web servers.
# Credentials come from the usual AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY variables.
S3_BUCKET = os.environ.get("S3_BUCKET", "")
if S3_BUCKET:
    _S3 = {
        "bucket_name": S3_BUCKET,
        "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
        "region_name": os.environ.get("S3_REGION", "us-east-1"),
        "custom_domain": os.environ.get("S3_CUSTOM_DOMAIN") or None,
        "querystring_auth": False,  # public pictures: plain, cacheable URLs
        "file_overwrite": False,
        "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
    }
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": _S3}
    # Pictures come from the bucket (or its CDN domain): allow it in the CSP.
    _MEDIA_ORIGIN = (
        f"https://{_S3['custom_domain']}" if _S3["custom_domain"] else _S3["endpoint_url"]
    ) or f"https://{S3_BUCKET}.s3.amazonaws.com"
    STORAGES["private"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **_S3,
            "bucket_name": os.environ.get("S3_PRIVATE_BUCKET", S3_BUCKET),
            "location": "private",
            "custom_domain": None,
            "querystring_auth": True,  # only ever handed out as short-lived signed URLs
            "default_acl": "private",
            "object_parameters": {},
        },
    }

# Uploads: refused above these limits, with a message that says so.
IMAGE_MAX_UPLOAD_BYTES = int(os.environ.get("IMAGE_MAX_UPLOAD_BYTES", str(40 * 1000 * 1000)))
# import_wordpress fetches missing attachments from their old addresses, public ones only.
WORDPRESS_FETCH_PRIVATE_ADDRESSES = env_bool("WORDPRESS_FETCH_PRIVATE_ADDRESSES", False)
IMAGE_MAX_PIXELS = int(os.environ.get("IMAGE_MAX_PIXELS", str(60 * 1000 * 1000)))
# Make every rendition when an image is uploaded (off only in tests, which build them when
# they need them, to stay fast).
IMAGE_RENDITIONS_ON_UPLOAD = True

# --- Security headers, on in development too so a violation shows up while building.
# No inline scripts or styles on public pages (JSON-LD is data, not script, and passes).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "media-src": [SELF],
        "object-src": [NONE],
        "frame-src": [NONE],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
    }
}
if S3_BUCKET:
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(_MEDIA_ORIGIN)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- Audience figures (docs/audience.md): the beacon on public pages and its endpoint;
# AUDIENCE_ENABLED=off takes the script off the pages and the endpoint counts nothing.
AUDIENCE_ENABLED = env_bool("AUDIENCE_ENABLED", True)
# The request header a CDN puts the reader's country in (CF-IPCountry on Cloudflare,
# CloudFront-Viewer-Country on CloudFront); unset, no country is counted.
AUDIENCE_COUNTRY_HEADER = os.environ.get("AUDIENCE_COUNTRY_HEADER", "").strip()
# Raw events wait in the buffer at most this many days before they are folded or dropped.
AUDIENCE_RAW_DAYS = float(os.environ.get("AUDIENCE_RAW_DAYS", "7"))
# Events the worker folds in one transaction, and seconds between its folds (audience/tasks.py).
AUDIENCE_FOLD_BATCH = int(os.environ.get("AUDIENCE_FOLD_BATCH", "25000"))
AUDIENCE_FOLD_INTERVAL = float(os.environ.get("AUDIENCE_FOLD_INTERVAL", "10"))
# Tests only: seconds a fold waits inside its transaction (a worker killed there changes nothing).
AUDIENCE_FOLD_PAUSE = float(os.environ.get("AUDIENCE_FOLD_PAUSE", "0"))

# --- Email (desk notifications). With EMAIL_HOST set, mail goes through that SMTP server in
# every environment; without it, development prints mail to the console.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "newsroom@localhost")
# A mail server that does not answer costs a workflow step at most this many seconds.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "5"))
# EMAIL_PROVIDER picks how mail leaves: "smtp" (the default: EMAIL_HOST above, or the console
# without it) or any ESP django-anymail supports ("postmark", "amazon_ses", "mailgun",
# "sendgrid", "brevo"...), whose settings come from ANYMAIL_<SETTING> variables
# (ANYMAIL_POSTMARK_SERVER_TOKEN=… becomes ANYMAIL["POSTMARK_SERVER_TOKEN"]; docs/newsletters.md).
EMAIL_PROVIDER = os.environ.get("EMAIL_PROVIDER", "smtp").strip().lower() or "smtp"
if EMAIL_PROVIDER == "smtp":
    EMAIL_BACKEND = (
        "django.core.mail.backends.smtp.EmailBackend"
        if EMAIL_HOST
        else "django.core.mail.backends.console.EmailBackend"
    )
else:
    EMAIL_BACKEND = f"anymail.backends.{EMAIL_PROVIDER}.EmailBackend"
ANYMAIL = {
    name.removeprefix("ANYMAIL_"): value
    for name, value in os.environ.items()
    if name.startswith("ANYMAIL_") and value
}
# The tracking webhooks (/newsletters/webhooks/<esp>/tracking/) answer only to this
# "user:password" (HTTP basic auth), which the ESP's webhook address carries.
ANYMAIL.setdefault("WEBHOOK_SECRET", os.environ.get("ANYMAIL_WEBHOOK_SECRET", ""))
# The desk's address, for links in notification emails.
DESK_URL = os.environ.get("DESK_URL", "http://localhost:8000").rstrip("/")
# The public site's address, for links in newsletters and confirmation emails (no request there).
SITE_URL = os.environ.get("SITE_URL", "http://localhost:8000").rstrip("/")
# Newsletter sign-up (docs/newsletters.md): a confirmation link is good this long; an address
# gets at most one confirmation email per interval; one IP may ask this often an hour.
NEWSLETTER_CONFIRM_MAX_AGE = int(os.environ.get("NEWSLETTER_CONFIRM_MAX_AGE", str(3 * 24 * 3600)))
NEWSLETTER_CONFIRMATION_INTERVAL = 3600
NEWSLETTER_SIGNUPS_PER_IP = int(os.environ.get("NEWSLETTER_SIGNUPS_PER_IP", "20"))
# How many proxies (Varnish, a CDN, a load balancer) stand in front of Django and append to
# X-Forwarded-For: the reader's IP for the sign-up limit is that many entries from its end.
# 0: REMOTE_ADDR (behind a proxy, every reader would share the proxy's allowance).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
# The contact form (docs/contact.md): messages one IP may send an hour; the worker's first
# retry after the mail server failed (doubling each time, at most an hour) and how many tries
# before a message is left "not mailed" (it stays in the desk either way).
CONTACT_MESSAGES_PER_IP = int(os.environ.get("CONTACT_MESSAGES_PER_IP", "5"))
CONTACT_RETRY_DELAY = float(os.environ.get("CONTACT_RETRY_DELAY", "60"))
CONTACT_MAX_ATTEMPTS = int(os.environ.get("CONTACT_MAX_ATTEMPTS", "12"))

# --- Background tasks (django-tasks, database backend): `manage.py db_worker` runs them.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Newsletter sending (newsletters/sending.py): messages a second per worker (0: no limit), how
# many deliveries a worker claims at a time, how long a claim lasts before another worker may
# take it over (a worker killed mid-batch), and the backoff after a temporary failure.
NEWSLETTER_RATE = float(os.environ.get("NEWSLETTER_RATE", "10"))
NEWSLETTER_BATCH = int(os.environ.get("NEWSLETTER_BATCH", "100"))
NEWSLETTER_CLAIM_TIMEOUT = float(os.environ.get("NEWSLETTER_CLAIM_TIMEOUT", "120"))
NEWSLETTER_RETRY_DELAY = float(os.environ.get("NEWSLETTER_RETRY_DELAY", "5"))
NEWSLETTER_RETRY_MAX_DELAY = float(os.environ.get("NEWSLETTER_RETRY_MAX_DELAY", "600"))
# A recipient the server keeps deferring (4xx) is given up after this many tries.
NEWSLETTER_MAX_ATTEMPTS = int(os.environ.get("NEWSLETTER_MAX_ATTEMPTS", "8"))
# A send runs this many seconds, then hands over to the next run (other tasks go in between).
NEWSLETTER_SLICE_SECONDS = 20
# How often the worker looks for digests whose time has come.
NEWSLETTER_DIGEST_INTERVAL = int(os.environ.get("NEWSLETTER_DIGEST_INTERVAL", "300"))

# Demo staff accounts (load_demo) exist only where a settings module turns this on.
DEMO_ACCOUNTS = False

# How long a reviewer's share link for an unpublished story stays valid.
PREVIEW_LINK_MAX_AGE = int(os.environ.get("PREVIEW_LINK_MAX_AGE", str(7 * 24 * 3600)))

TAGGIT_CASE_INSENSITIVE = True
# django-solo keeps the site settings row in the cache (cleared when it is saved).
SOLO_CACHE = "default"
SOLO_CACHE_TIMEOUT = 60 * 60
# Links typed without a scheme become https:// (Django 6 default).
FORMS_URLFIELD_ASSUME_HTTPS = True

# --- Rich text (django-ckeditor-5). The sanitiser's allow-list (newsroom/richtext.py) keeps
# exactly what this toolbar produces.
CKEDITOR_5_FILE_UPLOAD_PERMISSION = "staff"
CK_EDITOR_5_UPLOAD_FILE_VIEW_NAME = "media:editor-upload"
CKEDITOR_5_UPLOAD_FILE_TYPES = ["jpeg", "png", "gif", "webp"]
CKEDITOR_5_MAX_FILE_SIZE = 20  # megabytes
_HEADINGS = {
    "options": [
        {"model": "paragraph", "title": "Paragraph", "class": "ck-heading_paragraph"},
        {"model": "heading2", "view": "h2", "title": "Heading", "class": "ck-heading_heading2"},
        {
            "model": "heading3",
            "view": "h3",
            "title": "Subheading",
            "class": "ck-heading_heading3",
        },
    ]
}
# The editor bundle ships with more than our allow-list keeps; without these, what an editor
# pastes or types is what the sanitiser will store (no colours, fonts, raw HTML, source view
# or code blocks that vanish on save).
_UNUSED_EDITOR_PLUGINS = [
    "Font", "FontFamily", "FontSize", "FontColor", "FontBackgroundColor", "Highlight",
    "Alignment", "CodeBlock", "Code", "HtmlEmbed", "SourceEditing", "GeneralHtmlSupport",
    "FullPage", "Style", "Markdown", "Underline", "Strikethrough", "Subscript", "Superscript",
    "TodoList", "HorizontalLine", "IndentBlock", "TableProperties", "TableCellProperties",
    "Mention",
]  # fmt: skip
_PICTURE_PLUGINS = [
    "Image", "ImageBlock", "ImageInline", "ImageCaption", "ImageStyle", "ImageToolbar",
    "ImageResize", "ImageInsert", "ImageUpload", "LinkImage", "CKFinderUploadAdapter",
    "SimpleUploadAdapter",
]  # fmt: skip
_EMBED_PROVIDERS = [
    {"name": name, "url": pattern}
    for name, pattern in [
        ("youtube", r"^(?:m\.)?(?:youtube\.com|youtu\.be)/"),
        ("vimeo", r"^(?:player\.)?vimeo\.com/"),
        ("x", r"^(?:twitter|x)\.com/"),
        ("bluesky", r"^bsky\.app/"),
        ("instagram", r"^instagram\.com/"),
        ("facebook", r"^facebook\.com/"),
        ("tiktok", r"^tiktok\.com/"),
        ("spotify", r"^open\.spotify\.com/"),
        ("soundcloud", r"^soundcloud\.com/"),
        ("google maps", r"^google\.[a-z.]+/maps/"),
    ]
]
CKEDITOR_5_CONFIGS = {
    "default": {
        "toolbar": {
            "items": [
                "heading",
                "|",
                "bold",
                "italic",
                "link",
                "|",
                "blockQuote",
                "bulletedList",
                "numberedList",
                "insertTable",
                "|",
                "insertImage",
                "mediaEmbed",
                "pageBreak",
                "|",
                "undo",
                "redo",
            ],
            "shouldNotGroupWhenFull": True,
        },
        "heading": _HEADINGS,
        "removePlugins": _UNUSED_EDITOR_PLUGINS,
        "image": {
            "toolbar": ["imageTextAlternative", "toggleImageCaption"],
            # Upload only (no "insert by URL": a picture from elsewhere carries no credit).
            # desk/static/desk/picture_upload.js asks for the credit before one is placed.
            "insert": {"integrations": ["upload"]},
        },
        "link": {"defaultProtocol": "https://"},
        # Readers get an embed as a link (richtext.embeds_as_links): the editor shows it the
        # same way. Providers without an `html` preview draw the URL, never a frame (the
        # admin's CSP blocks frames). Patterns are matched without the scheme and "www.".
        "mediaEmbed": {"previewsInData": False, "providers": _EMBED_PROVIDERS},
        # Header rows and columns, merged cells and a caption; no cell colours or borders
        # (the sanitiser keeps no styles, and the site's stylesheet draws tables).
        "table": {
            "contentToolbar": ["tableColumn", "tableRow", "mergeTableCells", "toggleTableCaption"]
        },
    },
    "teaser": {
        "toolbar": {"items": ["bold", "italic", "link", "|", "undo", "redo"]},
        # A teaser is text: no pictures (and so no empty picture toolbar to warn about).
        "removePlugins": _UNUSED_EDITOR_PLUGINS + _PICTURE_PLUGINS,
        "link": {"defaultProtocol": "https://"},
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
