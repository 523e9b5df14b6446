"""One settings module, configured from the environment.

Development defaults are safe (SQLite, a generated throw-away key only when DIVERSION_ENV is
"development" or "test"). With DIVERSION_ENV=production nothing falls back: a missing secret or
encryption key stops the process at start-up.
"""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from whitenoise.compress import Compressor

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent

ENVIRONMENT = os.environ.get("DIVERSION_ENV", "development")
if ENVIRONMENT not in {"development", "test", "production"}:
    raise ImproperlyConfigured("DIVERSION_ENV must be development, test or production.")
PRODUCTION = ENVIRONMENT == "production"


def _env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _required(name: str, development_value: str) -> str:
    value = os.environ.get(name, "")
    if value:
        return value
    if PRODUCTION:
        raise ImproperlyConfigured(f"{name} must be set when DIVERSION_ENV=production.")
    return development_value


# Development-only values: public on purpose, refused in production.
_DEV_SECRET = "development-only-secret-key-not-for-production-use-0123456789abcdef"  # noqa: S105
_DEV_FIELD_KEY = "ZGV2ZWxvcG1lbnQtb25seS1maWVsZC1rZXktMDAwMDA="
_DEV_INDEX_KEY = "development-only-blind-index-key"

SECRET_KEY = _required("SECRET_KEY", _DEV_SECRET)
# Earlier keys, still accepted for sessions and signatures while a new key rolls out
# (docs/operations.md, "Key rotation").
SECRET_KEY_FALLBACKS = _env_list("SECRET_KEY_FALLBACKS")
if PRODUCTION and (SECRET_KEY == _DEV_SECRET or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured("SECRET_KEY must be a unique value of at least 50 characters.")

# Several Fernet keys, newest first: the first encrypts, all decrypt (rotation).
FIELD_ENCRYPTION_KEYS = _env_list("FIELD_ENCRYPTION_KEYS") or (
    [_DEV_FIELD_KEY] if not PRODUCTION else []
)
if not FIELD_ENCRYPTION_KEYS:
    raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS must be set when DIVERSION_ENV=production.")
BLIND_INDEX_KEY = _required("BLIND_INDEX_KEY", _DEV_INDEX_KEY)
if PRODUCTION and (_DEV_FIELD_KEY in FIELD_ENCRYPTION_KEYS or BLIND_INDEX_KEY == _DEV_INDEX_KEY):
    raise ImproperlyConfigured("Development encryption keys cannot be used in production.")

DEBUG = _env_bool("DEBUG", default=False) and not PRODUCTION
ALLOWED_HOSTS = _env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = _env_list("CSRF_TRUSTED_ORIGINS")


def _networks(name: str) -> list[str]:
    try:
        return [str(ipaddress.ip_network(entry, strict=False)) for entry in _env_list(name)]
    except ValueError as error:
        raise ImproperlyConfigured(f"{name}: {error}") from error


# The proxies (addresses or networks) whose X-Forwarded-For and X-Forwarded-Proto are believed;
# none by default: a client's own headers never change its address or make it HTTPS
# (core/proxies.py; gunicorn gets the same list in `diversion serve`).
TRUSTED_PROXIES = _networks("TRUSTED_PROXIES")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_q",
    "django_htmx",
    "govuk_frontend_django",
    "rest_framework",
    "drf_spectacular",
    "django_filters",
    "diversion.core",
    "diversion.audit",
    "diversion.accounts",
    "diversion.schemes",
    "diversion.courses",
    "diversion.reference",
    "diversion.people",
    "diversion.referrals",
    "diversion.scheduling",
    "diversion.casework",
    "diversion.engagement",
    "diversion.messaging",
    "diversion.webhooks",
    "diversion.officer",
    "diversion.evaluation",
    "diversion.synthetic",
    "diversion.api",
    "diversion.privacy",
    "diversion.retention",
    "diversion.demo",
]

MIDDLEWARE = [
    "diversion.core.middleware.RequestIdMiddleware",
    # 503 with Retry-After, not 500s, while the database cannot be reached (core/outage.py).
    "diversion.core.outage.DatabaseOutageMiddleware",
    # Before the session is looked up or the body read: refuses NUL and other control
    # characters, over-long addresses and oversized bodies (core/request_guards.py).
    "diversion.core.request_guards.RequestGuardMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "diversion.accounts.middleware.IdleTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # After django-csp: lets the sign-out form lead on to a provider's single logout.
    "diversion.accounts.middleware.ProviderSignOutFormActionMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "diversion.core.middleware.NoStoreForSignedInMiddleware",
    "diversion.core.middleware.AccessRuleMiddleware",
    # The evaluation's pages read from the replica when it is fresh enough (core/dbrouter.py).
    "diversion.core.dbrouter.ReplicaReadsMiddleware",
]

