"""Settings for ZI Portal: one module, every value from the environment.

Development defaults are safe to run on a laptop (SQLite, DEBUG on when asked);
with DEBUG off the portal refuses to start without a real SECRET_KEY.
"""

import subprocess
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from zi_portal.storage_config import s3_storage

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
    "django_ratelimit",
    "zi_portal",
    "units",
    "evaluations",
    "awards",
    "dashboards",
    "backup",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "zi_portal.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "zi_portal.middleware.PortalLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "zi_portal.middleware.SignedInNoStoreMiddleware",
    "zi_portal.middleware.UnusableInputMiddleware",
    # Turns a refusal over a rate limit into RATELIMIT_VIEW's 429.
    "django_ratelimit.middleware.RatelimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "zi_portal.middleware.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so that it sees the authenticated user and the final response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "zi_portal.urls"
# Where Django's admin lives: a path of one's own keeps it off scanners' lists of /admin/.
ADMIN_URL = env.str("ADMIN_URL", default="admin/").strip("/") + "/"
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
    # A transaction-pooling PgBouncer (docs/scaling.md) forbids server-side cursors.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True


# A deploy changes RELEASE (e.g. to the commit it ships), so that no HTML rendered by an earlier
# release is ever read back from a shared cache: every key carries it through KEY_PREFIX.
def _git_commit() -> str:
    try:
        found = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=BASE_DIR,
            capture_output=True,
            text=True,
            timeout=5,
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return found.stdout.strip() if found.returncode == 0 else ""


RELEASE = env.str("RELEASE", default="") or _git_commit() or "dev"

# Per process by default; CACHE_URL (e.g. rediscache://127.0.0.1:6379/1) shares one between
# workers and machines. It holds the dashboards' figures and the rendered LKE body.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
CACHES["default"]["KEY_PREFIX"] = f"zi:{RELEASE}"
# Background jobs (docs/architecture.md, "Background jobs"). A broker (redis://127.0.0.1:6379/0)
# sends them to `make worker`; without one they run in the process that queues them, as its
# transaction commits (make run, the tests), so nothing else must run and beat never does.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="memory://localhost/")
CELERY_TASK_ALWAYS_EAGER = CELERY_BROKER_URL.startswith("memory://")
CELERY_TASK_EAGER_PROPAGATES = True
# Jobs write what they make to the database or storage; nobody waits on a task's return value.
CELERY_TASK_IGNORE_RESULT = True
# A job is acknowledged when done, so a worker that dies mid-job leaves it for the next one.
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "Asia/Jakarta"
CELERY_BEAT_SCHEDULE: dict = {
    "evaluations.bulk_exports_purge": {
        "task": "evaluations.bulk_exports_purge",
        "schedule": 60 * 60,  # hourly: an export goes soon after BULK_EXPORT_KEEP_DAYS
    },
    # Dashboard figures computed ahead (dashboards/tasks.py), in seconds: the national figures of
    # every year with data, and each agency's of this year (~630 agencies, a minute of work).
    # Changes that move figures also queue their recompute; the pages say how often.
    "dashboards-national": {"task": "dashboards.refresh_national", "schedule": 10 * 60},
    "dashboards-agencies": {"task": "dashboards.refresh_agencies", "schedule": 30 * 60},
}
# A bulk export (every LKE workbook and LHE of an agency's year, as one zip) is kept this long.
BULK_EXPORT_KEEP_DAYS = env.int("BULK_EXPORT_KEEP_DAYS", default=3)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses a locked-out login before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {
        # Django's list, the passwords of published breaches (zxcvbn's list) and common
        # Indonesian ones, bundled: no network at run time.
        "NAME": "django.contrib.auth.password_validation.CommonPasswordValidator",
        "OPTIONS": {
            "password_list_path": BASE_DIR / "zi_portal" / "data" / "common-passwords.txt.gz"
        },
    },
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Across usernames from one address, and across addresses for one username (login_throttle.py).
AXES_HANDLER = "zi_portal.login_throttle.PortalAxesHandler"
# A refusal during a lockout is the lockout's: it neither extends it nor counts as a new failure
# (and so the handler's own rules, not only axes' count, decide the response).
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
LOGIN_IP_FAILURE_LIMIT = env.int("LOGIN_IP_FAILURE_LIMIT", default=20)
LOGIN_USERNAME_FAILURE_LIMIT = env.int("LOGIN_USERNAME_FAILURE_LIMIT", default=30)
LOGIN_USERNAME_MIN_ADDRESSES = env.int("LOGIN_USERNAME_MIN_ADDRESSES", default=5)
AXES_USERNAME_CALLABLE = "zi_portal.login_throttle.username"
# Addresses (or networks) of the proxies in front of the portal, whose X-Forwarded-For is believed.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
AXES_CLIENT_IP_CALLABLE = "zi_portal.client_ip.client_ip"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Read from the cache, written through to the database: a restart signs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Downloads that take seconds of a worker each (the LHE PDF, the workbook): per person, at most
# this many (django-ratelimit's "count/period"); more get 429 with a message.
EXPENSIVE_DOWNLOADS_RATE = env.str("EXPENSIVE_DOWNLOADS_RATE", default="20/m")
RATELIMIT_VIEW = "zi_portal.views.too_many_requests"
if CACHES["default"]["BACKEND"].endswith("LocMemCache"):
    # One process's own count (make run, the tests); a shared cache (CACHE_URL) counts for all.
    SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]

