"""Settings shared by every mode. Modes: demo (default), production, test."""

from __future__ import annotations

import dj_database_url
from django.utils.translation import gettext_lazy as _

from .env import BASE_DIR, VAR_DIR, env_list, env_str

DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    # OneStop apps, lowest layer first (each calls only the ones above it in this list).
    "core",
    "ledger",
    "directory",
    "accounts",
    "licenses",
    "ratings",
    "catalog",
    "cases",
    "hotline",
    "portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.middleware.RejectNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.StaffTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "portal.middleware.ElderlyModeMiddleware",
]

ROOT_URLCONF = "onestop.urls"
WSGI_APPLICATION = "onestop.wsgi.application"

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
                "portal.context_processors.site",
            ],
        },
    },
]


def database_config(url: str | None) -> dict:
    """DATABASE_URL, or the embedded SQLite file under var/ in WAL mode."""
    if url:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
        if config["ENGINE"] == "django.db.backends.sqlite3":
            config.setdefault("OPTIONS", {}).update(SQLITE_OPTIONS)
        return config
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": VAR_DIR / "onestop.sqlite3",
        "OPTIONS": dict(SQLITE_OPTIONS),
    }


SQLITE_OPTIONS = {
    # IMMEDIATE takes the write lock at BEGIN, so concurrent writers queue instead of failing
    # with "database is locked" half-way through a transaction.
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        " PRAGMA busy_timeout=20000;"
    ),
}

DATABASES = {"default": database_config(env_str("DATABASE_URL"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    # The database cache is shared by every web process, so login throttling holds across them.
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "onestop_cache",
    }
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["accounts.backends.IdentifierBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:home"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [
    ("zh-hans", _("Simplified Chinese")),
    ("zh-hant", _("Traditional Chinese")),
    ("en", _("English")),
    ("pt", _("Portuguese")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "onestop_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "OneStop <no-reply@onestop.invalid>")
SITE_URL = (env_str("SITE_URL", "http://127.0.0.1:8000") or "").rstrip("/")  # links in e-mail
SMS_PROVIDER = env_str("SMS_PROVIDER", "core.sms.LogSmsProvider")

# Case materials: checked by content, stored through Django's storage API.
CASES_UPLOAD_MAX_BYTES = int(env_str("CASES_UPLOAD_MAX_BYTES", str(10 * 1024 * 1024)) or 0)
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# E-licenses: keys are generated on first use outside production; in production they come
# from configuration (onestop licenses import-key). Legal bases for fetching without the
# holder's consent: department code → license type codes (none by default).
LICENSES_GENERATE_KEYS = True
LICENSES_LEGAL_BASES: dict[str, list[str]] = {}
LICENSES_SHARE_SECONDS = 15 * 60
RATINGS_INVITATION_DAYS = 15  # how long the link to rate a service works
RATINGS_RECTIFICATION_DAYS = 5  # working days a unit has to rectify a bad review
RATINGS_ESCALATION_CHECK_SECONDS = 3600
# WeChat Official Account server callback ("micro mayor"): off unless a token is configured.
WECHAT_TOKEN = env_str("WECHAT_TOKEN", "")
WECHAT_MAX_BYTES = 64 * 1024
# Safe mode (安全模式): the account's EncodingAESKey (43 characters) and AppID.
WECHAT_AES_KEY = env_str("WECHAT_AES_KEY", "")
WECHAT_APP_ID = env_str("WECHAT_APP_ID", "")
# Online payment providers (name → class). The built-in sandbox is test mode only: it is on in
# development and the demo; production lists real providers (see docs/decisions/0007).
PAYMENT_PROVIDERS: dict[str, str] = {"sandbox": "cases.payments.SandboxProvider"}
PAYMENTS_SANDBOX_KEY = env_str("PAYMENTS_SANDBOX_KEY", "")  # Ed25519 PEM; else from SECRET_KEY
# How often the worker looks for cases near or past their deadline.
CASES_DEADLINE_CHECK_SECONDS = int(env_str("CASES_DEADLINE_CHECK_SECONDS", "900") or 900)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Login throttling: this many failures for one identifier or one address within the window
# lock further attempts until the window passes.
LOGIN_THROTTLE_FAILURES = 5
LOGIN_THROTTLE_WINDOW_SECONDS = 15 * 60

# Staff must confirm a TOTP code after the password (required in production).
STAFF_OTP_REQUIRED = False
OTP_TOTP_ISSUER = "OneStop"

# Prometheus scraping: when METRICS_TOKEN is set, /metrics needs "Authorization: Bearer <token>".
METRICS_TOKEN = env_str("METRICS_TOKEN")

ONESTOP_ENV = "demo"
ONESTOP_SITE_NAME = _("OneStop government services")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_pii": {"()": "core.masking.PiiLogFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["mask_pii"],
            "formatter": "plain",
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # SpiffWorkflow logs every task state change at INFO: the case history keeps what
        # matters, so only its warnings reach the log.
        "spiff": {"level": "WARNING"},
    },
}

# API pagination (core.pagination.BoundedPagination): pages of at most 500 items.
NINJA_PAGINATION_MAX_LIMIT = 500
NINJA_PAGINATION_PER_PAGE = 100

# Transparency ledger (C2SP checkpoints). LEDGER_WITNESSES: "vkey url" per witness to ask;
# WITNESS_*: this deployment acting as a witness of other cities' logs.
LEDGER_ORIGIN = env_str("LEDGER_ORIGIN", "onestop.invalid/jiangmen-demo/ledger")
LEDGER_CHECKPOINT_SECONDS = int(env_str("LEDGER_CHECKPOINT_SECONDS", "60") or 60)
LEDGER_WITNESSES = [w for w in (env_str("LEDGER_WITNESSES", "") or "").split(",") if w.strip()]
LEDGER_DEMO_WITNESS = False
WITNESS_NAME = env_str("WITNESS_NAME", "witness.onestop.invalid/jiangmen-demo")
WITNESS_SIGNING_KEY = env_str("WITNESS_SIGNING_KEY")
WITNESS_LOG_VKEYS = [v for v in (env_str("WITNESS_LOG_VKEYS", "") or "").split(",") if v.strip()]
