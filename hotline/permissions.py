"""Who may do what with work orders. Pure predicates; the services check them."""

from __future__ import annotations

from accounts.models import Role


def _assignments(actor) -> set[tuple[int, str]]:
    if not getattr(actor, "is_authenticated", False) or not actor.is_staff_member:
        return set()
    return set(actor.assignments.values_list("authority_id", "role"))


def is_dispatcher(actor) -> bool:
    """The hotline centre's operators and dispatchers (受理, 派单, 回访, 办结)."""
    return any(role == Role.DISPATCHER for _, role in _assignments(actor))


def can_handle(actor, order) -> bool:
    """Staff of the lead department sign off, handle, return and reply."""
    return order.authority_id is not None and any(
        authority == order.authority_id and role != Role.CASHIER
        for authority, role in _assignments(actor)
    )


def can_support(actor, order) -> bool:
    """Staff of a supporting department (协办) see the order and add their part."""
    supporting = {a.pk for a in order.supporting.all()}
    return any(
        authority in supporting and role != Role.CASHIER for authority, role in _assignments(actor)
    )


def works_on(actor, order) -> bool:
    """Staff who work on the order: the centre, the lead and the supporting departments."""
    return is_dispatcher(actor) or can_handle(actor, order) or can_support(actor, order)


def can_view(actor, order) -> bool:
    """Those who work on it, and the citizen who asked."""
    if order.citizen_id is not None and order.citizen_id == getattr(actor, "pk", None):
        return True
    return works_on(actor, order)


def sees_contact(actor, order) -> bool:
    """The centre sees the caller's contact details (to call back); a department only when
    the citizen agreed; the citizen their own."""
    if order.citizen_id is not None and order.citizen_id == getattr(actor, "pk", None):
        return True
    if is_dispatcher(actor):
        return True
    return order.contact_shared and (can_handle(actor, order) or can_support(actor, order))
