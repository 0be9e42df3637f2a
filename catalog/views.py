"""Catalog pages: search (as you type), guides, life events, bundles, browsing."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.http import require_GET

from core.errors import InvalidInput, NotFound

from . import selectors, services
from .models import Applicant, Channel
from .permissions import access_item
from .registry import apply_url


def _filters(request) -> selectors.Filters:
    get = request.GET
    applicant = get.get("applicant", "")
    channel = get.get("channel", "")
    return selectors.Filters(
        department=get.get("department", "")[:20],
        applicant=applicant if applicant in {"person", "enterprise"} else "",
        channel=channel if channel in Channel.values else "",
        life_event=get.get("life_event", "")[:40],
        instant=get.get("instant") == "1",
        cross_border=get.get("cross_border") == "1",
    )


def _context(request, **extra) -> dict:
    return {
        "departments": selectors.department_facets(),
        "channels": Channel.choices,
        "applicants": [(v, label) for v, label in Applicant.choices if v != "both"],
        "filters": _filters(request),
        **extra,
    }


@require_GET
def services_home(request):
    """The front door: search, life events, bundles, departments."""
    return render(
        request,
        "catalog/home.html",
        _context(
            request,
            life_events=selectors.life_event_list(),
            bundles=selectors.bundle_list(),
            popular=selectors.item_popular(),
        ),
    )


@require_GET
def search(request):
    """Results for ?q=; htmx asks for the results fragment only (search as you type)."""
    query = request.GET.get("q", "")
    outcome, error = None, ""
    if query.strip():
        try:
            outcome = selectors.item_search(query=query, filters=_filters(request))
        except InvalidInput as exc:
            error = str(exc.detail)
    template = (
        "catalog/_results.html" if request.headers.get("HX-Request") else "catalog/search.html"
    )
    status = 400 if error else 200
    return render(
        request, template, _context(request, query=query, outcome=outcome, error=error),
        status=status,
    )  # fmt: skip


@require_GET
def browse(request):
    """Items by department, applicant, channel or life event."""
    filters = _filters(request)
    items = selectors.item_list(filters=filters)
    event = selectors.life_event_get(code=filters.life_event) if filters.life_event else None
    return render(request, "catalog/browse.html", _context(request, items=items, event=event))


@require_GET
def guide(request, code: str):
    """办事指南: one item's guide, in the active language (falling back to Chinese)."""
    try:
        item = access_item(request.user, code)
        lat, lng = selectors.parse_location(request.GET.get("lat"), request.GET.get("lng"))
    except NotFound:
        raise Http404 from None
    except InvalidInput:
        lat = lng = None
    services.item_view_record(item=item)
    language = translation.get_language() or "zh-hans"
    return render(
        request,
        "catalog/guide.html",
        {
            "item": item,
            "materials": list(item.materials.all()),
            "places": selectors.item_places(item=item, lat=lat, lng=lng)[:12],
            "located": lat is not None,
            "english_content": language.startswith(("en", "pt")) and bool(item.description_en),
            "fallback": _fallback_notice(language, item),
            "bundles": item.bundles.all(),
        },
    )


def _fallback_notice(language: str, item) -> str:
    """Say so when the guide's content is not in the reader's language."""
    if language.startswith("pt"):
        if item.description_en:
            return "en"
        return "zh"
    if language.startswith("en") and not item.description_en:
        return "zh"
    return ""


@require_GET
def apply(request, code: str):
    """The apply entry point: where and how to apply (online intake comes with the cases app)."""
    try:
        item = access_item(request.user, code)
    except NotFound:
        raise Http404 from None
    online = apply_url(item.code) if {"online", "mobile"} & set(item.channels) else None
    if online and item.applicant != "enterprise":
        return redirect(online)
    return render(request, "catalog/apply.html", {"item": item})


@require_GET
def bundle(request, code: str):
    view = selectors.bundle_get(code=code)
    if view is None:
        raise Http404
    return render(request, "catalog/bundle.html", {"view": view})
