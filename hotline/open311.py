"""Open311 GeoReport v2 (https://wiki.open311.org/GeoReport_v2): discovery, services, service
definitions, POST requests (an api_key per client application), GET requests with its
filters, GET requests/{id}, GET tokens/{id}; every answer in .json or .xml; jurisdiction_id
checked; errors in the spec's shape ([{"code", "description"}] / <errors><error>…)."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET

from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from core.errors import InvalidInput

from .models import OrderStatus, OrderType, WorkOrder
from .routing import categories
from .services import coordinates, open311_client_for, order_create_open311

JURISDICTION = "jiangmen.gov.cn"
ITEM_TAGS = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "keywords": "keyword",
}


def _xml(root: str, data) -> bytes:
    def fill(node, value):
        if isinstance(value, dict):
            for key, item in value.items():
                fill(ET.SubElement(node, key), item)
        elif isinstance(value, list):
            tag = ITEM_TAGS.get(node.tag, "item")
            for item in value:
                fill(ET.SubElement(node, tag), item)
        elif value is not None:
            node.text = str(value).lower() if isinstance(value, bool) else str(value)

    element = ET.Element(root)
    fill(element, data)
    return b'<?xml version="1.0" encoding="utf-8"?>' + ET.tostring(element, encoding="utf-8")


def respond(fmt: str, root: str, data, status: int = 200) -> HttpResponse:
    if fmt == "xml":
        return HttpResponse(_xml(root, data), status=status, content_type="text/xml; charset=utf-8")
    return HttpResponse(
        json.dumps(data, ensure_ascii=False, default=str),
        status=status,
        content_type="application/json; charset=utf-8",
    )


def error(fmt: str, status: int, description: str) -> HttpResponse:
    return respond(fmt, "errors", [{"code": status, "description": description}], status)


def _jurisdiction_ok(request) -> bool:
    value = request.GET.get("jurisdiction_id") or request.POST.get("jurisdiction_id")
    return value in (None, "", JURISDICTION)


def discovery(request, fmt: str):
    base = request.build_absolute_uri(reverse("open311:services", args=["json"]))
    return respond(
        fmt,
        "discovery",
        {
            "changeset": "2026-11-24T00:00:00+08:00",
            "contact": "12345 Jiangmen (demo)",
            "key_service": "Ask the hotline centre for an api_key.",
            "endpoints": [
                {
                    "specification": "http://wiki.open311.org/GeoReport_v2",
                    "url": base.rsplit("/services", 1)[0],
                    "changeset": "2026-11-24T00:00:00+08:00",
                    "type": "production",
                    "formats": ["application/json", "text/xml"],
                }
            ],
        },
    )


def services(request, fmt: str):
    if not _jurisdiction_ok(request):
        return error(fmt, 404, "jurisdiction_id not found")
    return respond(
        fmt,
        "services",
        [
            {
                "service_code": c["code"],
                "service_name": c["name_zh"],
                "description": c["name_en"],
                "metadata": True,
                "type": "realtime",
                "keywords": c["name_en"].lower(),
                "group": c["department"],
            }
            for c in categories()
        ],
    )


def service_definition(request, code: str, fmt: str):
    if not _jurisdiction_ok(request):
        return error(fmt, 404, "jurisdiction_id not found")
    if code not in {c["code"] for c in categories()}:
        return error(fmt, 404, "service_code not found")
    return respond(
        fmt,
        "service_definition",
        {
            "service_code": code,
            "attributes": [
                {
                    "variable": True,
                    "code": "request_type",
                    "datatype": "singlevaluelist",
                    "required": False,
                    "datatype_description": "咨询、求助、投诉、举报、建议或表扬",
                    "order": 1,
                    "description": "Type of request (default: complaint)",
                    "values": [{"key": t.value, "name": str(t.label)} for t in OrderType],
                }
            ],
        },
    )


def _status(order: WorkOrder) -> str:
    return "closed" if order.status == OrderStatus.CLOSED else "open"


def _request_row(order: WorkOrder) -> dict:
    names = {c["code"]: c["name_zh"] for c in categories()}
    return {
        "service_request_id": order.receipt_no,
        "status": _status(order),
        "status_notes": str(order.get_status_display()),
        "service_name": names.get(order.category, ""),
        "service_code": order.category,
        "description": order.text,
        "agency_responsible": order.authority.name_zh if order.authority_id else "",
        "service_notice": "",
        "requested_datetime": order.received_at.isoformat(),
        "updated_datetime": order.updated_at.isoformat(),
        "expected_datetime": (
            dt.datetime.combine(
                order.reply_due_on, dt.time(18), tzinfo=timezone.get_current_timezone()
            ).isoformat()
            if order.reply_due_on
            else None
        ),
        "address": order.address,
        "address_id": "",
        "zipcode": "",
        "lat": float(order.lat) if order.lat is not None else None,
        "long": float(order.lng) if order.lng is not None else None,
        "media_url": "",
    }


@csrf_exempt
@require_http_methods(["GET", "POST"])
def requests_collection(request, fmt: str):
    if not _jurisdiction_ok(request):
        return error(fmt, 404, "jurisdiction_id not found")
    if request.method == "POST":
        client = open311_client_for(request.POST.get("api_key", ""))
        if client is None:
            return error(fmt, 403, "api_key is missing or not valid")
        code = request.POST.get("service_code", "")
        if code not in {c["code"] for c in categories()}:
            return error(fmt, 400, "service_code not found")
        try:
            lat, lng = coordinates(request.POST.get("lat"), request.POST.get("long"))
            address = request.POST.get("address_string", "")
            if lat is None and not address:
                return error(fmt, 400, "lat/long or address_string is required")
            order = order_create_open311(
                client=client,
                service_code=code,
                description=request.POST.get("description", ""),
                order_type=request.POST.get("attribute[request_type]", "complaint") or "complaint",
                address=address,
                lat=lat,
                lng=lng,
                first_name=request.POST.get("first_name", ""),
                last_name=request.POST.get("last_name", ""),
                email=request.POST.get("email", ""),
                phone=request.POST.get("phone", ""),
                request_ref=request.headers.get("Idempotency-Key", "")[:40],
            )
        except InvalidInput as problem:
            return error(fmt, 400, f"{problem.field}: {problem.detail}")
        return respond(
            fmt,
            "service_requests",
            [
                {
                    "service_request_id": order.receipt_no,
                    "service_notice": f"回复期限 {order.reply_due_on}",
                    "account_id": None,
                }
            ],
        )
    rows = WorkOrder.objects.select_related("authority").order_by("-received_at")
    ids = request.GET.get("service_request_id")
    if ids:
        rows = rows.filter(receipt_no__in=[i.strip() for i in ids.split(",")][:100])
    else:
        codes = request.GET.get("service_code")
        if codes:
            rows = rows.filter(category__in=codes.split(","))
        start = parse_datetime(request.GET.get("start_date", "") or "")
        end = parse_datetime(request.GET.get("end_date", "") or "")
        if (request.GET.get("start_date") and start is None) or (
            request.GET.get("end_date") and end is None
        ):
            return error(fmt, 400, "start_date and end_date must be W3C datetimes")
        end = end or timezone.now()
        start = start or end - dt.timedelta(days=90)
        if end - start > dt.timedelta(days=90):
            return error(fmt, 400, "the date range may not span more than 90 days")
        rows = rows.filter(received_at__gte=start, received_at__lte=end)
        status = request.GET.get("status")
        if status:
            wanted = set(status.split(","))
            if not wanted <= {"open", "closed"}:
                return error(fmt, 400, "status is open or closed")
            if wanted == {"closed"}:
                rows = rows.filter(status=OrderStatus.CLOSED)
            elif wanted == {"open"}:
                rows = rows.exclude(status=OrderStatus.CLOSED)
    return respond(fmt, "service_requests", [_request_row(o) for o in rows[:1000]])


def request_detail(request, request_id: str, fmt: str):
    if not _jurisdiction_ok(request):
        return error(fmt, 404, "jurisdiction_id not found")
    order = WorkOrder.objects.select_related("authority").filter(receipt_no=request_id).first()
    if order is None:
        return error(fmt, 404, "service_request_id not found")
    return respond(fmt, "service_requests", [_request_row(order)])


def token(request, token_id: str, fmt: str):
    """Requests are created synchronously here, so a token is the request's own id."""
    if not WorkOrder.objects.filter(receipt_no=token_id).exists():
        return error(fmt, 404, "token not found")
    return respond(fmt, "service_requests", [{"service_request_id": token_id, "token": token_id}])
