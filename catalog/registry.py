"""Hooks the catalog offers to the apps above it."""

from __future__ import annotations

from collections.abc import Callable

_apply_url: Callable[[str], str] | None = None


def register_apply_url(build: Callable[[str], str]) -> None:
    """The cases app says where an item's online application form lives."""
    global _apply_url
    _apply_url = build


def apply_url(code: str) -> str | None:
    return _apply_url(code) if _apply_url else None
