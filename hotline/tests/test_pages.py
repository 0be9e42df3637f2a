"""The hotline's pages through the test client: a citizen's request and lookup, the
operator's intake with live suggestions, dispatch, the department's sign-off and reply, the
callback — and who may open which page."""

from __future__ import annotations

import pytest

from accounts.models import Role
from hotline.models import WorkOrder

pytestmark = pytest.mark.django_db
TEXT = "江海区某小区门口每天晚上有人摆摊卖烧烤，油烟很大，熏得楼上没法开窗。"


def test_a_request_from_the_site_to_its_close(login, citizen, dispatcher):
    from conftest import _staff

    handler = _staff("um-handler", Role.HANDLER, "UM")
    me = login(citizen)
    sent = me.post(
        "/hotline/", {"type": "complaint", "text": TEXT, "address": "江海区", "region": "440704"}
    )
    assert sent.status_code == 302
    order = WorkOrder.objects.get()
    assert (
        order.region.code == "440704"
        and order.receipt_no in me.get("/hotline/mine/").content.decode()
    )
    public = login(None).get("/hotline/track/", {"receipt_no": order.receipt_no}).content.decode()
    assert 'data-status="received"' in public and "烧烤" not in public  # not the words
    desk = login(dispatcher)
    assert order.receipt_no in desk.get("/hotline/staff/queue/").content.decode()
    page = desk.get(f"/hotline/staff/orders/{order.receipt_no}/").content.decode()
    assert '<option value="UM" selected' in page
    desk.post(
        f"/hotline/staff/orders/{order.receipt_no}/", {"action": "dispatch", "department": "UM"}
    )
    them = login(handler)
    assert order.receipt_no in them.get("/hotline/staff/inbox/").content.decode()
    them.post(f"/hotline/staff/orders/{order.receipt_no}/", {"action": "sign"})
    them.post(
        f"/hotline/staff/orders/{order.receipt_no}/",
        {"action": "reply", "reply": "已清理占道烧烤摊。"},
    )
    assert order.receipt_no in desk.get("/hotline/staff/board/").content.decode()
    desk.post(
        f"/hotline/staff/orders/{order.receipt_no}/", {"action": "callback", "satisfied": "yes"}
    )
    order.refresh_from_db()
    assert order.status == "closed"


def test_live_suggestions_and_who_may_open_what(login, citizen, dispatcher, clerk):
    desk = login(dispatcher)
    hint = desk.post(
        "/hotline/staff/suggest/", {"text": "公司拖欠我三个月工资不给"}
    ).content.decode()
    assert 'data-department="HRSS"' in hint
    assert desk.get("/hotline/staff/intake/").status_code == 200
    for page in ("/hotline/staff/intake/", "/hotline/staff/queue/", "/hotline/staff/board/"):
        assert login(clerk).get(page).status_code == 404
        assert login(citizen).get(page).status_code == 404
    assert login(citizen).post("/hotline/staff/suggest/", {"text": "工资"}).status_code == 404
    order = WorkOrder.objects.create(
        receipt_no="12345261124000000001", channel="web", type="complaint", text=TEXT
    )
    assert login(clerk).get(f"/hotline/staff/orders/{order.receipt_no}/").status_code == 404


def test_hot_spots_from_the_orders(client, citizen):
    from hotline.services import order_create, orders_generate

    orders_generate(count=300, seed=3)
    order_create(actor=citizen, channel="web", order_type="complaint", text=TEXT)
    page = client.get("/hotline/hotspots/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "weekly-data" in body and "烧烤" not in body  # aggregates, not words
    from hotline.selectors import hotspots

    data = hotspots()
    assert (
        sum(w["n"] for w in data["weekly"])
        == WorkOrder.objects.filter(
            received_at__gte=__import__("django.utils.timezone", fromlist=["now"]).now()
            - __import__("datetime").timedelta(weeks=12)
        ).count()
    )
    assert data["scores"] and all(0 <= (s["response_rate"] or 0) <= 1 for s in data["scores"])
    # Districts week by week add up to the weekly totals; districts to the district table.
    by_week = [
        sum(d["data"][i] for d in data["district_weeks"]) for i in range(len(data["weekly"]))
    ]
    assert by_week == [w["n"] for w in data["weekly"]]
    assert {d["name"]: sum(d["data"]) for d in data["district_weeks"]} == {
        r["name"]: r["n"] for r in data["by_region"]
    }


def test_pages_in_traditional_chinese(client):
    client.cookies["onestop_language"] = "zh-hant"
    for url, word in [
        ("/ratings/", "滿意率"),
        ("/hotline/hotspots/", "熱點"),
        ("/hotline/track/", "工單查詢"),
    ]:
        assert word in client.get(url).content.decode(), url


def test_the_request_forms_places_are_named_in_the_readers_script(login, citizen):
    me = login(citizen)
    me.cookies["onestop_language"] = "zh-hant"
    page = me.get("/hotline/").content.decode()
    assert '<option value="440704">江海區</option>' in page and "江海区" not in page
    me.cookies["onestop_language"] = "zh-hans"
    assert '<option value="440704">江海区</option>' in me.get("/hotline/").content.decode()


def test_a_photo_sent_with_the_request_is_checked_before_anything_is_written(login, citizen):
    from django.core.files.uploadedfile import SimpleUploadedFile

    me = login(citizen)
    form = {"type": "complaint", "text": TEXT, "region": "440704"}
    bad = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 not a picture", content_type="image/jpeg")
    page = me.post("/hotline/", {**form, "photo": bad})
    assert page.status_code == 200 and not WorkOrder.objects.exists()  # the form, with the error
    assert (
        'id="id_photo"' in page.content.decode() and "PDF, JPEG, PNG, OFD" in page.content.decode()
    )
    good = SimpleUploadedFile(
        "photo.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 32, content_type="image/png"
    )
    assert me.post("/hotline/", {**form, "photo": good}).status_code == 302
    order = WorkOrder.objects.get()
    assert order.attachments.get().content_type == "image/png"
