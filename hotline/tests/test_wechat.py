"""The WeChat server callback with real-format signed messages: URL verification, a text
message → a work order and a reply with its receipt number (once, even when WeChat retries),
"查询 + number" → the status; wrong signatures 403; oversized, malformed and hostile XML
(entities, DTDs) refused with nothing created."""

from __future__ import annotations

import hashlib
import time

import pytest
from django.test import override_settings

from hotline.models import WorkOrder

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("token")]
TOKEN = "onestop-test-token"


@pytest.fixture
def token():
    with override_settings(WECHAT_TOKEN=TOKEN):
        yield


def signed(timestamp: str | None = None, nonce: str = "1514711492") -> dict:
    timestamp = timestamp or str(int(time.time()))
    signature = hashlib.sha1("".join(sorted([TOKEN, timestamp, nonce])).encode()).hexdigest()
    return {"signature": signature, "timestamp": timestamp, "nonce": nonce}


def text_message(content: str, msg_id: str = "23637352235060880") -> bytes:
    return f"""<xml>
<ToUserName><![CDATA[gh_jiangmen12345]]></ToUserName>
<FromUserName><![CDATA[oUpF8uMuAJO_M2pxb1Q9zNjWeS6o]]></FromUserName>
<CreateTime>{int(time.time())}</CreateTime>
<MsgType><![CDATA[text]]></MsgType>
<Content><![CDATA[{content}]]></Content>
<MsgId>{msg_id}</MsgId>
</xml>""".encode()


def post(client, body: bytes, params: dict | None = None):
    query = "&".join(f"{k}={v}" for k, v in (params or signed()).items())
    return client.post(f"/wechat/callback?{query}", body, content_type="text/xml")


def test_url_verification_echoes_only_with_a_good_signature(client):
    good = client.get("/wechat/callback", {**signed(), "echostr": "4939105327"})
    assert good.status_code == 200 and good.content == b"4939105327"
    bad = client.get("/wechat/callback", {**signed(), "signature": "0" * 40, "echostr": "x"})
    assert bad.status_code == 403


def test_a_message_becomes_one_work_order_and_can_be_queried(client):
    body = text_message("小区门口每天晚上有人摆摊卖烧烤，油烟很大，请处理。")
    reply = post(client, body)
    assert reply.status_code == 200 and b"<MsgType>text</MsgType>" in reply.content
    order = WorkOrder.objects.get()
    assert order.channel == "wechat" and order.receipt_no.encode() in reply.content
    assert order.type == "complaint" and order.suggested[0]["department"] == "UM"
    assert post(client, body).status_code == 200  # WeChat retries the same MsgId
    assert WorkOrder.objects.count() == 1
    status = post(client, text_message(f"查询{order.receipt_no}", msg_id="2"))
    assert (
        "已受理".encode() in status.content or order.get_status_display().encode() in status.content
    )


def test_wrong_signatures_and_bad_xml_create_nothing(client):
    body = text_message("路灯坏了一个月没人修，晚上很黑。")
    assert post(client, body, {**signed(), "signature": "f" * 40}).status_code == 403
    assert post(client, b"<xml><Content>unterminated").status_code == 400
    assert post(client, b"x" * (64 * 1024 + 1)).status_code == 400
    laughs = b"""<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">
<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<xml><ToUserName>a</ToUserName><FromUserName>b</FromUserName><MsgType>text</MsgType>
<Content>&lol2;</Content></xml>"""
    assert post(client, laughs).status_code == 400
    external = b"""<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>
<xml><ToUserName>a</ToUserName><FromUserName>b</FromUserName><MsgType>text</MsgType>
<Content>&e;</Content></xml>"""
    assert post(client, external).status_code == 400
    assert not WorkOrder.objects.exists()


@override_settings(WECHAT_TOKEN="")
def test_the_callback_is_off_without_a_token(client):
    assert client.get("/wechat/callback", signed()).status_code == 404
