"""好差评 in a real Chromium, with screenshots in var/screenshots/: the demo citizen's
application closes (approved instantly); she rates it "very dissatisfied" on her phone; the
public dashboard counts it; the department's clerk responds and records the callback; she
sees the outcome."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .test_cases_journey import sign_in, staff_page
from .test_pages import SHOTS, browser, city, phone, unlabelled_controls  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def closed_case_of_the_demo_citizen():
    from cases.services import case_submit
    from catalog.models import ServiceItem
    from portal.demo import CITIZEN_ID, _demo_person

    citizen = _demo_person(CITIZEN_ID).user
    item = ServiceItem.objects.get(code="SAMR-0001")
    card = item.materials.get(license_type__code="resident_id_card")
    case = case_submit(
        actor=citizen,
        item=item,
        consents=[card],
        form_data={"contact_phone": "13800000001", "address": "江门市蓬江区"},
    )
    assert case.status == "approved" and case.delivered_at is not None
    return case


def rated_this_month(page, base) -> int:
    page.goto(base + "/ratings/")
    return int(page.locator("[data-figure=rated]").inner_text())


def test_very_dissatisfied_followed_up_and_seen(live_server, city, phone, browser):  # noqa: F811
    base = live_server.url
    case = closed_case_of_the_demo_citizen()
    before = rated_this_month(phone, base)
    phone.screenshot(path=SHOTS / "ratings-public-dashboard-phone.png", full_page=False)

    sign_in(phone, base, "13800000001", "Demo-Citizen-2026")
    phone.goto(base + "/ratings/mine/")
    phone.locator(f"ul.pending li:has-text('{case.receipt_no}') a").click()
    expect(phone.locator("h1")).to_contain_text("评价")
    assert unlabelled_controls(phone) == []
    phone.get_by_role("radio", name="非常不满意").first.check()
    phone.locator("#id_words").fill("材料要求前后不一致，跑了两次")
    phone.screenshot(path=SHOTS / "ratings-rate-phone.png", full_page=True)
    phone.locator("form.rate button[type=submit]").click()
    mine = phone.locator("article.my-rating").filter(has_text="材料要求前后不一致")
    expect(mine.locator(".outcome")).to_have_attribute("data-status", "open")

    assert rated_this_month(phone, base) == before + 1  # the public page counts it

    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    dashboard = desk.new_page()
    dashboard.goto(base + "/ratings/")
    expect(dashboard.locator("#trend-chart svg")).to_have_count(1)  # ECharts drew it
    expect(dashboard.locator("#ranking-chart svg")).to_have_count(1)
    dashboard.screenshot(path=SHOTS / "ratings-public-dashboard.png", full_page=True)
    desk.close()

    context, clerk = staff_page(browser, base, "clerk", "Demo-Clerk-2026")
    clerk.goto(base + "/ratings/staff/rectifications/?status=open")
    clerk.locator("td a", has_text="个体工商户设立登记").first.click()
    expect(clerk.locator("blockquote.words")).to_contain_text("跑了两次")
    clerk.locator("#id_response").fill(
        "已核实：网上指引与窗口要求不一致，已统一材料清单并向申请人致歉。"
    )
    clerk.locator("#id_evidence").fill("材料清单修订记录 2026-11-24")
    clerk.screenshot(path=SHOTS / "ratings-rectification-respond.png", full_page=True)
    clerk.locator("form[aria-labelledby=respond-title] button[type=submit]").click()
    expect(clerk.locator("[data-status]")).to_have_attribute("data-status", "responded")
    clerk.locator("#id_note").fill("已电话回访，申请人表示理解并认可整改。")
    clerk.get_by_role("radio", name=re.compile("^(是|Yes)$")).check()
    clerk.locator("form[aria-labelledby=callback-title] button[type=submit]").click()
    expect(clerk.locator("[data-status]")).to_have_attribute("data-status", "closed")
    clerk.screenshot(path=SHOTS / "ratings-rectification-closed.png", full_page=True)
    context.close()

    phone.goto(base + "/ratings/mine/")
    mine = phone.locator("article.my-rating").filter(has_text="材料要求前后不一致")
    expect(mine.locator(".outcome")).to_have_attribute("data-status", "closed")
    expect(mine).to_contain_text("已统一材料清单")
    phone.screenshot(path=SHOTS / "ratings-outcome-phone.png", full_page=True)
