"""12345 in a real Chromium, with screenshots in var/screenshots/: the operator takes a call
and sees the suggested departments appear as she types; she dispatches to the first one;
the citizen-facing lookup shows the status. The whole loop: signed off → returned →
re-dispatched with a ruling → replied → callback not satisfied → reopened → replied again →
closed satisfied."""

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
    expect(page.locator("#district-chart svg")).to_have_count(1)
    assert unlabelled_controls(page) == []
    page.screenshot(path=SHOTS / "hotline-hotspots.png", full_page=True)
    context.close()


def _act(page, action: str, fill=None) -> None:
    form = page.locator(f"form:has(input[name=action][value={action}])")
    if fill:
        fill(form)
    form.locator("button[type=submit]").first.click()


def test_the_whole_loop_in_the_browser(live_server, city, browser):  # noqa: F811
    base = live_server.url
    centre, desk = staff_page(browser, base, "dispatcher", "Demo-Dispatcher-2026")
    department, inbox = staff_page(browser, base, "um-handler", "Demo-Handler-2026")
    status = desk.locator("[data-status]")

    # 受理: a caller leaves a name and number but does not agree to share them.
    desk.goto(base + "/hotline/staff/intake/")
    desk.locator("input[name=type][value=complaint]").check()
    desk.locator("#id_text").press_sequentially(
        "小区门口每天晚上有人摆摊卖烧烤，油烟很大，熏得楼上没法开窗。", delay=10
    )
    desk.locator("#id_contact_name").fill("李伯")
    desk.locator("#id_contact_phone").fill("13900001234")
    expect(desk.locator("#suggestion li").first).to_have_attribute("data-department", "UM")
    desk.locator("form button[type=submit].primary").click()
    expect(status).to_have_attribute("data-status", "received")
    receipt = desk.locator("h1").inner_text().split()[-1]
    order_url = f"{base}/hotline/staff/orders/{receipt}/"

    # 派单 with the suggestion (the first department is preselected).
    expect(desk.locator("#department")).to_have_value("UM")
    _act(desk, "dispatch")
    expect(status).to_have_attribute("data-status", "dispatched")

    # 签收, then 退单 with a reason; the caller's number stays hidden from the department.
    inbox.goto(base + "/hotline/staff/inbox/")
    expect(inbox.locator("main")).to_contain_text(receipt)
    inbox.goto(order_url)
    expect(inbox.locator("main")).not_to_contain_text("13900001234")
    _act(inbox, "sign")
    expect(inbox.locator("[data-status]")).to_have_attribute("data-status", "signed")
    inbox.locator("summary", has_text="退").or_(inbox.locator("summary", has_text="Return")).click()
    _act(inbox, "return", lambda f: f.locator("textarea").fill("油烟污染应由生态环境部门处理"))
    expect(inbox).to_have_url(base + "/hotline/staff/inbox/")  # no longer ours
    expect(inbox.locator("main")).not_to_contain_text(receipt)

    # 改派 with a ruling: vendors on the pavement are urban management's.
    desk.goto(order_url)
    expect(desk.locator("main")).to_contain_text("13900001234")  # the centre calls back

    def redispatch(form):
        form.locator("#ruling").fill("占道烧烤属城管职责，维持派单；油烟请生态环境局协办")
        form.locator("details.supporting summary").click()
        form.locator("input[name=supporting][value=EE]").check()

    _act(desk, "dispatch", redispatch)
    expect(status).to_have_attribute("data-status", "dispatched")
    expect(desk.locator("dl.facts")).to_contain_text("生态环境局")  # the supporting department
    desk.screenshot(path=SHOTS / "hotline-loop-redispatched.png", full_page=True)

    # 签收 and 回复.
    inbox.goto(order_url)
    _act(inbox, "sign")
    _act(inbox, "reply", lambda f: f.locator("textarea").fill("已劝离占道烧烤摊，加强夜间巡查。"))
    expect(inbox.locator("[data-status]")).to_have_attribute("data-status", "replied")

    # 回访: not satisfied → reopened to the same department.
    desk.goto(order_url)
    _act(desk, "callback", lambda f: (
        f.locator("input[name=satisfied][value=no]").check(),
        f.locator("textarea").fill("第二天晚上又来摆了"),
    ))  # fmt: skip
    expect(status).to_have_attribute("data-status", "signed")

    inbox.goto(order_url)
    expect(inbox.locator("main")).to_contain_text("第二天晚上又来摆了")
    _act(inbox, "reply", lambda f: f.locator("textarea").fill("已联合街道取缔该摊点并设立巡查点。"))
    expect(inbox.locator("[data-status]")).to_have_attribute("data-status", "replied")
    inbox.screenshot(path=SHOTS / "hotline-loop-department.png", full_page=True)

    # 回访: satisfied → 办结.
    desk.goto(order_url)
    _act(desk, "callback", lambda f: f.locator("input[name=satisfied][value=yes]").check())
    expect(status).to_have_attribute("data-status", "closed")
    assert unlabelled_controls(desk) == []
    desk.screenshot(path=SHOTS / "hotline-loop-closed.png", full_page=True)
    history = desk.locator(".timeline li").evaluate_all("items => items.map(i => i.dataset.action)")
    for step in ("received", "dispatched", "signed", "returned", "ruled", "supporting",
                 "replied", "reopened", "closed"):  # fmt: skip
        assert step in history, step
    expect(desk.locator(".timeline")).to_contain_text("市民不满意")  # the steps in words
    centre.close()
    department.close()


