"""Reads of the e-license registry. License types are public information."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import LicenseType


def license_type_list() -> QuerySet[LicenseType]:
    return LicenseType.objects.select_related("issuer")


def license_type_get(*, code: str) -> LicenseType | None:
    return license_type_list().filter(code=code).first()
