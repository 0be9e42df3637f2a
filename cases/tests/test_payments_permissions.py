"""The permission matrix of every payments endpoint, generated from the OpenAPI schema: each
operation must have a row here, or the test fails. On every denial nothing changes. The
cashier sees the payment order and the charge window, never the case's files."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from accounts.models import Role
from cases import fees
from cases.models import Payment, PaymentOrder, Refund, SandboxTransaction
from cases.receipt_pdf import receipt_check_key
from cases.selectors import order_of
from cases.services import case_submit
from cases.services.charges import cashier_windows, payment_record_at_window
from catalog.models import ServiceItem
from core.testing import api_operations, permission_matrix

from .helpers import FORM, run_step

pytestmark = pytest.mark.django_db
PREFIX = "/api/v1/payments"
# Public by design: the receipt check needs the key printed in the receipt's QR code; the
# providers' notification is authenticated by its signature (tested in test_charges).
PUBLIC = {("get", "/receipts/{receipt_no}/check"), ("post", "/notify/{provider}")}


def operations() -> set[tuple[str, str]]:
    return api_operations(PREFIX)


def snapshot():
    return (
        list(PaymentOrder.objects.order_by("pk").values_list("pk", "status", "amount_due",
                                                             "amount_paid", "amount_refunded")),
        Payment.objects.count(), Refund.objects.count(), SandboxTransaction.objects.count(),
    )  # fmt: skip


def post(client, url, body=None):
    return client.post(url, json.dumps(body or {}), content_type="application/json")


def _cashier(username: str, hall_code: str):
    from accounts.services import staff_assign, staff_create
    from directory.models import Authority, Region
    from directory.services import hall_upsert, window_upsert

    city = Region.objects.get(level="city")
    hall = hall_upsert(code=hall_code, name_zh=f"测试大厅 {hall_code}", kind="centre", region=city)
    window_upsert(hall=hall, number="C01", kind="charge")
    user = staff_create(actor=None, username=username, display_name=username,
                        password="Correct-Horse-2026")  # fmt: skip
    gsdmb = Authority.objects.get(department__code="GSDMB", region__level="city")
    staff_assign(actor=None, user=user, authority=gsdmb, role=Role.CASHIER, hall=hall)
    return user


@pytest.fixture
def world(login, citizen, outsider, reviewer, dispatcher):
    """An accepted PSB passport application with its open order, and one already paid at the
    charge window (with its receipt); a signed-in client for every persona."""
    from conftest import _staff

    fees.fees_load()
    psb_clerk = _staff("psb-clerk", Role.CLERK, "PSB")
    cashier, far_cashier = _cashier("cashier", "T-C000"), _cashier("far-cashier", "T-C001")
    item = ServiceItem.objects.get(code="PSB-0013")
    cases = []
    for _n in range(2):
        case = case_submit(actor=citizen, item=item, form_data=FORM)
        cases.append(run_step(psb_clerk, case, "accept", {"accepted": True}))
    id_card = case_submit(actor=citizen, item=ServiceItem.objects.get(code="PSB-0002"),
                          form_data=FORM)  # fmt: skip
    id_card = run_step(psb_clerk, id_card, "accept", {"accepted": True})
    paid = order_of(cases[1])
    window = cashier_windows(cashier).first()
    payment = payment_record_at_window(actor=cashier, order=paid, amount=Decimal("120.00"),
                                       window=window, method="cash")  # fmt: skip
    people = {
        "anonymous": None, "outsider": outsider, "applicant": citizen,
        "psb_reviewer": _staff("psb-reviewer", Role.REVIEWER, "PSB"),
        "psb_supervisor": _staff("psb-supervisor", Role.SUPERVISOR, "PSB"),
        "samr_reviewer": reviewer, "dispatcher": dispatcher, "cashier": cashier,
        "far_cashier": far_cashier,
    }  # fmt: skip
    return {
        "open": order_of(cases[0]), "paid": paid, "payment": payment,
        "id_card": order_of(id_card),
        "window": cashier_windows(cashier).first(),
        "clients": {name: login(user) for name, user in people.items()},
    }  # fmt: skip


def test_every_payments_endpoint_has_a_row():
    assert operations() == set(MATRIX) | PUBLIC


def _order(w):
    code = w["open"].code
    return (lambda c: c.get(f"{PREFIX}/orders/{code}"),
            {"anonymous": 401, "outsider": 404, "samr_reviewer": 404, "dispatcher": 404,
             "applicant": 200, "psb_reviewer": 200, "cashier": 200, "far_cashier": 200},
            None)  # fmt: skip


def _pay_online(w):
    code = w["open"].code
    return (lambda c: post(c, f"{PREFIX}/orders/{code}/pay-online", {"provider": "sandbox"}),
            {"anonymous": 401, "outsider": 404, "samr_reviewer": 404, "psb_reviewer": 403,
             "cashier": 403, "applicant": 200}, None)  # fmt: skip


def _pay_at_window(w):
    code, window = w["open"].code, w["window"].pk
    body = {"window": window, "method": "cash", "amount": "120.00"}
    return (lambda c: post(c, f"{PREFIX}/orders/{code}/payments", body),
            {"anonymous": 401, "outsider": 404, "applicant": 403, "psb_reviewer": 403,
             "far_cashier": 403, "cashier": 201}, None)  # fmt: skip


def _exempt(w):
    window = w["window"].pk
    body = {"window": window, "category": "low_income", "evidence": "民政低保证 0001"}

    def after(w, responses):
        assert responses["cashier"].json()["status"] == "exempt"
        passport = post(w["clients"]["cashier"], f"{PREFIX}/orders/{w['open'].code}/exemptions",
                        body)  # fmt: skip
        assert passport.status_code == 422  # the passport fee allows no such exemption
        assert passport.json()["errors"][0]["field"] == "category"

    code = w["id_card"].code
    return (lambda c: post(c, f"{PREFIX}/orders/{code}/exemptions", body),
            {"anonymous": 401, "outsider": 404, "applicant": 403, "psb_reviewer": 403,
             "far_cashier": 403, "cashier": 200}, after)  # fmt: skip


def _refund(w):
    code = w["paid"].code
    body = {"amount": "20.00", "reason": "多收退还"}
    return (lambda c: post(c, f"{PREFIX}/orders/{code}/refunds", body),
            {"anonymous": 401, "outsider": 404, "applicant": 403, "psb_reviewer": 403,
             "psb_supervisor": 201}, None)  # fmt: skip


def _receipt(w):
    number = w["payment"].receipt_no
    return (lambda c: c.get(f"{PREFIX}/receipts/{number}.pdf"),
            {"anonymous": 401, "outsider": 404, "samr_reviewer": 404, "dispatcher": 404,
             "applicant": 200, "cashier": 200, "psb_reviewer": 200}, None)  # fmt: skip


def _reconciliation(w, suffix=""):
    def after(w, responses):
        if not suffix:
            assert responses["cashier"].json()["totals"]["paid"] in ("120.00", 120, "120")
            assert responses["far_cashier"].json()["rows"] == []  # another hall's day

    return (lambda c: c.get(f"{PREFIX}/reconciliation{suffix}"),
            {"anonymous": 401, "outsider": 403, "applicant": 403, "psb_reviewer": 403,
             "dispatcher": 403, "cashier": 200, "far_cashier": 200, "psb_supervisor": 200},
            after)  # fmt: skip


MATRIX = {
    ("get", "/orders/{code}"): _order,
    ("post", "/orders/{code}/pay-online"): _pay_online,
    ("post", "/orders/{code}/payments"): _pay_at_window,
    ("post", "/orders/{code}/exemptions"): _exempt,
    ("post", "/orders/{code}/refunds"): _refund,
    ("get", "/receipts/{receipt_no}.pdf"): _receipt,
    ("get", "/reconciliation"): _reconciliation,
    ("get", "/reconciliation.csv"): lambda w: _reconciliation(w, ".csv"),
}


@pytest.mark.parametrize("key", sorted(MATRIX), ids=lambda k: f"{k[0].upper()} {k[1]}")
def test_permission_matrix(world, key):
    call, expect, after = MATRIX[key](world)
    responses = permission_matrix(call=call, clients=world["clients"], expect=expect,
                                  snapshot=snapshot)  # fmt: skip
    if after:
        after(world, responses)


def test_receipt_check_needs_the_key_from_the_qr_code(world):
    number = world["payment"].receipt_no
    anonymous = world["clients"]["anonymous"]
    good = anonymous.get(f"{PREFIX}/receipts/{number}/check", {"k": receipt_check_key(number)})
    assert good.status_code == 200 and good.json()["payer"] == "陈*玲"
    assert anonymous.get(f"{PREFIX}/receipts/{number}/check", {"k": "x" * 20}).status_code == 404
