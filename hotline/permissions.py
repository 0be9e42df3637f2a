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
