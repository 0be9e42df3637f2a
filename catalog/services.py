"""Writes to the catalog. Every change to an item goes through here: it is validated,
recorded in the item's change history and reindexed in the same transaction."""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from core.errors import Conflict, InvalidInput, require
from directory.selectors import department_list
from licenses.selectors import license_type_list

from .models import (
    Applicant,
    Bundle,
    BundleItem,
    Channel,
    ItemChange,
    ItemKind,
    LexiconEntry,
    LifeEvent,
    Material,
    ServiceItem,
)
from .permissions import can_edit_catalog
from .search import index

DATA_DIR = Path(__file__).parent / "data"
EDITABLE = {
    "name_zh", "name_en", "department", "kind", "applicant", "description_zh",
    "description_en", "conditions_zh", "conditions_en", "legal_basis_zh", "legal_limit_days",
    "promised_limit_days", "visits", "channels", "fee_cny", "fee_basis_zh", "instant",
    "cross_border", "is_active",
}  # fmt: skip


def _read(name: str, path: Path | None) -> Any:
    return json.loads((path or DATA_DIR / name).read_text(encoding="utf-8"))


def _clean(field: str, value: Any) -> Any:
    """Validate one editable field; InvalidInput names the field."""
    if field in {"name_zh"} and not str(value or "").strip():
        raise InvalidInput(_("A Chinese name is required."), field=field)
    if field == "kind" and value not in ItemKind.values:
        raise InvalidInput(_("Unknown kind of item."), field=field)
    if field == "applicant" and value not in Applicant.values:
        raise InvalidInput(_("Unknown applicant type."), field=field)
    if field == "channels":
        if not isinstance(value, list) or not set(value) <= set(Channel.values) or not value:
            raise InvalidInput(
                _("Channels must be a non-empty list of known channels."), field=field
            )
        return [c for c in Channel.values if c in value]
    if field in {"legal_limit_days", "promised_limit_days", "visits"}:
        if value is None and field == "legal_limit_days":
            return None
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 3650:
            raise InvalidInput(_("Enter a whole number of days from 0 to 3650."), field=field)
    if field == "fee_cny" and value is not None:
        try:
            value = Decimal(str(value)).quantize(Decimal("0.01"))
        except (InvalidOperation, ValueError):
            raise InvalidInput(_("Enter an amount in yuan."), field=field) from None
        if value < 0:
            raise InvalidInput(_("Enter an amount in yuan."), field=field)
    if field in {"instant", "cross_border", "is_active"} and not isinstance(value, bool):
        raise InvalidInput(_("Enter true or false."), field=field)
    return value


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "pk"):
        return getattr(value, "code", value.pk)
    return value


@transaction.atomic
def item_update(*, actor, item: ServiceItem, changes: dict[str, Any]) -> ServiceItem:
    """Edit an item's guide fields. Needs: can_edit_catalog. The code never changes.
    Records: ItemChange; reindexes the item."""
    require(can_edit_catalog(actor))
    if "code" in changes and changes["code"] != item.code:
        raise InvalidInput(_("An item's code cannot be changed."), field="code")
    unknown = set(changes) - EDITABLE - {"code"}
    if unknown:
        raise InvalidInput(_("This field cannot be edited."), field=sorted(unknown)[0])
    current = ServiceItem.objects.select_for_update().get(pk=item.pk)
    if item.updated_at and current.updated_at != item.updated_at:
        raise Conflict(_("Someone else changed this item; reload it and try again."))
    diff: dict[str, list[Any]] = {}
    for field, raw in changes.items():
        if field == "code":
            continue
        value = _clean(field, raw)
        if field == "department" and not hasattr(value, "pk"):
            value = department_list().filter(code=value).first()
            if value is None:
                raise InvalidInput(_("Unknown department."), field=field)
        if getattr(current, field) != value:
            diff[field] = [_jsonable(getattr(current, field)), _jsonable(value)]
            setattr(current, field, value)
    if diff:
        current.save()
        ItemChange.objects.create(item=current, actor=actor, changes=diff)
        index.index_item(current.pk)
    return current


@transaction.atomic
def item_related_changed(*, actor, item: ServiceItem, what: list[str]) -> None:
    """Materials or life events of an item were edited (admin inlines): record, reindex."""
    require(can_edit_catalog(actor))
    ItemChange.objects.create(item=item, actor=actor, changes={w: ["…", "…"] for w in what})
    index.index_item(item.pk)


def item_view_record(*, item: ServiceItem) -> None:
    """A guide was read: popularity counts views (one UPDATE, no read-modify-write)."""
    ServiceItem.objects.filter(pk=item.pk).update(view_count=F("view_count") + 1)


