"""Who may do what in the e-license registry."""

from __future__ import annotations

from accounts.models import Role
from accounts.permissions import can_act_for_enterprise

from .models import License

ISSUER_ROLES = {Role.REVIEWER, Role.SUPERVISOR, Role.ADMINISTRATOR}


def _staff_roles(actor, authority) -> set[str]:
    if not getattr(actor, "is_authenticated", False) or not actor.is_staff_member:
        return set()
    return set(actor.assignments.filter(authority=authority).values_list("role", flat=True))


def can_issue(actor, authority) -> bool:
    return bool(_staff_roles(actor, authority) & ISSUER_ROLES)


def can_change_status(actor, license: License) -> bool:
    return can_issue(actor, license.authority)


def can_fetch_for(actor, authority) -> bool:
    """Staff of ``authority`` (any role) fetch for its applications, within consent."""
    return bool(_staff_roles(actor, authority))


def is_holder(actor, license: License) -> bool:
    if not getattr(actor, "is_authenticated", False) or not actor.is_person:
        return False
    if license.holder_person is not None:
        return license.holder_person.user_id == actor.pk
    if license.holder_enterprise is not None:
        return can_act_for_enterprise(actor, license.holder_enterprise)
    return False
