"""The search index: one document per item, kept in step with item edits, and the two
retrieval backends (SQLite FTS5, PostgreSQL full text) that return the same candidates."""

from __future__ import annotations

import re
import secrets
from collections import Counter

from django.db import connection, transaction
from django.db.models import F

from core.text import add_words

from ..models import LexiconEntry, SearchDocument, SearchState, SearchTerm, ServiceItem
from .analyzer import grams, term_pinyin, tokens

FIELDS = ("name_terms", "material_terms", "description_terms", "gram_terms")
_SHORT_MATERIAL = re.compile(r"^[\u4e00-\u9fff]{2,8}$")


def domain_words() -> list[str]:
    """Words the segmenter must keep whole: official terms from the lexicon, e-license and
    short material names (营业执照, 不动产权证书, 食品经营)."""
    from licenses.selectors import license_type_list

    words = {t for e in LexiconEntry.objects.filter(is_active=True) for t in e.expansions.split()}
    words |= {lt.name_zh for lt in license_type_list()}
    from ..models import Material

    words |= {
        name
        for name in Material.objects.values_list("name_zh", flat=True).distinct()[:20000]
        if _SHORT_MATERIAL.match(name)
    }
    return sorted(w for w in words if len(w) >= 2)


def document_fields(item: ServiceItem) -> dict[str, str]:
    """The segmented text of each field, and the facet tokens filters use."""
    materials = " ".join(f"{m.name_zh} {m.name_en}" for m in item.materials.all())
    events = " ".join(f"{e.name_zh} {e.name_en}" for e in item.life_events.all())
    department = item.department
    about = (
        f"{item.description_zh} {item.description_en} {department.name_zh} "
        f"{department.name_en} {events}"
    )
    applicants = ["person", "enterprise"] if item.applicant == "both" else [item.applicant]
    facets = [f"dep={department.code}", f"kind={item.kind}"]
    facets += [f"app={a}" for a in applicants] + [f"ch={c}" for c in item.channels]
    facets += [f"le={e.code}" for e in item.life_events.all()]
    facets += ["instant"] if item.instant else []
    facets += ["xb"] if item.cross_border else []
    return {
        "name_terms": " ".join(tokens(f"{item.name_zh} {item.name_en}")),
        "material_terms": " ".join(tokens(materials)),
        "description_terms": " ".join(tokens(about)),
        "gram_terms": " ".join(grams(item.name_zh)),
        "facets": f" {' '.join(facets)} ",
    }


def _terms_of(fields: dict[str, str]) -> set[str]:
    return {t for name in FIELDS for t in fields.get(name, "").split()}


def _item_for_index(pk: int) -> ServiceItem:
    return (
        ServiceItem.objects.select_related("department")
        .prefetch_related("materials", "life_events")
        .get(pk=pk)
    )


@transaction.atomic
def index_item(item_id: int) -> None:
    """(Re)index one item: its document, the document frequencies of the terms it gained or
    lost, and the collection statistics. Runs in the caller's transaction."""
    add_words(domain_words())
    old = SearchDocument.objects.filter(item_id=item_id).values(*FIELDS).first() or {}
    item = _item_for_index(item_id)
    fields = document_fields(item)
    SearchDocument.objects.update_or_create(item_id=item_id, defaults=fields)
    before, after = _terms_of(old), _terms_of(fields)
    _terms_adjust(after - before, +1)
    _terms_adjust(before - after, -1)
    _state_refresh()


def _terms_adjust(terms: set[str], delta: int) -> None:
    if not terms:
        return
    SearchTerm.objects.filter(term__in=terms).update(df=F("df") + delta)
    if delta > 0:
        known = set(SearchTerm.objects.filter(term__in=terms).values_list("term", flat=True))
        SearchTerm.objects.bulk_create(
            [SearchTerm(term=t, df=1, **_pinyin_of(t)) for t in sorted(terms - known)]
        )
    else:
        SearchTerm.objects.filter(term__in=terms, df__lte=0).delete()


def _pinyin_of(term: str) -> dict[str, str]:
    pinyin, initials = term_pinyin(term)
    return {"pinyin": pinyin[:300], "initials": initials[:100]}


def _state_refresh() -> None:
    """Recount the collection statistics and give the index a new generation (readers
    reload their vocabulary when it differs from theirs)."""
    totals = Counter[str]()
    count = 0
    for row in SearchDocument.objects.values_list(*FIELDS).iterator(chunk_size=2000):
        count += 1
        for name, text in zip(FIELDS, row, strict=True):
            totals[name] += len(text.split())
    averages = {name: (totals[name] / count if count else 1.0) for name in FIELDS}
    # A fresh random generation, not a counter: a rolled-back change can never leave a
    # reader holding a vocabulary under a generation number that is later reused.
    generation = secrets.randbits(62)
    state = SearchState.objects.select_for_update().first()
    if state is None:
        SearchState.objects.create(generation=generation, doc_count=count, avg_lengths=averages)
    else:
        SearchState.objects.filter(pk=state.pk).update(
            generation=generation, doc_count=count, avg_lengths=averages
        )


