"""12345 work-order API: the whole loop for the centre, the departments and the citizen.

Who sees what is decided in hotline.permissions: a department sees only the orders
dispatched to it (as lead or supporting department); the caller's contact details only when
the citizen agreed; an order someone may not see answers 404, like a missing one."""

import datetime as dt
from typing import Literal

from django.db.models import QuerySet
from django.http import FileResponse
from django.utils.translation import gettext as _
from ninja import Field, File, Path, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.security import django_auth

from core.errors import InvalidInput, NotFound, require
from core.pagination import BoundedPagination
from core.problems import with_problems
from directory.selectors import region_get

from . import selectors, services
from .models import OrderAttachment, OrderChannel, OrderType, WorkOrder
from .permissions import can_view, is_dispatcher

router = Router(tags=["hotline"])
Receipt = Path(..., min_length=6, max_length=20)


class ContactOut(Schema):
    name: str
    phone: str
    email: str


class SuggestionOut(Schema):
    departments: list[tuple[str, float]] = Field(..., description="Best first, with confidence")
    category: str
    rule: str = Field(..., description="The dispatch catalogue rule that decided, if any")
    drivers: list[str] = Field(..., description="The words that drove the best department")


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    added_at: dt.datetime


class OrderOut(Schema):
    receipt_no: str
    channel: str
    type: str
    category: str
    text: str
    address: str
    region: str | None
    lat: float | None
    long: float | None
    status: str
    lead_department: str | None
    lead_authority: str | None
    supporting: list[str]
    suggested: list[dict]
    suggested_category: str
    suggested_rule: str
    received_at: dt.datetime
    sign_due_at: dt.datetime | None
    reply_due_on: dt.date | None
    reply: str
    satisfied: bool | None
    reopened: int
    extension_status: str
    anonymous: bool
    contact: ContactOut | None = Field(
        ..., description="Only for the centre, the citizen, and departments with consent"
    )
    attachments: list[AttachmentOut]


class TrackOut(Schema):
    receipt_no: str
    type: str
    status: str
    received_at: dt.datetime
    reply_due_on: dt.date | None
    closed: bool


def _out(order: WorkOrder, actor) -> dict:
    authority = order.authority
    return {
        "receipt_no": order.receipt_no,
        "channel": order.channel,
        "type": order.type,
        "category": order.category,
        "text": order.text,
        "address": order.address,
        "region": order.region.code if order.region_id else None,
        "lat": float(order.lat) if order.lat is not None else None,
        "long": float(order.lng) if order.lng is not None else None,
        "status": order.status,
        "lead_department": authority.department.code if authority else None,
        "lead_authority": authority.name_zh if authority else None,
        "supporting": sorted(a.department.code for a in order.supporting.all()),
        "suggested": order.suggested,
        "suggested_category": order.suggested_category,
        "suggested_rule": order.suggested_rule,
        "received_at": order.received_at,
        "sign_due_at": order.sign_due_at,
        "reply_due_on": order.reply_due_on,
        "reply": order.reply,
        "satisfied": order.satisfied,
        "reopened": order.reopened,
        "extension_status": order.extension_status,
        "anonymous": order.citizen_id is None and not order.contact,
        "contact": selectors.contact_for(actor=actor, order=order),
        "attachments": list(order.attachments.all()),
    }


def access_order(actor, receipt_no: str) -> WorkOrder:
    order = (
        WorkOrder.objects.select_related("authority__department", "region", "citizen")
        .filter(receipt_no=receipt_no)
        .first()
    )
    if order is None or not can_view(actor, order):
        raise NotFound()  # the same answer for someone else's order and a missing one
    return order


class OrderIn(Schema):
    type: Literal[tuple(OrderType.values)]  # type: ignore[valid-type]
    text: str = Field(..., max_length=4000)
    address: str = Field("", max_length=300)
    region: str = Field("", max_length=20, description="A region code, down to the community")
    channel: Literal["phone", "hall", "web", "mobile"] = Field(
        "web", description="phone or hall when the centre records it for a caller"
    )
    contact_name: str = Field("", max_length=100, description="A caller's (operator only)")
    contact_phone: str = Field("", max_length=20)
    contact_shared: bool = Field(False, description="The citizen agrees departments see it")
    enterprise_track: bool = False
    lat: float | None = Field(None, description="WGS-84 latitude, with long (e.g. from a phone)")
    long: float | None = Field(None, description="WGS-84 longitude, with lat")


@router.post(
    "/orders",
    response=with_problems({201: OrderOut}, 401, 403),
    auth=django_auth,
    summary="受理: a citizen's request, or the centre's record of a call",
)
def create(request, body: OrderIn):
    region = region_get(code=body.region) if body.region else None
    if body.region and region is None:
        raise InvalidInput(_("Choose a region."), field="region")
    operator = is_dispatcher(request.auth)
    if operator:
        channel = body.channel if body.channel in ("phone", "hall") else OrderChannel.PHONE
    else:
        channel = OrderChannel.MOBILE if body.channel == "mobile" else OrderChannel.WEB
    order = services.order_create(
        actor=request.auth,
        channel=channel,
        order_type=body.type,
        text=body.text,
        address=body.address,
        region=region,
        contact_shared=body.contact_shared,
        contact_name=body.contact_name if operator else "",
        contact_phone=body.contact_phone if operator else "",
        enterprise_track=body.enterprise_track,
        lat=body.lat,
        lng=body.long,
    )
    return Status(201, _out(order, request.auth))


