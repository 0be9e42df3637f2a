"""Reads about people and organisations, restricted to what the actor may see."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from .models import DataAccess, Enterprise, Notification, Person, StaffAssignment, User, UserKind


def enterprise_list(*, actor: User) -> QuerySet[Enterprise]:
    """The enterprises the actor represents or acts for."""
    person = getattr(actor, "person", None) if actor.is_authenticated and actor.is_person else None
    if person is None:
        return Enterprise.objects.none()
    return (
        Enterprise.objects.filter(
            Q(legal_representative=person)
            | Q(agents__person=person, agents__revoked_at__isnull=True)
        )
        .distinct()
        .order_by("name")
    )


def staff_assignments(*, user: User) -> QuerySet[StaffAssignment]:
    return user.assignments.select_related("authority", "authority__department", "hall")


def data_access_list(*, actor: User) -> QuerySet[DataAccess]:
    """Who looked at my data and why (the person's own view)."""
    person = getattr(actor, "person", None) if actor.is_authenticated and actor.is_person else None
    if person is None:
        return DataAccess.objects.none()
    enterprises = enterprise_list(actor=actor).values("pk")
    return DataAccess.objects.filter(
        Q(person=person, enterprise__isnull=True) | Q(enterprise__in=enterprises)
    ).select_related("staff", "authority", "enterprise")


def account_counts() -> dict[str, int]:
    return {
        "persons": Person.objects.count(),
        "enterprises": Enterprise.objects.count(),
        "staff": User.objects.filter(kind=UserKind.STAFF).count(),
    }


def notification_list(*, actor: User) -> QuerySet[Notification]:
    if not getattr(actor, "is_authenticated", False):
        return Notification.objects.none()
    return Notification.objects.filter(user=actor)


def unread_count(*, actor: User) -> int:
    return notification_list(actor=actor).filter(read_at__isnull=True).count()


def staff_of_authority(*, authority_id: int, role: str) -> QuerySet[User]:
    """The staff holding ``role`` at an authority (e.g. whom to tell about an escalation)."""
    return User.objects.filter(assignments__authority_id=authority_id,
                               assignments__role=role).distinct()  # fmt: skip