# A forgotten password is reset through a link by e-mail, valid this long and used once.
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=60 * 60)
# EMAIL_URL (e.g. smtp+tls://user:password@smtp.example.go.id:587) in production; the console in
# development, where the message with its link is printed by `make run`.
vars().update(
    env.email_url("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25")
)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="ZI Portal <noreply@localhost>")

# Signed out after this long without a request; SESSION_COOKIE_AGE bounds the whole session.
SESSION_IDLE_SECONDS = env.int("SESSION_IDLE_SECONDS", default=30 * 60)

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
# Uploaded files (charters, evidence, attachments, workbooks awaiting confirmation) are served
# only through views that check access, so MEDIA_URL is never routed and no file has a public
# URL. They live on the local disk (MEDIA_ROOT) unless STORAGE_BACKEND=s3 puts them in an
# S3-compatible bucket (AWS, MinIO, a government cloud). The credentials are not settings:
# boto3 reads AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or a machine role) itself, and
# AWS_CA_BUNDLE and HTTPS_PROXY likewise.
STORAGE_BACKEND = env.str("STORAGE_BACKEND", default="filesystem")
if STORAGE_BACKEND == "filesystem":
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
elif STORAGE_BACKEND == "s3":
    _default_storage = s3_storage(
        bucket=env.str("AWS_STORAGE_BUCKET_NAME"),
        endpoint_url=env.str("AWS_S3_ENDPOINT_URL", default=""),
        region=env.str("AWS_S3_REGION_NAME", default=""),
        addressing_style=env.str("AWS_S3_ADDRESSING_STYLE", default=""),
        default_acl=env.str("AWS_DEFAULT_ACL", default=""),
        url_expire_seconds=env.int("AWS_QUERYSTRING_EXPIRE", default=60),
    )
else:
    raise ImproperlyConfigured("STORAGE_BACKEND must be 'filesystem' or 's3'.")
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Uploads (charters, evidence) live in the default storage's "private/" folder; see
# zi_portal/uploads.py.
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
    # The browser accepts a __Host- cookie only over HTTPS, for this host and path "/": no
    # other subdomain can set or shadow it.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # No SECURE_PROXY_SSL_HEADER: anyone may send X-Forwarded-Proto. gunicorn believes it only
    # from --forwarded-allow-ips (make serve passes TRUSTED_PROXIES) and then tells Django the
    # request came over HTTPS.

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Axes logs every successful login at INFO; failures and lockouts are warnings.
        "axes": {"level": "WARNING"},
        # WeasyPrint logs each step of every PDF, and fontTools each table of each font it
        # subsets: ~140 lines per LHE. Their warnings still show.
        "weasyprint.progress": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