class SuggestIn(Schema):
    text: str = Field(..., min_length=5, max_length=4000)
    region: str = Field("", max_length=20)


@router.post(
    "/suggest",
    response=with_problems(SuggestionOut, 401, 403),
    auth=django_auth,
    summary="The departments and category the model (or a catalogue rule) suggests",
)
def suggest(request, body: SuggestIn):
    require(is_dispatcher(request.auth))
    suggestion = selectors.route(body.text, region_get(code=body.region) if body.region else None)
    return suggestion


def _page(rows: QuerySet[WorkOrder], actor) -> list[dict]:
    rows = rows.select_related("authority__department", "region", "citizen")
    return [_out(order, actor) for order in rows]


@router.get(
    "/orders/mine",
    response=with_problems(list[OrderOut], 401),
    auth=django_auth,
    summary="My work orders",
)
@paginate(BoundedPagination)
def mine(request):
    return _page(selectors.my_orders(actor=request.auth)[:500], request.auth)


@router.get(
    "/queue",
    response=with_problems(list[OrderOut], 401, 403),
    auth=django_auth,
    summary="The dispatchers' queue: received and returned orders, oldest first",
)
@paginate(BoundedPagination)
def queue(request):
    require(is_dispatcher(request.auth))
    return _page(selectors.queue(actor=request.auth)[:500], request.auth)


@router.get(
    "/inbox",
    response=with_problems(list[OrderOut], 401, 403),
    auth=django_auth,
    summary="A department's orders (lead or supporting), by reply date",
)
@paginate(BoundedPagination)
def inbox(request):
    require(request.auth.is_staff_member)
    return _page(selectors.inbox(actor=request.auth)[:500], request.auth)


@router.get(
    "/track/{receipt_no}",
    response=with_problems(TrackOut, 404),
    summary="Public status lookup by receipt number (no words, no names)",
)
def track(request, receipt_no: str = Receipt):
    order = selectors.order_track(receipt_no=receipt_no)
    if order is None:
        raise NotFound()
    return {
        "receipt_no": order.receipt_no,
        "type": order.type,
        "status": order.status,
        "received_at": order.received_at,
        "reply_due_on": order.reply_due_on,
        "closed": order.closed_at is not None,
    }


@router.get(
    "/orders/{receipt_no}",
    response=with_problems(OrderOut, 401, 404),
    auth=django_auth,
    summary="One work order",
)
def detail(request, receipt_no: str = Receipt):
    return _out(access_order(request.auth, receipt_no), request.auth)


class KnowledgeOut(Schema):
    kind: str = Field(..., description="article: the centre's own answer; guide: a service guide")
    code: str = Field(..., description="KB<n> for an article; the item's code for a guide")
    name: str = Field(..., description="The article's question, or the item's name")
    answer: str = Field(..., description="A ready answer the operator can give")
    source: str = Field("", description="The article's policy basis, or the guide's address")


@router.get(
    "/orders/{receipt_no}/knowledge",
    response=with_problems(list[KnowledgeOut], 401, 403, 404),
    auth=django_auth,
    summary="The knowledge base's answers and guides that may answer a consultation",
)
def knowledge(request, receipt_no: str = Receipt):
    order = access_order(request.auth, receipt_no)
    require(is_dispatcher(request.auth))
    return selectors.knowledge_for(order.text)


def _act(request, receipt_no: str, work) -> dict:
    order = work(access_order(request.auth, receipt_no))
    return _out(order, request.auth)


ACT = with_problems(OrderOut, 401, 403, 404, 409)


@router.post("/orders/{receipt_no}/take", response=ACT, auth=django_auth, summary="Take it")
def take(request, receipt_no: str = Receipt):
    return _act(request, receipt_no, lambda o: services.order_take(actor=request.auth, order=o))


class DispatchIn(Schema):
    department: str = Field(..., max_length=20, description="The lead department's code")
    supporting: list[str] = Field(default_factory=list, max_length=5)
    category: str = Field("", max_length=40)
    note: str = Field("", max_length=500)
    ruling: str = Field("", max_length=2000, description="After a return: the centre's ruling")


@router.post(
    "/orders/{receipt_no}/dispatch",
    response=ACT,
    auth=django_auth,
    summary="派单 / 改派: to the department's authority for the order's place",
)
def dispatch(request, body: DispatchIn, receipt_no: str = Receipt):
    return _act(
        request,
        receipt_no,
        lambda o: services.order_dispatch(
            actor=request.auth,
            order=o,
            department=body.department,
            category=body.category,
            note=body.note,
            ruling=body.ruling,
            supporting=body.supporting,
        ),
    )


@router.post("/orders/{receipt_no}/sign", response=ACT, auth=django_auth, summary="签收")
def sign(request, receipt_no: str = Receipt):
    return _act(request, receipt_no, lambda o: services.order_sign(actor=request.auth, order=o))


