"""Settings for Haven, read from the environment so one codebase serves a laptop NGO and a ministry.

Every knob an operator may turn is an environment variable named HAVEN_* (or DATABASE_URL); see
docs/architecture.md for the list.
"""

import importlib.util
import os
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(os.environ.get("HAVEN_VAR_DIR", PROJECT_DIR / "var"))


def _env_flag(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {raw!r}.") from None


def _database_from_url(url: str) -> dict[str, Any]:
    """Parse DATABASE_URL, refusing anything but SQLite and PostgreSQL with a message that says what to fix.

    The message never repeats the URL itself, which may hold a password.
    """
    import dj_database_url

    scheme = url.split("://", 1)[0] if "://" in url else ""
    if scheme not in {"sqlite", "postgres", "postgresql", "pgsql"}:
        raise ImproperlyConfigured(
            "DATABASE_URL is not a database address Haven understands. Use "
            "postgresql://USER@HOST:5432/NAME or sqlite:////absolute/path/haven.sqlite3"
            + (f" (the scheme given was {scheme!r})." if scheme else " (no scheme:// was given).")
        )
    try:
        config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=60))
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL could not be parsed: {type(exc).__name__}.") from None
    if config["ENGINE"].endswith("postgresql"):
        if not config.get("NAME"):
            raise ImproperlyConfigured("DATABASE_URL names no database: add /NAME after the host and port.")
        config["OPTIONS"] = {**config.get("OPTIONS", {}), **_prepared_statements()}
    return config


def _prepared_statements() -> dict[str, Any]:
    """PostgreSQL options that let each connection prepare the statements it runs again and again.

    Parameters go to the server apart from the SQL text, and a statement run `HAVEN_DB_PREPARE_AFTER`
    times on one connection is prepared there: PostgreSQL no longer parses and plans it each time. On the
    hotline intake (bench/contact_intake.py) this cut the server's work per operation by a third. Django
    leaves both off because connection poolers in transaction mode (PgBouncer before 1.21) lose prepared
    statements between transactions: set `HAVEN_DB_PREPARE_AFTER=0` behind one.
    """
    after = _env_int("HAVEN_DB_PREPARE_AFTER", 2)
    if after < 0:
        raise ImproperlyConfigured("HAVEN_DB_PREPARE_AFTER must be 0 (never prepare) or more.")
    if after == 0:
        return {}
    return {"server_side_binding": True, "prepare_threshold": after}


def _sqlite_database(path: Path) -> dict[str, Any]:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        # WAL lets readers go on while one writer commits; IMMEDIATE avoids upgrade deadlocks.
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        },
    }


DEBUG = _env_flag("HAVEN_DEBUG", False)
SECRET_KEY = os.environ.get("HAVEN_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("HAVEN_SECRET_KEY is not set. Set it to a long random string.")
    SECRET_KEY = "haven-insecure-development-key-never-use-in-production"

ALLOWED_HOSTS = [h.strip() for h in os.environ.get("HAVEN_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")]
CSRF_FAILURE_VIEW = "haven.web.views.csrf_failure"
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("HAVEN_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "haven.orgs.admin_site.HavenAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "haven.privacy",
    "haven.orgs",
    "haven.accounts",
    "haven.people",
    "haven.cases",
    "haven.directory",
    "haven.referrals",
    "haven.channels",
    "haven.hotline",
    "haven.risk",
    "haven.dispatch",
    "haven.shelters",
    "haven.legal",
    "haven.documents",
    "haven.counselling",
    "haven.groups",
    "haven.perpetrators",
    "haven.committees",
    "haven.supporters",
    "haven.benefits",
    "haven.benefits.imports",
    "haven.benefits.selection",
    "haven.benefits.grievances",
    "haven.benefits.distribution",
    "haven.benefits.payments",
    "haven.loans",
    "haven.associations",
    "haven.training",
    "haven.reports",
    "haven.reports.public",
    "haven.reports.sharing",
    "haven.reports.dhis2",
    "haven.reports.exports",
    "haven.reports.projects",
    "haven.retention",
    "haven.web",
]

MIDDLEWARE = [
    # First, so its headers reach every response, including those other middleware answer early.
    "haven.web.security.SecurityHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Provider webhooks stop here: what follows serves people, not a provider's signed posts.
    "haven.channels.middleware.WebhookMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "haven.orgs.middleware.ActiveOrganisationMiddleware",
    "haven.accounts.middleware.UserPreferencesMiddleware",
    "haven.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "haven.urls"
WSGI_APPLICATION = "haven.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "haven.web.context_processors.haven",
            ],
        },
    },
]

