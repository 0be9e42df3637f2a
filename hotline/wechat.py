"""The WeChat Official Account server callback ("micro mayor" 微市长): URL verification and
text messages. Signature = SHA-1 of the sorted token, timestamp and nonce (WeChat's
plain-text mode); a bad one is 403. XML is parsed with defusedxml (no entities, no DTDs),
bodies over WECHAT_MAX_BYTES are refused; anything malformed is 400 and creates nothing.
"查询 + receipt number" answers with the order's status; other text becomes a work order and
the reply carries its receipt number.

Safe mode (安全模式, ``encrypt_type=aes``) when WECHAT_AES_KEY (the 43-character
EncodingAESKey) and WECHAT_APP_ID are set: the message is checked by ``msg_signature`` (SHA-1
of the sorted token, timestamp, nonce and ciphertext), decrypted with AES-256-CBC (key =
base64 of the EncodingAESKey, IV = its first 16 bytes, PKCS#7 padding to 32 bytes; plaintext
= 16 random bytes, a 4-byte big-endian length, the XML, the AppID) and the reply encrypted
the same way. A wrong AppID or padding is refused like a bad signature."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import struct
import time
import xml.etree.ElementTree as ET

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException
from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from core.errors import InvalidInput

from .models import WorkOrder
from .services import order_create_wechat

QUERY = re.compile(r"^\s*查询\s*(12345\d{15})\s*$")


def signature_ok(token: str, timestamp: str, nonce: str, signature: str) -> bool:
    return hmac.compare_digest(_sign(token, timestamp, nonce), signature or "")


class SafeModeError(ValueError):
    """An encrypted message that does not decrypt to this account's message."""


def _aes_key() -> bytes:
    key = base64.b64decode(settings.WECHAT_AES_KEY + "=")
    if len(key) != 32:
        raise SafeModeError("WECHAT_AES_KEY must be the 43-character EncodingAESKey")
    return key


def decrypt(ciphertext: str) -> bytes:
    """The XML inside a safe-mode ``Encrypt`` field (checked against WECHAT_APP_ID)."""
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    key = _aes_key()
    try:
        data = base64.b64decode(ciphertext, validate=True)
    except ValueError as error:
        raise SafeModeError("not base64") from error
    if not data or len(data) % 16:
        raise SafeModeError("bad length")
    decryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).decryptor()
    plain = decryptor.update(data) + decryptor.finalize()
    pad = plain[-1]
    if not 1 <= pad <= 32 or plain[-pad:] != bytes([pad]) * pad:
        raise SafeModeError("bad padding")
    plain = plain[:-pad]
    if len(plain) < 20:
        raise SafeModeError("too short")
    (length,) = struct.unpack(">I", plain[16:20])
    xml, app_id = plain[20 : 20 + length], plain[20 + length :]
    if len(xml) != length or app_id.decode("utf-8", "replace") != settings.WECHAT_APP_ID:
        raise SafeModeError("not for this account")
    return xml


def encrypt(xml: bytes) -> str:
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    key = _aes_key()
    plain = os.urandom(16) + struct.pack(">I", len(xml)) + xml + settings.WECHAT_APP_ID.encode()
    pad = 32 - len(plain) % 32
    plain += bytes([pad]) * pad
    encryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor()
    return base64.b64encode(encryptor.update(plain) + encryptor.finalize()).decode()


def _sign(*parts: str) -> str:
    return hashlib.sha1("".join(sorted(parts)).encode()).hexdigest()  # noqa: S324 - WeChat's


def _reply(to_user: str, from_user: str, content: str) -> HttpResponse:
    root = ET.Element("xml")
    for tag, value in (
        ("ToUserName", to_user),
        ("FromUserName", from_user),
        ("CreateTime", str(int(time.time()))),
        ("MsgType", "text"),
        ("Content", content),
    ):
        ET.SubElement(root, tag).text = value
    return HttpResponse(
        ET.tostring(root, encoding="unicode"), content_type="application/xml; charset=utf-8"
    )


@csrf_exempt
@require_http_methods(["GET", "POST"])
def callback(request):
    token = settings.WECHAT_TOKEN
    if not token:
        raise Http404
    params = request.GET
    timestamp, nonce = params.get("timestamp", ""), params.get("nonce", "")
    if not signature_ok(token, timestamp, nonce, params.get("signature", "")):
        return HttpResponseForbidden("bad signature")
    if request.method == "GET":
        return HttpResponse(params.get("echostr", ""), content_type="text/plain")
    if len(request.body) > settings.WECHAT_MAX_BYTES:
        return HttpResponseBadRequest("too large")
    safe = params.get("encrypt_type") == "aes"
    if safe and not settings.WECHAT_AES_KEY:
        return HttpResponseBadRequest("safe mode is not configured")
    try:
        message = _parse(request.body)
        if safe:
            ciphertext = message.findtext("Encrypt") or ""
            expected = _sign(token, timestamp, nonce, ciphertext)
            if not hmac.compare_digest(expected, params.get("msg_signature", "")):
                return HttpResponseForbidden("bad msg_signature")
            try:
                message = _parse(decrypt(ciphertext))
            except SafeModeError:
                return HttpResponseForbidden("not a message for this account")
    except (SafeET.ParseError, DefusedXmlException, ValueError):
        return HttpResponseBadRequest("malformed XML")
    response = _answer(message)
    if safe and response.status_code == 200:
        return _encrypted(response.content, token)
    return response


def _parse(body: bytes):
    message = SafeET.fromstring(body, forbid_dtd=True)
    if message.tag != "xml":
        raise ValueError("not a WeChat message")
    return message


def _encrypted(reply: bytes, token: str) -> HttpResponse:
    """The reply in safe mode: the encrypted XML with its msg_signature."""
    ciphertext = encrypt(reply)
    timestamp, nonce = str(int(time.time())), str(int.from_bytes(os.urandom(4), "big"))
    root = ET.Element("xml")
    for tag, value in (
        ("Encrypt", ciphertext),
        ("MsgSignature", _sign(token, timestamp, nonce, ciphertext)),
        ("TimeStamp", timestamp),
        ("Nonce", nonce),
    ):
        ET.SubElement(root, tag).text = value
    return HttpResponse(
        ET.tostring(root, encoding="unicode"), content_type="application/xml; charset=utf-8"
    )


def _answer(message) -> HttpResponse:
    fields = {child.tag: (child.text or "") for child in message}
    sender, account = fields.get("FromUserName", ""), fields.get("ToUserName", "")
    if not sender or not account:
        return HttpResponseBadRequest("missing sender")
    if fields.get("MsgType") != "text":
        return _reply(sender, account, "目前只受理文字留言，请用文字描述您的诉求。")
    content = fields.get("Content", "")
    asked = QUERY.match(content)
    if asked:
        order = WorkOrder.objects.filter(receipt_no=asked.group(1)).first()
        if order is None:
            return _reply(sender, account, "没有找到这个工单编号。")
        return _reply(sender, account, f"工单 {order.receipt_no}：{order.get_status_display()}")
    try:
        order = order_create_wechat(openid=sender, msg_id=fields.get("MsgId", ""), text=content)
    except InvalidInput:
        return _reply(sender, account, "请用 5 至 2000 个字描述您的诉求。")
    return _reply(
        sender,
        account,
        f"已受理，工单编号 {order.receipt_no}。发送“查询{order.receipt_no}”查看进度。",
    )