def test_operator_answers_a_consultation_from_the_centres_knowledge_base(
    live_server,
    city,  # noqa: F811
    browser,  # noqa: F811
):
    """The centre adds an answer to its knowledge base; the next consultation that fits is
    offered it first and the operator closes the order with it."""
    base = live_server.url
    context, desk = staff_page(browser, base, "dispatcher", "Demo-Dispatcher-2026")
    desk.goto(base + "/hotline/staff/knowledge/")
    assert unlabelled_controls(desk) == []
    expect(desk.locator(".knowledge-list li")).to_have_count(12)  # the demo's answers
    desk.locator("#id_question").fill("电动自行车上牌要带什么？")
    desk.locator("#id_answer").fill("车主带身份证、购车发票和合格证，到车管所或指定登记点办理。")
    desk.locator("#id_keywords").fill("电动自行车 上牌 电动车上牌")
    desk.locator("#id_department").select_option("PSB")
    desk.locator("form:has(#id_question) button[type=submit]").click()
    expect(desk.locator(".knowledge-list li")).to_have_count(13)
    desk.screenshot(path=SHOTS / "hotline-knowledge-base.png", full_page=True)
    desk.goto(base + "/hotline/staff/intake/")
    desk.locator("input[name=type][value=consultation]").check()
    desk.locator("#id_text").fill("我刚买了一辆电动自行车，请问上牌要带什么资料？")
    live = desk.locator("#suggestion .knowledge li").first  # while the caller is on the line
    expect(live).to_have_attribute("data-kind", "article")
    live.locator("summary").click()
    expect(live).to_contain_text("购车发票和合格证")
    desk.screenshot(path=SHOTS / "hotline-knowledge-at-intake.png", full_page=True)
    desk.locator("form button[type=submit].primary").click()
    expect(desk.locator("[data-status]")).to_have_attribute("data-status", "received")
    offered = desk.locator(".knowledge li").first
    expect(offered).to_have_attribute("data-kind", "article")
    expect(offered).to_contain_text("电动自行车上牌要带什么？")
    desk.screenshot(path=SHOTS / "hotline-knowledge-offered.png", full_page=True)
    offered.locator("button").click()
    expect(desk.locator("[data-status]")).to_have_attribute("data-status", "closed")
    expect(desk.locator("main")).to_contain_text("购车发票和合格证")
    desk.goto(base + "/hotline/staff/knowledge/?q=电动自行车")
    expect(desk.locator(".knowledge-list li [data-used]")).to_have_attribute("data-used", "1")
    context.close()
