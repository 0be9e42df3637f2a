"""Reads of the hotline app (first slice): the current routing model, loaded once per process."""

from __future__ import annotations

import hashlib
import pickle
import threading
from datetime import timedelta

from django.db.models import Count, F, Q
from django.db.models.functions import TruncWeek
from django.utils import timezone

from accounts.models import Role

from .models import (
    ArticleStatus,
    DispatchCatalogue,
    KnowledgeArticle,
    OrderStatus,
    RoutingModel,
    WorkOrder,
)
from .permissions import is_dispatcher
from .routing import Router, Suggestion, catalogue, categories, normalize

_lock = threading.Lock()
_loaded: dict[str, object] = {}


def router() -> Router:
    """The newest stored model (trained and stored on first use if there is none). Loaded
    once per process; a newer version stored later is picked up on the next check."""
    latest = RoutingModel.objects.order_by("-version").values_list("version", "sha256").first()
    with _lock:
        if latest is not None and _loaded.get("version") == latest:
            return _loaded["router"]  # type: ignore[return-value]
        from .services import routing_model_train

        if latest is None:
            row = routing_model_train()
        else:
            row = RoutingModel.objects.get(version=latest[0])
        loaded = _unpickle(row)
        if getattr(loaded, "format", 1) != Router.FORMAT:
            # Stored by an earlier release whose model this code cannot use: train anew once.
            row = routing_model_train()
            loaded = _unpickle(row)
        _loaded.update(version=(row.version, row.sha256), router=loaded)
        return loaded


def _unpickle(row: RoutingModel) -> Router:
    blob = bytes(row.blob)
    if hashlib.sha256(blob).hexdigest() != row.sha256:
        raise RuntimeError(f"routing model v{row.version} does not match its digest")
    return pickle.loads(blob)  # noqa: S301 — written only by routing_model_train


def catalogue_current() -> dict:
    """The newest dispatch catalogue a city loaded, else the bundled one."""
    row = DispatchCatalogue.objects.order_by("-loaded_at", "-pk").first()
    return row.content if row is not None else catalogue()


def category_names() -> dict[str, str]:
    """Category code → its name in the page's language (Chinese unless English)."""
    from django.utils.translation import get_language

    key = "name_en" if (get_language() or "").startswith("en") else "name_zh"
    return {c["code"]: c[key] for c in categories()}


def district_of(region) -> str | None:
    """The district (or county-level city) code of a region anywhere below it."""
    return None if region is None else _district_code(region.path)


def _district_code(path: str | None) -> str | None:
    """The district's code in a region path ("440700/440705/…" → "440705")."""
    codes = (path or "").strip("/").split("/")
    return codes[1] if len(codes) > 1 else None


def route(text: str, region=None) -> Suggestion:
    return router().suggest(text, district_of(region))


def route_many(texts: list[str], districts: list[str | None] | None = None) -> list[list[str]]:
    return router().top(texts, districts=districts)


# Work orders ------------------------------------------------------------------------------


def queue(*, actor):
    """The dispatchers' queue: received and returned orders, oldest first."""

    if not is_dispatcher(actor):
        return WorkOrder.objects.none()
    return (
        WorkOrder.objects.filter(status__in=[OrderStatus.RECEIVED, OrderStatus.RETURNED])
        .filter(Q(taken_by__isnull=True) | Q(taken_by=actor))
        .order_by("received_at")
    )


def inbox(*, actor):
    """A department's orders: dispatched, being handled, or reopened."""

    if not getattr(actor, "is_authenticated", False) or not actor.is_staff_member:
        return WorkOrder.objects.none()
    mine = list(actor.assignments.exclude(role=Role.CASHIER).values_list("authority_id", flat=True))
    supported = WorkOrder.supporting.through.objects.filter(authority_id__in=mine).values(
        "workorder_id"
    )
    return (
        WorkOrder.objects.select_related("authority")
        .filter(Q(authority_id__in=mine) | Q(pk__in=supported))
        .filter(status__in=[OrderStatus.DISPATCHED, OrderStatus.SIGNED])
        .order_by("reply_due_on", "received_at")
    )


