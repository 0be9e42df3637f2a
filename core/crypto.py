"""Field-level encryption and keyed hashes for personal data (PIPL sensitive information).

Keys come from settings: ``PII_ENCRYPTION_KEYS`` is a list of ``"key-id:base64url(32 bytes)"``;
the first encrypts, every listed key decrypts, so a new key can be put first and old rows
re-encrypted at leisure (``onestop rotate_pii_keys``). ``PII_HASH_KEY`` keys the HMAC used to
find and de-duplicate a number without decrypting anything.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from functools import cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

_PREFIX = "v1"


@cache
def _keys(spec: tuple[str, ...]) -> tuple[str, dict[str, AESGCM]]:
    if not spec:
        raise ImproperlyConfigured("PII_ENCRYPTION_KEYS is empty.")
    keys: dict[str, AESGCM] = {}
    for item in spec:
        kid, _, b64 = item.partition(":")
        raw = base64.urlsafe_b64decode(b64.encode())
        if not kid or len(raw) != 32:
            raise ImproperlyConfigured("Each PII key must be 'key-id:base64url(32 bytes)'.")
        keys[kid] = AESGCM(raw)
    return spec[0].partition(":")[0], keys


def _current() -> tuple[str, dict[str, AESGCM]]:
    return _keys(tuple(settings.PII_ENCRYPTION_KEYS))


def encrypt(plaintext: str) -> str:
    """AES-256-GCM with a random nonce: ``v1:<key-id>:<base64url(nonce|ciphertext)>``."""
    kid, keys = _current()
    nonce = os.urandom(12)
    sealed = keys[kid].encrypt(nonce, plaintext.encode(), kid.encode())
    return f"{_PREFIX}:{kid}:{base64.urlsafe_b64encode(nonce + sealed).decode()}"


def decrypt(token: str) -> str:
    prefix, kid, body = token.split(":", 2)
    if prefix != _PREFIX:
        raise ValueError("Unknown ciphertext format.")
    _, keys = _current()
    if kid not in keys:
        raise ImproperlyConfigured(f"PII key {kid!r} is not configured; cannot decrypt.")
    raw = base64.urlsafe_b64decode(body.encode())
    return keys[kid].decrypt(raw[:12], raw[12:], kid.encode()).decode()


def key_id_of(token: str) -> str:
    return token.split(":", 2)[1]


def primary_key_id() -> str:
    return _current()[0]


def pii_digest(kind: str, value: str) -> str:
    """Keyed hash (HMAC-SHA256) of a normalised value, for lookup and uniqueness."""
    key = settings.PII_HASH_KEY.encode()
    return hmac.new(key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()
