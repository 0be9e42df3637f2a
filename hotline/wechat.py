"""The WeChat Official Account server callback ("micro mayor" 微市长): URL verification and
text messages. Signature = SHA-1 of the sorted token, timestamp and nonce (WeChat's
plain-text mode); a bad one is 403. XML is parsed with defusedxml (no entities, no DTDs),
bodies over WECHAT_MAX_BYTES are refused; anything malformed is 400 and creates nothing.
"查询 + receipt number" answers with the order's status; other text becomes a work order and
the reply carries its receipt number."""

from __future__ import annotations

import hashlib
import hmac
import re
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
    expected = hashlib.sha1("".join(sorted([token, timestamp, nonce])).encode()).hexdigest()  # noqa: S324 - WeChat's algorithm
    return hmac.compare_digest(expected, signature or "")


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
    if not signature_ok(
        token, params.get("timestamp", ""), params.get("nonce", ""), params.get("signature", "")
    ):
        return HttpResponseForbidden("bad signature")
    if request.method == "GET":
        return HttpResponse(params.get("echostr", ""), content_type="text/plain")
    if len(request.body) > settings.WECHAT_MAX_BYTES:
        return HttpResponseBadRequest("too large")
    try:
        message = SafeET.fromstring(request.body, forbid_dtd=True)
    except (SafeET.ParseError, DefusedXmlException, ValueError):
        return HttpResponseBadRequest("malformed XML")
    if message.tag != "xml":
        return HttpResponseBadRequest("not a WeChat message")
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
