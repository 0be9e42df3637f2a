"""Money under concurrency (real threads, real transactions; PostgreSQL in CI): the same
provider notification delivered by eight threads at once records one payment; eight
cashiers refunding at once never refund more than was paid."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from accounts.models import Role
from cases import fees
from cases.models import Payment, PaymentOrder, Refund
from cases.payments import BadNotice, SandboxProvider
from cases.selectors import order_of
from cases.services import case_submit
from cases.services.charges import payment_notice_receive, refund_issue
from catalog.models import ServiceItem
from core.errors import Conflict, InvalidInput
from core.testing import run_together

from .helpers import FORM, run_step

pytestmark = pytest.mark.django_db(transaction=True)


def _open_order(citizen) -> PaymentOrder:
    from conftest import _staff, load_reference

    if not ServiceItem.objects.exists():  # a flush by an earlier transactional test
        load_reference()
    fees.fees_load()
    clerk = _staff("psb-clerk", Role.CLERK, "PSB")
    case = case_submit(actor=citizen, item=ServiceItem.objects.get(code="PSB-0013"),
                       form_data=FORM)  # fmt: skip
    return order_of(run_step(clerk, case, "accept", {"accepted": True}))


def _together(count: int, work) -> list:
    return run_together(count, work, expected=(Conflict, InvalidInput, BadNotice))


def test_one_notification_delivered_eight_times_at_once_is_one_payment(citizen):
    order = _open_order(citizen)
    body = json.dumps({"event": "TRANSACTION.SUCCESS", "txn": "SBXRACE", "order_code":
                       order.code, "amount": "120.00", "paid_at": "2026-11-24T10:00:00+08:00"},
                      separators=(",", ":")).encode()  # fmt: skip
    headers = SandboxProvider().sign(body)
    results = _together(8, lambda n: payment_notice_receive(provider_name="sandbox", body=body,
                                                            headers=headers))  # fmt: skip
    assert Payment.objects.filter(order=order).count() == 1
    receipts = {r.receipt_no for r in results if isinstance(r, Payment)}
    assert len(receipts) == 1, results
    order.refresh_from_db()
    assert order.status == "paid" and order.amount_paid == Decimal("120.00")


def test_eight_cashiers_refunding_at_once_never_exceed_what_was_paid(citizen):
    from accounts.services import staff_assign, staff_create
    from directory.models import Authority

    order = _open_order(citizen)
    body = json.dumps({"event": "TRANSACTION.SUCCESS", "txn": "SBXPAID", "order_code":
                       order.code, "amount": "120.00", "paid_at": "2026-11-24T10:00:00+08:00"},
                      separators=(",", ":")).encode()  # fmt: skip
    payment_notice_receive(provider_name="sandbox", body=body,
                           headers=SandboxProvider().sign(body))  # fmt: skip
    from cases.models import SandboxTransaction

    # The sandbox's own books must hold the transaction for its refunds.
    SandboxTransaction.objects.create(txn="SBXPAID", order_code=order.code, amount=120,
                                      status="paid", return_url="/")  # fmt: skip
    gsdmb = Authority.objects.get(department__code="GSDMB", region__level="city")
    cashiers = []
    for n in range(8):
        user = staff_create(actor=None, username=f"cashier-{n}", display_name="收费员",
                            password="Correct-Horse-2026")  # fmt: skip
        staff_assign(actor=None, user=user, authority=gsdmb, role=Role.CASHIER)
        cashiers.append(user)
    results = _together(8, lambda n: refund_issue(
        actor=cashiers[n], order=PaymentOrder.objects.get(pk=order.pk), amount=Decimal("40.00"),
        reason=f"退费 {n}"))  # fmt: skip
    succeeded = [r for r in results if isinstance(r, list)]
    assert len(succeeded) == 3  # 3 × 40 = 120: the rest are refused, none over-refunds
    order.refresh_from_db()
    assert (
        order.amount_refunded
        == Decimal("120.00")
        == sum(r.amount for r in Refund.objects.filter(order=order))
    )
    assert SandboxTransaction.objects.get(txn="SBXPAID").refunded == Decimal("120.00")
