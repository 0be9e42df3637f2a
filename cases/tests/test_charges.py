"""一窗收费 through the real services: fee schedule and pricing with exemptions, orders opened on
acceptance (and on instant approval), the charge window, the sandbox provider's signed
notifications (bad signature rejected and logged, duplicates recorded once), refunds never
above what was paid, automatic refunds on rejection and withdrawal, receipts, delivery held
until paid, and a reconciliation whose totals equal the orders'."""

from __future__ import annotations

import json
import logging
import random
from decimal import Decimal

import pytest

from accounts.models import DataAccess, Role
from cases import fees
from cases.models import (
    Case,
    OrderStatus,
    Payment,
    PaymentNotice,
    PaymentOrder,
    Refund,
    SandboxTransaction,
    Status,
)
from cases.payments import SandboxProvider
from cases.receipt_pdf import capitals, receipt_check_key
from cases.selectors import order_of, reconciliation
from cases.services import case_submit, case_withdraw
from cases.services.charges import (
    cashier_windows,
    luhn_digit,
    payment_record_at_window,
    payment_start_online,
    refund_issue,
    sandbox_notify,
    sandbox_pay,
)
from catalog.models import ServiceItem
from core.errors import Conflict, Forbidden, InvalidInput
from licenses.models import LicenseType
from licenses.services import license_issue

from .helpers import FORM, run_step

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def schedule():
    fees.fees_load()


@pytest.fixture
def cashier(db):
    """A cashier at a hall with two charge windows."""
    from accounts.services import staff_assign, staff_create
    from directory.models import Authority, Region
    from directory.services import hall_upsert, window_upsert

    city = Region.objects.get(level="city")
    hall = hall_upsert(code="T-C000", name_zh="测试市民服务中心", kind="centre", region=city)
    window_upsert(hall=hall, number="C01", kind="charge")
    window_upsert(hall=hall, number="C02", kind="charge")
    user = staff_create(actor=None, username="cashier", display_name="收费员",
                        password="Correct-Horse-2026")  # fmt: skip
    gsdmb = Authority.objects.get(department__code="GSDMB", region__level="city")
    staff_assign(actor=None, user=user, authority=gsdmb, role=Role.CASHIER, hall=hall)
    return user


def window_of(cashier):
    return cashier_windows(cashier).first()


def staff_of(department: str = "PSB"):
    """The department's clerk and reviewer (made once per test)."""
    from accounts.models import User
    from conftest import _staff

    name = department.lower()
    if User.objects.filter(username=f"{name}-clerk").exists():
        return (User.objects.get(username=f"{name}-clerk"),
                User.objects.get(username=f"{name}-reviewer"))  # fmt: skip
    return (_staff(f"{name}-clerk", Role.CLERK, department),
            _staff(f"{name}-reviewer", Role.REVIEWER, department))  # fmt: skip


def accepted(citizen, code="PSB-0013", form=None):
    """An online application for a paid item, accepted by the department's clerk."""
    item = ServiceItem.objects.get(code=code)
    clerk, reviewer = staff_of(item.department.code)
    case = case_submit(actor=citizen, item=item, form_data=form or FORM)
    case = run_step(clerk, case, "accept", {"accepted": True})
    return case, clerk, reviewer


def decide(reviewer, case, decision="approve", reasons=""):
    """Run the reviewer's steps (review, [inspect], decide) until the decision."""
    from cases.models import WorkItem

    answers = {"review": {"supplement": False}, "inspect": {},
               "decide": {"decision": decision, "reasons": reasons}}  # fmt: skip
    while not case.is_final:
        step = WorkItem.objects.filter(case=case, status="open").values_list("step", flat=True)
        case = run_step(reviewer, case, step.first(), answers[step.first()])
    return case


def pay_online(citizen, order) -> SandboxTransaction:
    url = payment_start_online(actor=citizen, order=order, provider_name="sandbox",
                               return_url="/")  # fmt: skip
    txn = url.rstrip("/").rsplit("/", 1)[-1]
    sandbox_pay(txn=txn)
    sandbox_notify(txn=txn)  # what the task sends after commit (tests run in one transaction)
    return SandboxTransaction.objects.get(txn=txn)


def signed(body: dict, **sign) -> tuple[bytes, dict]:
    raw = json.dumps(body, separators=(",", ":")).encode()
    return raw, SandboxProvider().sign(raw, **sign)


def notify(client, raw: bytes, headers: dict):
    extra = {"HTTP_" + k.upper().replace("-", "_"): v for k, v in headers.items()}
    return client.post("/api/v1/payments/notify/sandbox", raw, content_type="application/json",
                       **extra)  # fmt: skip


