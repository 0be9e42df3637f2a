"""Reads of cases, restricted to what the actor may see."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from .models import Case, WorkItem, WorkItemStatus
from .permissions import _assignments


def case_list(*, actor) -> QuerySet[Case]:
    """The actor's own cases (as applicant) and, for staff, their authorities' cases."""
    if not getattr(actor, "is_authenticated", False):
        return Case.objects.none()
    authorities = {a for a, _ in _assignments(actor)}
    return Case.objects.select_related("item", "authority").filter(
        Q(applicant=actor) | Q(authority_id__in=authorities)
    )


def inbox(*, actor) -> QuerySet[WorkItem]:
    """Open work items the actor's roles may take, and the ones the actor holds."""
    pairs = _assignments(actor)
    if not pairs:
        return WorkItem.objects.none()
    may_take = Q()
    for authority, role in pairs:
        may_take |= Q(authority_id=authority, role=role)
    return (
        WorkItem.objects.select_related("case", "case__item")
        .filter(may_take)
        .filter(Q(status=WorkItemStatus.OPEN) | Q(status=WorkItemStatus.CLAIMED, claimed_by=actor))
    )


def case_track(*, receipt_no: str, id_last4: str) -> Case | None:
    """The case for a public progress lookup, if the applicant's ID ends with ``id_last4``."""
    case = (
        Case.objects.select_related("item", "applicant__person")
        .filter(receipt_no=receipt_no)
        .first()
    )
    person = getattr(case.applicant, "person", None) if case else None
    if person is None or not person.id_number.upper().endswith(id_last4.upper()):
        return None
    return case
