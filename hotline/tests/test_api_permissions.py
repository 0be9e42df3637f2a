"""The permission matrix of every work-order endpoint, generated from the OpenAPI schema:
each operation must have a row here, or the test fails. A department sees only the orders
dispatched to it (as lead or supporting department); a caller's contact details reach a
department only with consent. On every denial nothing changes."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Role
from core.testing import api_operations, permission_matrix
from hotline.models import OrderEvent, WorkOrder
from hotline.services import (
    order_create,
    order_dispatch,
    order_extension_request,
    order_reply,
    order_sign,
)

pytestmark = pytest.mark.django_db
PREFIX = "/api/v1/hotline"
# Public by design: the status lookup by receipt number (no words, no names).
PUBLIC = {("get", "/track/{receipt_no}")}
TEXT = "江海区某小区门口每天晚上有人摆摊卖烧烤，油烟很大，熏得楼上没法开窗。"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def snapshot():
    return (
        list(
            WorkOrder.objects.order_by("pk").values_list(
                "pk", "status", "version", "authority_id", "taken_by_id"
            )
        ),
        OrderEvent.objects.count(),
    )


def post(client, url, body=None):
    return client.post(url, json.dumps(body or {}), content_type="application/json")


@pytest.fixture
def world(login, citizen, outsider, dispatcher):
    from conftest import _staff

    um = _staff("um-handler", Role.HANDLER, "UM")
    ee = _staff("ee-handler", Role.HANDLER, "EE")
    psb = _staff("psb-handler", Role.HANDLER, "PSB")

    def new(text=TEXT, **extra):
        return order_create(
            actor=extra.pop("actor", citizen),
            channel="web",
            order_type=extra.pop("order_type", "complaint"),
            text=text,
            **extra,
        )

    def dispatched(order, **extra):
        return order_dispatch(actor=dispatcher, order=order, department="UM", **extra)

    received = new()
    consultation = new("请问小区门口摆摊需要办什么手续？", order_type="consultation")
    duplicate = new(TEXT + "（重复）")
    waiting = dispatched(new(), supporting=["EE"])
    signed = order_sign(actor=um, order=dispatched(new()))
    replied = order_reply(actor=um, order=order_sign(actor=um, order=dispatched(new())),
                          reply="已清理占道烧烤摊，加强夜间巡查。")  # fmt: skip
    extending = order_extension_request(
        actor=um, order=order_sign(actor=um, order=dispatched(new())), days=5, reason="需联合执法"
    )
    caller = new(
        actor=dispatcher,
        contact_name="李伯",
        contact_phone="13900001234",
        contact_shared=False,
    )
    caller = dispatched(caller)
    people = {
        "anonymous": None,
        "outsider": outsider,
        "citizen": citizen,
        "dispatcher": dispatcher,
        "um": um,
        "ee": ee,
        "psb": psb,
    }
    return {
        "received": received,
        "consultation": consultation,
        "duplicate": duplicate,
        "waiting": waiting,
        "signed": signed,
        "replied": replied,
        "extending": extending,
        "caller": caller,
        "clients": {name: login(user) for name, user in people.items()},
    }


def test_every_hotline_endpoint_has_a_row():
    assert api_operations(PREFIX) == set(MATRIX) | PUBLIC


def url(w, key, tail=""):
    return f"{PREFIX}/orders/{w[key].receipt_no}{tail}"


def _create(w):
    body = {"type": "complaint", "text": TEXT}
    return (
        lambda c: post(c, f"{PREFIX}/orders", body),
        {"anonymous": 401, "um": 403, "citizen": 201, "dispatcher": 201},
        None,
    )


def _suggest(w):
    def after(w, responses):
        assert responses["dispatcher"].json()["departments"][0][0] == "UM"

    return (
        lambda c: post(c, f"{PREFIX}/suggest", {"text": TEXT}),
        {"anonymous": 401, "citizen": 403, "um": 403, "dispatcher": 200},
        after,
    )


def _mine(w):
    def after(w, responses):
        assert responses["citizen"].json()["count"] == 7
        assert responses["outsider"].json()["count"] == 0

    return (lambda c: c.get(f"{PREFIX}/orders/mine"),
            {"anonymous": 401, "outsider": 200, "citizen": 200}, after)  # fmt: skip


def _queue(w):
    return (
        lambda c: c.get(f"{PREFIX}/queue"),
        {"anonymous": 401, "citizen": 403, "um": 403, "dispatcher": 200},
        None,
    )


def _inbox(w):
    def after(w, responses):
        ee = {o["receipt_no"] for o in responses["ee"].json()["items"]}
        assert ee == {w["waiting"].receipt_no}  # only the order it supports
        assert responses["psb"].json()["items"] == []
        assert len(responses["um"].json()["items"]) == 4  # dispatched or signed

    return (
        lambda c: c.get(f"{PREFIX}/inbox"),
        {"anonymous": 401, "citizen": 403, "ee": 200, "psb": 200, "um": 200},
        after,
    )


def _detail(w):
    def after(w, responses):
        # The caller did not agree: the department sees no contact, the centre does.
        assert responses["um"].json()["contact"] is None
        assert responses["dispatcher"].json()["contact"]["phone"] == "13900001234"

    return (
        lambda c: c.get(url(w, "caller")),
        {"anonymous": 401, "citizen": 404, "ee": 404, "psb": 404, "um": 200, "dispatcher": 200},
        after,
    )


def _take(w):
    return (
        lambda c: post(c, url(w, "received", "/take")),
        {"anonymous": 401, "outsider": 404, "um": 404, "citizen": 403, "dispatcher": 200},
        None,
    )


def _dispatch(w):
    return (
        lambda c: post(c, url(w, "received", "/dispatch"), {"department": "UM"}),
        {"anonymous": 401, "psb": 404, "citizen": 403, "dispatcher": 200},
        None,
    )


def _sign(w):
    return (
        lambda c: post(c, url(w, "waiting", "/sign")),
        {"anonymous": 401, "psb": 404, "citizen": 403, "ee": 403, "dispatcher": 403, "um": 200},
        None,
    )


def _return(w):
    return (
        lambda c: post(c, url(w, "waiting", "/return"), {"reason": "不属于本部门职责"}),
        {"anonymous": 401, "psb": 404, "ee": 403, "dispatcher": 403, "um": 200},
        None,
    )


def _reply(w):
    return (
        lambda c: post(c, url(w, "signed", "/reply"), {"reply": "已处理完毕"}),
        {"anonymous": 401, "psb": 404, "citizen": 403, "dispatcher": 403, "um": 200},
        None,
    )


def _support_note(w):
    return (
        lambda c: post(c, url(w, "waiting", "/support-note"), {"note": "已派员检测油烟"}),
        {"anonymous": 401, "psb": 404, "um": 403, "dispatcher": 403, "ee": 200},
        None,
    )


def _callback(w):
    return (
        lambda c: post(c, url(w, "replied", "/callback"), {"satisfied": True}),
        {"anonymous": 401, "psb": 404, "um": 403, "citizen": 403, "dispatcher": 200},
        None,
    )


def _answer(w):
    body = {"answer": "占道经营不予许可，可到指定夜市摊区经营。"}
    return (
        lambda c: post(c, url(w, "consultation", "/answer"), body),
        {"anonymous": 401, "outsider": 404, "citizen": 403, "dispatcher": 200},
        None,
    )


def _merge(w):
    body = {"into": w["received"].receipt_no}
    return (
        lambda c: post(c, url(w, "duplicate", "/merge"), body),
        {"anonymous": 401, "outsider": 404, "um": 404, "citizen": 403, "dispatcher": 200},
        None,
    )


def _extension(w):
    return (
        lambda c: post(c, url(w, "signed", "/extension"), {"days": 5, "reason": "需要联合执法"}),
        {"anonymous": 401, "psb": 404, "citizen": 403, "dispatcher": 403, "um": 200},
        None,
    )


def _decision(w):
    return (
        lambda c: post(c, url(w, "extending", "/extension/decision"), {"approve": True}),
        {"anonymous": 401, "psb": 404, "um": 403, "citizen": 403, "dispatcher": 200},
        None,
    )


def _knowledge(w):
    return (
        lambda c: c.get(url(w, "consultation", "/knowledge")),
        {"anonymous": 401, "outsider": 404, "um": 404, "citizen": 403, "dispatcher": 200},
        None,
    )


def _attach(w):
    def call(c):
        upload = SimpleUploadedFile("photo.png", PNG, content_type="image/png")
        return c.post(url(w, "received", "/attachments"), {"file": upload})

    return (call, {"anonymous": 401, "outsider": 404, "um": 404, "citizen": 201}, None)


def _download(w):
    from hotline.services import attachment_add

    upload = SimpleUploadedFile("photo.png", PNG, content_type="image/png")
    row = attachment_add(actor=w["citizen"], order=w["waiting"], upload=upload)

    def call(c):
        return c.get(url(w, "waiting", f"/attachments/{row.pk}"))

    return (
        call,
        {"anonymous": 401, "outsider": 404, "psb": 404, "citizen": 200, "ee": 200, "um": 200},
        None,
    )


MATRIX = {
    ("post", "/orders"): _create,
    ("post", "/suggest"): _suggest,
    ("get", "/orders/mine"): _mine,
    ("get", "/queue"): _queue,
    ("get", "/inbox"): _inbox,
    ("get", "/orders/{receipt_no}"): _detail,
    ("post", "/orders/{receipt_no}/take"): _take,
    ("post", "/orders/{receipt_no}/dispatch"): _dispatch,
    ("post", "/orders/{receipt_no}/sign"): _sign,
    ("post", "/orders/{receipt_no}/return"): _return,
    ("post", "/orders/{receipt_no}/reply"): _reply,
    ("post", "/orders/{receipt_no}/support-note"): _support_note,
    ("post", "/orders/{receipt_no}/callback"): _callback,
    ("post", "/orders/{receipt_no}/answer"): _answer,
    ("post", "/orders/{receipt_no}/merge"): _merge,
    ("post", "/orders/{receipt_no}/extension"): _extension,
    ("post", "/orders/{receipt_no}/extension/decision"): _decision,
    ("get", "/orders/{receipt_no}/knowledge"): _knowledge,
    ("post", "/orders/{receipt_no}/attachments"): _attach,
    ("get", "/orders/{receipt_no}/attachments/{pk}"): _download,
}


@pytest.mark.parametrize("key", sorted(MATRIX), ids=lambda k: f"{k[0].upper()} {k[1]}")
def test_permission_matrix(world, citizen, key):
    world["citizen"] = citizen
    call, expect, after = MATRIX[key](world)
    responses = permission_matrix(
        call=call, clients=world["clients"], expect=expect, snapshot=snapshot
    )
    if after:
        after(world, responses)


def test_the_contact_reaches_a_department_only_with_consent(world, dispatcher):
    shared = order_dispatch(
        actor=dispatcher,
        order=order_create(
            actor=dispatcher,
            channel="phone",
            order_type="help",
            text=TEXT,
            contact_name="王姨",
            contact_phone="139 0000 5678",
            contact_shared=True,
        ),
        department="UM",
    )
    um = world["clients"]["um"].get(f"{PREFIX}/orders/{shared.receipt_no}").json()
    assert um["contact"] == {"name": "王姨", "phone": "13900005678", "email": ""}
    # Stored encrypted: the column does not hold the number.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT contact FROM hotline_workorder WHERE id = %s", [shared.pk])
        assert "13900005678" not in cursor.fetchone()[0]


def test_the_public_lookup_shows_status_only(world):
    response = world["clients"]["anonymous"].get(f"{PREFIX}/track/{world['waiting'].receipt_no}")
    assert response.status_code == 200
    assert set(response.json()) == {
        "receipt_no", "type", "status", "received_at", "reply_due_on", "closed"
    }  # fmt: skip
    assert world["clients"]["anonymous"].get(f"{PREFIX}/track/1234500000").status_code == 404


def test_a_bad_phone_is_named(world):
    response = post(
        world["clients"]["dispatcher"],
        f"{PREFIX}/orders",
        {"type": "help", "text": TEXT, "channel": "phone", "contact_phone": "12ab"},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "contact_phone"