def contact_for(*, actor, order: WorkOrder) -> dict | None:
    """The caller's name, phone and e-mail for someone who may see them (the centre, a
    department when the citizen agreed, the citizen), else None."""
    import json

    from .permissions import sees_contact

    if not sees_contact(actor, order):
        return None
    citizen = order.citizen
    if citizen is not None:
        person = getattr(citizen, "person", None)
        return {
            "name": person.name if person else citizen.display_name,
            "phone": person.phone if person else "",
            "email": citizen.email or "",
        }
    return json.loads(order.contact) if order.contact else None


def board(*, actor):
    """督办: open orders past their reply date, and orders waiting for a callback."""

    if not is_dispatcher(actor):
        return {"overdue": WorkOrder.objects.none(), "callbacks": WorkOrder.objects.none()}
    open_ = WorkOrder.objects.select_related("authority").exclude(status=OrderStatus.CLOSED)
    return {
        "overdue": open_.filter(reply_due_on__lt=timezone.localdate()).order_by("reply_due_on"),
        "callbacks": open_.filter(status=OrderStatus.REPLIED).order_by("replied_at"),
    }


def my_orders(*, actor):

    if not getattr(actor, "is_authenticated", False):
        return WorkOrder.objects.none()
    return WorkOrder.objects.select_related("authority").filter(citizen=actor)


def order_track(*, receipt_no: str):

    return (
        WorkOrder.objects.select_related("authority")
        .filter(receipt_no=(receipt_no or "").strip()[:20])
        .first()
    )


def _grams(text: str) -> set[str]:

    clean = "".join(c for c in normalize(text) if c.isalnum())
    return {clean[i : i + 2] for i in range(len(clean) - 1)}


def duplicates_for(
    *, text: str, region=None, days: int = 7, threshold: float = 0.5, exclude: int | None = None
) -> list:
    """并单 hints: open orders of the last ``days`` in the same place (the same region, down to
    the community) whose words overlap (Jaccard over character bigrams ≥ ``threshold``), most
    similar first."""

    mine = _grams(text)
    if len(mine) < 4:
        return []
    rows = WorkOrder.objects.filter(received_at__gte=timezone.now() - timedelta(days=days)).exclude(
        status__in=[OrderStatus.CLOSED, OrderStatus.MERGED]
    )
    if region is not None:
        rows = rows.filter(region=region)
    if exclude is not None:
        rows = rows.exclude(pk=exclude)
    found = []
    for order in rows.order_by("-received_at")[:500]:
        theirs = _grams(order.text)
        score = len(mine & theirs) / len(mine | theirs) if theirs else 0
        if score >= threshold:
            found.append((round(score, 2), order))
    return [order for _score, order in sorted(found, key=lambda x: -x[0])][:5]