@transaction.atomic
def lexicon_entry_save(
    *,
    actor,
    phrase: str,
    expansions: str,
    weight: float = 1.0,
    note: str = "",
    is_active: bool = True,
) -> LexiconEntry:
    """Add or change a lexicon entry. Needs: can_edit_catalog. Rebuilds the index after
    commit, since the segmenter learns the new official terms."""
    require(can_edit_catalog(actor))
    phrase = " ".join(phrase.split())
    if not phrase or len(phrase) > 100:
        raise InvalidInput(_("Enter a phrase of 1 to 100 characters."), field="phrase")
    terms = " ".join(expansions.replace(",", " ").replace("，", " ").split())
    if not terms:
        raise InvalidInput(_("Enter at least one official term."), field="expansions")
    if not 0 < weight <= 3:
        raise InvalidInput(_("The weight must be above 0 and at most 3."), field="weight")
    entry, _created = LexiconEntry.objects.update_or_create(
        phrase=phrase,
        defaults={"expansions": terms, "weight": weight, "note": note, "is_active": is_active},
    )
    transaction.on_commit(_enqueue_rebuild)
    return entry


def _enqueue_rebuild() -> None:
    from .tasks import rebuild_search_index_task

    rebuild_search_index_task.enqueue()


def search_rebuild(*, progress=None) -> int:
    """Rebuild the search index from every item."""
    return index.rebuild(progress=progress)


# --- Loading the catalog data ----------------------------------------------------------------


@transaction.atomic
def catalog_load(*, path: Path | None = None, is_demo: bool = True) -> int:
    """Load life events, items with materials, bundles and the lexicon; rebuild the index.
    Idempotent. Lexicon entries edited by the city are kept as they are."""
    events = _life_events_load()
    departments = {d.code: d for d in department_list()}
    license_types = {t.code: t for t in license_type_list()}
    data = _read("catalog.json", path)
    for row in data["items"]:
        _item_load(row, departments, license_types, events, is_demo)
    _bundles_load()
    _lexicon_load()
    index.rebuild()
    return len(data["items"])


def _life_events_load() -> dict[str, LifeEvent]:
    events = {}
    for position, row in enumerate(_read("life_events.json", None)["life_events"]):
        event, _ = LifeEvent.objects.update_or_create(
            code=row["code"],
            defaults={"name_zh": row["name_zh"], "name_en": row["name_en"], "position": position},
        )
        events[event.code] = event
    return events


def _item_load(row, departments, license_types, events, is_demo) -> ServiceItem:
    department = departments.get(row["department"])
    if department is None:
        raise InvalidInput(
            f"{row['code']}: unknown department {row['department']}", field="department"
        )
    fee = row.get("fee") or {}
    values = {
        "name_zh": row["name_zh"], "name_en": row.get("name_en", ""), "department": department,
        "kind": row["kind"], "applicant": row["applicant"],
        "description_zh": row.get("description_zh", ""),
        "description_en": row.get("description_en", ""),
        "legal_limit_days": row.get("legal_limit_days"),
        "promised_limit_days": row["promised_limit_days"], "visits": row["visits"],
        "channels": [c for c in Channel.values if c in row["channels"]],
        "fee_cny": Decimal(str(fee["amount_cny"])).quantize(Decimal("0.01")) if fee else None,
        "fee_basis_zh": fee.get("basis_zh", ""), "instant": bool(row["instant"]),
        "cross_border": bool(row["cross_border"]), "is_demo": is_demo,
    }  # fmt: skip
    item, _ = ServiceItem.objects.update_or_create(code=row["code"], defaults=values)
    wanted = [
        (m["name_zh"], m.get("name_en", ""), m.get("e_license"), bool(m.get("required", True)))
        for m in row["materials"]
    ]
    have = [
        (m.name_zh, m.name_en, m.license_type.code if m.license_type else None, m.required)
        for m in item.materials.select_related("license_type")
    ]
    if wanted != have:
        item.materials.all().delete()
        Material.objects.bulk_create(
            Material(item=item, position=i, name_zh=n, name_en=e, required=r,
                     license_type=license_types.get(lt) if lt else None)
            for i, (n, e, lt, r) in enumerate(wanted)
        )  # fmt: skip
    item.life_events.set([events[c] for c in row.get("life_events", [])])
    return item


def _bundles_load() -> None:
    items = {i.code: i for i in ServiceItem.objects.all()}
    for position, row in enumerate(_read("bundles.json", None)["bundles"]):
        bundle, _ = Bundle.objects.update_or_create(
            code=row["code"],
            defaults={
                "name_zh": row["name_zh"], "name_en": row["name_en"],
                "description_zh": row.get("description_zh", ""),
                "description_en": row.get("description_en", ""), "position": position,
            },
        )  # fmt: skip
        codes = row["items"]
        missing = [c for c in codes if c not in items]
        if missing:
            raise InvalidInput(f"bundle {row['code']}: unknown items {missing}", field="items")
        if list(bundle.entries.values_list("item__code", flat=True)) != codes:
            bundle.entries.all().delete()
            BundleItem.objects.bulk_create(
                BundleItem(bundle=bundle, item=items[c], position=i) for i, c in enumerate(codes)
            )


def _lexicon_load() -> None:
    known = set(LexiconEntry.objects.values_list("phrase", flat=True))
    rows = _read("lexicon.json", None)["entries"]
    LexiconEntry.objects.bulk_create(
        LexiconEntry(phrase=r["phrase"], expansions=r["terms"], weight=r.get("weight", 1.0),
                     note=r.get("note", ""))
        for r in rows if r["phrase"] not in known
    )  # fmt: skip
