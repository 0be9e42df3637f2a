"""The one-network approval journey in a real Chromium, with screenshots in var/screenshots/:

1. a citizen on a phone finds an item, applies online with an upload; the clerk accepts; a
   reviewer asks for supplementation; the citizen supplements (another upload); the reviewer
   approves; the citizen sees the decision;
2. a walk-in application taken by a clerk at the municipal centre's one window for another
   department's item, routed to that department.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from portal.demo import resident_id

from .test_pages import SHOTS, browser, city, phone, unlabelled_controls  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PDF = Path(__file__).resolve().parents[1] / "data" / "application.pdf"


def sign_in(page, base: str, login: str, password: str) -> None:
    page.goto(base + "/accounts/login/")
    page.locator("#id_identifier").fill(login)
    page.locator("#id_password").fill(password)
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".who")).to_be_visible()


def staff_page(browser, base: str, login: str, password: str):  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    sign_in(page, base, login, password)
    return context, page


def do_step(page, base: str, receipt: str, fill=None, shot: str | None = None) -> None:
    """Open the staff case page, take the open task and finish it."""
    page.goto(f"{base}/cases/staff/cases/{receipt}/")
    page.locator("form[action$='/claim/'] button").click()
    if fill:
        fill(page)
    if shot:
        page.screenshot(path=SHOTS / shot, full_page=True)
    page.locator("form[action$='/complete/'] button[type=submit]").click()
    expect(page.locator(".messages, [role=status]").first).to_be_visible()


def test_apply_supplement_and_decide(live_server, city, phone, browser):  # noqa: F811
    base = live_server.url
    sign_in(phone, base, "13800000001", "Demo-Citizen-2026")
    phone.goto(base + "/services/")
    phone.locator("input[name=q]").first.press_sequentially("个体工商户设立", delay=40)
    phone.locator("#results ol.results > li h3 a").filter(has_text="个体工商户设立登记").click()
    phone.locator("article.guide p.actions a.button.primary").click()
    expect(phone.locator("h1")).to_contain_text("个体工商户设立登记")
    assert unlabelled_controls(phone) == []
    phone.locator("#id_contact_phone").fill("13800000001")
    phone.locator("#id_address").fill("江门市蓬江区建设路1号")
    phone.locator("input[type=file]").first.set_input_files(PDF)
    # She uploads her ID instead of letting the department fetch her e-license, so the
    # instant check cannot run every rule and people handle the case.
    phone.get_by_role("checkbox", name=re.compile("居民身份证")).uncheck()
    phone.screenshot(path=SHOTS / "cases-apply-phone.png", full_page=True)
    phone.locator("main form button[type=submit]").click()
    expect(phone.locator("[data-status]")).to_have_attribute("data-status", "submitted")
    receipt = re.search(r"JM\d{15}[0-9A-Z]", phone.locator("dl.facts").inner_text()).group(0)
    expect(phone.locator(".materials li[data-source=uploaded]")).to_have_count(1)
    phone.screenshot(path=SHOTS / "cases-submitted-phone.png", full_page=True)

    clerk_ctx, clerk = staff_page(browser, base, "clerk", "Demo-Clerk-2026")
    clerk.goto(base + "/cases/staff/")
    expect(clerk.locator("main")).to_contain_text(receipt)
    clerk.screenshot(path=SHOTS / "cases-inbox-clerk.png", full_page=True)
    do_step(clerk, base, receipt)
    clerk_ctx.close()

    reviewer_ctx, reviewer = staff_page(browser, base, "reviewer", "Demo-Reviewer-2026")

    def ask(page):
        page.locator("input[name=supplement][value=yes]").check()
        page.locator("textarea[name=missing]").fill(
            "经营场所租赁合同\n个体工商户登记申请书（签名页）"
        )

    do_step(reviewer, base, receipt, ask, shot="cases-review-supplement.png")
    expect(reviewer.locator("[data-status]")).to_have_attribute("data-status", "supplementation")

    phone.goto(f"{base}/cases/{receipt}/")
    expect(phone.locator("main")).to_contain_text("经营场所租赁合同")
    phone.locator("section.ok input[type=file]").nth(2).set_input_files(PDF)
    phone.locator("section.ok textarea").fill("已上传租赁合同")
    phone.screenshot(path=SHOTS / "cases-supplement-phone.png", full_page=True)
    phone.locator("section.ok button[type=submit]").click()
    expect(phone.locator("[data-status]")).to_have_attribute("data-status", "under_review")
    expect(phone.locator(".materials li[data-source=uploaded]")).to_have_count(2)

    do_step(reviewer, base, receipt)  # the review again: complete now

    def approve(page):
        page.locator("input[name=decision][value=approve]").check()
        page.locator("input[name=issued]").fill("个体工商户营业执照")

    do_step(reviewer, base, receipt, approve, shot="cases-decide.png")
    expect(reviewer.locator("[data-status]")).to_have_attribute("data-status", "approved")
    reviewer_ctx.close()

    phone.goto(f"{base}/cases/{receipt}/")
    expect(phone.locator("[data-status]")).to_have_attribute("data-status", "approved")
    expect(phone.locator("section.decision")).to_contain_text("个体工商户营业执照")
    overflow = phone.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")
    assert overflow is False, "the case page scrolls sideways on a phone"
    phone.screenshot(path=SHOTS / "cases-decided-phone.png", full_page=True)
    phone.goto(base + "/accounts/notifications/")
    expect(phone.locator("ul.notices")).to_contain_text(receipt)


def test_walk_in_at_the_municipal_centre_for_another_department(live_server, city, browser):  # noqa: F811
    base = live_server.url
    context, page = staff_page(browser, base, "clerk", "Demo-Clerk-2026")  # a SAMR clerk
    page.goto(base + "/cases/staff/intake/")
    page.locator("#item").fill("PSB-0001")  # birth registration: Public Security
    page.locator("main form button[type=submit]").click()
    expect(page.locator("h1")).to_contain_text("出生登记")
    assert unlabelled_controls(page) == []
    page.locator("#id_id_number").fill(resident_id("440703", "19580314", 126))
    page.locator("#id_contact_phone").fill("13800000001")
    page.locator("#id_address").fill("江门市蓬江区建设路1号")
    page.locator("input[name=shown]").first.check()
    page.locator("input[type=file]").nth(1).set_input_files(PDF)
    page.screenshot(path=SHOTS / "cases-intake-window.png", full_page=True)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("[data-status]")).to_have_attribute("data-status", "under_review")
    expect(page.locator("dl.facts").first).to_contain_text("公安局")
    expect(page.locator("dl.facts").first).to_contain_text("A01")
    expect(page.locator(".materials li[data-source=shown]")).to_have_count(1)
    page.screenshot(path=SHOTS / "cases-intake-accepted.png", full_page=True)
    context.close()