# The schedule and pricing ----------------------------------------------------------------


def test_schedule_loads_once_and_the_form_asks_what_the_fees_depend_on():
    assert fees.fees_load() == 17 and fees.fees_load() == 17
    schema = fees.form_schema(ServiceItem.objects.get(code="PSB-0014"))
    assert schema["properties"]["endorsements"]["maximum"] == 6
    nr = fees.form_schema(ServiceItem.objects.get(code="NR-0001"))
    assert "property_use" in nr["required"]


def test_pricing_per_unit_by_condition_and_exemptions():
    def total(code, form, exempt=None, age=None):
        return fees.price(ServiceItem.objects.get(code=code), form, exempt or {}, age=age).total

    assert total("PSB-0014", {"endorsements": 3}) == Decimal("105.00")  # 60 + 3 × 15
    assert total("NR-0001", {"property_use": "residential"}) == Decimal("80.00")
    assert total("NR-0001", {"property_use": "non_residential"}) == Decimal("550.00")
    assert total("JUSTICE-0002", {"copies": 2}, age=69) == Decimal("160.00")
    assert total("JUSTICE-0002", {"copies": 2}, age=70) == Decimal("0.00")  # elderly from 70
    assert total("PSB-0002", {}, {"low_income": "证"}) == Decimal("0.00")
    assert total("PSB-0013", {}, {"low_income": "证"}) == Decimal("120.00")  # not allowed there
    with pytest.raises(InvalidInput) as error:
        total("PSB-0014", {"endorsements": 7})
    assert error.value.field == "form.endorsements"


def test_payment_code_is_twenty_digits_with_a_luhn_check(citizen):
    case, *_ = accepted(citizen)
    code = order_of(case).code
    assert len(code) == 20 and code.isdigit() and code.startswith("4407")
    assert luhn_digit(code[:-1]) == code[-1]
    assert capitals(Decimal("135.50")) == "壹佰叁拾伍元伍角整"
    assert capitals(Decimal("10005.07")) == "壹万零伍元零柒分"


# Orders, the window, delivery -------------------------------------------------------------


def test_order_opens_on_acceptance_and_the_result_waits_for_payment(citizen, cashier):
    case, _clerk, reviewer = accepted(citizen)
    order = order_of(case)
    assert order.status == OrderStatus.OPEN and order.amount_due == Decimal("120.00")
    assert case.events.filter(action="payment.ordered").exists()
    case = decide(reviewer, case)
    assert case.status == Status.APPROVED and case.delivered_at is None  # not paid yet
    with pytest.raises(InvalidInput) as error:
        payment_record_at_window(actor=cashier, order=order, window=window_of(cashier),
                                 method="cash", amount=Decimal("100"))  # fmt: skip
    assert error.value.field == "amount"
    payment = payment_record_at_window(actor=cashier, order=order, window=window_of(cashier),
                                       method="cash", amount=Decimal("120.00"))  # fmt: skip
    assert payment.hall == window_of(cashier).hall and payment.cashier == cashier
    case.refresh_from_db()
    assert case.delivered_at is not None  # electronic delivery followed the payment
    with pytest.raises(Conflict):
        payment_record_at_window(actor=cashier, order=order, window=window_of(cashier),
                                 method="card", amount=Decimal("120.00"))  # fmt: skip


def test_pickup_is_not_handed_over_before_payment(citizen):
    clerk, reviewer = staff_of("PSB")
    item = ServiceItem.objects.get(code="PSB-0013")
    case = case_submit(actor=citizen, item=item, form_data=FORM, delivery="pickup")
    case = run_step(clerk, case, "accept", {"accepted": True})
    case = decide(reviewer, case)
    from cases.models import WorkItem
    from cases.services import work_item_complete

    with pytest.raises(Conflict):
        run_step(clerk, case, "deliver", {})
    pay_online(citizen, order_of(case))
    work = WorkItem.objects.get(case=case, step="deliver")  # still the clerk's
    case = work_item_complete(actor=clerk, work_item=work, outcome={})
    assert case.delivered_at is not None


def test_only_a_cashier_at_that_hall_takes_payments(citizen, cashier, clerk):
    case, *_ = accepted(citizen)
    order = order_of(case)
    for actor in (clerk, citizen):
        with pytest.raises(Forbidden):
            payment_record_at_window(actor=actor, order=order, window=window_of(cashier),
                                     method="cash", amount=order.amount_due)  # fmt: skip
    assert not Payment.objects.exists()


