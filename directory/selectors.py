"""Reads of the directory. Everything here is public information about the government."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from .models import Authority, BankOutlet, Department, Hall, Region, Window


def region_list(*, level: str | None = None, within: str | None = None) -> QuerySet[Region]:
    """Regions, optionally of one level and/or below the region with code ``within``."""
    qs = Region.objects.select_related("parent")
    if level:
        qs = qs.filter(level=level)
    if within:
        parent = Region.objects.filter(code=within).first()
        qs = qs.filter(path__startswith=parent.path) if parent else qs.none()
    return qs


def region_get(*, code: str) -> Region | None:
    return Region.objects.filter(code=code).first()


def department_list() -> QuerySet[Department]:
    return Department.objects.annotate(authority_count=Count("authorities"))


def authority_list(*, department: str | None = None, region: str | None = None):
    qs = Authority.objects.select_related("department", "region")
    if department:
        qs = qs.filter(department__code=department)
    if region:
        qs = qs.filter(region__code=region)
    return qs


def authority_get(*, pk: int) -> Authority | None:
    return Authority.objects.select_related("department", "region").filter(pk=pk).first()


def hall_list(*, kind: str | None = None, region: str | None = None) -> QuerySet[Hall]:
    qs = Hall.objects.select_related("region").annotate(window_count=Count("windows"))
    if kind:
        qs = qs.filter(kind=kind)
    if region:
        parent = Region.objects.filter(code=region).first()
        qs = qs.filter(region__path__startswith=parent.path) if parent else qs.none()
    return qs


def window_get(*, pk: int) -> Window | None:
    return Window.objects.select_related("hall").filter(pk=pk).first()


def window_list(*, kind: str | None = None) -> QuerySet[Window]:
    qs = Window.objects.select_related("hall").order_by("hall__code", "number")
    return qs.filter(kind=kind) if kind else qs


def hall_get(*, code: str) -> Hall | None:
    return Hall.objects.select_related("region").filter(code=code).first()


def bank_outlet_list(*, region: str | None = None) -> QuerySet[BankOutlet]:
    qs = BankOutlet.objects.select_related("region")
    if region:
        parent = Region.objects.filter(code=region).first()
        qs = qs.filter(region__path__startswith=parent.path) if parent else qs.none()
    return qs


def directory_counts() -> dict[str, int]:
    """Figures for the home page and metrics, counted from the database."""
    from .models import Window

    return {
        "regions": Region.objects.count(),
        "departments": Department.objects.count(),
        "authorities": Authority.objects.count(),
        "halls": Hall.objects.count(),
        "windows": Window.objects.count(),
        "bank_outlets": BankOutlet.objects.count(),
    }


def has_demo_data() -> bool:
    """Whether generated demo halls are present (the pages then say so)."""
    return Hall.objects.filter(is_demo=True).exists()
