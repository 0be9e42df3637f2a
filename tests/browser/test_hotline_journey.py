"""12345 in a real Chromium, with screenshots in var/screenshots/: the operator takes a call
and sees the suggested departments appear as she types; she dispatches to the first one;
the citizen-facing lookup shows the status."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .test_cases_journey import staff_page
from .test_pages import SHOTS, browser, city, phone, unlabelled_controls  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_operator_intake_with_live_suggestions(live_server, city, browser, phone):  # noqa: F811
    base = live_server.url
    context, desk = staff_page(browser, base, "dispatcher", "Demo-Dispatcher-2026")
    desk.goto(base + "/hotline/staff/intake/")
    assert unlabelled_controls(desk) == []
    desk.locator("input[name=type][value=complaint]").check()
    desk.locator("#id_text").press_sequentially(
        "公司拖欠我们三个月工资，老板一直说下个月发。", delay=20
    )
    expect(desk.locator("#suggestion li").first).to_have_attribute("data-department", "HRSS")
    desk.screenshot(path=SHOTS / "hotline-intake-suggestions.png", full_page=True)
    desk.locator("form button[type=submit].primary").click()
    expect(desk.locator("[data-status]")).to_have_attribute("data-status", "received")
    receipt = desk.locator("h1").inner_text().split()[-1]
    desk.locator("form:has(input[value=dispatch]) button").click()
    expect(desk.locator("[data-status]")).to_have_attribute("data-status", "dispatched")
    desk.screenshot(path=SHOTS / "hotline-order-dispatched.png", full_page=True)
    context.close()

    phone.goto(f"{base}/hotline/track/?receipt_no={receipt}")
    expect(phone.locator("[data-status]")).to_have_attribute("data-status", "dispatched")
    expect(phone.locator("main")).not_to_contain_text("拖欠")  # the words stay private
    phone.screenshot(path=SHOTS / "hotline-track-phone.png", full_page=True)


def test_hot_spots_draw_their_charts(live_server, city, browser):  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.goto(live_server.url + "/hotline/hotspots/")
    expect(page.locator("#weekly-chart svg")).to_have_count(1)
    expect(page.locator("#category-chart svg")).to_have_count(1)
    assert unlabelled_controls(page) == []
    page.screenshot(path=SHOTS / "hotline-hotspots.png", full_page=True)
    context.close()