def test_instant_approval_of_a_paid_item_then_online_payment_and_receipt(
    login, citizen, django_capture_on_commit_callbacks
):
    psb = LicenseType.objects.get(code="resident_id_card").issuer
    from directory.models import Authority

    license_issue(actor=None, authority=Authority.objects.get(department=psb,
                  region__level="city"), license_type=LicenseType.objects.get(
                  code="resident_id_card"), fields={}, holder_person=citizen.person)  # fmt: skip
    item = ServiceItem.objects.get(code="PSB-0015")
    card = item.materials.get(license_type__code="resident_id_card")
    case = case_submit(actor=citizen, item=item, channel="mobile", consents=[card],
                       form_data={**FORM, "endorsements": 2})  # fmt: skip
    assert case.status == Status.APPROVED and case.delivered_at is None
    order = order_of(case)
    assert order.amount_due == Decimal("30.00")
    client = login(citizen)
    response = client.post(f"/cases/{case.receipt_no}/pay/", {"provider": "sandbox"})
    assert response.status_code == 302 and "/cases/payments/sandbox/" in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert "TEST MODE" in page or "测试模式" in page
    with django_capture_on_commit_callbacks(execute=True):  # the sandbox's notification task
        client.post(response["Location"], {"action": "pay"})
    case.refresh_from_db()
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID and case.delivered_at is not None
    payment = order.payments.get()
    assert payment.is_test and payment.method == "online"
    pdf = client.get(f"/cases/receipts/{payment.receipt_no}/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content if pdf.streaming else [pdf.content])[:5] == b"%PDF-"
    check = client.get(f"/cases/receipts/{payment.receipt_no}/",
                       {"k": receipt_check_key(payment.receipt_no)})  # fmt: skip
    assert check.status_code == 200 and "30.00" in check.content.decode()
    assert client.get(f"/cases/receipts/{payment.receipt_no}/", {"k": "0" * 20}).status_code == 404


# Notifications ----------------------------------------------------------------------------


def test_bad_signature_is_rejected_and_logged(client, citizen, caplog):
    case, *_ = accepted(citizen)
    order = order_of(case)
    body = {"event": "TRANSACTION.SUCCESS", "txn": "SBXFORGED", "order_code": order.code,
            "amount": "120.00", "paid_at": "2026-11-24T10:00:00+08:00"}  # fmt: skip
    raw, headers = signed(body)
    forged = raw.replace(b"120.00", b"120.01")
    with caplog.at_level(logging.WARNING, logger="onestop.payments"):
        response = notify(client, forged, headers)
    assert response.status_code == 400
    assert response.json()["code"] == "FAIL" and response.json()["message"] == "bad signature"
    assert "bad signature" in caplog.text
    assert PaymentNotice.objects.get().reason == "bad signature"
    assert not Payment.objects.exists()
    order.refresh_from_db()
    assert order.status == OrderStatus.OPEN
    old, old_headers = signed(body, timestamp=1_700_000_000)  # replayed from long ago
    assert notify(client, old, old_headers).status_code == 400
    wrong_amount, wrong_headers = signed({**body, "amount": "1.00"})
    assert notify(client, wrong_amount, wrong_headers).json()["message"] == (
        "amount differs from the order"
    )
    assert PaymentNotice.objects.filter(accepted=False).count() == 3


def test_the_same_notification_twice_records_one_payment(client, citizen):
    case, *_ = accepted(citizen)
    order = order_of(case)
    body = {"event": "TRANSACTION.SUCCESS", "txn": "SBXTWICE", "order_code": order.code,
            "amount": "120.00", "paid_at": "2026-11-24T10:00:00+08:00"}  # fmt: skip
    raw, headers = signed(body)
    assert notify(client, raw, headers).json() == {"code": "SUCCESS", "message": ""}
    assert notify(client, raw, headers).json() == {"code": "SUCCESS", "message": ""}
    assert Payment.objects.filter(order=order).count() == 1
    assert PaymentNotice.objects.filter(reason="duplicate").count() == 1


def test_money_for_an_order_already_paid_is_refunded_at_once(citizen, cashier):
    case, *_ = accepted(citizen)
    order = order_of(case)
    url = payment_start_online(actor=citizen, order=order, provider_name="sandbox", return_url="/")
    txn = url.rstrip("/").rsplit("/", 1)[-1]
    payment_record_at_window(actor=cashier, order=order, window=window_of(cashier),
                             method="qr", amount=order.amount_due)  # fmt: skip
    from django.db import transaction

    with transaction.atomic():  # the payer also paid online meanwhile
        SandboxTransaction.objects.filter(txn=txn).update(status="paid")
    sandbox_notify(txn=txn)
    order.refresh_from_db()
    assert order.amount_paid == Decimal("240.00") and order.amount_refunded == Decimal("120.00")
    assert SandboxTransaction.objects.get(txn=txn).refunded == Decimal("120.00")


# Refunds ----------------------------------------------------------------------------------


def test_a_refund_never_exceeds_what_was_paid(citizen, cashier):
    case, *_ = accepted(citizen)
    order = order_of(case)
    pay_online(citizen, order)
    refund_issue(actor=cashier, order=order, amount=Decimal("100.00"), reason="多收退还")
    with pytest.raises(InvalidInput) as error:
        refund_issue(actor=cashier, order=order, amount=Decimal("20.01"), reason="再退")
    assert error.value.field == "amount"
    with pytest.raises(Forbidden):
        refund_issue(actor=citizen, order=order, amount=Decimal("1.00"), reason="自己退")
    refund_issue(actor=cashier, order=order, amount=Decimal("20.00"), reason="余额")
    order.refresh_from_db()
    assert order.status == OrderStatus.REFUNDED and order.amount_refunded == order.amount_paid
    assert sum(r.amount for r in Refund.objects.filter(order=order)) == Decimal("120.00")
    assert SandboxTransaction.objects.get().refunded == Decimal("120.00")


def test_rejection_refunds_in_full_and_withdrawal_cancels_or_refunds(citizen, cashier):
    case, _clerk, reviewer = accepted(citizen)
    pay_online(citizen, order_of(case))
    case = decide(reviewer, case, "reject", "不符合条件")
    order = order_of(case)
    assert order.status == OrderStatus.REFUNDED and order.amount_refunded == Decimal("120.00")
    unpaid, *_ = accepted(citizen)
    case_withdraw(actor=citizen, case=unpaid, reason="不办了")
    assert order_of(unpaid).status == OrderStatus.CANCELLED
    paid, *_ = accepted(citizen)
    payment_record_at_window(actor=cashier, order=order_of(paid), window=window_of(cashier),
                             method="cash", amount=Decimal("120.00"))  # fmt: skip
    paid = case_withdraw(actor=citizen, case=paid)
    assert paid.status == Status.WITHDRAWN
    assert order_of(paid).status == OrderStatus.REFUNDED
    assert not paid.work_items.exclude(status="done").exists()
    with pytest.raises(Conflict):
        case_withdraw(actor=citizen, case=Case.objects.get(pk=paid.pk))


# Exemptions -------------------------------------------------------------------------------


def test_low_income_exemption_from_the_e_license_registry_is_logged(citizen):
    from directory.models import Authority

    civil = Authority.objects.get(department__code="CIVIL", region__level="city")
    allowance = LicenseType.objects.get(code="subsistence_allowance_certificate")
    license_issue(actor=None, authority=civil, fields={}, holder_person=citizen.person,
                  license_type=allowance)  # fmt: skip
    case, _clerk, reviewer = accepted(citizen, code="PSB-0002")
    order = order_of(case)
    assert order.status == OrderStatus.EXEMPT and order.amount_due == 0
    assert order.lines[0]["exempt"] == "low_income"
    assert DataAccess.objects.filter(person=citizen.person, case_ref=case.receipt_no,
                                     subject="最低生活保障证").exists()  # fmt: skip
    case = decide(reviewer, case)
    assert case.delivered_at is not None  # nothing to pay: delivered at once


def test_cashier_applies_a_disability_exemption_on_the_original_seen(citizen, cashier):
    from cases.services.charges import exemption_apply

    case, *_ = accepted(citizen, code="NR-0007")
    order = order_of(case)
    with pytest.raises(InvalidInput):
        exemption_apply(actor=cashier, order=order, window=window_of(cashier),
                        category="elderly", evidence="44070319580314")  # fmt: skip
    order = exemption_apply(actor=cashier, order=order, window=window_of(cashier),
                            category="disabled", evidence="44070319800101123442")  # fmt: skip
    assert order.status == OrderStatus.EXEMPT and order.amount_due == 0
    assert "窗口核验原件" in order.lines[0]["exempt_by"]


# Reconciliation ---------------------------------------------------------------------------


def test_reconciliation_totals_equal_the_orders(citizen, cashier):
    """Generated orders, paid at windows or online, some refunded: every total of the report
    equals the sum over the orders, payments and refunds; the providers' books agree."""
    rng = random.Random(7)
    codes = ["PSB-0013", "PSB-0014", "NR-0003", "JUSTICE-0002", "PSB-0004"]
    for n in range(24):
        code = rng.choice(codes)
        form = {**FORM, **fees.form_defaults(ServiceItem.objects.get(code=code))}
        if code == "PSB-0014":
            form["endorsements"] = rng.randint(1, 6)
        if code == "JUSTICE-0002":
            form["copies"] = rng.randint(1, 3)
        case, *_ = accepted(citizen, code=code, form=form)
        order = order_of(case)
        roll = rng.random()
        if roll < 0.4:
            pay_online(citizen, order)
        elif roll < 0.8:
            payment_record_at_window(actor=cashier, order=order, window=window_of(cashier),
                                     method=rng.choice(["cash", "card", "qr"]),
                                     amount=order.amount_due)  # fmt: skip
        order.refresh_from_db()
        if order.status == OrderStatus.PAID and rng.random() < 0.3:
            part = (order.amount_paid * Decimal(rng.choice(["0.5", "1"]))).quantize(Decimal("0.01"))
            refund_issue(actor=cashier, order=order, amount=part, reason=f"退费 {n}",
                         window=window_of(cashier))  # fmt: skip
    from django.utils import timezone

    report = reconciliation(day=timezone.localdate(), scope={})
    totals = report["totals"]
    assert totals["orders"] == PaymentOrder.objects.count() == 24
    assert totals["due"] == sum(o.amount_due for o in PaymentOrder.objects.all())
    assert totals["paid"] == sum(p.amount for p in Payment.objects.all())
    assert totals["paid"] == sum(o.amount_paid for o in PaymentOrder.objects.all())
    assert totals["refunded"] == sum(o.amount_refunded for o in PaymentOrder.objects.all())
    assert totals["net"] == totals["paid"] - totals["refunded"]
    by_method = sum((sum(r["by_method"].values(), Decimal(0)) for r in report["rows"]),
                    Decimal(0))  # fmt: skip
    assert by_method == totals["paid"]
    assert report["differences"] == []
    # The provider settled one we never heard of (a lost notification): it shows.
    stray = SandboxTransaction.objects.create(txn="SBXLOST", order_code="x", amount=5,
                                              return_url="/", status="paid",
                                              paid_at=timezone.now())  # fmt: skip
    differences = reconciliation(day=timezone.localdate(), scope={})["differences"]
    assert [(d["txn"], d["kind"]) for d in differences] == [(stray.txn, "missing_here")]
    hall_only = reconciliation(day=timezone.localdate(),
                               scope={"halls": [window_of(cashier).hall_id]})  # fmt: skip
    assert hall_only["totals"]["paid"] == sum(
        p.amount for p in Payment.objects.filter(hall=window_of(cashier).hall)
    )


def test_reconciliation_page_and_csv_for_the_cashier(login, citizen, cashier, clerk):
    case, *_ = accepted(citizen)
    payment_record_at_window(actor=cashier, order=order_of(case), window=window_of(cashier),
                             method="cash", amount=Decimal("120.00"))  # fmt: skip
    page = login(cashier).get("/cases/charges/reconciliation/")
    assert page.status_code == 200 and "120.00" in page.content.decode()
    csv_text = login(cashier).get("/cases/charges/reconciliation/", {"format": "csv"})
    lines = csv_text.content.decode("utf-8-sig").strip().splitlines()
    assert lines[0].startswith("hall,hall_name,department") and lines[-1].startswith("TOTAL")
    assert "120.00" in lines[-1]
    assert login(clerk).get("/cases/charges/reconciliation/").status_code == 404
    api = login(cashier).get("/api/v1/payments/reconciliation").json()
    assert api["totals"]["paid"] == "120.00" or Decimal(str(api["totals"]["paid"])) == 120


def test_the_cashier_sees_the_order_never_the_case_files(login, citizen, cashier):
    case, *_ = accepted(citizen)
    order = order_of(case)
    as_cashier = login(cashier)
    assert as_cashier.get(f"/api/v1/cases/{case.receipt_no}").status_code == 404
    assert as_cashier.get(f"/cases/{case.receipt_no}/").status_code == 404
    detail = as_cashier.get(f"/api/v1/payments/orders/{order.code}").json()
    assert detail["payer"] == "陈*玲" and "form" not in detail
    page = as_cashier.get("/cases/charges/", {"code": order.code})
    assert page.status_code == 200 and order.code in page.content.decode()
    assert "陈美玲" not in page.content.decode()
    response = as_cashier.post("/cases/charges/", {
        "action": "pay", "window": window_of(cashier).pk, "code": order.code,
        "method": "card", "amount": "120.00", "reference": "POS-1"})  # fmt: skip
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
