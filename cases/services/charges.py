"""一窗收费: payment orders, payments at the charge window and online, refunds, exemptions.

An order opens when a case with fees is accepted (or approved instantly); it carries a unique
20-digit payment code. The result of a paid item is delivered only once the order is settled
(paid, or nothing to pay). A rejected, refused or withdrawn case has its order cancelled or
refunded automatically. Every amount change is a compare-and-set on the order, so that a
refund never exceeds what was paid and a notification delivered twice records one payment."""

from __future__ import annotations

import logging
import secrets
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import AccessKind, Role
from accounts.services import data_access_record, notify
from core.errors import Conflict, InvalidInput, require
from directory.models import WindowKind
from directory.selectors import window_list
from licenses.selectors import license_type_get, valid_license_types

from .. import fees, instant
from ..models import (
    Case,
    CaseEvent,
    Exemption,
    OrderStatus,
    Payment,
    PaymentMethod,
    PaymentNotice,
    PaymentOrder,
    Refund,
    SandboxTransaction,
)
from ..payments import BadNotice, SandboxProvider, provider
from ..permissions import can_collect_at, can_refund, can_view_case

log = logging.getLogger("onestop.payments")
LOW_INCOME_LICENSE = "subsistence_allowance_certificate"
SETTLED = {OrderStatus.PAID, OrderStatus.EXEMPT}


def payment_code() -> str:
    """缴款码: 4407 (the city) + yymmdd + 9 random digits + a Luhn check digit = 20 digits."""
    body = "4407" + timezone.localdate().strftime("%y%m%d") + f"{secrets.randbelow(10**9):09d}"
    return body + luhn_digit(body)


def luhn_digit(digits: str) -> str:
    total = 0
    for i, char in enumerate(reversed(digits)):
        n = int(char) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return str((10 - total % 10) % 10)


def receipt_no() -> str:
    return "FS" + timezone.localdate().strftime("%Y%m%d") + f"{secrets.randbelow(10**12):012d}"


def _automatic_exemptions(case: Case) -> dict[str, str]:
    """The exemptions the platform can establish itself: low income from a valid 最低生活保障证
    in the applicant's e-license wallet (the look-up is logged in their data-use record).
    Age is judged per fee in ``fees.price``; disability is checked at the charge window."""
    found: dict[str, str] = {}
    person = getattr(case.applicant, "person", None)
    if Exemption.LOW_INCOME in fees.exemptions_possible(case.item) and person is not None:
        license_type = license_type_get(code=LOW_INCOME_LICENSE)
        if license_type is not None:
            data_access_record(
                person=person, staff=None, authority=case.authority, kind=AccessKind.LOOKUP,
                subject=license_type.name_zh, case_ref=case.receipt_no,
                purpose="收费减免核验 Fee exemption check",
            )  # fmt: skip
            if license_type.pk in valid_license_types(actor=case.applicant):
                found[Exemption.LOW_INCOME] = f"{license_type.name_zh}（电子证照库）"
    return found


def order_open(case: Case) -> PaymentOrder | None:
    """Open the case's payment order if its item has fees (once). Called by the case
    services when a case is accepted. Records: payment.ordered."""
    if not fees.fee_items(case.item):
        return None
    existing = PaymentOrder.objects.filter(case=case).first()
    if existing is not None:
        return existing
    priced = fees.price(case.item, case.form_data, _automatic_exemptions(case),
                        age=instant.age_of(getattr(case.applicant, "person", None)))  # fmt: skip
    settled = priced.total == 0
    order = PaymentOrder.objects.create(
        case=case, code=payment_code(), authority=case.authority,
        hall=case.window.hall if case.window is not None else None, lines=priced.lines,
        amount_due=priced.total, is_demo=case.is_demo,
        status=OrderStatus.EXEMPT if settled else OrderStatus.OPEN,
        paid_at=timezone.now() if settled else None,
    )  # fmt: skip
    CaseEvent.objects.create(case=case, action="payment.ordered",
                             note=f"{order.code} ¥{order.amount_due}")  # fmt: skip
    if not settled:
        notify(user=case.applicant, url=f"/cases/{case.receipt_no}/", sms=True,
               subject=gettext_lazy("%(receipt)s: please pay ¥%(amount)s"),
               body=gettext_lazy("Payment code %(code)s. Pay online from the application's "
                                 "page or at any hall's charge window."),
               params={"receipt": case.receipt_no, "amount": str(order.amount_due),
                       "code": order.code})  # fmt: skip
    return order


def order_settled(case: Case) -> bool:
    """Nothing (more) to pay: no fees, paid, or exempt."""
    status = PaymentOrder.objects.filter(case=case).values_list("status", flat=True).first()
    return status is None or status in SETTLED


