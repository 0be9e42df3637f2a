"""Production: every secret from the environment, HTTPS only, staff two-factor required."""

from .base import *  # noqa: F403
from .env import env_bool, env_list, env_str, required

ONESTOP_ENV = "production"
DEBUG = False
SECRET_KEY = required("SECRET_KEY")
PII_ENCRYPTION_KEYS = env_list("PII_ENCRYPTION_KEYS", []) or [required("PII_ENCRYPTION_KEYS")]
PII_HASH_KEY = required("PII_HASH_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", []) or [required("ALLOWED_HOSTS")]

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^metrics$"]
SECURE_HSTS_SECONDS = int(env_str("SECURE_HSTS_SECONDS", "31536000") or 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True

STAFF_OTP_REQUIRED = env_bool("STAFF_OTP_REQUIRED", True)
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
LEDGER_SIGNING_KEY = required("LEDGER_SIGNING_KEY")
LICENSES_GENERATE_KEYS = env_bool("LICENSES_GENERATE_KEYS", False)
LEDGER_ORIGIN = required("LEDGER_ORIGIN")

# Uploaded case materials on S3-compatible object storage (MinIO, Ceph, a cloud's OSS) when a
# bucket is configured; credentials come from the environment (AWS_ACCESS_KEY_ID, …).
if env_str("AWS_STORAGE_BUCKET_NAME"):
    STORAGES["default"] = {  # noqa: F405
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env_str("AWS_S3_ENDPOINT_URL"),
            "region_name": env_str("AWS_S3_REGION_NAME"),
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }

# Online payments: real providers are named here as "name=dotted.path.Class" pairs; the test-mode
# sandbox only if PAYMENTS_SANDBOX is set (a staging site), never by default.
PAYMENT_PROVIDERS = dict(item.split("=", 1) for item in env_list("PAYMENT_PROVIDERS", []))
if env_bool("PAYMENTS_SANDBOX", False):
    PAYMENT_PROVIDERS["sandbox"] = "cases.payments.SandboxProvider"