class ReasonIn(Schema):
    reason: str = Field(..., max_length=2000)


@router.post(
    "/orders/{receipt_no}/return", response=ACT, auth=django_auth, summary="退单, with reason"
)
def return_(request, body: ReasonIn, receipt_no: str = Receipt):
    return _act(
        request,
        receipt_no,
        lambda o: services.order_return(actor=request.auth, order=o, reason=body.reason),
    )


class ReplyIn(Schema):
    reply: str = Field(..., max_length=4000)


@router.post("/orders/{receipt_no}/reply", response=ACT, auth=django_auth, summary="回复")
def reply(request, body: ReplyIn, receipt_no: str = Receipt):
    return _act(
        request,
        receipt_no,
        lambda o: services.order_reply(actor=request.auth, order=o, reply=body.reply),
    )


class NoteIn(Schema):
    note: str = Field(..., max_length=2000)


@router.post(
    "/orders/{receipt_no}/support-note",
    response=ACT,
    auth=django_auth,
    summary="协办: a supporting department's part",
)
def support_note(request, body: NoteIn, receipt_no: str = Receipt):
    return _act(
        request,
        receipt_no,
        lambda o: services.order_support_note(actor=request.auth, order=o, note=body.note),
    )


class CallbackIn(Schema):
    satisfied: bool
    words: str = Field("", max_length=2000, description="The citizen's words")


@router.post(
    "/orders/{receipt_no}/callback",
    response=ACT,
    auth=django_auth,
    summary="回访: satisfied closes it; not satisfied reopens it to the same department",
)
def callback(request, body: CallbackIn, receipt_no: str = Receipt):
    return _act(
        request,
        receipt_no,
        lambda o: services.order_callback(
            actor=request.auth, order=o, satisfied=body.satisfied, words=body.words
        ),
    )


class AnswerIn(Schema):
    answer: str = Field(..., min_length=2, max_length=4000)
    article: str = Field(
        "", max_length=20, description="The knowledge base answer given (KB<n>), if one was"
    )


@router.post(
    "/orders/{receipt_no}/answer",
    response=ACT,
    auth=django_auth,
    summary="A consultation answered at once from the knowledge base",
)
def answer(request, body: AnswerIn, receipt_no: str = Receipt):
    return _act(
        request,
        receipt_no,
        lambda o: services.order_answer(
            actor=request.auth, order=o, answer=body.answer, article=body.article
        ),
    )


class MergeIn(Schema):
    into: str = Field(..., min_length=6, max_length=20)


@router.post(
    "/orders/{receipt_no}/merge", response=ACT, auth=django_auth, summary="并单 into another"
)
def merge(request, body: MergeIn, receipt_no: str = Receipt):
    into = access_order(request.auth, body.into)
    return _act(
        request,
        receipt_no,
        lambda o: services.order_merge(actor=request.auth, order=o, into=into),
    )


class ExtensionIn(Schema):
    days: int = Field(..., ge=1, le=30)
    reason: str = Field(..., max_length=2000)


@router.post(
    "/orders/{receipt_no}/extension",
    response=ACT,
    auth=django_auth,
    summary="延期申请: the department asks for more working days",
)
def extension(request, body: ExtensionIn, receipt_no: str = Receipt):
    return _act(
        request,
        receipt_no,
        lambda o: services.order_extension_request(
            actor=request.auth, order=o, days=body.days, reason=body.reason
        ),
    )


class DecisionIn(Schema):
    approve: bool
    note: str = Field("", max_length=2000)


@router.post(
    "/orders/{receipt_no}/extension/decision",
    response=ACT,
    auth=django_auth,
    summary="The centre approves (the citizen is told) or denies an extension",
)
def extension_decision(request, body: DecisionIn, receipt_no: str = Receipt):
    return _act(
        request,
        receipt_no,
        lambda o: services.order_extension_decide(
            actor=request.auth, order=o, approve=body.approve, note=body.note
        ),
    )


@router.post(
    "/orders/{receipt_no}/attachments",
    response=with_problems({201: AttachmentOut}, 401, 403, 404),
    auth=django_auth,
    summary="Attach a photo or document (PDF, JPEG, PNG or OFD; checked by content)",
)
def attach(request, file: File[UploadedFile], receipt_no: str = Receipt):
    order = access_order(request.auth, receipt_no)
    return Status(201, services.attachment_add(actor=request.auth, order=order, upload=file))


@router.get(
    "/orders/{receipt_no}/attachments/{pk}",
    response=with_problems({200: None}, 401, 404),
    auth=django_auth,
    summary="Download an attachment",
)
def attachment(request, receipt_no: str = Receipt, pk: int = Path(..., ge=1, le=2**62)):
    order = access_order(request.auth, receipt_no)
    row = OrderAttachment.objects.filter(order=order, pk=pk).first()
    if row is None:
        raise NotFound()
    suffix = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}
    response = FileResponse(
        row.file.open("rb"),
        content_type=row.content_type,
        as_attachment=True,
        filename=f"{row.pk}{suffix.get(row.content_type, '.ofd')}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
