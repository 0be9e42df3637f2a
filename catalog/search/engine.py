"""Search: analyse the query, let the database retrieve candidates, rank them by BM25F with
field weights (name ≫ materials ≫ description), a whole-phrase bonus and popularity."""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass, field

from django.conf import settings

from ..models import LexiconEntry, SearchState, SearchTerm
from . import index
from .analyzer import QueryPlan, Vocabulary, analyze, normalize

FIELD_WEIGHTS = {
    "name_terms": 6.0,
    "material_terms": 2.0,
    "description_terms": 1.0,
    "gram_terms": 1.5,
}
FIELD_LABELS = {
    "name_terms": "name",
    "material_terms": "materials",
    "description_terms": "description",
    "gram_terms": "name",
}
K1, B = 1.2, 0.75
PHRASE_BONUS = 4.0
# Retrieval reads the index live; the vocabulary (pinyin, typos, lexicon, df) is checked
# against the index generation at most once per STATE_TTL seconds per process.
STATE_TTL = 1.0
RARE_DF_FLOOR, RARE_DF_SHARE, RETRIEVAL_TERMS = 50, 0.05, 12


@dataclass(frozen=True)
class Match:
    term: str
    source: str
    origin: str
    fields: tuple[str, ...]


@dataclass
class Hit:
    item_id: int
    score: float
    matches: list[Match] = field(default_factory=list)
    item: dict = field(default_factory=dict)  # the item's columns (index.ITEM_COLUMNS)


@dataclass
class Result:
    plan: QueryPlan
    hits: list[Hit]


class _Cache:
    """The per-process vocabulary, reloaded when the index generation moves."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.generation = -1
        self.vocab: Vocabulary | None = None
        self.state: SearchState | None = None
        self.checked = 0.0

    def current(self) -> tuple[Vocabulary, SearchState]:
        now = time.monotonic()
        ttl = getattr(settings, "CATALOG_SEARCH_STATE_TTL", STATE_TTL)
        if self.vocab is not None and self.state is not None and now < self.checked + ttl:
            return self.vocab, self.state
        state = SearchState.objects.first() or SearchState(generation=0, avg_lengths={})
        with self.lock:
            self.checked = now
            if self.vocab is None or state.generation != self.generation:
                from core.text import add_words

                add_words(index.domain_words())
                rows = SearchTerm.objects.values_list("term", "df", "pinyin", "initials")
                lexicon = [
                    (normalize(e.phrase), e.expansions, e.weight)
                    for e in LexiconEntry.objects.filter(is_active=True)
                ]
                self.vocab = Vocabulary(rows.iterator(chunk_size=5000), lexicon)
                self.generation = state.generation
            self.state = state
            return self.vocab, state


_cache = _Cache()


def warm() -> None:
    """Load the segmenter, pinyin tables and vocabulary now (at process start)."""
    from core.text import pinyin_full, segment

    segment("预热")
    pinyin_full("预热")
    _cache.current()


def search(query: str, *, facets: list[str] | None = None, limit: int = 10) -> Result:
    """The best ``limit`` items for ``query`` among those with every facet."""
    vocab, state = _cache.current()
    plan = analyze(query, vocab)
    if not plan.terms:
        return Result(plan=plan, hits=[])
    n = max(state.doc_count, 1)
    rows = index.retrieve(_retrieval_terms(plan, vocab, n), facets or [])
    # Per query, not per candidate: each term's weight × idf.
    weighted_terms = [(t, t.weight * _idf(vocab.df.get(t.text, 1), n)) for t in plan.terms]
    averages = {name: max(float((state.avg_lengths or {}).get(name, 1.0)), 1e-6)
                for name in index.FIELDS}  # fmt: skip
    hits = [_score(row, weighted_terms, plan.phrases, averages) for row in rows]
    hits.sort(key=lambda h: (-h.score, h.item_id))
    return Result(plan=plan, hits=[h for h in hits if h.score > 0][:limit])


def _retrieval_terms(plan: QueryPlan, vocab: Vocabulary, n: int) -> list[str]:
    """The terms the database retrieves by: the most telling ones. Very common terms (登记,
    申请) and character bigrams only rank what rarer terms found, unless nothing rarer was
    asked; ranking still uses every term."""
    common = max(RARE_DF_FLOOR, n * RARE_DF_SHARE)
    ranked = sorted(plan.terms, key=lambda t: -t.weight * _idf(vocab.df.get(t.text, 1), n))
    telling = [t for t in ranked if t.source != "gram" and vocab.df.get(t.text, 0) <= common]
    return [t.text for t in (telling or ranked)[:RETRIEVAL_TERMS]]


def _idf(df: int, n: int) -> float:
    return math.log(1 + (n - df + 0.5) / (df + 0.5))


def _score(row: tuple, weighted_terms, phrases: list[str], averages) -> Hit:
    """BM25F: field-weighted, length-normalised term frequency, saturated once per term."""
    item_id, name_zh, views = row[:3]
    texts = row[3 : 3 + len(index.FIELDS)]
    extra = row[3 + len(index.FIELDS) :]
    fields = []
    for name, text in zip(index.FIELDS, texts, strict=True):
        length = text.count(" ") + 1 if text else 0
        norm = FIELD_WEIGHTS[name] / (1 - B + B * length / averages[name])
        # Counting " term " in a double-spaced copy is C-speed and exact for whole tokens.
        padded = f"  {text.replace(' ', '  ')}  "
        fields.append((FIELD_LABELS[name], padded, norm))
    columns = dict(zip(index.ITEM_COLUMNS, extra, strict=True))
    hit = Hit(item_id=item_id, score=0.0, item={"name_zh": name_zh, **columns})
    for term, weight in weighted_terms:
        tf_weighted = 0.0
        found: list[str] = []
        needle = f" {term.text} "
        for label, padded, norm in fields:
            tf = padded.count(needle)
            if tf:
                tf_weighted += tf * norm
                if label not in found:
                    found.append(label)
        if found:
            hit.score += weight * tf_weighted * (K1 + 1) / (tf_weighted + K1)
            hit.matches.append(Match(term.text, term.source, term.origin, tuple(found)))
    if any(len(p) >= 2 and p in name_zh for p in phrases):
        hit.score += PHRASE_BONUS
    hit.score *= 1 + min(0.3, 0.05 * math.log1p(views))
    return hit
