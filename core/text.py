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


# --- Segmentation and pinyin -------------------------------------------------------------
# rjieba (jieba's dictionary, Rust) loads in ~0.2 s and ~40 MB, against jieba's ~1.8 s and
# ~100 MB (measured, docs/decisions/0003-search.md). It is loaded on first use and warmed
# at process start by the web server, never on the request path.


@cache
def _segmenter():
    import rjieba

    segmenter = rjieba.Jieba()
    segmenter.cut("预热")
    return segmenter


def add_words(words) -> None:
    """Teach the segmenter domain words (item and material names, lexicon terms)."""
    segmenter = _segmenter()
    for word in words:
        if word and not segmenter.has_word(word):
            segmenter.add_word(word, 20000, "n")


def has_word(word: str) -> bool:
    """Whether the segmenter's dictionary knows ``word``."""
    return bool(_segmenter().has_word(word))


def segment_plain(text: str) -> list[str]:
    """Accurate-mode segmentation: each character in exactly one word."""
    return [w for w in _segmenter().cut(text) if w.strip()]


def segment(text: str) -> list[str]:
    """Search-mode segmentation: each word, then every dictionary word inside it
    (食品经营许可证 → 食品经营许可证, 食品, 食品经营, 经营, 许可, 许可证)."""
    segmenter = _segmenter()
    out: list[str] = []
    for word in segmenter.cut(text):
        if not word.strip():
            continue
        out.append(word)
        n = len(word)
        for size in range(2, n):
            for i in range(n - size + 1):
                part = word[i : i + size]
                if segmenter.has_word(part):
                    out.append(part)
    return out


@cache
def _pinyin():
    from pypinyin import Style, lazy_pinyin

    return lazy_pinyin, Style


def pinyin_syllables(text: str) -> list[str]:
    """Toneless pinyin syllables of the Chinese characters in ``text`` (others dropped)."""
    lazy_pinyin, style = _pinyin()
    return [s for s in lazy_pinyin(text, style=style.NORMAL, errors="ignore", v_to_u=False) if s]


def pinyin_full(text: str) -> str:
    """营业执照 → yingyezhizhao."""
    return "".join(pinyin_syllables(text))


def pinyin_initials(text: str) -> str:
    """营业执照 → yyzz."""
    return "".join(s[0] for s in pinyin_syllables(text))
