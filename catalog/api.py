"""Catalog API: public reads of items, guides, life events, bundles and search; editing
for catalog editors."""

from decimal import Decimal
from typing import Literal

from django.utils import translation
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.security import django_auth

from core.errors import NotFound
from core.pagination import BoundedPagination
from core.problems import with_problems

from . import selectors, services
from .models import Applicant, Channel
from .permissions import access_item

router = Router(tags=["catalog"])

Lang = Literal["zh-hans", "zh-hant", "en", "pt"]


class MaterialOut(Schema):
    name: str
    name_zh: str
    name_en: str
    required: bool
    e_license: str | None = Field(None, description="An e-license type that replaces it")

    @staticmethod
    def resolve_e_license(obj) -> str | None:
        return obj.license_type.code if obj.license_type_id else None


class ItemOut(Schema):
    code: str
    name: str
    name_zh: str
    name_en: str
    department: str
    kind: str
    applicant: str
    legal_limit_days: int | None = Field(description="Working days the law allows")
    promised_limit_days: int = Field(description="Working days the city promises")
    visits: int
    channels: list[str]
    fee_cny: Decimal | None
    instant: bool
    cross_border: bool
    life_events: list[str]
    is_demo: bool

    @staticmethod
    def resolve_department(obj) -> str:
        return obj.department.code

    @staticmethod
    def resolve_life_events(obj) -> list[str]:
        return [e.code for e in obj.life_events.all()]


class ItemDetailOut(ItemOut):
    description: str
    description_zh: str
    description_en: str
    conditions_zh: str
    legal_basis_zh: str
    fee_basis_zh: str
    materials: list[MaterialOut]

    @staticmethod
    def resolve_materials(obj):
        return list(obj.materials.all())


class ItemPatch(Schema):
    """Fields a catalog editor may change; the code is immutable."""

    code: str | None = None
    name_zh: str | None = None
    name_en: str | None = None
    description_zh: str | None = None
    description_en: str | None = None
    conditions_zh: str | None = None
    conditions_en: str | None = None
    legal_basis_zh: str | None = None
    legal_limit_days: int | None = None
    promised_limit_days: int | None = None
    visits: int | None = None
    channels: list[str] | None = None
    fee_cny: Decimal | None = None
    instant: bool | None = None
    cross_border: bool | None = None
    is_active: bool | None = None


class LifeEventOut(Schema):
    code: str
    name: str
    name_zh: str
    name_en: str
    item_count: int


class BundleOut(Schema):
    code: str
    name: str
    name_zh: str
    name_en: str
    description: str
    item_count: int


class CombinedMaterialOut(Schema):
    name: str
    required: bool
    e_license: str | None
    items: list[str]

    @staticmethod
    def resolve_e_license(obj) -> str | None:
        return obj.license_type.code if obj.license_type else None


class BundleDetailOut(Schema):
    code: str
    name: str
    description: str
    items: list[ItemOut]
    materials: list[CombinedMaterialOut]
    promised_total_days: int = Field(description="Sum of the items' promised limits")
    promised_longest_days: int = Field(description="The longest single promised limit")
    fees_total: Decimal


class MatchOut(Schema):
    term: str
    source: str = Field(description="query, lexicon, pinyin, initials, typo, gram or english")
    origin: str = Field(description="What the citizen typed that led to this term")
    fields: list[str]


class SearchResultOut(Schema):
    code: str
    name: str
    department: str
    snippet: str
    score: float
    matched_terms: list[str]
    matches: list[MatchOut]


class SearchOut(Schema):
    query: str
    understood: list[str] = Field(description="Rewrites applied: 'typed → index term'")
    results: list[SearchResultOut]


class FilterParams(Schema):
    department: str = ""
    applicant: Literal["", "person", "enterprise"] = ""
    channel: Literal["", "online", "mobile", "hall", "bank_outlet", "self_service_kiosk"] = ""
    life_event: str = ""
    instant: bool = False
    cross_border: bool = False

    def filters(self) -> selectors.Filters:
        return selectors.Filters(**self.dict())


assert set(Channel.values) | {""} == set(FilterParams.model_fields["channel"].annotation.__args__)
assert {"person", "enterprise"} <= set(Applicant.values)


def _language(lang: str | None) -> None:
    """Answer in ``lang`` for the rest of this request (names resolve while serialising,
    after the view returns; the locale middleware sets the next request's language anew)."""
    if lang:
        translation.activate(lang)


@router.get("/items", response=with_problems(list[ItemOut]), summary="Service items")
@paginate(BoundedPagination)
def items(request, filters: Query[FilterParams]):
    return selectors.item_list(filters=filters.filters()).prefetch_related("life_events")


@router.get("/items/{code}", response=with_problems(ItemDetailOut, 404), summary="A guide")
def item(request, code: str, lang: Lang | None = None):
    _language(lang)
    return access_item(request.user, code)


@router.patch(
    "/items/{code}",
    response=with_problems(ItemDetailOut, 401, 403, 404, 409),
    auth=django_auth,
    summary="Edit an item (catalog editors)",
)
def item_edit(request, code: str, payload: ItemPatch):
    found = access_item(request.auth, code)
    changes = payload.dict(exclude_unset=True)
    services.item_update(actor=request.auth, item=found, changes=changes)
    return access_item(request.auth, code)


@router.get("/life-events", response=with_problems(list[LifeEventOut]))
def life_events(request):
    return selectors.life_event_list()


@router.get("/bundles", response=with_problems(list[BundleOut]), summary="One-thing bundles")
def bundles(request):
    return selectors.bundle_list()


@router.get("/bundles/{code}", response=with_problems(BundleDetailOut, 404))
def bundle(request, code: str):
    view = selectors.bundle_get(code=code)
    if view is None:
        raise NotFound()
    return {
        "code": view.bundle.code, "name": view.bundle.name,
        "description": view.bundle.description, "items": view.items,
        "materials": view.materials, "promised_total_days": view.promised_total_days,
        "promised_longest_days": view.promised_longest_days, "fees_total": view.fees_total,
    }  # fmt: skip


@router.get("/search", response=with_problems(SearchOut), summary="Search in citizens' words")
def search(
    request,
    filters: Query[FilterParams],
    q: str = Query(..., min_length=1, max_length=200, description="What the citizen typed"),
    lang: Lang | None = None,
    limit: int = Query(10, ge=1, le=50),
):
    _language(lang)
    outcome = selectors.item_search(query=q, filters=filters.filters(), limit=limit)
    return {
        "query": outcome.query,
        "understood": outcome.understood,
        "results": [
            {
                "code": h.item.code,
                "name": h.item.name,
                "department": h.item.department.code,
                "snippet": h.snippet,
                "score": h.score,
                "matched_terms": h.matched_terms,
                "matches": [m.__dict__ | {"fields": list(m.fields)} for m in h.matches],
            }
            for h in outcome.hits
        ],
    }
