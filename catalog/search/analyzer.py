"""Text → index tokens, and a citizen's query → weighted terms with the reason for each.

The index side and the query side share one tokenizer, so a term means the same on both.
Pinyin, Traditional input, colloquial phrases and typos are all turned into Chinese index
terms here; the backends (FTS5, PostgreSQL) only ever see plain tokens.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from core.text import (
    has_word,
    pinyin_full,
    pinyin_initials,
    segment,
    segment_plain,
    to_simplified,
)

MAX_QUERY_CHARS = 200
# A lexicon expansion counts a little less than a word the citizen typed that the index
# knows, so literal matches win ties against rewrites.
LEXICON_SCALE = 0.8
EXPANSION_TERMS = 4
CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUNS = re.compile(rf"[{CJK}]+|[a-z0-9]+")
_CJK_RUN = re.compile(rf"[{CJK}]+")
_HAS_CJK = re.compile(rf"[{CJK}]")
_HAS_CJK_WORD = _HAS_CJK

_STOP_FILE = Path(__file__).resolve().parent.parent / "data" / "stopwords.txt"
_STOP = {
    w
    for line in _STOP_FILE.read_text(encoding="utf-8").splitlines()
    if not line.startswith("#")
    for w in line.split()
}
STOP_ZH = {w for w in _STOP if _HAS_CJK_WORD.search(w)}
STOP_EN = _STOP - STOP_ZH


def normalize(text: str) -> str:
    """Full-width → half-width, lower case, Traditional → Simplified, spaces collapsed."""
    text = unicodedata.normalize("NFKC", text).lower()
    return " ".join(to_simplified(text).split())


def _stem(word: str) -> str:
    """A light English stemmer: enough to match licence/licences, registering/registration."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def tokens(text: str) -> list[str]:
    """Index tokens of a text: segmented Chinese words and stemmed English words."""
    out: list[str] = []
    for run in _RUNS.findall(normalize(text)):
        if _HAS_CJK.match(run):
            out.extend(w for w in segment(run) if w not in STOP_ZH and _HAS_CJK.search(w))
        elif run not in STOP_EN:
            out.append(_stem(run))
    return out


def grams(text: str) -> list[str]:
    """Chinese character bigrams: partial matches survive a mistyped or unknown word."""
    out: list[str] = []
    for run in _CJK_RUN.findall(normalize(text)):
        out.extend(run[i : i + 2] for i in range(len(run) - 1))
    return out


@dataclass(frozen=True)
class Term:
    """One query term: the index token, its weight, and where it came from."""

    text: str
    weight: float
    source: str  # query | lexicon | pinyin | initials | typo | gram | english
    origin: str  # what the citizen typed that led here


@dataclass
class QueryPlan:
    raw: str
    normalized: str
    terms: list[Term] = field(default_factory=list)
    # Chinese runs of the query as typed (stop words removed): a whole-phrase name match
    # ranks an item first.
    phrases: list[str] = field(default_factory=list)

    def add(self, text: str, weight: float, source: str, origin: str) -> None:
        for i, term in enumerate(self.terms):
            if term.text == text:
                if weight > term.weight:
                    self.terms[i] = Term(text, weight, source, origin)
                return
        self.terms.append(Term(text, weight, source, origin))


