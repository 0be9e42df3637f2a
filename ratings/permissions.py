"""Who may do what with ratings. Pure predicates; the services check them."""

from __future__ import annotations

from accounts.models import Role

from .models import Rating, Rectification

# Staff who read the assessment behind the aggregates (the ratings themselves).
ANALYSTS = {Role.SUPERVISOR, Role.ADMINISTRATOR, Role.REVIEWER, Role.CLERK}


def _assignments(actor) -> set[tuple[int, str]]:
    if not getattr(actor, "is_authenticated", False) or not actor.is_staff_member:
        return set()
    return set(actor.assignments.values_list("authority_id", "role"))


def can_handle_rectification(actor, rectification: Rectification) -> bool:
    """Staff of the responsible unit (any role but cashier) respond and call back."""
    return any(
        authority == rectification.authority_id and role != Role.CASHIER
        for authority, role in _assignments(actor)
    )


def can_mark_unfounded(actor, rating: Rating) -> bool:
    """A supervisor of the responsible unit, or an administrator."""
    roles = _assignments(actor)
    return (rating.authority_id, Role.SUPERVISOR) in roles or any(
        role == Role.ADMINISTRATOR for _, role in roles
    )


def can_read_ratings(actor) -> bool:
    """Staff see the ratings behind the figures (the public sees aggregates only)."""
    if getattr(actor, "is_superuser", False):
        return True
    return any(role in ANALYSTS for _, role in _assignments(actor))


def rating_scope(actor) -> set[int] | None:
    """The authorities whose ratings ``actor`` may read individually; None: all (city-wide
    supervisors and administrators at the government services data bureau, superusers)."""
    if getattr(actor, "is_superuser", False):
        return None
    roles = _assignments(actor)
    if any(role == Role.ADMINISTRATOR for _, role in roles):
        return None
    return {authority for authority, role in roles if role in ANALYSTS}


def can_view_rectification(actor, rectification: Rectification) -> bool:
    if getattr(actor, "pk", None) == rectification.rating.person_id:
        return True
    scope = rating_scope(actor)
    if not can_read_ratings(actor):
        return False
    return scope is None or rectification.authority_id in scope


def can_run_pad(actor, window) -> bool:
    """The rating pad at a window is opened by a clerk serving at that window's hall."""
    if not getattr(actor, "is_authenticated", False) or not actor.is_staff_member:
        return False
    halls = set(actor.assignments.filter(role=Role.CLERK).values_list("hall_id", flat=True))
    return window.hall_id in halls or None in halls
