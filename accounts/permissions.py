"""Who may do what with people and organisations. Pure predicates; services check them."""

from __future__ import annotations

from core.errors import NotFound

from .models import Enterprise, Role


def _person(actor):
    if not getattr(actor, "is_authenticated", False) or not actor.is_person:
        return None
    return getattr(actor, "person", None)


def staff_roles(actor) -> set[str]:
    if not getattr(actor, "is_authenticated", False) or not actor.is_staff_member:
        return set()
    return set(actor.assignments.values_list("role", flat=True))


def can_act_for_enterprise(actor, enterprise: Enterprise) -> bool:
    """The legal representative or an active agent may act for (and see) the enterprise."""
    person = _person(actor)
    if person is None:
        return False
    if enterprise.legal_representative_id == person.pk:
        return True
    return enterprise.agents.filter(person=person, revoked_at__isnull=True).exists()


def can_view_enterprise(actor, enterprise: Enterprise) -> bool:
    """Those who act for it, and staff who handle applications."""
    if can_act_for_enterprise(actor, enterprise):
        return True
    return bool(staff_roles(actor) & {Role.CLERK, Role.REVIEWER, Role.SUPERVISOR})


def can_manage_enterprise_agents(actor, enterprise: Enterprise) -> bool:
    """Only the legal representative grants or revokes agents."""
    person = _person(actor)
    return person is not None and enterprise.legal_representative_id == person.pk


def can_lookup_person(actor) -> bool:
    """Window clerks and reviewers may look a person up, for a stated purpose (logged)."""
    return bool(staff_roles(actor) & {Role.CLERK, Role.REVIEWER})


def can_manage_staff(actor) -> bool:
    return bool(getattr(actor, "is_authenticated", False) and actor.is_superuser)


def access_enterprise(actor, pk: int) -> Enterprise:
    """The enterprise if ``actor`` may see it; the same NotFound for missing and forbidden."""
    enterprise = Enterprise.objects.select_related("legal_representative").filter(pk=pk).first()
    if enterprise is None or not can_view_enterprise(actor, enterprise):
        raise NotFound()
    return enterprise