ROOT_URLCONF = "diversion.urls"
WSGI_APPLICATION = "diversion.wsgi.application"

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
                "diversion.core.context_processors.service",
            ],
        },
    },
]

_default_db = f"sqlite:///{PROJECT_DIR / 'var' / 'diversion.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", _default_db), conn_max_age=0, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A connection that cannot be made fails in seconds, not after TCP's minutes: the request
    # gets its 503 (core/outage.py) before gunicorn's 30-second time-out kills the worker.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
    if _env_bool("DATABASE_POOL", default=True):
        # A request waits at most `timeout` seconds for a pooled connection.
        DATABASES["default"]["OPTIONS"]["pool"] = {"min_size": 2, "max_size": 10, "timeout": 5}
DATABASES["default"]["ATOMIC_REQUESTS"] = False

# A streaming replica of the primary for the evaluation's reads (core/dbrouter.py,
# docs/deployment.md): used only while it lags by at most REPLICA_MAX_LAG_SECONDS, else the
# primary. Tests get a mirror of the test database under the same name.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"], conn_max_age=0, conn_health_checks=True
    )
    if DATABASES["replica"]["ENGINE"] == "django.db.backends.postgresql":
        # A replica that does not answer quickly is skipped, not waited for.
        DATABASES["replica"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 2)
elif ENVIRONMENT == "test":
    DATABASES["replica"] = {
        **DATABASES["default"],
        "OPTIONS": dict(DATABASES["default"].get("OPTIONS", {})),
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["diversion.core.dbrouter.ReplicaRouter"]
REPLICA_MAX_LAG_SECONDS = float(os.environ.get("REPLICA_MAX_LAG_SECONDS", "30"))
REPLICA_LAG_CHECK_SECONDS = float(os.environ.get("REPLICA_LAG_CHECK_SECONDS", "5"))
REPLICA_APPS = {
    "schemes", "reference", "people", "referrals", "scheduling", "casework", "courses",
    "engagement", "evaluation",
}  # fmt: skip
# Pages whose GET requests read through the replica; none in tests unless a test asks.
REPLICA_READ_PATHS = _env_list(
    "REPLICA_READ_PATHS", "" if ENVIRONMENT == "test" else "/evaluation/"
)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Signing in at an organisation's OpenID provider (accounts/sso.py, docs/identity.md).
    "diversion.accounts.backends.IdentityProviderBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if ENVIRONMENT == "test":
    # Argon2 is deliberately slow; tests hash thousands of passwords.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "core:home"
# Where core's access middleware sends a signed-in user who has not given the second factor yet.
SECOND_FACTOR_URL = "accounts:second-factor"

# Lock-out after repeated failures (django-axes).
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_FORM_FIELD = "email"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "diversion.accounts.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "diversion.core.proxies.client_address"
AXES_VERBOSE = False
# Wrong passwords from one client address, whatever the usernames, before sign-in from that
# address pauses for the same 30 minutes (accounts/services.py: sign_in_address_refused).
# Higher than the per-account limit: officers in one station share an address.
SIGN_IN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("SIGN_IN_ADDRESS_FAILURE_LIMIT", "20"))

# Sessions: idle time-out, secure cookies.
SESSION_IDLE_TIMEOUT_SECONDS = int(os.environ.get("SESSION_IDLE_TIMEOUT_SECONDS", str(30 * 60)))
SESSION_COOKIE_AGE = 12 * 60 * 60
# OpenID Connect (docs/identity.md, decision 0017): time allowed for a provider to answer, the
# clock skew allowed on an ID token's times, the least time between two fetches of a provider's
# keys for a token signed with a key not yet seen, and the days after which a local account
# nobody has signed in to is deactivated by the worker.
OIDC_HTTP_TIMEOUT_SECONDS = float(os.environ.get("OIDC_HTTP_TIMEOUT_SECONDS", "5"))
OIDC_CLOCK_SKEW_SECONDS = min(int(os.environ.get("OIDC_CLOCK_SKEW_SECONDS", "60")), 300)
OIDC_JWKS_REFETCH_SECONDS = int(os.environ.get("OIDC_JWKS_REFETCH_SECONDS", "60"))
INACTIVE_ACCOUNT_DAYS = int(os.environ.get("INACTIVE_ACCOUNT_DAYS", "90"))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_SSL_REDIRECT = _env_bool("SECURE_SSL_REDIRECT", default=True)
    # No SECURE_PROXY_SSL_HEADER: Django would believe X-Forwarded-Proto from anyone. gunicorn
    # believes it only from TRUSTED_PROXIES and sets the request's scheme (`diversion serve`).
    # A load balancer probes the process directly, over plain HTTP: answer, do not redirect.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
    }
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Where `collectstatic` gathers the static files that whitenoise serves.
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or PROJECT_DIR / "var" / "static")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns when it is missing
WHITENOISE_MAX_AGE = 3600 if not PRODUCTION else 31536000
# Source maps are fetched only by developer tools: compressing 5 MB of them tripled the deploy's
# collectstatic time.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [*Compressor.SKIP_COMPRESS_EXTENSIONS, "map"]

