"""One settings module for every environment: local defaults that just work,
production values read from the environment (DJANGO_DEBUG=0 and friends)."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(int(default))).lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)
# The fallback key only exists so `make run` works out of the box; production must set its own.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG=0")
    SECRET_KEY = "dev-only-insecure-key-not-for-production"  # noqa: S105
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "*" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "axes",
    "accounts",
    "tracker",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.UserTimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "accounts.middleware.SitePolicyCSPMiddleware",
    "accounts.middleware.PrivateByDefaultMiddleware",
    "tracker.problems.refuse_empty_api_parameters",
    # Last, as django-axes asks: it turns a lockout into the clear answer below.
    "axes.middleware.AxesMiddleware",
]

if not DEBUG:
    # gunicorn serves the collected static files itself, compressed and cached for a year.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "accounts.context_processors.theme",
            ],
        },
    },
]

# SQLite in the project folder by default; DATABASE_URL (sqlite:/// or postgres://) overrides.
# Connections are kept (checked before reuse): opening one, with SQLite's pragmas, and the WAL
# checkpoint on closing cost more than a whole create.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside a writer; IMMEDIATE takes the write lock at BEGIN so two
    # writers queue on the busy timeout instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Statements a connection runs over and over (the key's lookup, an episode's insert)
    # are prepared once and not planned again: planning the key's three-table lookup cost
    # PostgreSQL three times running it. Django leaves this off for poolers such as
    # PgBouncer in transaction mode, which cannot keep a prepared statement; behind one,
    # set DJANGO_DB_PREPARED_STATEMENTS=0.
    if os.environ.get("DJANGO_DB_PREPARED_STATEMENTS", "1") == "1":
        DATABASES["default"]["OPTIONS"] = {"server_side_binding": True, "prepare_threshold": 5}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# After 5 failed log-ins for one account from one address, that pair waits an hour.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_RESET_ON_SUCCESS = True
# The hour runs from the fifth failure: tries during the lock do not restart it, so the
# Retry-After a person is told is true.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_VERBOSE = False
# The client's address as our own proxies saw it (accounts/lockout.py): set this to the number
# of reverse proxies in front of gunicorn; 0 trusts no X-Forwarded-For at all.
TRUSTED_PROXY_COUNT = int(os.environ.get("DJANGO_TRUSTED_PROXY_COUNT", "0"))
if TRUSTED_PROXY_COUNT < 0:
    raise RuntimeError("DJANGO_TRUSTED_PROXY_COUNT is a number of proxies: 0 or more")
AXES_CLIENT_IP_CALLABLE = "accounts.lockout.client_ip"

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
# Sessions in the database with their owner's id, so "log out everywhere" can end them all.
SESSION_ENGINE = "accounts.sessions"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "quick_log"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT") or BASE_DIR / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

REST_FRAMEWORK = {
    # Token first, so an anonymous API request is answered 401 with a WWW-Authenticate header.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "tracker.pagination.Pages",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "tracker.api_schema.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # JSON bodies only: the schema then describes exactly what the server accepts, and a
    # generated client sends what it should (the pages post their forms to Django views).
    "DEFAULT_PARSER_CLASSES": ["tracker.parsers.SafeJSONParser"],
    # Every 4xx as RFC 9457 problem details, whichever view raised it.
    "EXCEPTION_HANDLER": "tracker.problems.handle",
}
# API keys (django-rest-knox): stored hashed, one per client, each expiring after
# DJANGO_API_TOKEN_DAYS (90 by default); the person lists and revokes them on the profile.
KNOX_TOKEN_MODEL = "accounts.ApiToken"  # noqa: S105 (a model name, not a secret)
# knox's own migrations would make a table for its stock model, which the line above swaps
# out; an unused table that Django's test flush does not know of (PostgreSQL then refuses it).
MIGRATION_MODULES = {"knox": None}
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=int(os.environ.get("DJANGO_API_TOKEN_DAYS", "90"))),
    "AUTH_HEADER_PREFIX": "Token",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Cramp tracker API",
    "DESCRIPTION": "Log muscle cramp episodes and read them back. Times are ISO 8601 "
    "with an offset; `from` and `to` are calendar dates in the user's time zone.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "tracker.api_schema.drop_redundant_nullable",
        "tracker.api_schema.link_created_to_its_operations",
    ],
    # Relative: a client generated from it talks to whichever server it was given.
    "SERVERS": [{"url": "/", "description": "This server"}],
    # Operation ids and tags without the version: `episodes_list`, not `v1_episodes_list`.
    "SCHEMA_PATH_PREFIX": "/api/v1",
}

# Exports (PDF, CSV, FHIR, a share link's PDF) each owner, and each share link, may ask for;
# more answer 429 with Retry-After. Counted in the database, shared by every worker.
EXPORT_LIMIT_PER_MINUTE = int(os.environ.get("DJANGO_EXPORT_LIMIT_PER_MINUTE", "10"))
EXPORT_LIMIT_PER_HOUR = int(os.environ.get("DJANGO_EXPORT_LIMIT_PER_HOUR", "60"))
# Sign-ups tried from one client address in an hour: the page says when a name is taken.
SIGN_UP_LIMIT_PER_HOUR = int(os.environ.get("DJANGO_SIGN_UP_LIMIT_PER_HOUR", "10"))

# Alert thresholds (tracker/alerts/thresholds.py says which come from published guidance, and
# how far each may be changed). Each user may override them in the alert settings.
ALERT_THRESHOLDS = {
    "lookback_days": 30,
    "prolonged_minutes": 10,
    "statin_intensity": 8,
    "medication_window_days": 30,
    "medication_recent_days": 90,
    "claudication_episodes": 2,
    "claudication_days": 30,
    "frequent_per_7_days": 4,
    "frequent_per_30_days": 10,
    "escalating_days": 28,
    "escalating_min_earlier": 2,
    "escalating_ratio": 2,
    "escalating_intensity_rise": 2,
    "sleep_episodes": 3,
    "sleep_days": 7,
    "not_helped_count": 3,
    "not_helped_of_last": 5,
}

# E-mail: alert e-mails and password reset links. Development prints them on the console;
# production sends by SMTP and `check --deploy` fails until a server is named
# (accounts/mail.py), unless DJANGO_ALERT_EMAILS=0 turns alert e-mails off.
ALERT_EMAILS = env_bool("DJANGO_ALERT_EMAILS", True)
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "cramp-tracker@localhost")
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost" if DEBUG else "")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)
# Seconds: a mail server that stops answering must not hold the request that saved a cramp.
EMAIL_TIMEOUT = int(os.environ.get("DJANGO_EMAIL_TIMEOUT", "10"))
PASSWORD_RESET_TIMEOUT = 60 * 60 * 3  # a reset link works for three hours

# Production: HTTPS is terminated by the proxy in front of gunicorn.
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Nothing inline, nothing from another host: the app ships every script and style itself.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "worker-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}