def _move(order: PaymentOrder, *, expect: str | None = None, **changes) -> PaymentOrder:
    """Compare-and-set on the order's version (and status, if ``expect``)."""
    filters: dict[str, object] = {"pk": order.pk, "version": order.version}
    if expect is not None:
        filters["status"] = expect
    if PaymentOrder.objects.filter(**filters).update(version=F("version") + 1, **changes) != 1:
        raise Conflict(_("This payment order changed meanwhile; reload it."))
    order.refresh_from_db()
    return order


def _pay(order: PaymentOrder, *, amount: Decimal, method: str, **fields) -> Payment:
    """Record a payment of everything outstanding and settle the order."""
    if order.status != OrderStatus.OPEN:
        raise Conflict(_("This order is not waiting for payment."))
    if amount != order.amount_due - order.amount_paid:
        raise InvalidInput(_("The amount must be what is due: ¥%(due)s.")
                           % {"due": order.amount_due - order.amount_paid},
                           field="amount")  # fmt: skip
    payment = Payment.objects.create(order=order, receipt_no=receipt_no(), amount=amount,
                                     method=method, **fields)  # fmt: skip
    _move(order, expect=OrderStatus.OPEN, status=OrderStatus.PAID, paid_at=payment.at,
          amount_paid=F("amount_paid") + amount)  # fmt: skip
    CaseEvent.objects.create(case=order.case, action="payment.received",
                             note=f"{payment.receipt_no} ¥{amount} {method}")  # fmt: skip
    notify(user=order.case.applicant, url=f"/cases/{order.case.receipt_no}/",
           subject=gettext_lazy("%(receipt)s: payment of ¥%(amount)s received"),
           body=gettext_lazy("Your electronic receipt %(number)s is on the application's page."),
           params={"receipt": order.case.receipt_no, "amount": str(amount),
                   "number": payment.receipt_no})  # fmt: skip
    from . import deliver_when_paid  # the case services deliver a result that waited

    deliver_when_paid(order.case)
    return payment


@transaction.atomic
def payment_record_at_window(*, actor, order: PaymentOrder, window, method: str,
                             amount: Decimal, reference: str = "") -> Payment:  # fmt: skip
    """The cashier takes cash, a card or a QR payment at a charge window.
    Needs: the cashier role at the window's hall. Records: payment.received."""
    require(can_collect_at(actor, window))
    if method not in {PaymentMethod.CASH, PaymentMethod.CARD, PaymentMethod.QR}:
        raise InvalidInput(_("Choose cash, card or QR code."), field="method")
    order = PaymentOrder.objects.select_for_update().select_related("case").get(pk=order.pk)
    return _pay(order, amount=amount, method=method, window=window, hall=window.hall,
                cashier=actor, reference=reference[:64])  # fmt: skip


@transaction.atomic
def exemption_apply(*, actor, order: PaymentOrder, window, category: str,
                    evidence: str) -> PaymentOrder:  # fmt: skip
    """The cashier has seen the original certificate (e.g. 残疾人证) and applies an exemption
    the fee schedule allows. Needs: the cashier role at the window's hall; an open order.
    Records: payment.exempted."""
    require(can_collect_at(actor, window))
    if category not in Exemption.values:
        raise InvalidInput(_("Choose an exemption."), field="category")
    evidence = evidence.strip()
    if not 4 <= len(evidence) <= 60:
        raise InvalidInput(_("Enter the certificate's number (4 to 60 characters)."),
                           field="evidence")  # fmt: skip
    order = PaymentOrder.objects.select_for_update().select_related("case").get(pk=order.pk)
    if order.status != OrderStatus.OPEN:
        raise Conflict(_("This order is not waiting for payment."))
    case = order.case
    if category not in fees.exemptions_possible(case.item):
        raise InvalidInput(_("The fees of this service allow no such exemption."),
                           field="category")  # fmt: skip
    exempt = {line["exempt"]: line["exempt_by"] for line in order.lines if line["exempt"]}
    exempt[category] = f"{evidence}（窗口核验原件）"
    priced = fees.price(case.item, case.form_data, exempt,
                        age=instant.age_of(getattr(case.applicant, "person", None)))  # fmt: skip
    settled = priced.total <= order.amount_paid
    order = _move(order, expect=OrderStatus.OPEN, lines=priced.lines, amount_due=priced.total,
                  status=OrderStatus.EXEMPT if settled else OrderStatus.OPEN,
                  paid_at=timezone.now() if settled else None)  # fmt: skip
    CaseEvent.objects.create(case=case, actor=actor, action="payment.exempted",
                             note=f"{Exemption(category).label} ¥{priced.total}")  # fmt: skip
    if settled:
        from . import deliver_when_paid

        deliver_when_paid(case)
    return order


