"""Who may see and move a case. Applicants see their own; those acting for an enterprise see
its cases; staff see the cases of the authorities they are assigned to."""

from __future__ import annotations

from accounts.models import Role
from accounts.permissions import can_act_for_enterprise
from core.errors import NotFound

from .models import Case, WorkItem

# Which role does each workflow step.
STEP_ROLES = {
    "accept": Role.CLERK,
    "review": Role.REVIEWER,
    "inspect": Role.REVIEWER,
    "decide": Role.REVIEWER,
    "deliver": Role.CLERK,  # hands over at the window or posts; electronic delivery is automatic
}


def _assignments(actor) -> set[tuple[int, str]]:
    if not getattr(actor, "is_authenticated", False) or not actor.is_staff_member:
        return set()
    return set(actor.assignments.values_list("authority_id", "role"))


def can_view_case(actor, case: Case) -> bool:
    if not getattr(actor, "is_authenticated", False):
        return False
    if actor.pk in (case.applicant_id, case.intake_by_id):
        return True
    if case.enterprise is not None and can_act_for_enterprise(actor, case.enterprise):
        return True
    return any(authority == case.authority_id for authority, _ in _assignments(actor))


def can_work_on(actor, work_item: WorkItem) -> bool:
    """Staff holding the step's role at the work item's authority."""
    return (work_item.authority_id, work_item.role) in _assignments(actor)


def can_take_in_at(actor, window) -> bool:
    """一窗受理: any department's clerk serving at ``window``'s hall (or at no particular hall)
    takes applications for every department at a comprehensive intake window."""
    if window.kind != "intake" or not getattr(actor, "is_authenticated", False):
        return False
    if not actor.is_staff_member:
        return False
    halls = set(actor.assignments.filter(role=Role.CLERK).values_list("hall_id", flat=True))
    return None in halls or window.hall_id in halls


def access_case(actor, receipt_no: str) -> Case:
    """The case if ``actor`` may see it; the same NotFound for missing and forbidden."""
    case = (
        Case.objects.select_related("item", "authority", "enterprise")
        .filter(receipt_no=receipt_no.strip().upper())
        .first()
    )
    if case is None or not can_view_case(actor, case):
        raise NotFound()
    return case


def access_work_item(actor, pk: int) -> WorkItem:
    item = WorkItem.objects.select_related("case").filter(pk=pk).first()
    if item is None or not can_work_on(actor, item):
        raise NotFound()
    return item


def can_take_in_at_outlet(actor, outlet) -> bool:
    """Bank outlet staff (a clerk assignment at that outlet) take in the bank-channel items."""
    if not getattr(actor, "is_authenticated", False) or not actor.is_staff_member:
        return False
    return actor.assignments.filter(role=Role.CLERK, outlet=outlet).exists()


def can_add_material(actor, case: Case) -> bool:
    """The applicant while the case waits for acceptance or supplementation; staff of the
    responsible authority while it is open."""
    if not getattr(actor, "is_authenticated", False) or case.is_final:
        return False
    if actor.pk == case.applicant_id:
        return case.status in {"submitted", "supplementation"}
    return any(authority == case.authority_id for authority, _ in _assignments(actor))
