"""The test suite: fast hashing, tasks run at once, fixed keys (never used outside tests)."""

import base64

from .base import *  # noqa: F403
from .base import TEMPLATES
from .env import VAR_DIR

ONESTOP_ENV = "test"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not shared-cache memory: concurrent-writer tests need SQLite's real locking.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}  # noqa: F405
SECRET_KEY = "test-secret-key-not-for-production-0123456789abcdefghijklmnopqrstuvwxyz"
PII_ENCRYPTION_KEYS = [
    "t2:" + base64.urlsafe_b64encode(b"\x02" * 32).decode(),
    "t1:" + base64.urlsafe_b64encode(b"\x01" * 32).decode(),
]
PII_HASH_KEY = "test-pii-hash-key"
LEDGER_ORIGIN = "test.onestop.invalid/ledger"
LEDGER_SIGNING_KEY = base64.b64encode(b"\x11" * 32).decode()
WITNESS_NAME = "witness.test.onestop.invalid"
WITNESS_SIGNING_KEY = base64.b64encode(b"\x22" * 32).decode()
LEDGER_DEMO_WITNESS = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SMS_PROVIDER = "core.sms.MemorySmsProvider"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
TEMPLATES[0]["OPTIONS"]["debug"] = True
ALLOWED_HOSTS = ["*"]
# Tests serve static files through the finders (live server); whitenoise needs collectstatic.
MIDDLEWARE = [m for m in MIDDLEWARE if m != "whitenoise.middleware.WhiteNoiseMiddleware"]  # noqa: F405
CATALOG_SEARCH_STATE_TTL = 0  # every search sees the latest index generation
DEMO_CASES = 30  # the demo history is shorter in tests (the generator is the same)
DEMO_RATINGS = 1500
DEMO_ORDERS = 500
