"""Time limits: legal and promised deadlines in working days, the yellow and red warnings a
scheduled task raises, and (demo data only) moving a case back in time."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from accounts.services import notify
from core.errors import Forbidden
from core.workdays import add_working_days, is_working_day, working_days_between

from .models import Alert, Case, CaseEvent, Status, WorkItem, WorkItemStatus
from .receipts import receipt_number


def deadlines(*, item, accepted_on: dt.date) -> tuple[dt.date | None, dt.date]:
    """Legal and promised deadlines in working days from the day of acceptance."""
    legal = (
        add_working_days(accepted_on, item.legal_limit_days)
        if item.legal_limit_days is not None
        else None
    )
    return legal, add_working_days(accepted_on, item.promised_limit_days)


def alert_level(case: Case, today: dt.date) -> str:
    """Red past the promised deadline; yellow once 80% of the promised working days are
    used; none while the clock is paused or before acceptance."""
    if case.status != Status.UNDER_REVIEW or case.promised_due_on is None or not case.accepted_on:
        return Alert.NONE
    if today > case.promised_due_on:
        return Alert.RED
    total = working_days_between(case.accepted_on, case.promised_due_on) - case.paused_days
    remaining = working_days_between(today, case.promised_due_on)
    if total > 0 and (total - remaining) >= 0.8 * total:
        return Alert.YELLOW
    return Alert.NONE


ALERT_ORDER = {Alert.NONE: 0, Alert.YELLOW: 1, Alert.RED: 2}


def cases_check_deadlines(*, today: dt.date | None = None, batch: int = 500) -> dict[str, int]:
    """Raise warnings on open cases (only upwards; a decision clears them). Each raise is a
    compare-and-set on the old level, records warning.<level> and tells whoever holds the
    case's task. Safe to run twice and from several workers."""
    today = today or timezone.localdate()
    raised = {"yellow": 0, "red": 0}
    open_cases = Case.objects.filter(status=Status.UNDER_REVIEW, promised_due_on__isnull=False)
    candidates = open_cases.exclude(alert=Alert.RED).only(
        "pk", "status", "accepted_on", "promised_due_on", "paused_days", "alert", "receipt_no"
    )
    for case in candidates.iterator(chunk_size=batch):
        level = alert_level(case, today)
        if ALERT_ORDER[Alert(level)] <= ALERT_ORDER[Alert(case.alert)]:
            continue
        with transaction.atomic():
            if Case.objects.filter(pk=case.pk, alert=case.alert).update(alert=level) != 1:
                continue
            CaseEvent.objects.create(case_id=case.pk, action=f"warning.{level}")
            holder = (
                WorkItem.objects.filter(case_id=case.pk, status=WorkItemStatus.CLAIMED)
                .select_related("claimed_by").first()
            )  # fmt: skip
            if holder is not None and holder.claimed_by is not None:
                notify(
                    user=holder.claimed_by,
                    url=f"/cases/staff/cases/{case.receipt_no}/",
                    subject=WARNINGS[Alert(level)],
                    params={"receipt": case.receipt_no},
                )
        raised[level] += 1
    return raised


WARNINGS = {
    Alert.YELLOW: gettext_lazy("%(receipt)s: 80%% of the promised time is used"),
    Alert.RED: gettext_lazy("%(receipt)s: past the promised deadline"),
}


def demo_case_backdate(*, case: Case, days: int, used: int | None = None) -> Case:
    """Demo data only: move a demo case ``days`` calendar days into the past, as if it had
    been submitted then and (when decided) decided ``used`` working days after acceptance.
    Deadlines are recounted on the calendar of that time. Refuses real cases."""
    from django.conf import settings

    if not case.is_demo or settings.ONESTOP_ENV == "production":
        raise Forbidden()
    shift = dt.timedelta(days=days)
    submitted_at = case.submitted_at - shift
    fields: dict[str, Any] = {
        "submitted_at": submitted_at,
        "receipt_no": receipt_number(timezone.localdate(submitted_at), case.pk),
    }
    if case.accepted_on is not None:
        accepted = case.accepted_on - shift
        while not is_working_day(accepted):
            accepted -= dt.timedelta(days=1)
        legal, promised = deadlines(item=case.item, accepted_on=accepted)
        fields.update(accepted_on=accepted, legal_due_on=legal, promised_due_on=promised)
        if legal and case.paused_days:
            fields["legal_due_on"] = add_working_days(legal, case.paused_days)
        if case.paused_days:
            fields["promised_due_on"] = add_working_days(promised, case.paused_days)
        if case.decided_at is not None and used is not None:
            decided_on = add_working_days(accepted, used + case.paused_days)
            decided_at = dt.datetime.combine(decided_on, dt.time(10 + used % 6, 17),
                                             tzinfo=timezone.get_current_timezone())  # fmt: skip
            fields.update(decided_at=decided_at, working_days_used=used)
            if case.delivered_at is not None:
                fields["delivered_at"] = decided_at
    Case.objects.filter(pk=case.pk).update(**fields)
    case.refresh_from_db()
    # The history follows: submission, acceptance, review in between, decision and delivery.
    zone = timezone.get_current_timezone()
    accepted_at = (dt.datetime.combine(case.accepted_on, dt.time(9, 30), tzinfo=zone)
                   if case.accepted_on else case.submitted_at)  # fmt: skip
    accepted_at = max(accepted_at, case.submitted_at)
    end = case.decided_at or accepted_at
    for event in case.events.all():
        if event.action in {"submitted", "material.added"}:
            at = case.submitted_at
        elif event.action.startswith("accept"):
            at = accepted_at
        elif event.action.startswith(("decide", "deliver")):
            at = end
        else:
            at = accepted_at + (end - accepted_at) / 2
        CaseEvent.objects.filter(pk=event.pk).update(at=at)
    _backdate_payments(case, accepted_at, end)
    return case


def _backdate_payments(case: Case, ordered_at: dt.datetime, end: dt.datetime) -> None:
    """Demo only: the order follows the acceptance, payments an hour later (in the sandbox
    provider's books too, so reconciliation agrees), refunds the decision."""
    from .models import Payment, PaymentOrder, Refund, SandboxTransaction

    order = PaymentOrder.objects.filter(case=case).first()
    if order is None:
        return
    paid_at = min(ordered_at + dt.timedelta(hours=1), max(end, ordered_at))
    PaymentOrder.objects.filter(pk=order.pk).update(
        created_at=ordered_at, paid_at=paid_at if order.paid_at else None
    )
    for payment in Payment.objects.filter(order=order):
        Payment.objects.filter(pk=payment.pk).update(at=paid_at)
        if payment.provider == "sandbox":
            SandboxTransaction.objects.filter(txn=payment.provider_txn).update(
                created_at=ordered_at, paid_at=paid_at
            )
    Refund.objects.filter(order=order).update(at=max(end, paid_at))
    case.events.filter(action__in=["payment.received", "payment.exempted"]).update(at=paid_at)
    case.events.filter(action="payment.ordered").update(at=ordered_at)
    case.events.filter(action="payment.refunded").update(at=max(end, paid_at))