@transaction.atomic
def rebuild(*, progress=None) -> int:
    """Rebuild the whole index from the items (after a load or a lexicon change)."""
    add_words(domain_words())
    SearchDocument.objects.all().delete()
    df = Counter[str]()
    batch: list[SearchDocument] = []
    items = (
        ServiceItem.objects.select_related("department")
        .prefetch_related("materials", "life_events")
        .order_by("pk")
    )
    count = 0
    for item in items.iterator(chunk_size=500):
        fields = document_fields(item)
        df.update(_terms_of(fields))
        batch.append(SearchDocument(item_id=item.pk, **fields))
        count += 1
        if len(batch) >= 500:
            SearchDocument.objects.bulk_create(batch)
            batch = []
            if progress:
                progress(count)
    SearchDocument.objects.bulk_create(batch)
    SearchTerm.objects.all().delete()
    SearchTerm.objects.bulk_create(
        [SearchTerm(term=t, df=n, **_pinyin_of(t)) for t, n in sorted(df.items())],
        batch_size=2000,
    )
    _state_refresh()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # fresh statistics, or the planner guesses
            cursor.execute("ANALYZE catalog_searchdocument")
    return count


# --- Retrieval: the backends ---------------------------------------------------------------

CANDIDATES = 40
# Item columns travel with the candidates, so the results need no second query.
ITEM_COLUMNS = (
    "code", "name_en", "description_zh", "description_en", "kind", "instant", "department_id",
)  # fmt: skip
_ITEMS = ", ".join(f"i.{c}" for c in ITEM_COLUMNS)
_COLUMNS = (
    "d.item_id, i.name_zh, i.view_count, d.name_terms, d.material_terms, "
    f"d.description_terms, d.gram_terms, {_ITEMS}"
)


def _filter_sql(facets: list[str]) -> tuple[str, list[str]]:
    sql = "".join(" AND d.facets LIKE %s" for _ in facets)
    return sql, [f"% {f} %" for f in facets]


def retrieve(terms: list[str], facets: list[str], limit: int = CANDIDATES) -> list:
    """Items holding any of ``terms`` and every facet, best first by the backend's own
    ranking (FTS5 bm25 with column weights, or ts_rank with weights); rows of _COLUMNS."""
    if not terms:
        return []
    where, params = _filter_sql(facets)
    if connection.vendor == "postgresql":
        # Tokens are [CJK]+ or [a-z0-9]+ (analyzer.tokens), so quoting each is exact.
        query = "to_tsquery('simple', %s)"
        tsquery = " | ".join("'" + t.replace("'", "") + "'" for t in terms)
        # Rank inside the document table, then join the few candidates to their items.
        sql = (
            "SELECT r.item_id, i.name_zh, i.view_count, r.name_terms, r.material_terms, "
            f"r.description_terms, r.gram_terms, {_ITEMS} FROM ("
            "SELECT d.item_id, d.name_terms, d.material_terms, d.description_terms, "
            "d.gram_terms, ts_rank(d.tsr, tq.q, 1) AS rank FROM catalog_searchdocument d "
            f"CROSS JOIN ({'SELECT ' + query} AS q) tq WHERE d.tsm @@ tq.q{where} "
            "ORDER BY rank DESC, d.item_id LIMIT %s) r "
            "JOIN catalog_serviceitem i ON i.id = r.item_id WHERE i.is_active "
            "ORDER BY r.rank DESC, r.item_id"
        )
        args: list = [tsquery, *params, limit]
    else:
        match = " OR ".join('"' + t.replace('"', '""') + '"' for t in terms)
        sql = (
            f"SELECT {_COLUMNS} FROM catalog_search_fts f "
            "JOIN catalog_searchdocument d ON d.item_id = f.rowid "
            "JOIN catalog_serviceitem i ON i.id = d.item_id "
            f"WHERE catalog_search_fts MATCH %s AND i.is_active{where} "
            "ORDER BY bm25(catalog_search_fts, 10.0, 3.0, 1.0, 2.0), d.item_id LIMIT %s"
        )
        args = [match, *params, limit]
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute(sql, args)
            return cursor.fetchall()
        # The planner prices a tsvector match at one operator call and, for a term in a few
        # percent of the items, scans the whole table (55 ms at 10,000 items) instead of the
        # GIN index (9 ms). Steer this one statement, then put the setting back.
        cursor.execute("SET enable_seqscan = off")
        try:
            cursor.execute(sql, args)
            return cursor.fetchall()
        finally:
            cursor.execute("RESET enable_seqscan")
