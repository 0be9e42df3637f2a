"""Owning apps tell the ledger how to recompute a logged payload from their rows.

``register_payload("enterprise.agent_granted", fn)``: ``fn(subject_pk)`` returns the payload
as it should be now, or None when the row is gone. ``onestop ledger verify`` compares its
hash with the entry's, so a direct UPDATE of a logged decision is found.
"""

from __future__ import annotations

from collections.abc import Callable

PayloadFn = Callable[[str], dict | None]
_PAYLOADS: dict[str, PayloadFn] = {}


def register_payload(action: str, fn: PayloadFn) -> None:
    _PAYLOADS[action] = fn


def payload_fn(action: str) -> PayloadFn | None:
    return _PAYLOADS.get(action)


def registered_actions() -> list[str]:
    return sorted(_PAYLOADS)
