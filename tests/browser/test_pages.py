"""A real Chromium (Debian's) drives the pages: home, language, elderly mode, sign-in.

Screenshots go to var/screenshots/ so a person can look at them after a run.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from portal.demo import demo_city_load

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install chromium fonts-noto-cjk")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def city(live_server):
    return demo_city_load()


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        locale="zh-CN",
        device_scale_factor=1,
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    yield page
    context.close()


def unlabelled_controls(page) -> list[str]:
    return page.evaluate("""() => [...document.querySelectorAll(
        'input:not([type=hidden]), select, textarea')]
        .filter(el => el.labels.length === 0 && !el.getAttribute('aria-label'))
        .map(el => el.name || el.id)""")


def test_home_language_and_elderly_mode(live_server, city, phone):
    phone.goto(live_server.url + "/")
    expect(phone.locator("h1")).to_have_text("政务服务，一站办成")
    expect(phone.locator('[data-figure="halls"]')).to_have_text("41")
    assert unlabelled_controls(phone) == []
    phone.screenshot(path=SHOTS / "home-zh-hans.png", full_page=True)

    phone.select_option("#language-select", "zh-hant")
    phone.get_by_role("button", name="切换").click()
    expect(phone.locator("h1")).to_have_text("政務服務，一站辦成")
    expect(phone.locator("html")).to_have_attribute("lang", "zh-hant")
    phone.screenshot(path=SHOTS / "home-zh-hant.png", full_page=True)

    normal = phone.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    phone.get_by_role("button", name="長者模式").click()
    expect(phone.locator("body")).to_have_class("elderly")
    larger = phone.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert larger == normal * 1.25
    expect(phone.get_by_role("button", name="標準模式")).to_have_attribute("aria-pressed", "true")
    phone.screenshot(path=SHOTS / "home-elderly-zh-hant.png", full_page=True)


def test_sign_in_and_registration_errors(live_server, city, phone):
    phone.goto(live_server.url + "/accounts/login/")
    phone.get_by_label("证件号码、手机号码或用户名").fill("13800000001")
    phone.get_by_label("密码").fill("Demo-Citizen-2026")
    phone.get_by_role("button", name="登录").last.click()
    expect(phone.locator(".who")).to_have_text("陈美玲")
    phone.screenshot(path=SHOTS / "signed-in.png", full_page=True)
    phone.get_by_role("button", name="退出").click()

    phone.goto(live_server.url + "/accounts/register/")
    phone.get_by_label("姓名（与证件一致）").fill("测试")
    phone.get_by_label("证件号码").fill("110105194912310021")
    phone.get_by_label("手机号码").fill("13912345678")
    phone.get_by_label("密码").fill("Another-Pass-2026")
    phone.get_by_role("button", name="注册", exact=True).click()
    error = phone.locator("#id_id_number_error")
    expect(error).to_have_text("校验位（最后一位）不正确，请检查是否输错。")
    expect(phone.locator("#id_id_number")).to_have_attribute("aria-invalid", "true")
    phone.screenshot(path=SHOTS / "register-error.png", full_page=True)


def test_staff_sign_in_reaches_the_workbench(live_server, city, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en")
    page = context.new_page()
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("ID number, mobile number or user name").fill("clerk")
    page.get_by_label("Password").fill("Demo-Clerk-2026")
    page.get_by_role("button", name="Sign in").last.click()
    page.goto(live_server.url + "/workbench/")
    # The clerk's saved preference (Simplified Chinese) wins over the browser's English.
    expect(page.locator("h1")).to_have_text("工作台")
    expect(page.locator("tbody tr").first).to_contain_text("窗口受理人员")
    page.select_option("#language-select", "en")
    page.get_by_role("button", name="切换").click()
    expect(page.locator("h1")).to_have_text("Workbench")
    expect(page.locator("tbody tr").first).to_contain_text("Clerk (window intake)")
    page.screenshot(path=SHOTS / "workbench-en.png", full_page=True)
    context.close()


def test_search_as_you_type_guide_english_and_phone(live_server, city, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.goto(live_server.url + "/services/")
    assert unlabelled_controls(page) == []
    page.get_by_label("您要办什么事？用自己的话说就行。").press_sequentially("开饭馆", delay=60)
    first = page.locator("#results ol.results > li").first
    expect(first.locator("h3")).to_have_text("食品经营许可证核发")  # no submit: htmx
    expect(page.locator("#results")).to_contain_text("开饭馆 → 食品经营")
    assert "q=" in page.url  # the results are bookmarkable
    page.screenshot(path=SHOTS / "search-zh-hans.png", full_page=True)

    first.locator("h3 a").click()
    expect(page.locator("h1")).to_have_text("食品经营许可证核发")
    expect(page.locator("table").first).to_contain_text("免提交，代为调取")
    page.select_option("#language-select", "en")
    page.get_by_role("button", name="切换").click()
    expect(page.locator("h1")).to_have_text("Food business licence")
    expect(page.locator(".facts")).to_contain_text("working days")
    page.screenshot(path=SHOTS / "guide-en-desktop.png", full_page=True)
    guide_url = page.url
    context.close()

    phone_context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="en", is_mobile=True, has_touch=True
    )
    phone = phone_context.new_page()
    phone.goto(guide_url)
    expect(phone.locator("h1")).to_have_text("Food business licence")
    overflow = phone.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")
    assert overflow is False, "the guide scrolls sideways on a phone"
    phone.screenshot(path=SHOTS / "guide-en-phone.png", full_page=True)
    phone.get_by_role("button", name="Elderly mode").click()
    expect(phone.locator("body")).to_have_class("elderly")
    phone.screenshot(path=SHOTS / "guide-en-phone-elderly.png", full_page=True)
    phone_context.close()