class Vocabulary:
    """What the index knows: terms with document frequencies and their pinyin, and the
    lexicon. Built per process from the database; rebuilt when the index generation moves."""

    def __init__(self, rows, lexicon) -> None:
        self.df: dict[str, int] = {}
        self.by_pinyin: dict[str, list[str]] = {}
        self.by_initials: dict[str, list[str]] = {}
        self.masked: dict[str, list[str]] = {}
        self.english_deletes: dict[str, list[str]] = {}
        for term, df, pinyin, initials in rows:
            self.df[term] = df
            if pinyin:
                self.by_pinyin.setdefault(pinyin, []).append(term)
                if len(initials) >= 2:
                    self.by_initials.setdefault(initials, []).append(term)
                if len(term) >= 3:
                    for i in range(len(term)):
                        self.masked.setdefault(term[:i] + "*" + term[i + 1 :], []).append(term)
            elif len(term) >= 5 and term.isalpha():
                for i in range(len(term)):
                    self.english_deletes.setdefault(term[:i] + term[i + 1 :], []).append(term)
        for index in (self.by_pinyin, self.by_initials):
            for key, words in index.items():
                words.sort(key=lambda w: (-self.df[w], -len(w), w))
                index[key] = words[:3]
        self.max_pinyin = max((len(k) for k in self.by_pinyin), default=0)
        # bdcqz → 不动产权证书 (bdcqzs): citizens abbreviate long names.
        self.by_initials_prefix: dict[str, list[str]] = {}
        for key, found in self.by_initials.items():
            for size in range(4, len(key)):
                self.by_initials_prefix.setdefault(key[:size], found)
        # Longest phrases first, so 开饭店 wins over 饭店 when both are entries. A phrase of
        # several words also matches when its words come in another order (取公积金 ~
        # 公积金怎么取).
        self.lexicon: list[tuple[str, str, float, frozenset[str] | None]] = []
        # Lexicon phrases reached another way: by a word the query was turned into (pinyin,
        # initials, a corrected English word), or by the phrase's own pinyin (shebaoka).
        self.lexicon_by_word: dict[str, tuple[str, str, float]] = {}
        # Where to look for an entry: by its first character (as typed or with gaps) and by
        # one of its words (in any order), so a query checks dozens of entries, not all.
        self.lexicon_by_char: dict[str, list] = {}
        self.lexicon_by_part: dict[str, list] = {}
        for phrase, expansions, weight in sorted(lexicon, key=lambda e: -len(e[0])):
            if _HAS_CJK.search(phrase):
                parts = frozenset(_parts(phrase))
            else:
                parts = frozenset(_stem(w) for w in phrase.split() if w not in STOP_EN)
            row = (phrase, expansions, weight, parts if len(parts) >= 2 else None)
            self.lexicon.append(row)
            self.lexicon_by_char.setdefault(phrase[0], []).append(row)
            if row[3] is not None:
                self.lexicon_by_part.setdefault(min(row[3]), []).append(row)
            entry = (phrase, expansions, weight)
            self.lexicon_by_word.setdefault(phrase, entry)
            if _HAS_CJK.search(phrase) and " " not in phrase:
                self.lexicon_by_word.setdefault(pinyin_full(phrase), entry)
                if len(phrase) >= 3:
                    self.lexicon_by_word.setdefault(pinyin_initials(phrase), entry)
            elif phrase.isalpha() and len(phrase) >= 5:
                for i in range(len(phrase)):
                    self.english_deletes.setdefault(phrase[:i] + phrase[i + 1 :], []).append(phrase)


def _parts(text: str) -> list[str]:
    """Meaningful words, with four-character words split into their two-character halves
    when both are words (就业登记 → 就业, 登记), so that word order does not matter."""
    out = []
    for word in segment_plain(text):
        if word in STOP_ZH or not _HAS_CJK.search(word):
            continue
        if len(word) == 4 and has_word(word[:2]) and has_word(word[2:]):
            out += [word[:2], word[2:]]
        else:
            out.append(word)
    return out


