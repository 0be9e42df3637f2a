"""Chinese text helpers: Traditional rendering and picking the right name for a language."""

from __future__ import annotations

from functools import cache

from django.utils.translation import get_language


@cache
def _converter(config: str):
    import opencc  # loaded once per process, on first use

    return opencc.OpenCC(config)


def to_traditional(text: str) -> str:
    """Simplified → Traditional with Hong Kong conventions (our HK and Macao users)."""
    return _converter("s2hk").convert(text) if text else text


def to_simplified(text: str) -> str:
    """Traditional (any variant) → Simplified, for matching what citizens type."""
    return _converter("t2s").convert(text) if text else text


def localized_name(name_zh: str, name_en: str = "", language: str | None = None) -> str:
    """The name to show in ``language``: English for en/pt when there is one, else Chinese."""
    lang = (language or get_language() or "zh-hans").lower()
    if lang.startswith(("en", "pt")) and name_en:
        return name_en
    if lang in {"zh-hant", "zh-tw", "zh-hk", "zh-mo"}:
        return to_traditional(name_zh)
    return name_zh
