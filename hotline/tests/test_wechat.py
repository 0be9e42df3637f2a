"""The WeChat server callback with real-format signed messages: URL verification, a text
message → a work order and a reply with its receipt number (once, even when WeChat retries),
"查询 + number" → the status; wrong signatures 403; oversized, malformed and hostile XML
(entities, DTDs) refused with nothing created. Safe mode: messages encrypted by wechatpy (the
Python SDK, not this project) are decrypted, and wechatpy decrypts and checks our reply."""

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


AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"  # 43 characters, as WeChat issues them
APP_ID = "wx1234567890abcdef"


@pytest.fixture
def safe_mode():
    with override_settings(WECHAT_AES_KEY=AES_KEY, WECHAT_APP_ID=APP_ID):
        yield


def safe_post(client, body: bytes, *, crypto=None, tamper=None):
    """A message encrypted by wechatpy (the SDK, not this project) as WeChat sends it in
    safe mode: the ciphertext in <Encrypt>, msg_signature in the query."""
    from xml.etree import ElementTree as ET

    from wechatpy.crypto import WeChatCrypto

    crypto = crypto or WeChatCrypto(TOKEN, AES_KEY, APP_ID)
    nonce, timestamp = "1320562132", str(int(time.time()))
    envelope = ET.fromstring(crypto.encrypt_message(body.decode(), nonce, timestamp))
    ciphertext = envelope.findtext("Encrypt")
    outer = (
        "<xml><ToUserName><![CDATA[gh_jiangmen12345]]></ToUserName>"
        f"<Encrypt><![CDATA[{ciphertext}]]></Encrypt></xml>"
    )
    params = {
        **signed(timestamp, nonce),
        "encrypt_type": "aes",
        "msg_signature": envelope.findtext("MsgSignature"),
        "openid": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o",
    }
    if tamper:
        params = tamper(params)
    return post(client, outer.encode(), params), crypto


@pytest.mark.usefixtures("safe_mode")
def test_safe_mode_decrypts_the_message_and_encrypts_the_reply(client):
    reply, crypto = safe_post(client, text_message("工地半夜还在打桩，吵得整栋楼都睡不着。"))
    assert reply.status_code == 200, reply.content
    order = WorkOrder.objects.get()
    assert order.channel == "wechat" and order.receipt_no.encode() not in reply.content
    from xml.etree import ElementTree as ET

    envelope = ET.fromstring(reply.content)
    plain = crypto.decrypt_message(
        reply.content,
        envelope.findtext("MsgSignature"),
        envelope.findtext("TimeStamp"),
        envelope.findtext("Nonce"),
    )  # wechatpy checks the signature and the AppID of our reply
    assert order.receipt_no in plain and "<MsgType>text</MsgType>" in plain


@pytest.mark.usefixtures("safe_mode")
def test_safe_mode_refuses_a_bad_signature_or_another_account(client):
    from wechatpy.crypto import WeChatCrypto

    body = text_message("路灯坏了一个月没人修，晚上很黑。")
    forged, _ = safe_post(client, body, tamper=lambda p: {**p, "msg_signature": "0" * 40})
    assert forged.status_code == 403
    other = WeChatCrypto(TOKEN, AES_KEY, "wx0000000000000000")  # same key, another AppID
    foreign, _ = safe_post(client, body, crypto=other)
    assert foreign.status_code == 403
    garbage = post(
        client,
        b"<xml><Encrypt>not-base64!!</Encrypt></xml>",
        {**signed(), "encrypt_type": "aes", "msg_signature": _sig("not-base64!!")},
    )
    assert garbage.status_code == 403
    assert not WorkOrder.objects.exists()


def _sig(ciphertext: str) -> str:
    params = signed()
    parts = sorted([TOKEN, params["timestamp"], params["nonce"], ciphertext])
    return hashlib.sha1("".join(parts).encode()).hexdigest()


def test_safe_mode_needs_its_key(client):
    response = post(client, text_message("路灯坏了"), {**signed(), "encrypt_type": "aes"})
    assert response.status_code == 400 and not WorkOrder.objects.exists()
