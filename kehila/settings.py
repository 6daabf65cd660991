"""The one settings module.

Every knob has an embedded default that needs nothing running (SQLite, a file-system Celery broker, e-mail
to files) and an environment variable for production. A malformed variable stops start-up with a message
that names it, so an operator never chases a stack trace to learn which line of the environment is wrong.
"""

import os
from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("KEHILA_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    raw = env.str(name, default=None)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of true/false/1/0/yes/no/on/off, not {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = env.str(name, default=None)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None


def env_url(name: str, default: str, parse):
    raw = env.str(name, default=default)
    try:
        parsed = parse(raw)
    except Exception as exc:  # environ raises several types for a bad URL
        raise ImproperlyConfigured(f"{name} is not a valid URL ({raw!r}): {exc}") from None
    return parsed


def env_list(name: str, default: list[str]) -> list[str]:
    raw = env.str(name, default=None)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"  # noqa: S105
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# How many proxies in front of the web server append to X-Forwarded-For (the TLS proxy: 1). The client's
# address is the one the outermost of them saw (kehila.net.client_ip); 0 takes REMOTE_ADDR as is.
KEHILA_TRUSTED_PROXY_COUNT = env_int("KEHILA_TRUSTED_PROXY_COUNT", 0)
if KEHILA_TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("KEHILA_TRUSTED_PROXY_COUNT must be 0 or more.")
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "kehila",
    "partners",
    "committees",
    "strategy",
    "pilots",
    "live",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django.forms",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # A live session's unchanged poll ends here with 304, from one cache read (live.polling).
    "live.polling.NotModifiedMiddleware",
    "kehila.net.ClientAddressMiddleware",
    # WhiteNoise, compressing on the development server too (kehila/static_serving.py).
    "kehila.static_serving.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # After a login, sets the interface's language to the one the person chose (kehila.profile).
    "kehila.profile.LanguageCookieMiddleware",
    "kehila.middleware.HebrewFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "kehila.accounts.IdleTimeoutMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "kehila.accounts.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kehila.urls"
WSGI_APPLICATION = "kehila.wsgi.application"

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
                "django.template.context_processors.i18n",
                "kehila.context_processors.portal",
            ],
        },
    },
]

# Form widgets render through the project's templates, so that templates/django/forms/ can override
# Django's: the select there draws its options in one loop instead of one template include per option
# (a list of a thousand people rendered ten times faster).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {
    "default": env_url(
        "DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}", environ.Env.db_url_config
    )
}
if DATABASES["default"].get("ENGINE") not in {
    "django.db.backends.sqlite3",
    "django.db.backends.postgresql",
}:
    raise ImproperlyConfigured(
        "DATABASE_URL must be a postgres:// or sqlite:/// URL, "
        f"not {env.str('DATABASE_URL', default='')!r}."
    )
DATABASES["default"]["CONN_MAX_AGE"] = env_int("CONN_MAX_AGE", 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite is the zero-setup default, and the web server, the worker and beat write to it at once.
    # WAL lets readers go on while one connection writes. IMMEDIATE takes the write lock when a
    # transaction begins: a transaction that read first and then wanted to write could not wait for
    # another writer (SQLite answers "database is locked" at once, whatever the timeout, to avoid a
    # deadlock). With the lock taken up front, the busy timeout makes a second writer wait its turn.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=20000; PRAGMA synchronous=NORMAL"
            ),
        }
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # A file, not memory, so that a real Celery worker started by a test can open the test database.
    DATABASES["default"]["TEST"] = {
        "NAME": env.str("KEHILA_TEST_DB", default=str(VAR_DIR / f"test-{os.getpid()}.sqlite3"))
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env_url("CACHE_URL", "locmemcache://", environ.Env.cache_url_config)}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # The same backend, keeping its redis-py client (kehila.redis_cache).
    CACHES["default"]["BACKEND"] = "kehila.redis_cache.RedisCache"
