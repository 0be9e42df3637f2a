"""Payments API (一窗收费): payment orders, the charge window, online payment, providers'
notifications, refunds, receipts and the daily reconciliation."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal
from typing import Literal

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.security import django_auth

from core.errors import Forbidden, InvalidInput, NotFound
from core.masking import mask_name
from core.problems import problem_response, with_problems
from directory.selectors import hall_get, window_get

from . import selectors
from .models import PaymentMethod, PaymentOrder
from .payments import BadNotice, providers
from .permissions import can_view_order, reconciliation_scope
from .receipt_pdf import receipt_check_key, receipt_pdf
from .services import charges

router = Router(tags=["payments"])
Money = Decimal


class LineOut(Schema):
    code: str
    name_zh: str
    name_en: str
    unit_amount: str
    units: int
    amount: str
    exempt: str


class PaymentOut(Schema):
    receipt_no: str
    amount: Money
    method: str
    provider: str
    is_test: bool
    at: dt.datetime


class RefundOut(Schema):
    amount: Money
    reason: str
    at: dt.datetime


class OrderOut(Schema):
    code: str
    case: str
    item: str
    item_name: str
    payer: str = Field(description="The payer's name, masked")
    status: str
    amount_due: Money
    amount_paid: Money
    amount_refunded: Money
    lines: list[LineOut]
    payments: list[PaymentOut]
    refunds: list[RefundOut]
    created_at: dt.datetime

    @staticmethod
    def resolve_case(obj) -> str:
        return obj.case.receipt_no

    @staticmethod
    def resolve_item(obj) -> str:
        return obj.case.item.code

    @staticmethod
    def resolve_item_name(obj) -> str:
        return obj.case.item.name_zh

    @staticmethod
    def resolve_payer(obj) -> str:
        return mask_name(obj.case.applicant.display_name)

    @staticmethod
    def resolve_payments(obj) -> list:
        return list(obj.payments.all())

    @staticmethod
    def resolve_refunds(obj) -> list:
        return list(obj.refunds.all())


def access_order(actor, code: str) -> PaymentOrder:
    order = selectors.order_find(code=code)
    if order is None or not can_view_order(actor, order):
        raise NotFound()
    return order


def charge_window(pk: int):
    window = window_get(pk=pk)
    if window is None:
        raise InvalidInput(_("No such window."), field="window")
    return window


@router.get(
    "/orders/{code}",
    response=with_problems(OrderOut, 401, 404),
    auth=django_auth,
    summary="A payment order (by payment code or case receipt number)",
)
def order_detail(request, code: str):
    return access_order(request.user, code)


class PayOnlineIn(Schema):
    provider: str = Field("sandbox", max_length=20)


class RedirectOut(Schema):
    redirect: str
    test_mode: bool


@router.post(
    "/orders/{code}/pay-online",
    response=with_problems(RedirectOut, 401, 403, 404, 409),
    auth=django_auth,
    summary="Start paying online: where to send the payer",
)
def pay_online(request, code: str, body: PayOnlineIn):
    order = access_order(request.user, code)
    found = providers().get(body.provider)
    redirect = charges.payment_start_online(
        actor=request.user, order=order, provider_name=body.provider,
        return_url=f"/cases/{order.case.receipt_no}/",
    )  # fmt: skip
    return {"redirect": redirect, "test_mode": bool(found and found.test_mode)}


class WindowPaymentIn(Schema):
    window: int = Field(..., ge=1, le=2**62)
    method: Literal["cash", "card", "qr"]
    amount: Decimal = Field(..., gt=0, max_digits=10, decimal_places=2)
    reference: str = Field("", max_length=64)


@router.post(
    "/orders/{code}/payments",
    response=with_problems({201: PaymentOut}, 401, 403, 404, 409),
    auth=django_auth,
    summary="Record a payment at a charge window (cashier)",
)
def pay_at_window(request, code: str, body: WindowPaymentIn):
    order = access_order(request.user, code)
    payment = charges.payment_record_at_window(
        actor=request.user, order=order, window=charge_window(body.window),
        method=body.method, amount=body.amount, reference=body.reference,
    )  # fmt: skip
    return Status(201, payment)


class ExemptionIn(Schema):
    window: int = Field(..., ge=1, le=2**62)
    category: Literal["elderly", "disabled", "low_income"]
    evidence: str = Field(..., max_length=60, description="The certificate's number, seen")


@router.post(
    "/orders/{code}/exemptions",
    response=with_problems(OrderOut, 401, 403, 404, 409),
    auth=django_auth,
    summary="Apply an exemption on an original seen (cashier)",
)
def exempt(request, code: str, body: ExemptionIn):
    order = access_order(request.user, code)
    return charges.exemption_apply(
        actor=request.user, order=order, window=charge_window(body.window),
        category=body.category, evidence=body.evidence,
    )  # fmt: skip


class RefundIn(Schema):
    amount: Decimal = Field(..., gt=0, max_digits=10, decimal_places=2)
    reason: str = Field(..., max_length=300)


@router.post(
    "/orders/{code}/refunds",
    response=with_problems({201: list[RefundOut]}, 401, 403, 404, 409),
    auth=django_auth,
    summary="Refund (cashier or supervisor)",
)
def refund(request, code: str, body: RefundIn):
    order = access_order(request.user, code)
    return Status(201, charges.refund_issue(actor=request.user, order=order,
                                            amount=body.amount, reason=body.reason))  # fmt: skip


@router.get(
    "/receipts/{receipt_no}.pdf",
    auth=django_auth,
    response=with_problems({200: None}, 401, 404),
    summary="The electronic receipt of a payment (PDF)",
)
def receipt(request, receipt_no: str):
    payment = selectors.payment_get(receipt_no=receipt_no)
    if payment is None or not can_view_order(request.user, payment.order):
        raise NotFound()
    url = request.build_absolute_uri(
        f"/cases/receipts/{payment.receipt_no}/?k={receipt_check_key(payment.receipt_no)}"
    )
    response = HttpResponse(receipt_pdf(payment, check_url=url), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="receipt-{payment.receipt_no}.pdf"'
    return response


class NoticeOut(Schema):
    code: Literal["SUCCESS", "FAIL"]
    message: str = ""


@router.post(
    "/notify/{provider}",
    response={200: NoticeOut, 400: NoticeOut},
    summary="A payment provider's asynchronous notification (signed)",
)
def notify(request, provider: str):
    """Providers POST here; the body's signature is checked before anything is believed. The
    answer is the providers' usual {"code": "SUCCESS"|"FAIL"}; a FAIL makes them retry."""
    headers = dict(request.headers.items())
    try:
        charges.payment_notice_receive(provider_name=provider, body=request.body,
                                       headers=headers, remote_addr=request.META.get(
                                           "REMOTE_ADDR"))  # fmt: skip
    except BadNotice as bad:
        # The providers' answer, as an RFC 9457 problem (the API's one error format).
        response = problem_response(400, title="Notification rejected", detail=bad.reason)
        body = json.loads(response.content)
        response.content = json.dumps({**body, "code": "FAIL", "message": bad.reason})
        return response
    return Status(200, {"code": "SUCCESS", "message": ""})