def hotspots(*, weeks: int = 12) -> dict:
    """热点: volumes per week, category and district; this week's rising categories against
    the four weeks before; department scores. Computed from the orders (aggregates only)."""

    now = timezone.now()
    since = now - timedelta(weeks=weeks)
    rows = WorkOrder.objects.filter(received_at__gte=since).exclude(status=OrderStatus.MERGED)
    weekly = [
        {"week": f"{r['week']:%Y-%m-%d}", "n": r["n"]}
        for r in rows.annotate(week=TruncWeek("received_at"))
        .values("week")
        .annotate(n=Count("pk"))
        .order_by("week")
    ]
    names = {c["code"]: c["name_zh"] for c in categories()}
    by_category = [
        {"code": r["category"], "name": names.get(r["category"], r["category"] or "—"), "n": r["n"]}
        for r in rows.values("category").annotate(n=Count("pk")).order_by("-n")[:15]
    ]
    by_region = _by_district(rows)
    district_weeks = _district_weeks(rows, [w["week"] for w in weekly])
    heat = _community_heat(rows, [c["code"] for c in by_category[:5]], names)
    this_week = now - timedelta(days=7)
    recent = dict(
        rows.filter(received_at__gte=this_week).values_list("category").annotate(n=Count("pk"))
    )
    before = dict(
        rows.filter(received_at__gte=this_week - timedelta(days=28), received_at__lt=this_week)
        .values_list("category")
        .annotate(n=Count("pk"))
    )
    rising = sorted(
        (
            {
                "name": names.get(code, code or "—"),
                "n": n,
                "average": round(before.get(code, 0) / 4, 1),
            }
            for code, n in recent.items()
            if n >= 3 and n > 1.5 * before.get(code, 0) / 4
        ),
        key=lambda r: -(r["n"] - r["average"]),
    )[:8]
    scores = []
    for r in (
        rows.filter(authority__isnull=False)
        .values("authority__department__name_zh")
        .annotate(
            n_dispatched=Count("pk", filter=Q(sign_due_at__isnull=False)),
            n_signed_in_time=Count("pk", filter=Q(signed_at__lte=F("sign_due_at"))),
            n_replied=Count("pk", filter=Q(replied_at__isnull=False)),
            n_closed=Count("pk", filter=Q(status=OrderStatus.CLOSED)),
            n_satisfied=Count("pk", filter=Q(satisfied=True)),
            n_called=Count("pk", filter=Q(satisfied__isnull=False)),
            n_replied_on_time=Count("pk", filter=Q(replied_at__date__lte=F("reply_due_on"))),
        )
        .order_by("-n_dispatched")
    ):
        scores.append(
            {
                "name": r["authority__department__name_zh"],
                "orders": r["n_dispatched"],
                "response_rate": _share(r["n_signed_in_time"], r["n_dispatched"]),
                "resolution_rate": _share(r["n_closed"], r["n_dispatched"]),
                "satisfaction_rate": _share(r["n_satisfied"], r["n_called"]),
                "on_time_rate": _share(r["n_replied_on_time"], r["n_replied"]),
            }
        )
    return {
        "weekly": weekly,
        "by_category": by_category,
        "by_region": by_region,
        "heat": heat,
        "district_weeks": district_weeks,
        "rising": rising,
        "scores": scores,
        "weeks": weeks,
    }


def _by_district(rows) -> list[dict]:
    """Orders and open orders per district (or county-level city), from regions at any depth."""
    from directory.selectors import region_list

    names = dict(region_list().values_list("code", "name_zh"))
    totals: dict[str, dict] = {}
    for r in rows.values("region__path").annotate(
        n=Count("pk"), open=Count("pk", filter=~Q(status=OrderStatus.CLOSED))
    ):
        name = names.get(_district_code(r["region__path"]) or "", "—")
        row = totals.setdefault(name, {"name": name, "n": 0, "open": 0})
        row["n"] += r["n"]
        row["open"] += r["open"]
    return sorted(totals.values(), key=lambda r: -r["n"])


def _district_weeks(rows, weeks: list[str]) -> list[dict]:
    """Orders per district per week (for the chart of districts over time, and its table)."""
    from directory.selectors import region_list

    names = dict(region_list().values_list("code", "name_zh"))
    counts: dict[str, dict[str, int]] = {}
    for r in (
        rows.annotate(week=TruncWeek("received_at"))
        .values("region__path", "week")
        .annotate(n=Count("pk"))
    ):
        name = names.get(_district_code(r["region__path"]) or "", "—")
        week = f"{r['week']:%Y-%m-%d}"
        counts.setdefault(name, {})[week] = counts.get(name, {}).get(week, 0) + r["n"]
    return [
        {"name": name, "data": [by_week.get(w, 0) for w in weeks]}
        for name, by_week in sorted(counts.items())
    ]


