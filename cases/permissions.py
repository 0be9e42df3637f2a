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
    # A cashier collects fees for every department: the payment order, never the case files.
    return any(authority == case.authority_id and role != Role.CASHIER
               for authority, role in _assignments(actor))  # fmt: skip


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


# 一窗收费 ------------------------------------------------------------------------------------


def _cashier_halls(actor) -> set:
    if not getattr(actor, "is_authenticated", False) or not actor.is_staff_member:
        return set()
    return set(actor.assignments.filter(role=Role.CASHIER).values_list("hall_id", flat=True))


def is_cashier(actor) -> bool:
    return bool(_cashier_halls(actor))


def can_collect_at(actor, window) -> bool:
    """A cashier serving at the charge window's hall (or at every hall) takes payments there
    for every department."""
    if window is None or window.kind != "charge":
        return False
    halls = _cashier_halls(actor)
    return None in halls or window.hall_id in halls


def can_view_order(actor, order) -> bool:
    """Those who may see the case, and cashiers (the order only: amounts, item, payer's
    masked name — not the form or the materials)."""
    return can_view_case(actor, order.case) or is_cashier(actor)


def can_refund(actor, order) -> bool:
    """Cashiers, and supervisors of the responsible authority."""
    if is_cashier(actor):
        return True
    return (order.authority_id, Role.SUPERVISOR) in _assignments(actor)


def reconciliation_scope(actor) -> dict | None:
    """What part of the daily reconciliation ``actor`` may read: None (nothing), {} (all:
    administrators), or {"halls": […]} for cashiers / {"authorities": […]} for supervisors."""
    if not getattr(actor, "is_authenticated", False) or not actor.is_staff_member:
        return None
    if actor.is_superuser:
        return {}
    roles = _assignments(actor)
    if any(role == Role.ADMINISTRATOR for _, role in roles):
        return {}
    scope: dict = {}
    halls = _cashier_halls(actor)
    if None in halls:
        return {}
    if halls:
        scope["halls"] = sorted(halls)
    authorities = sorted({authority for authority, role in roles if role == Role.SUPERVISOR})
    if authorities:
        scope["authorities"] = authorities
    return scope or None
