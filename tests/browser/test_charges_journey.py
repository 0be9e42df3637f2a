"""一窗收费 in a real Chromium, with screenshots in var/screenshots/:

1. the demo citizen on a phone applies for a paid instant item (往来港澳通行证再次签注, two
   endorsements); it is approved at once with its explanation; the result waits for the fee;
   she pays through the sandbox provider (test mode), comes back to a paid order, and
   downloads the PDF receipt;
2. the cashier at the municipal centre's charge window finds an open order by its payment
   code, sees the fees and the payer's masked name (no case files), and records a card
   payment; the day's reconciliation shows it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .test_cases_journey import PDF, sign_in, staff_page
from .test_pages import SHOTS, browser, city, phone, unlabelled_controls  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_paid_instant_item_paid_in_the_sandbox_with_receipt(live_server, city, phone):  # noqa: F811
    base = live_server.url
    sign_in(phone, base, "13800000001", "Demo-Citizen-2026")
    phone.goto(base + "/cases/apply/PSB-0015/")
    expect(phone.get_by_role("checkbox", name=re.compile("居民身份证"))).to_be_checked()
    phone.locator("#id_contact_phone").fill("13800000001")
    phone.locator("#id_address").fill("江门市蓬江区建设路1号")
    phone.locator("#id_endorsements").fill("2")
    for field in phone.locator("input[type=file][required]").all():
        field.set_input_files(PDF)
    assert unlabelled_controls(phone) == []
    phone.locator("main form button[type=submit]").click()
    expect(phone.locator("[data-status]")).to_have_attribute("data-status", "approved")
    expect(phone.locator("section.instant.approved")).to_be_visible()
    payment = phone.locator("section.payment")
    expect(payment).to_have_class(re.compile("open"))
    expect(payment).to_contain_text("¥30.00")
    code = payment.locator("[data-code]").get_attribute("data-code")
    assert re.fullmatch(r"4407\d{16}", code)
    phone.screenshot(path=SHOTS / "charges-instant-approved-unpaid-phone.png", full_page=True)

    payment.locator("button.primary").click()
    expect(phone.locator(".test-mode")).to_be_visible()  # the sandbox says it is test mode
    expect(phone.locator(".amount")).to_have_text("¥30.00")
    phone.screenshot(path=SHOTS / "charges-sandbox-pay-phone.png", full_page=True)
    phone.locator("button[value=pay]").click()

    expect(phone.locator("section.payment")).to_have_class(re.compile("paid"))
    expect(phone.locator("[data-action='deliver.done']")).to_have_count(1)
    with phone.expect_download() as download:
        phone.locator("ul.receipts a").first.click()
    path = download.value.path()
    assert Path(path).read_bytes()[:5] == b"%PDF-"
    assert download.value.suggested_filename.startswith("receipt-FS")
    phone.screenshot(path=SHOTS / "charges-paid-receipt-phone.png", full_page=True)


def test_cashier_takes_a_card_payment_at_the_charge_window(live_server, city, browser):  # noqa: F811
    from cases.models import PaymentOrder

    order = PaymentOrder.objects.filter(status="open").order_by("pk").first()
    assert order is not None  # the demo leaves some fees unpaid
    base = live_server.url
    context, cashier = staff_page(browser, base, "cashier", "Demo-Cashier-2026")
    cashier.goto(base + "/cases/charges/")
    cashier.locator("#id_code").fill(order.code)
    cashier.locator("form.lookup button[type=submit]").click()
    section = cashier.locator("section.order")
    expect(section).to_contain_text(order.case.item.name_zh)
    name = order.case.applicant.display_name
    expect(section).not_to_contain_text(name)  # masked
    expect(section).to_contain_text(name[0] + "*")
    cashier.locator("input[name=method][value=card]").check()
    cashier.screenshot(path=SHOTS / "charges-cashier-window.png", full_page=True)
    cashier.locator("form[aria-labelledby=pay-title] button[type=submit]").click()
    expect(cashier.locator("section.order")).to_have_class(re.compile("paid"))
    expect(cashier.locator("ul.receipts li")).to_have_count(1)
    cashier.goto(base + "/cases/charges/reconciliation/")
    expect(cashier.locator("tbody")).to_contain_text("行政服务中心")
    cashier.screenshot(path=SHOTS / "charges-reconciliation.png", full_page=True)
    assert cashier.goto(f"{base}/cases/{order.case.receipt_no}/").status == 404  # no case files
    context.close()
