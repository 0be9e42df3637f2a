"""Writes to the e-license registry. The type load is idempotent: a rerun changes nothing."""

from __future__ import annotations

import json
from pathlib import Path

from django.db import transaction

from core.errors import InvalidInput
from directory.selectors import department_list

from .models import LicenseType

DATA_DIR = Path(__file__).parent / "data"


@transaction.atomic
def license_types_load(*, path: Path | None = None) -> int:
    """Load the e-license types from license_types.json (issuers must exist)."""
    data = json.loads((path or DATA_DIR / "license_types.json").read_text(encoding="utf-8"))
    departments = {d.code: d for d in department_list()}
    for row in data["license_types"]:
        issuer = departments.get(row["issuer"])
        if issuer is None:
            raise InvalidInput(f"unknown issuing department {row['issuer']}", field="issuer")
        values = {"name_zh": row["name_zh"], "name_en": row["name_en"], "issuer": issuer}
        found = LicenseType.objects.filter(code=row["code"]).first()
        if found is None:
            LicenseType.objects.create(code=row["code"], **values)
        elif any(getattr(found, k) != v for k, v in values.items()):
            LicenseType.objects.filter(pk=found.pk).update(**values)
    return len(data["license_types"])