@transaction.atomic
def payment_start_online(*, actor, order: PaymentOrder, provider_name: str,
                         return_url: str) -> str:  # fmt: skip
    """Send the payer to the provider; returns the address to redirect to.
    Needs: being the applicant (or acting for the enterprise); an open order."""
    case = order.case
    require(can_view_case(actor, case) and not getattr(actor, "is_staff_member", False))
    if order.status != OrderStatus.OPEN:
        raise Conflict(_("This order is not waiting for payment."))
    chosen = provider(provider_name)
    if chosen is None:
        raise InvalidInput(_("This payment method is not available."), field="provider")
    return chosen.start(order_code=order.code, amount=order.amount_due - order.amount_paid,
                        return_url=return_url)  # fmt: skip


def payment_notice_receive(*, provider_name: str, body: bytes, headers,
                           remote_addr: str | None = None) -> Payment:  # fmt: skip
    """A provider's asynchronous notification. A bad one (signature, replay, unknown order,
    wrong amount) is rejected and logged; the same transaction notified twice records one
    payment; money for an order that is no longer open is recorded and refunded at once."""
    import hashlib

    digest = hashlib.sha256(body).hexdigest()
    chosen = provider(provider_name)

    def reject(reason: str, txn: str = ""):
        PaymentNotice.objects.create(provider=provider_name[:20], accepted=False, reason=reason,
                                     provider_txn=txn, body_sha256=digest,
                                     remote_addr=remote_addr)  # fmt: skip
        log.warning("payment notification rejected: provider=%s reason=%s sha256=%s",
                    provider_name[:20], reason, digest[:16])  # fmt: skip
        raise BadNotice(reason)

    if chosen is None:
        reject("unknown provider")
    assert chosen is not None
    try:
        notice = chosen.verify(body, headers)
    except BadNotice as bad:
        reject(bad.reason)
    try:
        with transaction.atomic():
            return _apply_notice(chosen, notice, digest, remote_addr)
    except BadNotice as bad:
        reject(bad.reason, notice.txn)
        raise  # unreachable: reject raises


def _apply_notice(chosen, notice, digest: str, remote_addr: str | None) -> Payment:
    order = (PaymentOrder.objects.select_for_update().select_related("case")
             .filter(code=notice.order_code).first())  # fmt: skip
    if order is None:
        raise BadNotice("unknown order")
    existing = Payment.objects.filter(provider=chosen.name, provider_txn=notice.txn).first()
    if existing is not None:
        PaymentNotice.objects.create(provider=chosen.name, accepted=True, reason="duplicate",
                                     provider_txn=notice.txn, body_sha256=digest,
                                     remote_addr=remote_addr)  # fmt: skip
        return existing
    fields = {"provider": chosen.name, "provider_txn": notice.txn, "is_test": chosen.test_mode,
              "at": notice.paid_at}  # fmt: skip
    if order.status == OrderStatus.OPEN:
        if notice.amount != order.amount_due - order.amount_paid:
            raise BadNotice("amount differs from the order")
        try:
            with transaction.atomic():
                payment = _pay(order, amount=notice.amount, method=PaymentMethod.ONLINE,
                               **fields)  # fmt: skip
        except IntegrityError:  # the same notification, delivered in parallel
            return Payment.objects.get(provider=chosen.name, provider_txn=notice.txn)
    else:
        # Paid twice (e.g. at the window meanwhile) or the case ended: keep it, then refund.
        payment = Payment.objects.create(order=order, receipt_no=receipt_no(),
                                         amount=notice.amount, method=PaymentMethod.ONLINE,
                                         **fields)  # fmt: skip
        _move(order, amount_paid=F("amount_paid") + notice.amount)
        _refund(order, None, notice.amount, "订单已结清或已终止，自动退还 Order no longer open")
    PaymentNotice.objects.create(provider=chosen.name, accepted=True, provider_txn=notice.txn,
                                 body_sha256=digest, remote_addr=remote_addr)  # fmt: skip
    return payment


@transaction.atomic
def sandbox_pay(*, txn: str) -> SandboxTransaction:
    """The sandbox's own pay page: the payer confirms; the sandbox marks its transaction paid
    and sends its signed notification from a task after commit."""
    from ..tasks import sandbox_notify_task

    if SandboxTransaction.objects.filter(txn=txn, status="pending").update(
        status="paid", paid_at=timezone.now()
    ) != 1:  # fmt: skip
        raise Conflict(_("This test payment is not waiting any more."))
    transaction.on_commit(lambda: sandbox_notify_task.enqueue(txn=txn))
    return SandboxTransaction.objects.get(txn=txn)


