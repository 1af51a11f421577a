"""Intersector settings: one module, read from the environment.

Defaults are the safe production ones. `make run` writes a local `.env` (random secret key,
plain-HTTP cookies for 127.0.0.1) so the site runs on a laptop without editing anything.
"""

import os
import warnings
from pathlib import Path

import dj_database_url
import dj_email_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def _load_dotenv(path):
    """Read KEY=VALUE lines into os.environ without overriding what is already set."""
    if not path.is_file():
        return
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        os.environ.setdefault(key.strip(), value.strip().strip("'\""))


# INTERSECTOR_ENV_FILE names another file; set to an empty value, no file is read (tests).
_env_file = os.environ.get("INTERSECTOR_ENV_FILE", str(BASE_DIR / ".env"))
if _env_file:
    _load_dotenv(Path(_env_file))


def env(name, default=None):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")


def _check_production_settings():
    """Refuse to start with settings that would be unsafe on a public server."""
    problems = []
    if not SECRET_KEY:
        problems.append(
            "SECRET_KEY is not set. Set it in the environment (or run `make run`, which writes a "
            "random one to .env)."
        )
    elif len(SECRET_KEY) < 32:
        problems.append("SECRET_KEY is too short: use at least 32 random characters.")
    local = {"localhost", "127.0.0.1", "[::1]", "testserver"}
    public = [h for h in ALLOWED_HOSTS if h not in local]
    if DEBUG and public:
        problems.append(
            "DEBUG is on while ALLOWED_HOSTS names public hosts (%s). Debug pages show secrets: "
            "turn DEBUG off on any server others can reach." % ", ".join(public)
        )
    if problems:
        raise ImproperlyConfigured("Intersector cannot start:\n- " + "\n- ".join(problems))


_check_production_settings()

# Convene's activity kinds: each is an app of its own (intersector/workshops/activities/README.md),
# listed here once, in the order the agenda offers them. CONVENE_EXTRA_KINDS adds a site's own
# kinds (comma-separated module paths of such apps).
CONVENE_KINDS = [
    "intersector.workshops.activities.presentation",
    "intersector.workshops.activities.brainwriting",
    "intersector.workshops.activities.casesim",
    "intersector.workshops.activities.discussion",
    "intersector.workshops.activities.decision",
    "intersector.workshops.activities.pause",
    *env_list("CONVENE_EXTRA_KINDS"),
]

INSTALLED_APPS = [
    "intersector.accounts",
    "intersector.live",
    "intersector.jobs",
    "intersector.library",
    "intersector.workshops",
    *CONVENE_KINDS,
    "intersector.workshops.qna",  # questions and answers that kinds switch on (not a kind)
    "intersector.agreements",
    "intersector.casepacks",
    "intersector.collaboratives",
    "intersector.api",
    "intersector",
    # Wagtail: editorial content (Learn) and the staff admin at /cms/.
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "ninja",  # its bundled Swagger UI serves the API docs page without a CDN
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "intersector.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Cookies holding control characters are forgotten before anything reads them (inputs.py).
    "intersector.middleware.CookieCheckMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "intersector.middleware.FriendlyErrorsMiddleware",
    "intersector.refusals.RefusalMiddleware",
    "intersector.accounts.middleware.StaffOnlyCmsMiddleware",
    # Text that cannot be saved (control characters, invisible-only) is refused before any view.
    "intersector.middleware.InputCheckMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "intersector.urls"
ASGI_APPLICATION = "intersector.asgi.application"
WSGI_APPLICATION = "intersector.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "intersector" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "intersector.context_processors.site",
            ],
        },
    },
]

