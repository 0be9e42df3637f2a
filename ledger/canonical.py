"""Canonical JSON and the leaf encoding of an entry (both must never change)."""

from __future__ import annotations

import hashlib
import json


def canonical_json(value) -> bytes:
    """Sorted keys, no spaces, UTF-8. Floats are refused: their text is not canonical."""

    def check(v):
        if isinstance(v, float):
            raise TypeError("ledger payloads take no floats: use integers or strings")
        if isinstance(v, dict):
            for key, item in v.items():
                if not isinstance(key, str):
                    raise TypeError("ledger payload keys are strings")
                check(item)
        elif isinstance(v, list | tuple):
            for item in v:
                check(item)
        elif not isinstance(v, str | int | bool | type(None)):
            raise TypeError(f"ledger payloads take JSON values, not {type(v).__name__}")

    check(value)
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def payload_sha256(payload: dict) -> str:
    return hashlib.sha256(canonical_json(payload)).hexdigest()


def leaf_data(
    *, index: int, at_us: int, action: str, subject: str, actor: str, payload_sha256: str
) -> bytes:
    """The bytes a leaf commits to: every field of the entry, canonically."""
    return canonical_json(
        {
            "v": 1,
            "index": index,
            "at_us": at_us,
            "action": action,
            "subject": subject,
            "actor": actor,
            "payload_sha256": payload_sha256,
        }
    )
