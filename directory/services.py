"""Writes to the directory. Reference data loads are idempotent: a rerun changes nothing."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from .models import Authority, BankOutlet, Department, Hall, Region, Window

DATA_DIR = Path(__file__).parent / "data"


def _upsert(model, lookup: dict, values: dict):
    """Create or update one row, writing only when something differs (cheap reruns)."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **values), True
    changed = [k for k, v in values.items() if getattr(obj, k) != v]
    if changed:
        for k in changed:
            setattr(obj, k, values[k])
        obj.save(update_fields=changed)
    return obj, False


@transaction.atomic
def regions_load(*, path: Path | None = None) -> int:
    """Load the region tree from regions.json; towns and villages get generated codes."""
    data = json.loads((path or DATA_DIR / "regions.json").read_text(encoding="utf-8"))
    city = data["city"]
    root, _ = _upsert(
        Region,
        {"code": city["code"]},
        {
            "name_zh": city["name_zh"],
            "name_en": city["name_en"],
            "level": "city",
            "parent": None,
            "path": f"{city['code']}/",
            "depth": 0,
            "official_code": True,
        },
    )
    count = 1

    def walk(nodes: list[dict], parent: Region) -> None:
        nonlocal count
        for index, node in enumerate(nodes, start=1):
            official = "code" in node
            code = node.get("code") or f"{parent.code}{index:03d}"
            region, _ = _upsert(
                Region,
                {"code": code},
                {
                    "name_zh": node["name_zh"],
                    "name_en": node.get("name_en", ""),
                    "level": node["level"],
                    "parent": parent,
                    "path": f"{parent.path}{code}/",
                    "depth": parent.depth + 1,
                    "official_code": official,
                },
            )
            count += 1
            walk(node.get("children", []), region)

    walk(data["regions"], root)
    return count


@transaction.atomic
def departments_load(*, path: Path | None = None) -> int:
    """Load the department kinds from departments.json."""
    data = json.loads((path or DATA_DIR / "departments.json").read_text(encoding="utf-8"))
    for row in data["departments"]:
        _upsert(
            Department,
            {"code": row["code"]},
            {"name_zh": row["name_zh"], "name_en": row["name_en"], "remit": row.get("remit", "")},
        )
    return len(data["departments"])


def authority_name(department: Department, region: Region) -> tuple[str, str]:
    """Chinese and English names: 江门市市场监督管理局, 江门市市场监督管理局蓬江分局."""
    if region.level == "city":
        return f"{region.name_zh}{department.name_zh}", f"{region.name_en} {department.name_en}"
    city = region.parent
    while city is not None and city.level != "city":
        city = city.parent
    city_zh = city.name_zh if city else ""
    short = region.name_zh.removesuffix("区").removesuffix("市")
    return (
        f"{city_zh}{department.name_zh}{short}分局",
        f"{department.name_en}, {region.name_en} Branch",
    )


def authority_ensure(*, department: Department, region: Region) -> Authority:
    """The authority of ``department`` at ``region``, created with its standard name."""
    name_zh, name_en = authority_name(department, region)
    authority, _ = _upsert(
        Authority,
        {"department": department, "region": region},
        {"name_zh": name_zh, "name_en": name_en},
    )
    return authority


def _round_coordinates(values: dict) -> None:
    """Latitude and longitude to the six decimals the columns hold (so reruns compare equal)."""
    for key in ("latitude", "longitude"):
        if values.get(key) is not None:
            values[key] = Decimal(str(values[key])).quantize(Decimal("0.000001"))


def hall_upsert(*, code: str, **values) -> Hall:
    """Create or update a hall by its code."""
    _round_coordinates(values)
    hall, _ = _upsert(Hall, {"code": code}, values)
    return hall


def window_upsert(*, hall: Hall, number: str, kind: str, authorities=(), is_demo=False) -> Window:
    """Create or update a window; its authorities are replaced by ``authorities``."""
    window, _ = _upsert(
        Window, {"hall": hall, "number": number}, {"kind": kind, "is_demo": is_demo}
    )
    window.authorities.set(list(authorities))
    return window


def bank_outlet_upsert(*, code: str, **values) -> BankOutlet:
    """Create or update a bank outlet by its code."""
    _round_coordinates(values)
    outlet, _ = _upsert(BankOutlet, {"code": code}, values)
    return outlet