def _community_heat(rows, columns: list[str], names: dict[str, str], limit: int = 20) -> dict:
    """The map-free heat table: the communities and villages with most orders, and their
    counts in the most frequent categories (a heat level 0–4 for each cell)."""
    cells: dict[str, dict] = {}
    for r in (
        rows.filter(region__level__in=["community", "village"])
        .values("region__code", "region__name_zh", "region__parent__name_zh", "category")
        .annotate(n=Count("pk"))
    ):
        row = cells.setdefault(
            r["region__code"],
            {
                "name": r["region__name_zh"],
                "town": r["region__parent__name_zh"],
                "total": 0,
                "by": {},
            },
        )
        row["total"] += r["n"]
        row["by"][r["category"]] = r["n"]
    top = sorted(cells.values(), key=lambda r: -r["total"])[:limit]
    peak = max([r["by"].get(c, 0) for r in top for c in columns] or [0])
    for row in top:
        row["cells"] = [
            {"n": row["by"].get(c, 0), "level": -(-4 * row["by"].get(c, 0) // peak) if peak else 0}
            for c in columns
        ]
    return {"columns": [names.get(c, c) for c in columns], "rows": top}


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def article_list(*, query: str = "", status: str = ArticleStatus.PUBLISHED):
    """The knowledge base's answers for the centre's editors, newest first, each with how
    many consultations it answered (``used``); ``query`` looks in the question, the keywords
    and the answer."""
    found = (
        KnowledgeArticle.objects.filter(status=status)
        .select_related("department", "updated_by")
        .annotate(used=Count("answered_orders"))
    )
    for word in query.split()[:5]:
        found = found.filter(
            Q(question__icontains=word) | Q(keywords__icontains=word) | Q(answer__icontains=word)
        )
    return found


def article_get(*, pk: int) -> KnowledgeArticle | None:
    return KnowledgeArticle.objects.select_related("department").filter(pk=pk).first()


def article_by_code(code: str) -> KnowledgeArticle | None:
    """An answer by the code the operator sees (KB<n>); None for anything else."""
    number = (code or "").strip().upper().removeprefix("KB")
    return article_get(pk=int(number)) if number.isdigit() and len(number) < 10 else None


def articles_for(text: str, limit: int = 3) -> list[dict]:
    """The centre's own answers that fit the citizen's words: each keyword found in the text
    counts its length, each word shared with the question counts one; an answer needs 2 to be
    offered. Retired answers and those past their end date are never offered."""
    normalised = normalize(text)
    asked = {w for w in _words(text) if len(w) > 1}
    if not normalised.strip():
        return []
    today = timezone.localdate()
    scored = []
    live = KnowledgeArticle.objects.filter(status=ArticleStatus.PUBLISHED).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=today)
    )
    for article in live.select_related("department"):
        keys = [normalize(k) for k in article.keywords.split()]
        score = sum(len(k) for k in keys if k and k in normalised)
        score += len(asked & {w for w in _words(article.question) if len(w) > 1})
        if score >= 2:
            scored.append((score, article))
    scored.sort(key=lambda pair: (-pair[0], -pair[1].pk))
    return [
        {
            "kind": "article",
            "code": article.code,
            "name": article.question,
            "answer": article.answer,
            "source": article.source,
        }
        for _score, article in scored[:limit]
    ]


def knowledge_for(text: str, limit: int = 3) -> list[dict]:
    """The centre's knowledge base for a consultation: first its own answers (知识库, kept
    by the centre's staff), then the service guides (办事指南) of the catalog that match the
    citizen's words, each with a ready answer the operator can give — conditions,
    materials, time limit, fee and where to apply online."""
    from django.urls import reverse

    from catalog.selectors import item_detail_list, item_search
    from core.errors import InvalidInput

    found = articles_for(text, limit)
    words = " ".join(w for w in _words(text) if len(w) > 1)[:200]
    if not words:
        return found
    try:
        codes = [hit.item.code for hit in item_search(query=words, limit=limit).hits]
    except InvalidInput:
        return found
    items = {i.code: i for i in item_detail_list().select_related("department").filter(
        code__in=codes
    )}  # fmt: skip
    for item in (items[code] for code in codes if code in items):
        materials = "、".join(m.name_zh for m in item.materials.all()[:8])
        fee = f"收费 {item.fee_cny} 元" if item.fee_cny else "不收费"
        url = reverse("catalog:guide", kwargs={"code": item.code})
        answer = (
            f"您咨询的事项可办理“{item.name_zh}”（{item.department.name_zh}）。"
            + (f"办理条件：{item.conditions_zh.strip()}。" if item.conditions_zh.strip() else "")
            + (f"需要材料：{materials}。" if materials else "")
            + f"承诺时限 {item.promised_limit_days} 个工作日，{fee}。"
            + f"可在网上办理：{url}"
        )
        found.append(
            {
                "kind": "guide",
                "code": item.code,
                "name": item.name_zh,
                "answer": answer[:4000],
                "source": url,
            }
        )
    return found


def _words(text: str) -> list[str]:
    from .routing import STOP_WORDS, normalize, words

    return [w for w in words(normalize(text)) if w not in STOP_WORDS]