# Background worker: django-q2 on the ORM broker (no Redis).
Q_CLUSTER = {
    "name": "diversion",
    "orm": "default",
    "workers": int(os.environ.get("WORKER_PROCESSES", "1")),
    "timeout": 120,
    "retry": 180,
    "max_attempts": 5,
    "catch_up": False,
    "poll": 1,
    "label": "Background tasks",
}
WORKER_HEARTBEAT_MAX_AGE_SECONDS = int(os.environ.get("WORKER_HEARTBEAT_MAX_AGE_SECONDS", "180"))

# The bearer token GOV.UK Notify sends with replies to our texts (its inbound callback); empty:
# the callback is switched off.
NOTIFY_INBOUND_TOKEN = os.environ.get("NOTIFY_INBOUND_TOKEN", "")
# Messaging back end: "file" (development), "smtp", or "notify" (production, GOV.UK Notify).
MESSAGING_BACKEND = os.environ.get("MESSAGING_BACKEND", "file")
# Send in the web process instead of through the worker (tests, and a demo without a worker).
MESSAGING_SEND_INLINE = _env_bool("MESSAGING_SEND_INLINE", default=False)
# GOV.UK Notify's address (a stand-in on loopback in tests and the resilience harness) and how
# long one call may take; a call that times out has an unknown outcome (messaging/services.py).
NOTIFY_BASE_URL = os.environ.get("NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk")
NOTIFY_TIMEOUT_SECONDS = float(os.environ.get("NOTIFY_TIMEOUT_SECONDS", "10"))
# After a temporary failure a message waits 1, 2, 4 ... minutes, at most an hour, and is given up
# ("failed") after MESSAGING_MAX_ATTEMPTS attempts (24: about 18 hours). An attempt not finished
# within MESSAGING_SEND_LEASE_SECONDS is treated as cut off (worker killed): the provider is
# asked whether it has the message before it is sent again. The operators are alerted (an error
# log line, `diversion messaging_status` fails) after MESSAGING_ALERT_AFTER_FAILURES failures in a
# row (docs/operations.md).
MESSAGING_RETRY_BASE_SECONDS = int(os.environ.get("MESSAGING_RETRY_BASE_SECONDS", "60"))
MESSAGING_RETRY_MAX_SECONDS = int(os.environ.get("MESSAGING_RETRY_MAX_SECONDS", "3600"))
MESSAGING_MAX_ATTEMPTS = int(os.environ.get("MESSAGING_MAX_ATTEMPTS", "24"))
MESSAGING_SEND_LEASE_SECONDS = int(os.environ.get("MESSAGING_SEND_LEASE_SECONDS", "120"))
MESSAGING_ALERT_AFTER_FAILURES = int(os.environ.get("MESSAGING_ALERT_AFTER_FAILURES", "5"))
# The evaluation (decision 0012): schemes with at least this many referrals keep a snapshot of
# their frames for the dashboard; a server process keeps the snapshot it read in memory; the
# dashboard's matched comparison is worked out by the worker unless inline (tests, a demo
# without a worker).
EVALUATION_SNAPSHOT_MIN_REFERRALS = int(
    os.environ.get("EVALUATION_SNAPSHOT_MIN_REFERRALS", "50000")
)
EVALUATION_SNAPSHOT_MEMORY = _env_bool("EVALUATION_SNAPSHOT_MEMORY", default=True)
EVALUATION_COMPARISON_INLINE = _env_bool("EVALUATION_COMPARISON_INLINE", default=False)
# The import page takes CSV files smaller than this (docs/evaluation-data.md): it imports them
# within the request, under gunicorn's 30-second timeout; larger ones go to `import_police_data`.
EVALUATION_IMPORT_MAX_MB = float(os.environ.get("EVALUATION_IMPORT_MAX_MB", "2"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
# Neutral on purpose: discreet messages must not say what the appointment is about.
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "appointments@service.invalid")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if MESSAGING_BACKEND in {"smtp", "notify"}
    else "django.core.mail.backends.filebased.EmailBackend"
)
EMAIL_FILE_PATH = PROJECT_DIR / "var" / "outbox"