# --- Database: SQLite by default, anything dj-database-url reads from DATABASE_URL.
DATABASE_URL = env("DATABASE_URL", "") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
# Page requests run on a pool of long-lived threads (intersector/asgi.py): each keeps its
# connection instead of logging in again per request; health checks drop a broken one.
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=int(env("DB_CONN_MAX_AGE", "600")),
                                              conn_health_checks=True)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers carry on while one writer writes; IMMEDIATE transactions plus a busy
    # timeout make concurrent writers queue instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # Tests on SQLite use a file so that uvicorn subprocesses can share the test database.
    DATABASES["default"]["TEST"] = {
        "NAME": env("SQLITE_TEST_NAME", str(BASE_DIR / "var" / "test-db.sqlite3"))
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: optional. When set it carries live events between servers and backs the cache.
REDIS_URL = env("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "intersector",
            # One pool per process: otherwise each request opens a new connection (redis_pool.py).
            "OPTIONS": {"pool_class": "intersector.redis_pool.SharedConnectionPool"},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

LIVE_BACKEND = env(
    "LIVE_BACKEND",
    "intersector.live.backends.redis.RedisBackend"
    if REDIS_URL
    else "intersector.live.backends.memory.MemoryBackend",
)
LIVE_BUFFER_SIZE = int(env("LIVE_BUFFER_SIZE", "500"))
LIVE_KEEPALIVE_SECONDS = float(env("LIVE_KEEPALIVE_SECONDS", "15"))
LIVE_RETRY_MILLISECONDS = int(env("LIVE_RETRY_MILLISECONDS", "3000"))  # browser's reconnect wait
LIVE_MAX_STREAM_SECONDS = int(env("LIVE_MAX_STREAM_SECONDS", "3600"))  # then reconnect, recheck
# Stream views of one process checking permissions (database) at once; the others wait their turn.
LIVE_STREAM_DB_SLOTS = int(env("LIVE_STREAM_DB_SLOTS", "2"))
LIVE_MAX_TOPICS = int(env("LIVE_MAX_TOPICS", "1000"))  # memory backend: idle topics forgotten past this
LIVE_REDIS_PREFIX = env("LIVE_REDIS_PREFIX", "intersector:live:")
LIVE_REDIS_TTL_SECONDS = int(env("LIVE_REDIS_TTL_SECONDS", str(7 * 24 * 3600)))

# --- Background tasks: stored in the database, run by `manage.py db_worker`.
TASKS = {"default": {"BACKEND": env("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}
# A running job's worker writes a sign of life this often (seconds). A job with no sign of life
# for the lease is taken as orphaned (its worker died) and marked failed, so no page says
# "running" forever. Keep the lease several heartbeats long.
JOB_HEARTBEAT_SECONDS = float(env("JOB_HEARTBEAT_SECONDS", "10"))
JOB_LEASE_SECONDS = float(env("JOB_LEASE_SECONDS", "60"))
# Jobs a worker starts once a day, from DAILY_JOBS_HOUR (local time) on (intersector/jobs/daily.py):
# task path -> the label its job page shows.
DAILY_JOBS = {
    "intersector.collaboratives.tasks.email_overdue_commitments": "E-mail overdue commitments",
    "intersector.collaboratives.tasks.send_digests": "E-mail digests of what changed in collaboratives",
}
DAILY_JOBS_HOUR = int(env("DAILY_JOBS_HOUR", "7"))
# Text recognition of scanned agreement pages (Debian tesseract-ocr with -eng and -spa); without
# it an upload still works and the review says which scanned pages could not be read.
TESSERACT_COMMAND = env("TESSERACT_COMMAND", "tesseract")

# --- Accounts
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "intersector.accounts.backends.EmailOrUsernameBackend",
    "intersector.accounts.backends.StaffCmsAccessBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Limits (intersector/limits.py): counted in the cache, so shared by all servers on Redis.
# Proxies in front of uvicorn (nginx alone: 1). The visitor's address is then the hop the
# proxy wrote in X-Forwarded-For; with 0 that header is ignored, since anyone can write it.
TRUSTED_PROXIES = int(env("TRUSTED_PROXIES", env("LOGIN_RATE_TRUSTED_PROXIES", "0")))
# Wrong passwords: per account from one address (a stranger elsewhere cannot lock the owner
# out), per address over all accounts, and a far higher ceiling per account over all
# addresses, against guessing spread over many machines.
SIGN_IN_LIMIT = int(env("SIGN_IN_LIMIT", env("LOGIN_RATE_LIMIT", "5")))
SIGN_IN_WINDOW = int(env("SIGN_IN_WINDOW", env("LOGIN_RATE_WINDOW", "900")))  # seconds
SIGN_IN_ADDRESS_LIMIT = int(env("SIGN_IN_ADDRESS_LIMIT", "20"))  # in SIGN_IN_WINDOW
SIGN_IN_ACCOUNT_LIMIT = int(env("SIGN_IN_ACCOUNT_LIMIT", "50"))
SIGN_IN_ACCOUNT_WINDOW = int(env("SIGN_IN_ACCOUNT_WINDOW", "3600"))
# Password-reset mails: per e-mail address asked for, and per visitor's address.
PASSWORD_RESET_LIMIT = int(env("PASSWORD_RESET_LIMIT", "3"))
PASSWORD_RESET_ADDRESS_LIMIT = int(env("PASSWORD_RESET_ADDRESS_LIMIT", "10"))
PASSWORD_RESET_WINDOW = int(env("PASSWORD_RESET_WINDOW", "3600"))
# Wrong API tokens per address.
API_TOKEN_FAILURE_LIMIT = int(env("API_TOKEN_FAILURE_LIMIT", "20"))
API_TOKEN_FAILURE_WINDOW = int(env("API_TOKEN_FAILURE_WINDOW", "900"))
# Convene, per minute: joins per address (a conference Wi-Fi puts hundreds of phones behind
# one), notes per participant (far above fast writing, far below a script).
CONVENE_JOIN_LIMIT = int(env("CONVENE_JOIN_LIMIT", "300"))
CONVENE_NOTE_LIMIT = int(env("CONVENE_NOTE_LIMIT", "20"))
# Questions one phone may ask a minute (Q&A, intersector/workshops/qna).
CONVENE_QUESTION_LIMIT = int(env("CONVENE_QUESTION_LIMIT", "5"))
# Phones hear of Q&A votes at most once in this many seconds per item, then reload their list.
CONVENE_VOTES_EVENT_SECONDS = float(env("CONVENE_VOTES_EVENT_SECONDS", "4"))

# --- E-mail: EMAIL_URL such as smtp+tls://user:password@smtp.example.org:587
EMAIL_URL = env("EMAIL_URL", "console://")
vars().update(dj_email_url.parse(EMAIL_URL))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Intersector <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Agree: an invitation (a partner's or a guest's) works for this many days after it is sent.
AGREEMENT_INVITE_DAYS = int(env("AGREEMENT_INVITE_DAYS", "14"))

# --- Internationalisation: English first, Spanish second.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "intersector" / "locale"]
FORMAT_MODULE_PATH = ["intersector.formats"]  # long dates in each language's own order
# The language someone picks (the site's menu, a phone's switch) lasts a year, not one browser
# session: a phone that closes its browser mid-workshop comes back in the language it chose.
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
USE_I18N = True
TIME_ZONE = env("TIME_ZONE", "UTC")
USE_TZ = True

# --- Static and uploaded files
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG and env_bool("STATIC_MANIFEST", True)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG or env_bool("WHITENOISE_USE_FINDERS", False)
# Under uvicorn, Django warns that WhiteNoise's file responses are read in a thread. That is
# expected for the few static files a single server sends (a proxy serves them in production).
warnings.filterwarnings("ignore", message="StreamingHttpResponse must consume synchronous iterators")

# --- Limits on what a request may carry
DATA_UPLOAD_MAX_MEMORY_SIZE = int(env("DATA_UPLOAD_MAX_MEMORY_SIZE", str(2_621_440)))
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

# --- Security
SECURE_COOKIES = env_bool("SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "intersector.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# HSTS is sent only on HTTPS responses; behind a TLS proxy set SECURE_PROXY_SSL_HEADER=1.
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True

# --- Wagtail
WAGTAIL_SITE_NAME = "Intersector"
WAGTAILADMIN_BASE_URL = env("SITE_URL", "http://127.0.0.1:8000")
WAGTAILADMIN_LOGIN_URL = "accounts:login"
WAGTAIL_I18N_ENABLED = False
# No calls to outside services from the admin: no update check, no Gravatar images.
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# --- Logging: errors to the console (uvicorn's log), never to the visitor.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler", "level": env("LOG_LEVEL", "WARNING")}},
    "root": {"handlers": ["console"], "level": "INFO"},
}
