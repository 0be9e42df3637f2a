"""Reads of the catalog: items, guides, where to go, life events, bundles and search.
The catalog is public: withdrawn items are hidden from everyone but catalog editors."""

from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from core.errors import InvalidInput
from directory.selectors import bank_outlet_list, department_list, hall_list

from .models import Bundle, BundleItem, LifeEvent, Material, ServiceItem
from .search import engine
from .search.analyzer import MAX_QUERY_CHARS, normalize


@dataclass(frozen=True)
class Filters:
    """Browse and search filters; each maps to a facet token of the index."""

    department: str = ""
    applicant: str = ""
    channel: str = ""
    life_event: str = ""
    instant: bool = False
    cross_border: bool = False

    def facets(self) -> list[str]:
        out = []
        if self.department:
            out.append(f"dep={self.department}")
        if self.applicant:
            out.append(f"app={self.applicant}")
        if self.channel:
            out.append(f"ch={self.channel}")
        if self.life_event:
            out.append(f"le={self.life_event}")
        if self.instant:
            out.append("instant")
        if self.cross_border:
            out.append("xb")
        return out


def _items() -> QuerySet[ServiceItem]:
    return ServiceItem.objects.select_related("department")


def item_list(*, filters: Filters | None = None) -> QuerySet[ServiceItem]:
    """Offered items matching the filters, in code order."""
    qs = _items().filter(is_active=True)
    f = filters or Filters()
    if f.department:
        qs = qs.filter(department__code=f.department)
    if f.applicant:
        qs = qs.filter(applicant__in=[f.applicant, "both"])
    if f.life_event:
        qs = qs.filter(life_events__code=f.life_event)
    if f.instant:
        qs = qs.filter(instant=True)
    if f.cross_border:
        qs = qs.filter(cross_border=True)
    if f.channel:
        # channels is a short JSON list; the index's facet tokens filter it on both backends.
        qs = qs.filter(search_document__facets__contains=f" ch={f.channel} ")
    return qs


def item_detail_list() -> QuerySet[ServiceItem]:
    """Items with everything a guide shows, in two extra queries."""
    return _items().prefetch_related(
        Prefetch("materials", queryset=Material.objects.select_related("license_type")),
        "life_events",
    )


@dataclass
class SearchHit:
    item: ServiceItem
    score: float
    matches: list[engine.Match]
    snippet: str

    @property
    def matched_terms(self) -> list[str]:
        return [m.term for m in self.matches]


@dataclass
class SearchOutcome:
    query: str
    hits: list[SearchHit] = field(default_factory=list)
    understood: list[str] = field(default_factory=list)


def item_search(*, query: str, filters: Filters | None = None, limit: int = 10) -> SearchOutcome:
    """Search offered items. InvalidInput (field ``q``) for an empty or overlong query."""
    text = query.strip()
    if not text:
        raise InvalidInput(_("Enter what you are looking for."), field="q")
    if len(text) > MAX_QUERY_CHARS:
        raise InvalidInput(
            _("Keep the query under %(n)s characters.") % {"n": MAX_QUERY_CHARS}, field="q"
        )
    result = engine.search(text, facets=(filters or Filters()).facets(), limit=limit)
    hits = []
    for h in result.hits:
        item = _item_from_columns(h.item_id, h.item)
        terms = [m.term for m in h.matches]
        hits.append(SearchHit(item, round(h.score, 4), h.matches, snippet(item, terms)))
    understood = sorted(
        {f"{t.origin} → {t.text}" for t in result.plan.terms if t.source not in {"query", "gram"}}
    )
    return SearchOutcome(query=text, hits=hits, understood=understood)


def _item_from_columns(pk: int, columns: dict) -> ServiceItem:
    """A result's item from the columns the search returned (no second query)."""
    item = ServiceItem(id=pk, **columns)
    item._state.adding = False
    department_id = columns["department_id"]
    departments = _departments()
    if department_id not in departments:  # a department added since the last read
        departments = _departments(reload=True)
    item.department = departments[department_id]
    return item


_department_cache: tuple[float, dict] = (0.0, {})


