"""Django settings, read from the environment (django-environ).

Every variable is listed in README.md. With neither DATABASE_URL nor REDIS_URL set, the entry
points (manage.py, the supervisor, the test suite) start the embedded services first; see
`jianlian.devservices`.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from jianlian import devservices
from jianlian.marketplace.discovery import module_apps

BASE_DIR = Path(__file__).resolve().parent
REPO_ROOT = BASE_DIR.parents[1]

DEV_SECRET_KEY = "dev-only-insecure-secret-key-change-me-0123456789abcdef"
# A valid Fernet key for development only; production must set FIELD_ENCRYPTION_KEY.
DEV_FIELD_ENCRYPTION_KEY = "ZGV2LW9ubHktZmllbGQta2V5LWRvLW5vdC11c2UtISE="

env = environ.Env(
    DEBUG=(bool, False),
    JIANLIAN_ENV=(str, "development"),
    SECRET_KEY=(str, DEV_SECRET_KEY),
    ALLOWED_HOSTS=(list, ["localhost", "127.0.0.1", ".localhost", "[::1]", "testserver"]),
    BASE_DOMAIN=(str, "localhost"),
    FIELD_ENCRYPTION_KEY=(str, DEV_FIELD_ENCRYPTION_KEY),
    SENTRY_DSN=(str, ""),
    LOG_LEVEL=(str, "INFO"),
    DEMO_PASSWORD=(str, "Jianlian@2026"),
    SMS_BACKEND=(str, "jianlian.identity.sms.ConsoleSMSBackend"),
    TOKEN_TTL_HOURS=(int, 24 * 7),
    LOCKOUT_THRESHOLD=(int, 5),
    LOCKOUT_IP_THRESHOLD=(int, 30),
    LOCKOUT_SECONDS=(int, 15 * 60),
    TENANT_CREATION=(str, "clone"),
    TRUSTED_PROXY_HOPS=(int, 0),
    TRUSTED_PROXY_ADDRESSES=(str, "127.0.0.1"),
    WS_MAX_MESSAGE_BYTES=(int, 256 * 1024),
    WS_MAX_SUBSCRIPTIONS=(int, 100),
    GRAPHQL_MAX_DEPTH=(int, 12),
    GRAPHQL_MAX_COST=(int, 50_000),
    GRAPHQL_MAX_ALIASES=(int, 30),
    GRAPHQL_MAX_MUTATIONS=(int, 5),
    GRAPHQL_PERSISTED_ONLY=(bool, False),
    DATABASE_POOL_MODE=(str, "session"),
)

JIANLIAN_ENV = env("JIANLIAN_ENV")
PRODUCTION = JIANLIAN_ENV == "production"
DEBUG = env("DEBUG") if "DEBUG" in os.environ else not PRODUCTION
SECRET_KEY = env("SECRET_KEY")
FIELD_ENCRYPTION_KEY = env("FIELD_ENCRYPTION_KEY")
if PRODUCTION:
    if DEBUG:
        raise ImproperlyConfigured("生产环境不得开启 DEBUG (DEBUG must be off in production).")
    if SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 32:
        raise ImproperlyConfigured("生产环境必须设置安全的 SECRET_KEY (set a real SECRET_KEY in production).")
    if FIELD_ENCRYPTION_KEY == DEV_FIELD_ENCRYPTION_KEY:
        raise ImproperlyConfigured("生产环境必须设置 FIELD_ENCRYPTION_KEY (set a real FIELD_ENCRYPTION_KEY).")

ALLOWED_HOSTS = env("ALLOWED_HOSTS")
# The client's address: REMOTE_ADDR unless TRUSTED_PROXY_HOPS proxies sit in front, and then
# only X-Forwarded-For hops added by TRUSTED_PROXY_ADDRESSES (the ASGI server is started with its
# proxy-header handling off otherwise; see jianlian.asgi_server).
TRUSTED_PROXY_HOPS = env("TRUSTED_PROXY_HOPS")
TRUSTED_PROXY_ADDRESSES = env("TRUSTED_PROXY_ADDRESSES")
# WebSocket limits: the largest frame or message (the ASGI server refuses bigger ones with close
# code 1009) and the subscriptions one socket may hold (4429 beyond; see jianlian.realtime.consumer).
WS_MAX_MESSAGE_BYTES = env("WS_MAX_MESSAGE_BYTES")
WS_MAX_SUBSCRIPTIONS = env("WS_MAX_SUBSCRIPTIONS")
BASE_DOMAIN = env("BASE_DOMAIN").lower().strip(".")
if f".{BASE_DOMAIN}" not in ALLOWED_HOSTS and "*" not in ALLOWED_HOSTS:
    ALLOWED_HOSTS = [*ALLOWED_HOSTS, BASE_DOMAIN, f".{BASE_DOMAIN}"]

# --- applications ---------------------------------------------------------------------------
SHARED_APPS = [
    "django_tenants",
    "tenants",
    "jianlian.core",
    "jianlian.hierarchy",
    "jianlian.identity",
    "jianlian.access",
    "jianlian.audit",
    # The province sends to tenants and receives their reports, so public has an outbox and inbox too.
    "jianlian.bus",
    "jianlian.notifications",
    "jianlian.realtime",
    "jianlian.marketplace",
    "jianlian.demo",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "mptt",
    "graphene_django",
    "channels",
]
# Apps whose tables live in every tenant's schema: the platform's own per-tenant tables.
TENANT_APPS = [
    "django.contrib.contenttypes",
    "jianlian.audit",
    "jianlian.bus",
    "jianlian.notifications",
    "jianlian.org",
    "jianlian.todos",
]
# The marketplace's modules (every folder under modules/ with apps.py and manifest.py). Their
# tables live only in the schemas of tenants that installed them: the marketplace's router
# (jianlian.marketplace.router) allows their migrations there and nowhere else.
JIANLIAN_MODULES = module_apps(REPO_ROOT / "modules", "modules")
TENANT_APPS += JIANLIAN_MODULES
INSTALLED_APPS = list(SHARED_APPS) + [a for a in TENANT_APPS if a not in SHARED_APPS]

TENANT_MODEL = "tenants.Tenant"
TENANT_DOMAIN_MODEL = "tenants.Domain"
PUBLIC_SCHEMA_NAME = "public"
TENANT_TEMPLATE_SCHEMA = "_tenant_template"
# "clone" copies the migrated template schema (fast); "migrate" runs every migration (slow).
TENANT_CREATION = env("TENANT_CREATION")
TENANT_LIMIT_SET_CALLS = True
DATABASE_ROUTERS = ["jianlian.marketplace.router.ModuleRouter", "django_tenants.routers.TenantSyncRouter"]

MIDDLEWARE = [
    "jianlian.core.middleware.RequestContextMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "jianlian.identity.middleware.TokenAuthenticationMiddleware",
    "tenants.middleware.TenantRoutingMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "jianlian.urls"
ASGI_APPLICATION = "jianlian.asgi.application"
WSGI_APPLICATION = None

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- data -------------------------------------------------------------------------------------
if not (os.environ.get("DATABASE_URL") and os.environ.get("REDIS_URL")):
    devservices.ensure_running()  # starts only what is not configured from outside

DATABASES = {
    "default": env.db_url("DATABASE_URL", engine="tenants.backend"),
}
DATABASES["default"].setdefault("CONN_MAX_AGE", 0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# HTTP requests one web process serves at a time, each with its own database connection; the rest
# queue (jianlian.core.http_queue). Keep processes × this below PostgreSQL's max_connections (or
# PgBouncer's pool). 0: no bound.
HTTP_CONCURRENCY = env.int("HTTP_CONCURRENCY", default=16)
# Of those, how many may run a heavy operation (a mutation with Meta.heavy, e.g. drawing an exam
# paper) at once; the others wait without holding a thread (jianlian.api.lanes). 0: no such bound.
HTTP_HEAVY_CONCURRENCY = env.int("HTTP_HEAVY_CONCURRENCY", default=2)
# Seconds each of those HTTP threads keeps its database connection between requests (opening one
# per request cost more than a small API call itself). 0: a connection per request.
HTTP_CONN_MAX_AGE = env.int("HTTP_CONN_MAX_AGE", default=300)
# Behind PgBouncer in transaction mode a session-level search_path leaks between clients: every
# statement then carries its own (SET LOCAL, see tenants/backend/base.py), and server-side
# cursors, which outlive a transaction, are off.
DATABASE_POOL_MODE = env("DATABASE_POOL_MODE")
if DATABASE_POOL_MODE not in ("session", "transaction"):
    raise ImproperlyConfigured("DATABASE_POOL_MODE 只能是 session 或 transaction (session or transaction).")
if DATABASE_POOL_MODE == "transaction":
    DATABASES["default"]["TRANSACTION_POOLING"] = True
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ["REDIS_URL"]


def _celery_redis_url(url: str) -> str:
    """Celery (kombu) names a Unix-socket Redis `redis+socket://`; redis-py names it `unix://`."""
    parsed = urlparse(url)
    if parsed.scheme == "unix":
        db = parse_qs(parsed.query).get("db", ["0"])[0]
        return f"redis+socket://{parsed.path}?virtual_host={db}"
    return url


CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_FUNCTION": "django_tenants.cache.make_key",
        "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
    },
    # Keys that mean the same in every schema (bearer tokens: jianlian.identity.token_cache).
    "shared": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": "shared"},
}
CHANNEL_LAYERS = {
    "default": {
        # Pub/sub: an event for a group crosses Redis once per process and fans out to that
        # process's subscribers in memory. The list-based layer pops one message per subscriber
        # from Redis (1,000 round trips for one event to 1,000 sockets). Live events are at most
        # once by nature: the data is committed, and a client re-reads it when it reconnects.
        "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
        # redis-py 8 reads with a 5 s socket timeout by default; give reads more room.
        "CONFIG": {"hosts": [{"address": REDIS_URL, "socket_timeout": 30}]},
    }
}
CELERY_BROKER_URL = _celery_redis_url(REDIS_URL)
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULE_FILENAME = str(devservices.var_dir() / "celerybeat-schedule")
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_WORKER_HIJACK_ROOT_LOGGER = False  # keep the JSON logs (request id, tenant, user)
CELERY_BEAT_SCHEDULE = {
    # The bus relay's safety net; `bus.send` also kicks it after each commit.
    "bus.relay": {"task": "bus.relay", "schedule": env.float("BUS_RELAY_INTERVAL", default=5.0),
                  "options": {"expires": 30}},
    "bus.purge": {"task": "bus.purge", "schedule": 3600.0, "options": {"expires": 600}},
    # Runs each installed module's due periodic tasks in the tenants that installed it.
    "marketplace.periodic": {"task": "marketplace.dispatch_periodic", "schedule": 60.0, "options": {"expires": 50}},
    # Lifecycle events (onboard, transfer, leave …) take effect within a minute of their time.
    "org.apply_due_events": {"task": "org.apply_due_events_everywhere", "schedule": 60.0, "options": {"expires": 55}},
}

# --- marketplace (jianlian.marketplace) ----------------------------------------------------------
# RSA private key (PEM) that signs external apps' launch tokens; published at /.well-known/jwks.json.
LAUNCH_SIGNING_KEY = env.str("LAUNCH_SIGNING_KEY", default="").replace("\\n", "\n")
if PRODUCTION and not LAUNCH_SIGNING_KEY:
    raise ImproperlyConfigured("生产环境必须设置 LAUNCH_SIGNING_KEY (set LAUNCH_SIGNING_KEY in production).")
LAUNCH_TOKEN_ISSUER = env.str("LAUNCH_TOKEN_ISSUER", default="jianlian")
# Hosts (or host:port) that webhooks may reach although they are loopback or private addresses.
WEBHOOK_ALLOWED_HOSTS = env.list("WEBHOOK_ALLOWED_HOSTS", default=[])

# --- cross-tenant bus (jianlian.bus) ------------------------------------------------------------
BUS_MAX_ATTEMPTS = env.int("BUS_MAX_ATTEMPTS", default=5)  # handler failures before a message is dead
BUS_RETRY_BASE_DELAY = env.float("BUS_RETRY_BASE_DELAY", default=2.0)  # seconds, doubled per attempt
BUS_RETRY_MAX_DELAY = env.float("BUS_RETRY_MAX_DELAY", default=600.0)
BUS_RELAY_BATCH = env.int("BUS_RELAY_BATCH", default=500)
BUS_RETENTION_DAYS = env.int("BUS_RETENTION_DAYS", default=30)  # acked / applied messages kept
TASK_IDEMPOTENCY_TTL = env.int("TASK_IDEMPOTENCY_TTL", default=7 * 24 * 3600)  # tenants.tasks done marks

# --- identity ---------------------------------------------------------------------------------
AUTH_USER_MODEL = "identity.User"
AUTHENTICATION_BACKENDS = ["jianlian.identity.backends.MobileOrUsernameBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    # the username (and name, mobile, e-mail) as the password, or something close to it
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
     "OPTIONS": {"user_attributes": ("username", "real_name", "mobile", "email")}},
    {"NAME": "jianlian.identity.password_validation.NotCurrentPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SMS_BACKEND = env("SMS_BACKEND")
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="健联 <noreply@jianlian.invalid>")
TOKEN_TTL_HOURS = env("TOKEN_TTL_HOURS")
LOCKOUT_THRESHOLD = env("LOCKOUT_THRESHOLD")
LOCKOUT_IP_THRESHOLD = env("LOCKOUT_IP_THRESHOLD")
LOCKOUT_SECONDS = env("LOCKOUT_SECONDS")
ACTIVATION_CODE_TTL_SECONDS = 10 * 60
ACTIVATION_CODE_MAX_TRIES = 5
# requestActivationCode answers alike for every (ID number, mobile) pair, so it is throttled:
# one request per mobile a minute (and ACTIVATION_MOBILE_DAILY_LIMIT a day), and
# ACTIVATION_IP_LIMIT requests per address an hour, whether the pair is real or not.
ACTIVATION_MOBILE_INTERVAL_SECONDS = 60
ACTIVATION_MOBILE_DAILY_LIMIT = 10
ACTIVATION_IP_LIMIT = 20
ACTIVATION_IP_WINDOW_SECONDS = 3600
DEMO_PASSWORD = env("DEMO_PASSWORD")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- audit (jianlian.audit) ----------------------------------------------------------------------
# The key of the audit chain's HMAC, kept outside the database (by default derived from
# SECRET_KEY; set it separately to rotate SECRET_KEY without re-keying the chain).
AUDIT_HMAC_KEY = env.str("AUDIT_HMAC_KEY", default="") or hashlib.sha256(b"jianlian-audit:" + SECRET_KEY.encode()).hexdigest()
# Each checkpoint is also appended here when set (a file on write-once storage, outside the database).
AUDIT_ANCHOR_FILE = env.str("AUDIT_ANCHOR_FILE", default="")
AUDIT_CHECKPOINT_INTERVAL = env.float("AUDIT_CHECKPOINT_INTERVAL", default=60.0)
CELERY_BEAT_SCHEDULE["audit.checkpoint"] = {"task": "audit.checkpoint", "schedule": AUDIT_CHECKPOINT_INTERVAL,
                                            "options": {"expires": AUDIT_CHECKPOINT_INTERVAL}}

# --- HTTP security -----------------------------------------------------------------------------
# The one upload limit: an attachment's bytes. Files travel Base64-encoded inside a JSON GraphQL
# request (4/3 of their size), so the request-body limit is derived from it with room for the
# envelope; a larger body answers 413 PAYLOAD_TOO_LARGE.
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES * 4 // 3 + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES
# Content-Security-Policy (django-csp) on every response. Scripts only from our own origin (the
# Vite build has no inline script); styles also inline, because Ant Design's CSS-in-JS writes
# <style> elements at run time (a per-request nonce would need index.html rendered per request).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        # course videos usually live on a hospital's video server (the learning centre's lessons)
        "media-src": env.list("CSP_MEDIA_SRC", default=["'self'", "https:"]),
        "connect-src": ["'self'"],  # includes ws(s):// to the same host (CSP Level 3)
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# CORS (django-cors-headers): only these origins may call the API from a browser, with bearer
# tokens (never cookies). Empty by default: the workbench is served from the same origin.
CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])
CORS_URLS_REGEX = r"^(/t/[^/]+)?/graphql/?$"
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ("GET", "POST", "OPTIONS")
CORS_ALLOW_HEADERS = ("accept", "accept-language", "authorization", "content-type", "x-tenant", "x-request-id")
CORS_PREFLIGHT_MAX_AGE = 3600
if PRODUCTION:
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True  # tenants live on subdomains of BASE_DOMAIN too
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.security.SecurityMiddleware"), "csp.middleware.CSPMiddleware")
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.common.CommonMiddleware"), "corsheaders.middleware.CorsMiddleware")
INSTALLED_APPS += ["corsheaders", "csp"]

# --- i18n -------------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = devservices.var_dir() / "static"

# --- the web workbench ------------------------------------------------------------------------
# `frontend/dist` is the production build (`make run` / `make test` build it when its sources
# change). WhiteNoise serves its files from the site root with their pre-compressed .gz copies;
# hashed assets are cached for a year. Client-side routes get index.html (jianlian.urls).
FRONTEND_DIST = REPO_ROOT / "frontend" / "dist"
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
                  "whitenoise.middleware.WhiteNoiseMiddleware")
WHITENOISE_ROOT = FRONTEND_DIST if FRONTEND_DIST.is_dir() else None
WHITENOISE_IMMUTABLE_FILE_TEST = r"^/assets/.+-[A-Za-z0-9_-]{8}\.\w+$"

# --- GraphQL ----------------------------------------------------------------------------------
GRAPHENE = {
    "SCHEMA": "jianlian.api.schema.schema",
    # Not graphene-django's DjangoDebugMiddleware, which it adds when DEBUG is on: it records every
    # SQL statement of every resolver for a `_debug` field this schema does not have.
    "MIDDLEWARE": [],
}
GRAPHQL_MAX_DEPTH = env("GRAPHQL_MAX_DEPTH")
GRAPHQL_MAX_COST = env("GRAPHQL_MAX_COST")
GRAPHQL_MAX_ALIASES = env("GRAPHQL_MAX_ALIASES")
GRAPHQL_MAX_MUTATIONS = env("GRAPHQL_MAX_MUTATIONS")
# Production sets this so that only the frontend's registered documents run.
GRAPHQL_PERSISTED_ONLY = env("GRAPHQL_PERSISTED_ONLY")
# How long a document registered by Apollo's automatic persisted queries is kept (seconds).
GRAPHQL_APQ_TTL = env.int("GRAPHQL_APQ_TTL", default=24 * 3600)
# Operations in one batched (array) request.
GRAPHQL_MAX_BATCH = env.int("GRAPHQL_MAX_BATCH", default=10)
# "always", or "authenticated": anonymous callers cannot introspect the schema (production's default).
GRAPHQL_INTROSPECTION = env.str("GRAPHQL_INTROSPECTION", default="authenticated" if PRODUCTION else "always")
GRAPHQL_PERSISTED_DOCUMENTS = env("GRAPHQL_PERSISTED_DOCUMENTS", default=str(REPO_ROOT / "graphql" / "persisted-documents.json"))

# --- logging ----------------------------------------------------------------------------------
LOG_LEVEL = env("LOG_LEVEL").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "jianlian.core.logging.ContextFilter"}},
    "formatters": {"json": {"()": "jianlian.core.logging.JSONFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["context"]},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "django.utils.autoreload": {"level": "WARNING"},
        "pgserver": {"level": "WARNING"},
    },
}

# --- Sentry -----------------------------------------------------------------------------------
SENTRY_DSN = env("SENTRY_DSN")
if SENTRY_DSN:
    from jianlian.core.observability import init_sentry

    init_sentry(SENTRY_DSN, environment=JIANLIAN_ENV)

JIANLIAN_VERSION = "0.1.0"
PLATFORM_NAME = _("健联")
