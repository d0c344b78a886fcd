"""Settings of the portal, read from the environment through django-environ.

Every value comes from an environment variable (or a ``.env`` file beside
``manage.py``); ``.env.example`` lists and explains them all. The defaults need no
server: SQLite and a filesystem Celery broker under ``var/``, console e-mail.
Production differs from development and tests only by environment values.
A malformed value fails loudly at start-up (django-environ raises).
"""

import os
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from kombu import Queue

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def env_bool(name: str, *, default: bool) -> bool:
    """A boolean variable; anything but true/false spellings is an error, not False."""
    raw = env.str(name, default="").strip().lower()
    if not raw:
        return default
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


if env_bool("DJANGO_READ_DOT_ENV", default=True) and (BASE_DIR / ".env").is_file():
    env.read_env(BASE_DIR / ".env")

# Runtime files (SQLite database, Celery's filesystem broker, uploads, PDFs):
# never under the web root, never committed.
VAR_DIR = Path(env.str("VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

# --- Core -------------------------------------------------------------------

DEBUG = env_bool("DJANGO_DEBUG", default=False)

SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is required when DJANGO_DEBUG is False (see .env.example)."
        )
    # Development only: DEBUG is on, so this key never guards real sessions.
    SECRET_KEY = "dev-only-insecure-key-katingan-sosmed-not-for-production"  # noqa: S105

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "csp",
    "template_partials",
    "django_htmx",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # Sign-in hardening: lockout after failed attempts, TOTP second factor (accounts.twofactor).
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    # The portal's own apps; accounts is the ground floor the others stand on.
    "accounts",
    "inquiries",
    "publications",
    "reports",
    "notifications",
    "audit",
    "privacy",
    "regulation",
    "health",
    "benchdata",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "katingan_sosmed.i18n.CookieLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After authentication and messages: appointed officers acknowledge Pasal 12-13 first.
    "accounts.middleware.EthicsAcknowledgementMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, so its lockout page passes through the CSP and other headers above.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "katingan_sosmed.urls"
WSGI_APPLICATION = "katingan_sosmed.wsgi.application"

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
                "accounts.context_processors.navigation",
                "notifications.context_processors.unread",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    # A connection dropped by a PostgreSQL restart is noticed before use, not mid-request.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (Redis when REDIS_URL is set) ------------------------------------

REDIS_URL = env.str("REDIS_URL", default="")


def _per_test_process(url: str) -> str:
    """Under pytest-xdist, the Redis database of this test process.

    The processes of a parallel run each have their own test database (Django names
    them ``test_<name>_gw0``, ``_gw1``...); they get their own Redis database too, so
    that one process's Celery worker never consumes, nor its purge drops, another's
    messages, and cache keys (login lockouts, throttles) never cross. ``gw0`` keeps the
    configured database, ``gwN`` the N-th after it.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not (url.startswith("redis://") and worker.startswith("gw")):
        return url
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    database = int(parts.path.strip("/") or 0)
    shifted = (database + int(worker[2:])) % 16
    return urlunsplit(parts._replace(path=f"/{shifted}"))


REDIS_URL = _per_test_process(REDIS_URL)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "katingan",
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Users, passwords, sessions ---------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out username before any password is checked (django-axes).
    # It needs the request: in tests, ``client.login(request=HttpRequest(), ...)``.
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.PortalBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# A session ends after SESSION_IDLE_SECONDS without a request (each request renews it)
# and, however active, SESSION_ABSOLUTE_SECONDS after sign-in (accounts.sessions). The
# absolute lifetime keeps the variable .env.example has always given it.
SESSION_ENGINE = "accounts.sessions"
SESSION_IDLE_SECONDS = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_COOKIE_AGE", default=10 * 60 * 60)
SESSION_COOKIE_AGE = SESSION_IDLE_SECONDS
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Lockout (django-axes): after LOGIN_FAILURE_LIMIT failed attempts on one username (a
# wrong password or a wrong second-factor code), from any address, the username is
# refused for LOGIN_LOCKOUT_MINUTES, counted from the last failure before the lockout
# (attempts during it do not prolong it). By username, not by address: the agencies'
# officers share a few office addresses. The login page says so (HTTP 429).
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "accounts.login_views.lockout_response"
# Its log lines name the (masked) username only, and it says nothing at start-up.
AXES_VERBOSE = False
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "otp_token", "csrfmiddlewaretoken"]
# axes.W006 asks for the address among the lockout parameters; see above for why not.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# Second factor (django-otp, TOTP): evaluators and administrators enter a code after
# their password, within LOGIN_SECOND_FACTOR_SECONDS (accounts.twofactor).
LOGIN_SECOND_FACTOR_SECONDS = env.int("LOGIN_SECOND_FACTOR_SECONDS", default=5 * 60)
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Portal Medsos Katingan")
# The admin lists devices but never shows their secrets.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# --- Internationalisation: Bahasa Indonesia first, WIB ----------------------

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

# --- Static and media files -------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)  # filled by collectstatic; WhiteNoise warns if absent
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded documents are private: stored under var/, never served by URL,
# only through views that check who may read them.
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media-not-served/"
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "DJANGO_STATICFILES_STORAGE",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage",
        )
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000

# --- E-mail -------------------------------------------------------------------

EMAIL_BACKEND = env.str(
    "DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
# For django.core.mail.backends.filebased.EmailBackend: one file per message.
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail"))
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Portal Media Sosial Katingan <noreply@katingankab.go.id>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security headers (secure by default whenever DEBUG is off) -------------

SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env_bool("DJANGO_SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env_bool("DJANGO_CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("DJANGO_BEHIND_TLS_PROXY", default=False):
    # nginx (or another proxy) terminates TLS and sets this header.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content Security Policy (django-csp): only our own files, no inline script,
# no framing. The portal works on a closed network, so there is no CDN to allow.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- Logging: one line per event, no personal data --------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"no_query": {"()": "katingan_sosmed.logfilters.StripQueryString"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        # Request lines without their query string (a typed search may hold a name).
        "requests": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["no_query"],
        },
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint logs every rendering step at INFO.
        "weasyprint.progress": {"level": "WARNING"},
        # django-axes logs every sign-in at INFO; failures and lockouts are WARNING.
        "axes": {"level": "WARNING"},
        "django.server": {"handlers": ["requests"], "level": "INFO", "propagate": False},
    },
}

# --- Celery -----------------------------------------------------------------

# Without REDIS_URL the broker is kombu's filesystem transport under var/: it works
# across the web, worker and beat processes of one host with no server at all.
CELERY_FILESYSTEM_BROKER_DIR = VAR_DIR / "celery"
CELERY_BROKER_URL = (
    _per_test_process(env.str("CELERY_BROKER_URL", default="")) or REDIS_URL or "filesystem://"
)
if "CELERY_BROKER_URL" in os.environ:
    # Celery reads the variable before this setting (celery.app.utils.Settings.broker_url):
    # keep the two the same, or a test process would publish to the unshifted database.
    os.environ["CELERY_BROKER_URL"] = CELERY_BROKER_URL
if CELERY_BROKER_URL.startswith("filesystem://"):
    # kombu does not create its folders.
    for _folder in ("queue", "control", "processed"):
        (CELERY_FILESYSTEM_BROKER_DIR / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_FILESYSTEM_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_FILESYSTEM_BROKER_DIR / "queue"),
        "control_folder": str(CELERY_FILESYSTEM_BROKER_DIR / "control"),
        "processed_folder": str(CELERY_FILESYSTEM_BROKER_DIR / "processed"),
        "store_processed": False,
        "polling_interval": 0.2,
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # Short socket timeouts: with Redis down, a page that enqueues still
        # answers quickly; the database is the truth and a sweep catches up.
        # A paused Redis accepts the connection and never answers: the read timeout,
        # not the connect timeout, bounds the page. One publish retry on a fresh
        # connection makes ~2 s at worst (inquiries/tests/test_deadline_processes.py).
        "socket_connect_timeout": 1,
        "socket_timeout": 1,
        "visibility_timeout": 3600,
        "max_retries": 1,
    }
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = env.int("CELERY_BROKER_CONNECTION_MAX_RETRIES", default=100)
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 0.5,
}
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
# Tasks report through database rows (heartbeat, notification, file records),
# so no result backend is needed.
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_TIME_LIMIT = 300
# Three queues, so e-mail and PDFs can get workers of their own when the portal scales
# out (README, "Scaling out"): a worker started without -Q consumes all three.
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_QUEUES = (Queue("celery"), Queue("notifications"), Queue("pdf"))
CELERY_TASK_ROUTES = {
    "notifications.*": {"queue": "notifications"},
    "reports.build_file": {"queue": "pdf"},
}
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# The one beat schedule of the portal. Run exactly one beat process.
CELERY_BEAT_SCHEDULE = {
    # Every 30 s: proves beat, broker, worker and database work together;
    # /healthz reads the row it writes.
    "beat-heartbeat": {
        "task": "health.tasks.beat_heartbeat",
        "schedule": timedelta(seconds=30),
        "options": {"expires": 25},
    },
    # Daily at 07:00 WIB: decrees expiring in 30 or 7 days. Notices are unique per
    # decree and mark, so a missed or repeated day neither loses nor doubles one.
    "decree-expiry-reminders": {
        "task": "accounts.decree_expiry_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
    # Daily at 08:00 WIB: agencies without a submitted annual report, once a week each
    # (the notice key holds the ISO week), from REPORT_REMINDER_FROM.
    "report-reminders": {
        "task": "reports.send_reminders",
        "schedule": crontab(hour=8, minute=0),
    },
    # Every 5 minutes: notices whose e-mail is still pending 10 minutes after they were
    # written lost their task (Redis down or emptied); enqueue them again. The row is
    # claimed before sending, so a duplicate task sends nothing.
    "notification-email-requeue": {
        "task": "notifications.requeue_pending_emails",
        "schedule": timedelta(minutes=5),
        "options": {"expires": 240},
    },
    # Every minute: reminders, overdue notices and escalations of forwardings
    # (Lampiran B angka 4). The truth is ``due_at`` in the database and every notice
    # has a unique key, so a missed or empty-queue run only delays a notice: the next
    # sweep sends it, once. Expires before the next run so runs never pile up.
    "sweep-deadlines": {
        "task": "inquiries.sweep_deadlines",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # Daily at 02:30 WIB: citizens' details of inquiries closed longer than the
    # retention period are anonymised (UU 27/2022); each run is logged (RetentionRun).
    # An inquiry once anonymised is skipped, so a repeated or missed day is harmless.
    "personal-data-retention": {
        "task": "privacy.apply_retention",
        "schedule": crontab(hour=2, minute=30),
    },
}

# --- REST API for integrations (inquiries.api) -------------------------------

# The API authenticates integration tokens only: a portal session is refused (403),
# so there is no CSRF to defend. JSON in, JSON out; no browsable API.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "inquiries.api.authentication.IntegrationTokenAuthentication"
    ],
    "DEFAULT_PERMISSION_CLASSES": ["inquiries.api.authentication.IsIntegration"],
    "DEFAULT_THROTTLE_CLASSES": ["inquiries.api.authentication.IntegrationTokenThrottle"],
    "DEFAULT_THROTTLE_RATES": {"integration": env.str("API_RATE_PER_TOKEN", default="120/min")},
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Proxies in front of the portal (nginx: 1); the client address for the
    # throttles is then taken from X-Forwarded-For.
    "NUM_PROXIES": env.int("DJANGO_NUM_PROXIES", default=0),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "API Portal Media Sosial Kabupaten Katingan",
    "DESCRIPTION": (
        "Integration API of the Katingan social media portal (Perbup Katingan 55/2022, "
        "Lampiran B): record inquiries received on an agency's official accounts and "
        "follow their status. Every request needs an integration token of one agency."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and its documentation are public (they describe, they hold no data)
    # and ignore the portal session.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "COMPONENT_SPLIT_REQUEST": True,
    # Three models have a "status": name each enum after its model.
    "ENUM_NAME_OVERRIDES": {
        "InquiryStatusEnum": "inquiries.models.InquiryStatus",
        "ForwardingStatusEnum": "inquiries.models.ForwardingStatus",
        "AccountStatusEnum": "accounts.models.AccountStatus",
    },
    # Swagger UI from the drf-spectacular-sidecar package: no CDN on a closed network.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Portal settings ------------------------------------------------------------

# The portal's public address, for links in e-mails.
PORTAL_BASE_URL = env.str("PORTAL_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")
# Lampiran A: a microblog message holds at most 140 characters including spaces.
MICROBLOG_MAX_CHARS = env.int("MICROBLOG_MAX_CHARS", default=140)
# Largest decree or SOP scan accepted.
REGISTRY_MAX_UPLOAD_BYTES = env.int("REGISTRY_MAX_UPLOAD_MB", default=10) * 1_048_576
# Lampiran B angka 4: the agency with authority replies within this many hours
# (wall-clock, as the regulation says).
FORWARDING_REPLY_HOURS = env.int("FORWARDING_REPLY_HOURS", default=24)
# Days before a decree expires on which its agency's pejabat are reminded.
DECREE_REMINDER_DAYS = (30, 7)
# Pasal 15: from this day of the year (MM-DD) the agencies that have not submitted the
# annual report of the year are reminded, weekly, until they do.
REPORT_REMINDER_FROM = env.str("REPORT_REMINDER_FROM", default="12-01")
# Pasal 16 sets no scoring of the evaluation; a regency that adopts a rubric of 1–5 per
# section switches this on.
REPORT_SCORING = env.bool("REPORT_SCORING", default=False)
# Hours before a forwarding's due_at at which the receiving agency is reminded
# (comma list, e.g. "6,1"); only the nearest mark not yet passed is sent.
DEADLINE_REMINDER_HOURS = tuple(
    sorted({int(h) for h in env.list("DEADLINE_REMINDER_HOURS", default=["6", "1"])}, reverse=True)
)
# Hours after due_at at which an unanswered forwarding is escalated a second time.
DEADLINE_SECOND_ESCALATION_HOURS = env.int("DEADLINE_SECOND_ESCALATION_HOURS", default=24)
# Forwardings the deadline sweep claims and commits at a time.
DEADLINE_SWEEP_BATCH_SIZE = env.int("DEADLINE_SWEEP_BATCH_SIZE", default=500)
# Helper sweeps the minute's sweep starts when more is due than one batch (set it to
# the worker processes available minus one).
DEADLINE_SWEEP_HELPERS = env.int("DEADLINE_SWEEP_HELPERS", default=1)
# A notice left in "sending" longer than this (its worker died after the claim) is
# put back to "pending" by the periodic e-mail requeue.
NOTIFICATION_STALE_CLAIM_MINUTES = env.int("NOTIFICATION_STALE_CLAIM_MINUTES", default=10)

# UU 27/2022: citizens' names, handles, contacts and links of an inquiry are kept this
# many days after it was closed (or answered), then anonymised. Set it from the
# regency's archive retention schedule (Jadwal Retensi Arsip); default two years.
PERSONAL_DATA_RETENTION_DAYS = env.int("PERSONAL_DATA_RETENTION_DAYS", default=730)
# UU 27/2022: a citizen's request to see, correct or delete their data is answered
# within 3 x 24 hours.
SUBJECT_REQUEST_HOURS = env.int("SUBJECT_REQUEST_HOURS", default=72)
# Sign-in records (django-axes: user name, IP address, time) are deleted by the same
# retention run after this many days.
SIGN_IN_LOG_RETENTION_DAYS = env.int("SIGN_IN_LOG_RETENTION_DAYS", default=90)

# /healthz calls beat unhealthy when its last tick is older than this.
HEALTH_BEAT_MAX_AGE = timedelta(seconds=env.int("HEALTH_BEAT_MAX_AGE_SECONDS", default=120))
# Public tracking page (/lacak/): lookups per client address per minute before 429.
TRACKING_LOOKUPS_PER_MINUTE = env.int("TRACKING_LOOKUPS_PER_MINUTE", default=30)