def sandbox_notify(*, txn: str) -> Payment:
    """Deliver the sandbox's notification for ``txn`` to the notification handler."""
    row = SandboxTransaction.objects.get(txn=txn)
    body, headers = SandboxProvider().notification(row)
    return payment_notice_receive(provider_name="sandbox", body=body, headers=headers)


def _refund(order: PaymentOrder, actor, amount: Decimal, reason: str, hall=None) -> list[Refund]:
    """Refund ``amount`` of an order, newest payment first; online payments go back through
    their provider. The order's refunded total moves by compare-and-set with the guard
    paid ≥ refunded + amount, so concurrent refunds can never exceed what was paid."""
    if amount <= 0:
        raise InvalidInput(_("Enter an amount above zero."), field="amount")
    moved = PaymentOrder.objects.filter(
        pk=order.pk, amount_paid__gte=F("amount_refunded") + amount
    ).update(amount_refunded=F("amount_refunded") + amount, version=F("version") + 1)
    if moved != 1:
        raise InvalidInput(_("A refund cannot exceed what was paid less earlier refunds."),
                           field="amount")  # fmt: skip
    order.refresh_from_db()
    refunds, left = [], amount
    for payment in order.payments.order_by("-at", "-pk"):
        already = sum((r.amount for r in payment.refunds.all()), Decimal("0"))
        part = min(left, payment.amount - already)
        if part <= 0:
            continue
        row = Refund.objects.create(order=order, payment=payment, amount=part, by=actor,
                                    reason=reason[:300], hall=hall)  # fmt: skip
        if payment.provider:
            chosen = provider(payment.provider)
            if chosen is None:
                raise Conflict(_("The payment's provider is not configured."))
            row.provider_ref = chosen.refund(txn=payment.provider_txn, amount=part,
                                             refund_id=str(row.pk))  # fmt: skip
            row.save(update_fields=["provider_ref"])
        refunds.append(row)
        left -= part
        if left == 0:
            break
    if order.amount_refunded >= order.amount_paid:
        PaymentOrder.objects.filter(pk=order.pk).update(status=OrderStatus.REFUNDED)
        order.status = OrderStatus.REFUNDED
    CaseEvent.objects.create(case=order.case, actor=actor, action="payment.refunded",
                             note=f"¥{amount} {reason[:200]}")  # fmt: skip
    notify(user=order.case.applicant, url=f"/cases/{order.case.receipt_no}/",
           subject=gettext_lazy("%(receipt)s: ¥%(amount)s refunded"),
           params={"receipt": order.case.receipt_no, "amount": str(amount)})  # fmt: skip
    return refunds


@transaction.atomic
def refund_issue(*, actor, order: PaymentOrder, amount: Decimal, reason: str,
                 window=None) -> list[Refund]:  # fmt: skip
    """Refund part or all of what was paid. Needs: a cashier, or a supervisor of the
    responsible authority; a reason. Records: payment.refunded."""
    require(can_refund(actor, order))
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise InvalidInput(_("Give the reason for the refund."), field="reason")
    order = PaymentOrder.objects.select_for_update().select_related("case").get(pk=order.pk)
    return _refund(order, actor, amount, reason, hall=window.hall if window else None)


def order_close_for_case(case: Case) -> None:
    """The case ended without a result (rejected, refused, withdrawn): an open order is
    cancelled, what was paid is refunded in full."""
    order = PaymentOrder.objects.select_for_update().filter(case=case).first()
    if order is None:
        return
    if order.status == OrderStatus.OPEN and order.amount_paid == 0:
        _move(order, expect=OrderStatus.OPEN, status=OrderStatus.CANCELLED)
        CaseEvent.objects.create(case=case, action="payment.cancelled", note=order.code)
        return
    if order.refundable > 0:
        reason = {"rejected": "不予许可，全额退费 Rejected: full refund",
                  "refused": "不予受理，全额退费 Not accepted: full refund",
                  "withdrawn": "申请人撤回，全额退费 Withdrawn: full refund"}  # fmt: skip
        _refund(order, None, order.refundable, reason.get(case.status, "全额退费 Full refund"))


def window_is_charge(window) -> bool:
    return window.kind == WindowKind.CHARGE


def cashier_windows(actor):
    """The charge windows where ``actor`` collects."""
    halls = set(actor.assignments.filter(role=Role.CASHIER).values_list("hall_id", flat=True))
    windows = window_list(kind=WindowKind.CHARGE)
    return windows if None in halls else windows.filter(hall_id__in=halls)
