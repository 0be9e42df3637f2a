"""The demo and development mode: an SQLite file and secrets generated once under var/."""

from .base import *  # noqa: F403
from .env import env_bool, env_str, generated_secret

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY") or generated_secret("django_secret_key", nbytes=50)
# PII keys: "key-id:base64-32-bytes", the first encrypts, all decrypt (so keys can rotate).
PII_ENCRYPTION_KEYS = [
    env_str("PII_ENCRYPTION_KEY") or "demo1:" + generated_secret("pii_key", urlsafe_b64=True)
]
PII_HASH_KEY = env_str("PII_HASH_KEY") or generated_secret("pii_hash_key")
# The ledger's key and a local demo witness (standing in for a neighbouring city's).
LEDGER_SIGNING_KEY = env_str("LEDGER_SIGNING_KEY") or generated_secret(
    "ledger_key", urlsafe_b64=False, raw_b64=True
)
WITNESS_SIGNING_KEY = env_str("WITNESS_SIGNING_KEY") or generated_secret(
    "witness_key", urlsafe_b64=False, raw_b64=True
)
LEDGER_DEMO_WITNESS = True
