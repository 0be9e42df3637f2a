"""Who may do what with the catalog: everyone reads it; catalog editors change it."""

from __future__ import annotations

from core.errors import NotFound

from .models import ServiceItem


def can_edit_catalog(actor) -> bool:
    """Catalog editors: superusers and staff granted the change permission in the admin."""
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return False
    return bool(actor.is_superuser or actor.has_perm("catalog.change_serviceitem"))


def can_view_item(actor, item: ServiceItem) -> bool:
    """Offered items are public; withdrawn ones only to editors."""
    return item.is_active or can_edit_catalog(actor)


def access_item(actor, code: str) -> ServiceItem:
    """The item if ``actor`` may see it; the same NotFound for missing and withdrawn."""
    item = (
        ServiceItem.objects.select_related("department")
        .prefetch_related("materials__license_type", "life_events")
        .filter(code=code)
        .first()
    )
    if item is None or not can_view_item(actor, item):
        raise NotFound()
    return item
