"""Settings for ZI Portal: one module, every value from the environment.

Development defaults are safe to run on a laptop (SQLite, DEBUG on when asked);
with DEBUG off the portal refuses to start without a real SECRET_KEY.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)

# Only usable while DEBUG is on; production must provide its own key.
DEVELOPMENT_SECRET_KEY = "development-only-insecure-key-do-not-use-in-production"
SECRET_KEY = env.str("SECRET_KEY", default=DEVELOPMENT_SECRET_KEY)
if not DEBUG and (SECRET_KEY == DEVELOPMENT_SECRET_KEY or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 50 characters when DEBUG is off."
    )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "simple_history",
    "axes",
    "zi_portal",
    "units",
    "evaluations",
    "awards",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "zi_portal.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "zi_portal.middleware.PortalLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "zi_portal.middleware.PortalAuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so that it sees the authenticated user and the final response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "zi_portal.urls"
WSGI_APPLICATION = "zi_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "zi_portal.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiles a query whose *estimated* cost passes jit_above_cost. The
    # dashboards' correlated subqueries are estimated far above what they cost, so at national
    # scale JIT spent ~1.2 s compiling a query that ran in ~0.2 s. Web pages run short queries.
    # random_page_cost 1.1 (the default 4 models spinning disks) tells the planner that an index
    # probe into cached or SSD storage is cheap: it then reads an agency's 3,000 evaluations by
    # index instead of scanning all 100,000 (70 ms -> 8 ms). `?options=` in DATABASE_URL wins.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("options", "-c jit=off -c random_page_cost=1.1")
    # Django reads choice lists (every <select> of agencies) and .iterator() through a cursor
    # declared WITH HOLD, which costs a round trip and a materialised copy on commit: about 1 ms
    # for a one-row read here. Nothing the portal streams is large enough to need one, and a
    # transaction-pooling PgBouncer (README, "Scaling out") forbids them anyway.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
    # Server-side binding lets psycopg prepare a statement once a connection has run it
    # DB_PREPARE_THRESHOLD times (psycopg's own default, 5); PostgreSQL then skips parsing and
    # planning, ~0.3 ms of the ~0.4 ms each small query of a page cost here, 1-2 ms a page.
    # DB_PREPARE_THRESHOLD=off behind a pooler that cannot keep prepared statements (PgBouncer
    # in transaction mode before 1.21, or without max_prepared_statements).
    prepare_threshold = env.str("DB_PREPARE_THRESHOLD", default="5")
    if prepare_threshold != "off":
        DATABASES["default"]["OPTIONS"].setdefault("server_side_binding", True)
        DATABASES["default"]["OPTIONS"].setdefault("prepare_threshold", int(prepare_threshold))

# Per process by default; CACHE_URL (e.g. rediscache://127.0.0.1:6379/1 or dbcache://zi_cache)
# shares one between workers and machines. "default" keeps the dashboards' rendered figures for a
# few minutes (dashboards/views.py); "lke" holds rendered LKE pages under keys that change with
# their data (evaluations/lke_cache.py); "rows" holds rendered table rows under keys made of their
# values (row_cache.py); "stamped" holds pages under a token of the data they show (stamps.py).


def _cache(name: str, *, timeout: int, max_entries: int) -> dict:
    """Return the CACHE_URL cache under its own key prefix (a per-process one by default)."""
    config = env.cache("CACHE_URL", default=f"locmemcache://{name}")
    config.update(KEY_PREFIX=name, TIMEOUT=timeout)
    # Local memory, the database and files are bounded by entry count; Redis and memcached evict
    # by their own memory policy and refuse the option.
    if not any(server in config["BACKEND"] for server in (".redis.", ".memcached.")):
        config["OPTIONS"] = {**config.get("OPTIONS", {}), "MAX_ENTRIES": max_entries}
    return config


CACHES = {
    "default": env.cache("CACHE_URL", default="locmemcache://default"),
    "lke": _cache("lke", timeout=15 * 60, max_entries=500),
    # A row is a few hundred bytes: some 10 MB at most per worker.
    "rows": _cache("rows", timeout=60 * 60, max_entries=30_000),
    # Pages kept under a token of the data they show (stamps.py): a few kB each.
    "stamped": _cache("stamped", timeout=10 * 60, max_entries=5_000),
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses a locked-out login before any password is checked. The portal's
    # subclass also loads users for sessions (with their memberships), which test clients'
    # force_login relies on.
    "zi_portal.auth_backends.PortalBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Sessions carry their user's id in a column, so that one query reads both (zi_portal/sessions.py).
SESSION_ENGINE = "zi_portal.sessions"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STORAGES = {
    # Uploaded evidence lives outside the static path and is served only through views
    # that check access, so MEDIA_URL is never routed.
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Uploads (charters, evidence) live in MEDIA_ROOT / "private"; see zi_portal/uploads.py.
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=20 * 1024 * 1024)
UPLOAD_MAX_UNZIPPED_BYTES = env.int("UPLOAD_MAX_UNZIPPED_BYTES", default=200 * 1024 * 1024)

# LKE workbooks (import): refuse files above this size, and archives that inflate beyond the
# second limit or by more than the ratio (a zip bomb), before openpyxl reads them.
WORKBOOK_MAX_BYTES = env.int("WORKBOOK_MAX_BYTES", default=10 * 1024 * 1024)
WORKBOOK_MAX_UNCOMPRESSED_BYTES = env.int(
    "WORKBOOK_MAX_UNCOMPRESSED_BYTES", default=100 * 1024 * 1024
)
WORKBOOK_MAX_RATIO = env.int("WORKBOOK_MAX_RATIO", default=200)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # Axes logs every successful login at INFO; failures and lockouts are warnings.
    "loggers": {"axes": {"level": "WARNING"}},
}