DATABASE_URL = os.environ.get("DATABASE_URL", "").strip()
DATABASES = {
    "default": _database_from_url(DATABASE_URL)
    if DATABASE_URL
    else _sqlite_database(VAR_DIR / "haven.sqlite3")
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Sessions end after this many idle minutes: every request pushes the expiry forward.
SESSION_IDLE_MINUTES = _env_int("HAVEN_SESSION_IDLE_MINUTES", 15)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# HAVEN_TLS=1 when Haven is reached over https (docs/security.md): browsers are then told to use https only.
HAVEN_TLS = _env_flag("HAVEN_TLS", False)
SESSION_COOKIE_SECURE = _env_flag("HAVEN_SECURE_COOKIES", HAVEN_TLS or not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# No script of Haven reads the CSRF cookie: pages carry the token in the form or in hx-headers.
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
if HAVEN_TLS:
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # Preloading is a promise, hard to take back, that every subdomain of the organisation's domain
    # serves https: an operator makes it on purpose (docs/security.md), so it is off unless asked for.
    SECURE_HSTS_PRELOAD = _env_flag("HAVEN_HSTS_PRELOAD", False)
# Behind a TLS-terminating proxy Django sees plain http; trust the proxy's header only when told to,
# or any client could claim https by sending it.
if _env_flag("HAVEN_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# A URL can name a case or a person: browsers send it to no other site. Not "no-referrer": with it,
# browsers send "Origin: null" with every form POST (the Fetch standard), which the CSRF check refuses.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
LANGUAGE_COOKIE_NAME = "haven_language"

# Five wrong passwords lock the account (not the address: a shared NGO office has one address).
AXES_FAILURE_LIMIT = _env_int("HAVEN_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=_env_int("HAVEN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes warns that username-only locking lets an attacker try many accounts from one address; locking by
# address would lock out a whole shelter office behind one NAT, which is the worse failure here.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "haven.accounts.views.locked_out"
AXES_VERBOSE = False
# Axes would otherwise log usernames; Haven logs no personal data.
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_SENSITIVE_PARAMETERS = ["password", "username"]

OTP_TOTP_ISSUER = "Haven"

LANGUAGE_CODE = os.environ.get("HAVEN_LANGUAGE", "en")
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("ar", _("Arabic")),
    ("ur", _("Urdu")),
    ("pa", _("Punjabi")),
    ("hi", _("Hindi")),
    ("bn", _("Bengali")),
    ("fa", _("Persian")),
    ("ru", _("Russian")),
    ("kk", _("Kazakh")),
]
LANGUAGES_BIDI = ["ar", "fa", "ur", "he"]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = os.environ.get("HAVEN_TIME_ZONE", "UTC")
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("HAVEN_STATIC_ROOT", PROJECT_DIR / "staticfiles"))

# The neutral page quick exit sends the browser to; it must load fast and look ordinary.
HAVEN_QUICK_EXIT_URL = os.environ.get("HAVEN_QUICK_EXIT_URL", "https://www.google.com/search?q=weather")
# Days during which a merge of two person records can be undone (haven/people/merging.py).
HAVEN_MERGE_UNDO_DAYS = _env_int("HAVEN_MERGE_UNDO_DAYS", 30)
# Parallel audit chains per organisation on PostgreSQL: how many audited writes may commit at once. With 8,
# a third to two thirds of the hotline's audited writes found every head taken at 50 clients and queued;
# with 32, under 2 % (bench P1, docs/performance.md).
HAVEN_AUDIT_STRIPES = max(1, _env_int("HAVEN_AUDIT_STRIPES", 32))
# Figures under this count are hidden (with their complements) wherever figures leave an organisation or
# are shown to roles that cannot open the records behind them (GBVIMS practice: 5).
HAVEN_SUPPRESSION_THRESHOLD = _env_int("HAVEN_SUPPRESSION_THRESHOLD", 5)
HAVEN_MASTER_KEY_ENV = "HAVEN_MASTER_KEY"
HAVEN_MASTER_KEY_FILE_ENV = "HAVEN_MASTER_KEY_FILE"
# "providers" sends through Twilio, Meta and Telegram; "recording" keeps messages in memory (tests, demos).
# How long a web process uses its copy of a channel (secrets, hours) before reading it again.
HAVEN_CHANNEL_FRESH_SECONDS = _env_int("HAVEN_CHANNEL_FRESH_SECONDS", 10)
HAVEN_CHANNEL_SENDERS = os.environ.get("HAVEN_CHANNEL_SENDERS", "providers")

TASKS: dict[str, dict[str, Any]] = {
    "default": {
        "BACKEND": os.environ.get("HAVEN_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
# The Redis-backed alternative (optional extra: pip install "haven[redis]"): HAVEN_TASKS_BACKEND=
# django_tasks_rq.RQBackend and HAVEN_REDIS_URL=redis://HOST:6379/0; workers run
# `haven rqworker default --job-class django_tasks_rq.Job` (haven/faults/tests/test_two_workers_one_queue.py).
HAVEN_REDIS_URL = os.environ.get("HAVEN_REDIS_URL", "").strip()
if HAVEN_REDIS_URL:
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": HAVEN_REDIS_URL}}


def _cache_from_url(url: str) -> dict[str, Any]:
    """The cache every web process shares: the dashboards' five-minute figures and the public pages' post
    counts must be one per deployment, not one per process (a limit of 10 posts an hour would be 10 per
    process).

    "database" (a table in Haven's own database, created by `migrate`), a redis:// address, or "memory" (each
    process its own: for tests and single-process demos only). The message never repeats the address.
    """
    if url == "database":
        return {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "haven_cache"}
    if url == "memory":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if url.startswith(("redis://", "rediss://", "unix://")):
        if importlib.util.find_spec("redis") is None:
            raise ImproperlyConfigured(
                'HAVEN_CACHE_URL names Redis, but the redis package is missing: pip install "haven[redis]".'
            )
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    raise ImproperlyConfigured(
        'HAVEN_CACHE_URL must be "database", "memory" or a redis://HOST:6379/N address.'
    )


# Without a setting, the cache lives where the deployment already shares state: Redis when the task
# queue uses it, otherwise the database.
HAVEN_CACHE_URL = os.environ.get("HAVEN_CACHE_URL", "").strip() or HAVEN_REDIS_URL or "database"
CACHES = {"default": {**_cache_from_url(HAVEN_CACHE_URL), "KEY_PREFIX": "haven"}}

LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("HAVEN_LOG_LEVEL", "WARNING")},
}
