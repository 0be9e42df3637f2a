"""Login throttling: too many failures for one identifier or one address lock it a while."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache


def _keys(identifier: str, address: str) -> list[str]:
    ident = hashlib.sha256(identifier.strip().lower().encode()).hexdigest()[:32]
    return [f"login-fail:id:{ident}", f"login-fail:ip:{address}"]


def is_locked(identifier: str, address: str) -> bool:
    limit = settings.LOGIN_THROTTLE_FAILURES
    # The address limit is wider: a hall's kiosk serves many people from one address.
    counts = [cache.get(k, 0) for k in _keys(identifier, address)]
    return counts[0] >= limit or counts[1] >= limit * 4


def record_failure(identifier: str, address: str) -> None:
    window = settings.LOGIN_THROTTLE_WINDOW_SECONDS
    for key in _keys(identifier, address):
        if not cache.add(key, 1, window):
            try:
                cache.incr(key)
            except ValueError:
                cache.set(key, 1, window)


def clear(identifier: str, address: str) -> None:
    cache.delete(_keys(identifier, address)[0])