class ReconRow(Schema):
    hall: str
    hall_name: str
    department: str
    department_name: str
    orders: int
    due: Money
    payments: int
    paid: Money
    by_method: dict[str, Money]
    refunds: int
    refunded: Money
    net: Money


class ReconTotals(Schema):
    orders: int
    due: Money
    payments: int
    paid: Money
    refunds: int
    refunded: Money
    net: Money


class ReconDifference(Schema):
    provider: str
    txn: str
    order: str
    ours: str | None
    theirs: str | None
    kind: str


class ReconOut(Schema):
    day: dt.date
    rows: list[ReconRow]
    totals: ReconTotals
    differences: list[ReconDifference]


def _reconciliation(request, day: dt.date | None, hall: str | None) -> dict:
    scope = reconciliation_scope(request.user)
    if scope is None:
        raise Forbidden()
    hall_id = None
    if hall:
        found = hall_get(code=hall)
        if found is None:
            raise InvalidInput(_("No such hall."), field="hall")
        hall_id = found.pk
    return selectors.reconciliation(day=day or timezone.localdate(), scope=scope, hall=hall_id)


class ReconQuery(Schema):
    day: dt.date | None = None
    hall: str | None = Field(None, max_length=30, description="A hall's code")


@router.get(
    "/reconciliation",
    response=with_problems(ReconOut, 401, 403),
    auth=django_auth,
    summary="Daily reconciliation per hall and department",
)
def reconciliation(request, query: Query[ReconQuery]):
    return _reconciliation(request, query.day, query.hall)


CSV_COLUMNS = [
    "hall", "hall_name", "department", "department_name", "orders", "due",
    "payments", "paid", "cash", "card", "qr", "online", "refunds", "refunded", "net",
]  # fmt: skip


def reconciliation_csv(report: dict) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for row in [*report["rows"], {**report["totals"], "hall": "TOTAL"}]:
        methods = row.get("by_method") or {}
        writer.writerow([methods.get(c, "") if c in PaymentMethod.values else row.get(c, "")
                         for c in CSV_COLUMNS])  # fmt: skip
    for diff in report["differences"]:
        writer.writerow(["DIFFERENCE", diff["provider"], diff["txn"], diff["order"],
                         diff["kind"], diff["ours"] or "", diff["theirs"] or ""])  # fmt: skip
    return out.getvalue()


@router.get(
    "/reconciliation.csv",
    response=with_problems({200: None}, 401, 403),
    auth=django_auth,
    summary="Daily reconciliation as CSV",
)
def reconciliation_download(request, query: Query[ReconQuery]):
    report = _reconciliation(request, query.day, query.hall)
    response = HttpResponse("\ufeff" + reconciliation_csv(report), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="reconciliation-{report["day"]}.csv"'
    return response


class ReceiptCheckOut(Schema):
    receipt_no: str
    amount: Money
    paid_at: dt.datetime
    item_name: str
    authority: str
    payer: str
    refunded: bool
    test_mode: bool


def receipt_check(receipt_no: str, key: str):
    """Public: what a receipt holder may check (masked), with the key from the QR code."""
    payment = selectors.payment_get(receipt_no=receipt_no)
    if payment is None or key != receipt_check_key(receipt_no):
        raise NotFound()
    return {
        "receipt_no": payment.receipt_no, "amount": payment.amount, "paid_at": payment.at,
        "item_name": payment.order.case.item.name_zh, "authority":
        payment.order.authority.name_zh, "payer": mask_name(
            payment.order.case.applicant.display_name),
        "refunded": payment.refunds.exists(), "test_mode": payment.is_test,
    }  # fmt: skip


@router.get(
    "/receipts/{receipt_no}/check",
    response=with_problems(ReceiptCheckOut, 404),
    summary="Check a receipt (public, with the key from its QR code)",
)
def check(request, receipt_no: str, k: str = Query(..., max_length=40)):
    return receipt_check(receipt_no, k)