# Sessions read from the cache (Redis in production) and written through to the database: one query
# less on every page, and nothing lost when the cache is flushed.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# axes first: it refuses a locked-out username or address before a password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Failed logins: after KEHILA_LOGIN_FAILURE_LIMIT failures in a row for one username, or from one client
# address, that username or address is locked for KEHILA_LOGIN_LOCKOUT_MINUTES (0: until HQ lifts it,
# on the HQ lockouts page or in axes' admin).
AXES_FAILURE_LIMIT = env_int("KEHILA_LOGIN_FAILURE_LIMIT", 10)
_lockout_minutes = env_int("KEHILA_LOGIN_LOCKOUT_MINUTES", 60)
AXES_COOLOFF_TIME = timedelta(minutes=_lockout_minutes) if _lockout_minutes > 0 else None
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "kehila.net.client_ip"
AXES_LOCKOUT_CALLABLE = "kehila.accounts.lockout_response"
# A staff session ends after this long without a request (kehila.accounts.IdleTimeoutMiddleware).
KEHILA_IDLE_TIMEOUT_MINUTES = env_int("KEHILA_IDLE_TIMEOUT_MINUTES", 30)
# The TOTP issuer shown in the authenticator app.
OTP_TOTP_ISSUER = "Kehila Metiva"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Hebrew first, right to left; English second; Arabic third, right to left (Django's LANGUAGES_BIDI
# has "ar", so the pages, PDFs and e-mails in Arabic read right to left like the Hebrew ones).
LANGUAGE_CODE = "he"
LANGUAGES = [("he", _("Hebrew")), ("en", _("English")), ("ar", _("Arabic"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Jerusalem"
USE_TZ = True
# Israel's working week: Sunday to Thursday. Django's first day of week (0 = Sunday).
FIRST_DAY_OF_WEEK = 0
# One way of writing dates and numbers per language (kehila/formats/<language>/formats.py): the Israeli
# short date 14.9.2026 in all three, the month named in the reader's language in the long forms.
FORMAT_MODULE_PATH = ["kehila.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Front-end packages come from the npm registry (package-lock.json) and are served from node_modules;
# Bootstrap's CSS is built from its Sass into static/build/ (assets/bootstrap.scss), so only its JS is here.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap/js", BASE_DIR / "node_modules" / "bootstrap" / "dist" / "js"),
    ("vendor/tom-select", BASE_DIR / "node_modules" / "tom-select" / "dist"),
]

# Uploaded and generated files (agenda papers): the file system by default; KEHILA_STORAGE=s3 puts them
# in an S3-compatible bucket (MinIO in docker-compose) that every web and worker machine shares. The bucket
# stays private: files are streamed through the permission-checked views, never linked to.


def s3_storage(*, bucket_name, endpoint_url, region_name, access_key, secret_key, addressing_style):
    """django-storages' S3 backend as the portal uses it (the S3 tests build theirs here too)."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket_name,
            "endpoint_url": endpoint_url or None,
            "region_name": region_name or None,
            "access_key": access_key or None,
            "secret_key": secret_key or None,
            # MinIO and most S3-compatible servers address buckets by path, not by host name.
            "addressing_style": addressing_style,
            "default_acl": None,
            "querystring_auth": True,
            # Two uploads of "agenda.pdf" must never replace each other.
            "file_overwrite": False,
            # A download is spooled to a temporary file past 2 MB (the default keeps it all in memory).
            "max_memory_size": 2 * 1024 * 1024,
        },
    }


KEHILA_STORAGE = env.str("KEHILA_STORAGE", default="filesystem")
if KEHILA_STORAGE == "filesystem":
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
elif KEHILA_STORAGE == "s3":
    if not env.str("AWS_STORAGE_BUCKET_NAME", default=""):
        raise ImproperlyConfigured("KEHILA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME.")
    _default_storage = s3_storage(
        bucket_name=env.str("AWS_STORAGE_BUCKET_NAME"),
        endpoint_url=env.str("AWS_S3_ENDPOINT_URL", default=""),
        region_name=env.str("AWS_S3_REGION_NAME", default=""),
        access_key=env.str("AWS_ACCESS_KEY_ID", default=""),
        secret_key=env.str("AWS_SECRET_ACCESS_KEY", default=""),
        addressing_style=env.str("AWS_S3_ADDRESSING_STYLE", default="path"),
    )
else:
    raise ImproperlyConfigured(
        f"KEHILA_STORAGE must be 'filesystem' or 's3', not {KEHILA_STORAGE!r}."
    )
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024

# E-mail: written to files under var/mail by default; EMAIL_URL (smtp://, consolemail://...) in production.
_email = env_url("EMAIL_URL", "", environ.Env.email_url_config) if env.str("EMAIL_URL", "") else {}
if _email:
    globals().update(_email)
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = Path(env.str("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail")))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="kehila@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: kombu's file-system transport by default, so a real worker and beat need no Redis.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL.split("://", 1)[0] not in {"filesystem", "redis", "rediss", "memory", "amqp"}:
    raise ImproperlyConfigured(
        f"CELERY_BROKER_URL must be a filesystem://, redis:// or amqp:// URL, not {CELERY_BROKER_URL!r}."
    )
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
# The e-mail outbox (kehila.mail): a sender holds the rows it claimed for this long; a row whose
# sender died is claimed again when it runs out. A drain stops claiming after half the lease, so what
# it claimed last is sent well before the lease ends even at EMAIL_TIMEOUT per e-mail.
KEHILA_OUTBOX_LEASE_SECONDS = env_int("KEHILA_OUTBOX_LEASE_SECONDS", 300)
KEHILA_OUTBOX_MAX_ATTEMPTS = env_int("KEHILA_OUTBOX_MAX_ATTEMPTS", 8)
# A sent e-mail's body holds the recipient's name and personal links (RSVP, calendar): kept this long for
# the manager's per-meeting page and support, then emptied nightly; the row (key, state, time) stays.
KEHILA_OUTBOX_BODY_RETENTION_DAYS = env_int("KEHILA_OUTBOX_BODY_RETENTION_DAYS", 30)
if KEHILA_OUTBOX_BODY_RETENTION_DAYS < 1:
    raise ImproperlyConfigured("KEHILA_OUTBOX_BODY_RETENTION_DAYS must be at least 1.")
if "EMAIL_TIMEOUT" not in globals():
    EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
if CELERY_BROKER_URL.startswith(("redis", "rediss")):
    # acks_late: a message is only acknowledged when its task ends; Redis hands an unacknowledged
    # one to another worker after this long. Longer than any drain (half a lease) so a running drain
    # is not started twice; short enough that a task of a killed worker runs again soon.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 2 * KEHILA_OUTBOX_LEASE_SECONDS}
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# Residents' personal data: how long the log of access to contact details is kept (kehila.privacy).
KEHILA_CONTACT_LOG_RETENTION_DAYS = env_int("KEHILA_CONTACT_LOG_RETENTION_DAYS", 730)
if KEHILA_CONTACT_LOG_RETENTION_DAYS < 1:
    raise ImproperlyConfigured("KEHILA_CONTACT_LOG_RETENTION_DAYS must be at least 1.")

# Invitations by e-mail (kehila.invitations): how long a link works, and how many invitation e-mails one
# person may send in an hour, one address may receive in a day, and one client may ask for a new link in
# an hour.
KEHILA_INVITATION_DAYS = env_int("KEHILA_INVITATION_DAYS", 14)
if KEHILA_INVITATION_DAYS < 1:
    raise ImproperlyConfigured("KEHILA_INVITATION_DAYS must be at least 1.")
KEHILA_INVITATIONS_PER_ACTOR_HOUR = env_int("KEHILA_INVITATIONS_PER_ACTOR_HOUR", 30)
KEHILA_INVITATIONS_PER_ADDRESS_DAY = env_int("KEHILA_INVITATIONS_PER_ADDRESS_DAY", 5)
KEHILA_INVITATION_REQUESTS_PER_HOUR = env_int("KEHILA_INVITATION_REQUESTS_PER_HOUR", 5)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

for _folder in (
    VAR_DIR,
    VAR_DIR / "mail",
    VAR_DIR / "broker" / "queue",
    VAR_DIR / "broker" / "processed",
):
    _folder.mkdir(parents=True, exist_ok=True)
