"""收费项目: the fee schedule of the service items, and pricing one application against it.

A fee is a fixed amount, or an amount per unit (the number of units comes from a field of the
application form), optionally charged only when a form field has a given value (residential
or not). The form of an item asks for the fields its fees depend on. Exemptions (elderly,
disabled, low-income) take a line to zero; which apply is decided by the charge services."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from catalog.selectors import item_form_schema, item_list
from core.errors import InvalidInput

from .models import Exemption, FeeItem

DATA = Path(__file__).resolve().parent / "data" / "fees.json"
CENTS = Decimal("0.01")
# Choices of the condition fields, in both languages the form shows.
CHOICES = {
    "property_use": {"residential": ("住宅", "Residential"),
                     "non_residential": ("非住宅", "Non-residential")},
}  # fmt: skip


@transaction.atomic
def fees_load(*, path: Path | None = None) -> int:
    """Load (or update) the fee schedule; fees of unknown items are an error naming them."""
    data = json.loads((path or DATA).read_text(encoding="utf-8"))
    for row in data["fees"]:
        item = item_list().filter(code=row["item"]).first()
        if item is None:
            raise InvalidInput(f"unknown service item {row['item']}", field="item")
        values: dict[str, Any] = {
            "item": item, "name_zh": row["name_zh"], "name_en": row["name_en"],
            "amount": Decimal(row["amount"]), "unit_field": row.get("unit_field", ""),
            "unit_zh": row.get("unit_zh", ""), "unit_en": row.get("unit_en", ""),
            "max_units": row.get("max_units", 1), "when_field": row.get("when_field", ""),
            "when_value": row.get("when_value", ""), "exemptions": row.get("exemptions", []),
            "elderly_age": row.get("elderly_age", 70), "basis_zh": row.get("basis_zh", ""),
            "version": data["version"],
        }  # fmt: skip
        bad = set(values["exemptions"]) - set(Exemption.values)
        if bad:
            raise InvalidInput(f"unknown exemption {sorted(bad)}", field="exemptions")
        FeeItem.objects.update_or_create(code=row["code"], defaults=values)
    return len(data["fees"])


def fee_items(item) -> list[FeeItem]:
    return list(FeeItem.objects.filter(item=item).order_by("code"))


def form_schema(item) -> dict:
    """The item's form, asking also for what its fees depend on (units, conditions)."""
    schema = item_form_schema(item=item)
    fees = fee_items(item)
    if not fees:
        return schema
    schema = {**schema, "properties": dict(schema.get("properties", {})),
              "required": list(schema.get("required", []))}  # fmt: skip
    for fee in fees:
        if fee.unit_field:
            schema["properties"][fee.unit_field] = {
                "type": "integer", "minimum": 1, "maximum": fee.max_units, "default": 1,
                "title": f"Number of {fee.unit_en}s ({fee.unit_zh})",
            }  # fmt: skip
        if fee.when_field and fee.when_field not in schema["properties"]:
            choices = CHOICES.get(fee.when_field, {})
            schema["properties"][fee.when_field] = {
                "type": "string", "title": "Use of the property (房屋用途)",
                "oneOf": [{"const": value, "title": f"{zh} {en}"}
                          for value, (zh, en) in choices.items()],
            }  # fmt: skip
            schema["required"].append(fee.when_field)
    return schema


@dataclass(frozen=True)
class Priced:
    lines: list[dict]
    total: Decimal


def price(item, form_data: dict, exempt: dict[str, str], *, age: int | None = None) -> Priced:
    """Price an application: one line per fee that applies, with its units; a line whose
    fee allows one of the ``exempt`` categories ({category: how it was established}), or the
    elderly exemption at the applicant's ``age``, is zero, and says why."""
    lines = []
    for fee in fee_items(item):
        exempt_here = dict(exempt)
        if age is not None and age >= fee.elderly_age:
            exempt_here.setdefault(Exemption.ELDERLY, f"{age}岁（居民身份证号码）")
        if fee.when_field and str(form_data.get(fee.when_field, "")) != fee.when_value:
            continue
        units = 1
        if fee.unit_field:
            try:
                units = int(form_data.get(fee.unit_field, 1))
            except (TypeError, ValueError):
                raise InvalidInput(_("Enter a whole number."),
                                   field=f"form.{fee.unit_field}") from None  # fmt: skip
            if not 1 <= units <= fee.max_units:
                raise InvalidInput(_("This value is not valid here."),
                                   field=f"form.{fee.unit_field}")  # fmt: skip
        allowed = [category for category in fee.exemptions if category in exempt_here]
        amount = (fee.amount * units).quantize(CENTS)
        lines.append({
            "code": fee.code, "name_zh": fee.name_zh, "name_en": fee.name_en,
            "unit_amount": str(fee.amount), "units": units,
            "unit_zh": fee.unit_zh, "unit_en": fee.unit_en,
            "amount": "0.00" if allowed else str(amount),
            "exempt": allowed[0] if allowed else "",
            "exempt_by": exempt_here[allowed[0]] if allowed else "",
        })  # fmt: skip
    total = sum((Decimal(line["amount"]) for line in lines), Decimal("0.00"))
    return Priced(lines=lines, total=total.quantize(CENTS))


def exemptions_possible(item) -> set[str]:
    return {category for fee in fee_items(item) for category in fee.exemptions}


def form_defaults(item) -> dict:
    """Answers to the fee fields of an item's form: one unit, the first choice."""
    answers: dict = {}
    for fee in fee_items(item):
        if fee.unit_field:
            answers[fee.unit_field] = 1
        if fee.when_field and fee.when_field not in answers:
            answers[fee.when_field] = next(iter(CHOICES.get(fee.when_field, {"": ""})))
    return answers