# Demo accounts may sign in with the code shown on the sign-in page; never in production.
DEMO_MODE = _env_bool("DEMO_MODE", default=False) and not PRODUCTION
# Accept Ofcom's drama mobiles (07700 900000-900999), as in the README's examples; never in
# production, where a text to one would never reach the person (docs/messages.md).
PHONE_DRAMA_NUMBERS = _env_bool("PHONE_DRAMA_NUMBERS", default=True) and not PRODUCTION

SERVICE_NAME = "Diversion"
SERVICE_PHASE = os.environ.get("SERVICE_PHASE", "beta")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "diversion.core.logging.JsonFormatter",
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}

# The shared password of the demo accounts (demo data only; production refuses demo accounts).
DEMO_PASSWORD = "diversion-demo-2026"  # noqa: S105

# django-axes locks per account, not per IP address: officers in one station share an address,
# and one mistyped password must not lock out a whole shift (decision 0006).
# Guessing across many accounts from one address has its own, higher limit
# (SIGN_IN_ADDRESS_FAILURE_LIMIT, docs/decisions/0014-trust-boundaries.md).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# The API for police systems (diversion/api, docs/api.md).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["diversion.api.authentication.ApiKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["diversion.api.permissions.HasScope"],
    "DEFAULT_THROTTLE_CLASSES": ["diversion.api.throttling.ApiClientThrottle"],
    # Per API key. Tests lower it with override_settings; raise it with API_RATE_LIMIT.
    "DEFAULT_THROTTLE_RATES": {"api_client": os.environ.get("API_RATE_LIMIT", "600/min")},
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["diversion.api.parsers.JsonParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "diversion.api.problems.problem_exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Diversion API for police systems",
    "DESCRIPTION": "Create referrals, read their status, list assessment slots, check "
    "eligibility, and collect intelligence logs and engagement outcomes. See /api/v1/docs/.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {"ReferralStatusEnum": "diversion.referrals.models.ReferralStatus"},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "diversion.api.schema.problem_responses",
    ],
}

# One cache shared by every web process (API throttling counts per key across gunicorn workers);
# it lives in the database, like everything else (core migration 0002 creates its table).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "diversion_cache",
    }
}

# No text or email between 21:00 and 08:00 UK time: messages due then are held until 08:00.
MESSAGING_QUIET_HOURS = (21, 8)

# Audit events are appended to one of several hash chains, so that concurrent transactions do not
# all wait for one row lock (docs/decisions/0010-striped-audit-chains.md).
AUDIT_CHAINS = int(os.environ.get("AUDIT_CHAINS", "16"))
# The worker appends a signed checkpoint of every chain's head to this file every few minutes;
# `diversion audit verify` checks the database against the latest one, so rows removed from the
# end of a chain are caught (audit/checkpoints.py). Signed with AUDIT_CHECKPOINT_KEY, else a key
# derived from SECRET_KEY. Tests set their own file.
AUDIT_CHECKPOINT_PATH: Path | None = (
    Path(os.environ["AUDIT_CHECKPOINT_PATH"])
    if os.environ.get("AUDIT_CHECKPOINT_PATH")
    else None
    if ENVIRONMENT == "test"
    else PROJECT_DIR / "var" / "audit-checkpoints.jsonl"
)
AUDIT_CHECKPOINT_KEY = os.environ.get("AUDIT_CHECKPOINT_KEY", "")
# Schemes whose subject access exports name staff (else by role and organisation only).
SAR_DISCLOSE_STAFF_NAMES_SCHEMES = [
    code.strip()
    for code in os.environ.get("SAR_DISCLOSE_STAFF_NAMES_SCHEMES", "").split(",")
    if code.strip()
]

# The address in the links sent to people (self-service: confirm or change an appointment). It
# goes into discreet messages, so it must not say what the service is (checked at start-up).
SELF_SERVICE_BASE_URL = os.environ.get("SELF_SERVICE_BASE_URL", "http://127.0.0.1:8000")