def _departments(*, reload: bool = False) -> dict:
    """Departments by id, re-read at most once a minute (they change a few times a year)."""
    global _department_cache
    loaded_at, departments = _department_cache
    if reload or time.monotonic() - loaded_at > 60:
        departments = {d.pk: d for d in department_list()}
        _department_cache = (time.monotonic(), departments)
    return departments


def snippet(item: ServiceItem, terms: list[str], width: int = 80) -> str:
    """A piece of the description in the active language around the first matched term."""
    text = item.description
    # Terms are Simplified: only a Traditional page needs converting to find them.
    traditional = (translation.get_language() or "").lower() == "zh-hant"
    lowered = normalize(text) if traditional else text.lower()
    positions = [lowered.find(t) for t in terms if t and lowered.find(t) >= 0]
    start = max(0, min(positions) - width // 4) if positions else 0
    piece = text[start : start + width]
    return ("…" if start else "") + piece + ("…" if start + width < len(text) else "")


def item_popular(*, limit: int = 8) -> list[ServiceItem]:
    """The most read guides (ties by code)."""
    return list(_items().filter(is_active=True).order_by("-view_count", "code")[:limit])


def life_event_list() -> QuerySet[LifeEvent]:
    return LifeEvent.objects.annotate(
        item_count=Count("items", filter=Q(items__is_active=True))
    ).order_by("position", "code")


def life_event_get(*, code: str) -> LifeEvent | None:
    return life_event_list().filter(code=code).first()


def department_facets() -> list[tuple[str, str, int]]:
    """(code, name, item count) of the departments that offer items."""
    rows = (
        _items().filter(is_active=True)
        .values("department__code", "department__name_zh", "department__name_en")
        .annotate(n=Count("id")).order_by("department__code")
    )  # fmt: skip
    from core.text import localized_name

    return [
        (r["department__code"], localized_name(r["department__name_zh"], r["department__name_en"]),
         r["n"])
        for r in rows
    ]  # fmt: skip


# --- Bundles -------------------------------------------------------------------------------

_PAREN = re.compile(r"[（(].*?[）)]")


@dataclass
class CombinedMaterial:
    name: str
    license_type: object | None
    required: bool
    items: list[str]


@dataclass
class BundleView:
    bundle: Bundle
    items: list[ServiceItem]
    materials: list[CombinedMaterial]
    promised_total_days: int
    promised_longest_days: int
    visits_total: int
    fees_total: Decimal


def bundle_list() -> QuerySet[Bundle]:
    return Bundle.objects.annotate(item_count=Count("entries")).order_by("position", "code")


def bundle_get(*, code: str) -> BundleView | None:
    """A bundle with its items and one deduplicated list of materials."""
    bundle = Bundle.objects.filter(code=code).first()
    if bundle is None:
        return None
    entries = BundleItem.objects.filter(bundle=bundle, item__is_active=True).order_by("position")
    order = list(entries.values_list("item_id", flat=True))
    found = item_detail_list().in_bulk(order)
    items = [found[pk] for pk in order if pk in found]
    return BundleView(
        bundle=bundle,
        items=items,
        materials=combined_materials(items),
        promised_total_days=sum(i.promised_limit_days for i in items),
        promised_longest_days=max((i.promised_limit_days for i in items), default=0),
        visits_total=max((i.visits for i in items), default=0),
        fees_total=sum((i.fee_cny or Decimal(0) for i in items), Decimal(0)),
    )


def combined_materials(items: list[ServiceItem]) -> list[CombinedMaterial]:
    """Each document once: the same e-license type, or the same name without its
    parenthetical note, counts as one; required if any item requires it."""
    merged: dict[str, CombinedMaterial] = {}
    for item in items:
        for material in item.materials.all():
            kind = material.license_type
            key = kind.code if kind else _PAREN.sub("", material.name_zh).strip()
            name = kind.name if kind else material.name
            entry = merged.setdefault(key, CombinedMaterial(name, material.license_type, False, []))
            entry.required = entry.required or material.required
            if item.code not in entry.items:
                entry.items.append(item.code)
    return sorted(merged.values(), key=lambda m: (m.license_type is None, not m.required))


# --- Where to go ---------------------------------------------------------------------------


@dataclass
class Place:
    kind: str  # hall | bank_outlet
    obj: object
    distance_km: float | None
    department_window: bool = False


def _distance_km(lat1: float | None, lng1: float | None, lat2, lng2) -> float | None:
    if lat1 is None or lng1 is None or lat2 is None or lng2 is None:
        return None
    p1, p2 = math.radians(lat1), math.radians(float(lat2))
    dp, dl = p2 - p1, math.radians(float(lng2) - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return round(6371 * 2 * math.asin(math.sqrt(a)), 1)


def item_places(*, item: ServiceItem, lat: float | None = None, lng: float | None = None
                ) -> list[Place]:  # fmt: skip
    """Halls that take the item (a window of its department, or one-window intake) and, for
    items with the bank channel, the partner bank outlets; nearest first given a location."""
    places: list[Place] = []
    located = lat is not None and lng is not None
    if "hall" in item.channels:
        halls = (
            hall_list()
            .filter(
                Q(windows__authorities__department=item.department_id)
                | Q(windows__kind="intake", kind__in=["centre", "district_hall"])
            )
            .distinct()
        )
        with_department = set(
            hall_list().filter(windows__authorities__department=item.department_id)
            .values_list("pk", flat=True)
        )  # fmt: skip
        for hall in halls:
            distance = _distance_km(lat, lng, hall.latitude, hall.longitude)
            places.append(Place("hall", hall, distance, hall.pk in with_department))
    if "bank_outlet" in item.channels:
        for outlet in bank_outlet_list():
            distance = _distance_km(lat, lng, outlet.latitude, outlet.longitude)
            places.append(Place("bank_outlet", outlet, distance))
    if located:
        places.sort(key=lambda p: (p.distance_km is None, p.distance_km or 0))
    else:
        places.sort(key=lambda p: (p.kind != "hall", not p.department_window))
    return places


def parse_location(lat: str | None, lng: str | None) -> tuple[float | None, float | None]:
    """A shared location, or (None, None); InvalidInput names the bad coordinate."""
    if not lat and not lng:
        return None, None
    try:
        la, lo = float(lat or ""), float(lng or "")
    except ValueError:
        raise InvalidInput(_("Enter a latitude and a longitude in degrees."), field="lat") from None
    if not (-90 <= la <= 90):
        raise InvalidInput(_("Latitude must be between -90 and 90."), field="lat")
    if not (-180 <= lo <= 180):
        raise InvalidInput(_("Longitude must be between -180 and 180."), field="lng")
    return la, lo


def catalog_counts() -> dict[str, int]:
    """Figures for the home page and metrics, counted from the database."""
    figures = ServiceItem.objects.filter(is_active=True).aggregate(
        items=Count("id"),
        items_online=Count("id", filter=Q(visits=0)),
        items_instant=Count("id", filter=Q(instant=True)),
        items_cross_border=Count("id", filter=Q(cross_border=True)),
    )
    return {**figures, "bundles": Bundle.objects.count()}


def item_form_schema(*, item: ServiceItem) -> dict:
    """The item's application form as JSON Schema: the one stored with the item, or a
    default derived from its applicant type (the materials are uploaded separately)."""
    if item.form_schema:
        return item.form_schema
    properties: dict = {
        "contact_phone": {
            "type": "string", "title": "Contact phone", "pattern": r"^1[3-9]\d{9}$",
        },
        "address": {"type": "string", "title": "Address", "minLength": 2, "maxLength": 200},
        "notes": {"type": "string", "title": "Anything the department should know",
                  "maxLength": 1000},
    }  # fmt: skip
    if item.applicant == "enterprise":
        properties["business_scope"] = {
            "type": "string", "title": "Business scope", "minLength": 2, "maxLength": 500,
        }  # fmt: skip
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": item.name_zh,
        "type": "object",
        "properties": properties,
        "required": ["contact_phone", "address"],
        "additionalProperties": False,
    }
