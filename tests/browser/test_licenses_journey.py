"""Certificate-free processing in a real Chromium (screenshots in var/screenshots/): a
citizen applies for an item whose material her e-license replaces and consents; the case
shows the fetched license; the reviewer opens the verified license; the citizen sees that
access in "who used my data"; a stranger verifies her printed license by its QR payload."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import segno
from playwright.sync_api import expect

from .test_cases_journey import PDF, sign_in, staff_page
from .test_pages import SHOTS, browser, city, phone, unlabelled_controls  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_certificate_free_and_who_used_my_data(live_server, city, phone, browser):  # noqa: F811
    base = live_server.url
    sign_in(phone, base, "13800000001", "Demo-Citizen-2026")
    phone.goto(base + "/cases/apply/SAMR-0001/")
    consent = phone.get_by_role("checkbox", name=re.compile("居民身份证"))
    expect(consent).to_be_checked()
    assert unlabelled_controls(phone) == []
    phone.locator("#id_contact_phone").fill("13800000001")
    phone.locator("#id_address").fill("江门市蓬江区建设路1号")
    phone.locator("input[type=file]").first.set_input_files(PDF)
    phone.screenshot(path=SHOTS / "licenses-consent-phone.png", full_page=True)
    phone.locator("main form button[type=submit]").click()
    expect(phone.locator(".materials li[data-source=fetched]")).to_have_count(1)
    expect(phone.locator(".materials li[data-source=fetched]")).to_contain_text("居民身份证")
    # 秒批: every rule of the item's decision table held, so it was approved at once, and
    # the page explains which rules ran and which source answered each.
    expect(phone.locator("[data-status]")).to_have_attribute("data-status", "approved")
    expect(phone.locator("section.instant.approved tr[data-passed=true]")).to_have_count(3)
    expect(phone.locator("section.instant")).to_contain_text("电子证照库")
    receipt = re.search(r"JM\d{15}[0-9A-Z]", phone.locator("dl.facts").inner_text()).group(0)
    phone.screenshot(path=SHOTS / "licenses-case-fetched-phone.png", full_page=True)

    context, reviewer = staff_page(browser, base, "reviewer", "Demo-Reviewer-2026")
    reviewer.goto(f"{base}/cases/staff/cases/{receipt}/")
    reviewer.locator("form[action*='/licenses/'] button").click()
    verified = reviewer.locator("[data-verified]")
    expect(verified).to_contain_text("440703********1264")  # the ID number, masked
    reviewer.screenshot(path=SHOTS / "licenses-reviewer-verified.png", full_page=True)
    context.close()

    phone.goto(base + "/accounts/my-data/")
    rows = phone.locator("tbody tr")
    expect(rows.filter(has_text="审查员 林涛")).to_have_count(1)
    expect(rows.filter(has_text=receipt)).to_have_count(2)  # fetched at submission, then viewed
    phone.screenshot(path=SHOTS / "licenses-who-used-my-data-phone.png", full_page=True)

    phone.goto(base + "/licenses/wallet/")
    expect(phone.locator("ul.wallet > li")).to_have_count(3)
    phone.locator("ul.wallet > li", has_text="居民身份证").get_by_role("link").first.click()
    credential = phone.locator("[data-credential]").text_content().strip()
    qr = phone.locator(".qr svg").evaluate("el => el.outerHTML")
    expected = segno.make(credential, error="l").svg_inline(scale=2, border=2)
    assert re.sub(r"\s", "", qr)[:200] == re.sub(r"\s", "", expected)[:200]  # the QR holds it
    phone.screenshot(path=SHOTS / "licenses-printable-phone.png", full_page=True)

    stranger = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = stranger.new_page()
    page.goto(base + "/licenses/verify/")
    page.locator("textarea").fill(credential)
    page.locator("main form button[type=submit]").click()
    result = page.locator("section.verification")
    expect(result).to_have_attribute("data-valid", "true")
    expect(result).to_contain_text("陈*玲")
    assert "440703" not in result.inner_text()
    page.screenshot(path=SHOTS / "licenses-verified-by-a-stranger.png", full_page=True)
    stranger.close()
    assert Path(SHOTS / "licenses-verified-by-a-stranger.png").exists()