def analyze(raw: str, vocab: Vocabulary) -> QueryPlan:
    """Turn what a citizen typed into weighted index terms, each with its reason."""
    plan = QueryPlan(raw=raw, normalized=normalize(raw[:MAX_QUERY_CHARS]))
    text = plan.normalized
    words = {w for run in _CJK_RUN.findall(text) for w in _parts(run)}
    english = {_stem(w) for w in re.findall(r"[a-z]+", text) if w not in STOP_EN}
    _lexicon(plan, vocab, text, words, english, 1.0)
    derived: list[str] = []
    for run in _RUNS.findall(text):
        if _HAS_CJK.match(run):
            _analyze_chinese(run, plan, vocab)
        else:
            derived += _analyze_latin(run, plan, vocab)
    if derived:
        # Pinyin read as Chinese gets the same lexicon as Chinese (gongsi zhuce → 公司注册).
        chinese = "".join(derived)
        _lexicon(plan, vocab, chinese, set(_parts(chinese)), set(), 0.9)
    return plan


def _lexicon(plan, vocab: Vocabulary, text: str, words: set[str], english: set[str], scale):
    """Lexicon phrases found in the query: as typed; as a set of words in any order (取公积金
    ~ 公积金怎么取); or with a character or two between (摆摊 ~ 摆地摊, 开店 ~ 开个店)."""
    chars = set(text)
    seen: set[str] = set()
    rows = [row for c in chars for row in vocab.lexicon_by_char.get(c, ())]
    rows += [row for w in words | english for row in vocab.lexicon_by_part.get(w, ())]
    for phrase, expansions, weight, parts in sorted(rows, key=lambda r: (-len(r[0]), r[0])):
        if phrase in seen:
            continue
        seen.add(phrase)
        cjk = _HAS_CJK.match(phrase) is not None
        if phrase in text:
            matched = weight
        elif parts is not None and parts <= (words if cjk else english):
            matched = weight * 0.9
        elif cjk and set(phrase) <= chars and _gapped(phrase, text):
            matched = weight * 0.85
        else:
            continue
        _expand(plan, expansions, matched * scale, phrase)


def _gapped(phrase: str, text: str, slack: int = 2) -> bool:
    """The phrase's characters in order within a span at most ``slack`` longer than it."""
    limit = len(phrase) + slack
    start = text.find(phrase[0])
    while start != -1:
        pos = start
        for char in phrase[1:]:
            pos = text.find(char, pos + 1)
            if pos == -1 or pos - start >= limit:
                break
        else:
            return True
        start = text.find(phrase[0], start + 1)
    return False


def _expand(plan: QueryPlan, expansions: str, weight: float, origin: str) -> None:
    """Add an entry's terms. A long official name splits into many tokens; together they
    weigh about as much as a few typed words, so one rewrite cannot drown the rest."""
    terms = tokens(expansions)
    share = weight * LEXICON_SCALE * min(1.0, EXPANSION_TERMS / max(len(terms), 1))
    for term in terms:
        plan.add(term, share, "lexicon", origin)


def _lexicon_word(plan: QueryPlan, vocab: Vocabulary, word: str, weight: float) -> None:
    entry = vocab.lexicon_by_word.get(word)
    if entry is not None:
        phrase, expansions, entry_weight = entry
        _expand(plan, expansions, entry_weight * weight, phrase)


def _analyze_chinese(run: str, plan: QueryPlan, vocab: Vocabulary) -> None:
    plain = segment_plain(run)
    core = "".join(w for w in plain if w not in STOP_ZH)
    if len(core) >= 2:
        plan.phrases.append(core)
    for word in segment(run):
        if word in vocab.df and word not in STOP_ZH:
            plan.add(word, 1.0, "query", word)
    _typos(plain, plan, vocab)
    for gram in (run[i : i + 2] for i in range(len(run) - 1)):
        if gram in vocab.df and gram not in STOP_ZH:
            plan.add(gram, 0.3, "gram", gram)


def _typos(plain: list[str], plan: QueryPlan, vocab: Vocabulary) -> None:
    """One-character typos. Candidates are spans of whole words (as segmented) holding an
    unknown word or a lone character, widest first: 营业执招 (营业|执|招) → 营业执照 by
    sound or by one substituted character; a span inside a corrected one is not retried."""
    bounds = [0]
    for word in plain:
        bounds.append(bounds[-1] + len(word))
    text = "".join(plain)
    suspicious = [len(w) == 1 or w not in vocab.df for w in plain]
    covered: list[tuple[int, int]] = []
    spans = [
        (a, b)
        for a in range(len(plain))
        for b in range(a + 1, len(plain) + 1)
        if 2 <= bounds[b] - bounds[a] <= 5 and any(suspicious[a:b])
    ]
    for a, b in sorted(spans, key=lambda s: bounds[s[0]] - bounds[s[1]]):
        start, end = bounds[a], bounds[b]
        window = text[start:end]
        if window in vocab.df or any(s <= start and end <= e for s, e in covered):
            continue
        found = [k for k in vocab.by_pinyin.get(pinyin_full(window), []) if len(k) == len(window)]
        weight = 0.8
        if not found and len(window) >= 3:
            weight = 0.7
            found = [
                k
                for j in range(len(window))
                for k in vocab.masked.get(window[:j] + "*" + window[j + 1 :], [])
            ]
        for known in found[:2]:
            plan.add(known, weight, "typo", window)
        entry = vocab.lexicon_by_word.get(pinyin_full(window)) if len(window) >= 3 else None
        if entry is not None and entry[0] != window:
            _expand(plan, entry[1], entry[2] * 0.8, f"{window} ≈ {entry[0]}")
        if found or entry is not None:
            covered.append((start, end))


def _analyze_latin(word: str, plan: QueryPlan, vocab: Vocabulary) -> list[str]:
    """English words, their typos, and pinyin (full or initials) read as Chinese words;
    returns the Chinese words the run was read as."""
    if word in STOP_EN:
        return []
    stem = _stem(word)
    if stem in vocab.df:
        plan.add(stem, 1.0, "english" if not word.isdigit() else "query", word)
    elif len(stem) >= 5:
        for probe in {stem, *(stem[:i] + stem[i + 1 :] for i in range(len(stem)))}:
            for known in vocab.english_deletes.get(probe, [])[:2]:
                if known in vocab.df:
                    plan.add(known, 0.7, "typo", word)
                _lexicon_word(plan, vocab, known, 0.7)
            if probe in vocab.df and probe != stem:
                plan.add(probe, 0.7, "typo", word)
    if word.isdigit():
        return []
    _lexicon_word(plan, vocab, word, 0.9)
    initials = vocab.by_initials.get(word) or (
        vocab.by_initials_prefix.get(word, []) if len(word) >= 4 else []
    )
    for known in initials[:3]:
        plan.add(known, 0.9, "initials", word)
        _lexicon_word(plan, vocab, known, 0.8)
    read = _pinyin_words(word, vocab)
    for known in read:
        plan.add(known, 1.0, "pinyin", word)
        _lexicon_word(plan, vocab, known, 0.9)
    return read or initials[:1]


def _pinyin_words(word: str, vocab: Vocabulary) -> list[str]:
    """Split a run of toneless pinyin into known words, longest first (yingyezhizhao →
    营业执照, or 营业 + 执照); [] when it cannot be read as pinyin of known words."""
    if word in vocab.by_pinyin:
        return vocab.by_pinyin[word][:2]
    n = len(word)
    best: list[list[str] | None] = [None] * (n + 1)
    best[0] = []
    for i in range(n):
        current = best[i]
        if current is None:
            continue
        for j in range(min(n, i + vocab.max_pinyin), i + 1, -1):
            words = vocab.by_pinyin.get(word[i:j])
            if words and (best[j] is None or len(best[j]) > len(current) + 1):  # type: ignore[arg-type]
                best[j] = [*current, words[0]]
    return best[n] or []


def term_pinyin(term: str) -> tuple[str, str]:
    """The pinyin keys stored with a Chinese vocabulary term ('' for others)."""
    if not _HAS_CJK.search(term):
        return "", ""
    return pinyin_full(term), pinyin_initials(term)
