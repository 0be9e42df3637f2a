"""Writes of the hotline app (first slice): training and storing a routing model version."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import pickle
import secrets
import time
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import Conflict, InvalidInput, require
from core.uploads import check_upload
from core.workdays import add_working_days, is_working_day
from directory.models import Authority
from directory.selectors import authority_list
from ratings.services import event_close

from .models import (
    ArticleStatus,
    DispatchCatalogue,
    KnowledgeArticle,
    Open311Client,
    OrderAttachment,
    OrderChannel,
    OrderEvent,
    OrderStatus,
    OrderType,
    RoutingModel,
    WorkOrder,
)
from .permissions import can_handle, can_support, is_dispatcher
from .routing import Router, Suggestion, categories, rule_groups, training_rows


def city_history(limit: int = 100_000) -> list[dict]:
    """The city's own closed orders (not demo ones) with the department that handled them:
    the dispatchers' corrections and the departments' returns are in these labels."""
    rows = (
        WorkOrder.objects.filter(status=OrderStatus.CLOSED, authority__isnull=False, is_demo=False)
        .order_by("-closed_at")
        .values_list("text", "authority__department__code")[:limit]
    )
    return [{"text": text, "department": department} for text, department in rows]


@transaction.atomic
def routing_model_train(*, extra: list[dict] | None = None) -> RoutingModel:
    """`onestop hotline train`: fit the router on the bundled tickets (and ``extra`` rows,
    e.g. the city's closed orders with the department that handled them) and store it as
    the next version."""
    from .selectors import catalogue_current

    rows = training_rows() + city_history() + list(extra or [])
    content = catalogue_current()
    started = time.perf_counter()
    router = Router(content).fit([r["text"] for r in rows], [r["department"] for r in rows])
    seconds = round(time.perf_counter() - started, 2)
    blob = pickle.dumps(router, protocol=pickle.HIGHEST_PROTOCOL)
    version = (RoutingModel.objects.aggregate(v=Max("version"))["v"] or 0) + 1
    return RoutingModel.objects.create(
        version=version,
        samples=len(rows),
        catalogue_version=str(content.get("version", "")),
        metrics={"train_seconds": seconds, "format": Router.FORMAT},
        blob=blob,
        sha256=hashlib.sha256(blob).hexdigest(),
    )


def routing_model_retrain_if_new() -> RoutingModel | None:
    """The scheduled retraining: a new version only when the city has closed orders the
    newest model has not seen (dispatchers' corrections and returns included), or when the
    dispatch catalogue in force is not the one it was trained with (an upgrade brought a new
    bundled catalogue), or when it was stored by a release with another model format."""
    from .selectors import catalogue_current

    latest = RoutingModel.objects.order_by("-version").first()
    if (
        latest is not None
        and latest.samples >= len(training_rows()) + len(city_history())
        and latest.catalogue_version == str(catalogue_current().get("version", ""))
        and latest.metrics.get("format", 1) == Router.FORMAT
    ):
        return None
    return routing_model_train()


def _catalogue_check(content: dict) -> None:
    """A catalogue names known departments and categories, and every rule has keywords (or a
    category), a department, and regions that exist; the first problem is named."""
    from directory.selectors import department_list, region_list

    if not isinstance(content, dict) or not str(content.get("version", "")).strip():
        raise InvalidInput(_("The catalogue needs a version."), field="version")
    departments = set(department_list().values_list("code", flat=True))
    known_categories = {c["code"] for c in categories()}
    for code, words in content.get("departments", {}).items():
        if code not in departments:
            raise InvalidInput(_("Unknown department %(code)s.") % {"code": code}, field=code)
        if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
            raise InvalidInput(_("Words are a list of texts."), field=code)
    for code, words in content.get("categories", {}).items():
        if code not in known_categories:
            raise InvalidInput(_("Unknown category %(code)s.") % {"code": code}, field=code)
        if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
            raise InvalidInput(_("Words are a list of texts."), field=code)
    regions = set(region_list().values_list("code", flat=True))
    for number, rule in enumerate(content.get("rules", []), 1):
        field = f"rules[{number}]"
        if not isinstance(rule, dict) or not rule.get("id"):
            raise InvalidInput(_("Each rule needs an id."), field=field)
        if rule.get("department") not in departments:
            raise InvalidInput(_("The rule names no known department."), field=field)
        if not rule.get("keywords"):
            raise InvalidInput(_("The rule needs keywords."), field=field)
        if rule.get("category") and rule["category"] not in known_categories:
            message = _("Unknown category %(code)s.") % {"code": rule["category"]}
            raise InvalidInput(message, field=field)
        if not set(rule.get("regions", [])) <= regions:
            raise InvalidInput(_("The rule names an unknown region."), field=field)
        for words in [*rule_groups(rule), rule.get("unless", [])]:
            if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
                raise InvalidInput(_("Words are a list of texts."), field=field)


@transaction.atomic
def catalogue_load(*, content: dict, actor=None) -> DispatchCatalogue:
    """Store a new version of the dispatch catalogue (checked first) and retrain the routing
    model with it; the model records which catalogue version it was trained with."""
    _catalogue_check(content)
    version = str(content["version"]).strip()[:20]
    if DispatchCatalogue.objects.filter(version=version).exists():
        raise Conflict(_("Catalogue version %(version)s is already loaded.") % {"version": version})
    row = DispatchCatalogue.objects.create(
        version=version, content=content, loaded_by=actor if getattr(actor, "pk", None) else None
    )
    routing_model_train()
    return row


# The work-order loop ----------------------------------------------------------------------


# 广东 12345 time limits in working days; the enterprise track (Zhuhai's "124") is faster.
DEADLINES = {
    "consultation": 2,
    "help": 10,
    "suggestion": 10,
    "complaint": 15,
    "report": 15,
    "praise": 2,
}
ENTERPRISE_DEADLINES = {"consultation": 2}
ENTERPRISE_OTHER = 4


def reply_due(order_type: str, enterprise: bool, start: dt.date) -> dt.date:
    days = getattr(settings, "HOTLINE_DEADLINES", DEADLINES).get(order_type, 15)
    if enterprise:
        days = ENTERPRISE_DEADLINES.get(order_type, ENTERPRISE_OTHER)
    return add_working_days(start, days)


def sign_due(now: dt.datetime) -> dt.datetime:
    """Sign-off within one working hour (09:00–17:00 on working days)."""
    local = timezone.localtime(now)
    if is_working_day(local.date()) and 9 <= local.hour < 17:
        return local + dt.timedelta(hours=1)
    day = local.date() + dt.timedelta(days=0 if local.hour < 9 else 1)
    day = add_working_days(day, 0)
    return dt.datetime.combine(day, dt.time(10), tzinfo=local.tzinfo)


def _receipt() -> str:
    return "12345" + timezone.localdate().strftime("%y%m%d") + f"{secrets.randbelow(10**9):09d}"


def _log(order: WorkOrder, actor, action: str, note: str = "") -> None:
    OrderEvent.objects.create(
        order=order,
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        note=note[:2000],
    )


def coordinates(lat, lng) -> tuple[Decimal | None, Decimal | None]:
    """Where the citizen is (WGS-84 degrees, e.g. from a phone): both or neither, in range,
    to six decimals (about 10 cm). Errors name the field (``lat`` or ``long``)."""
    values: list[Decimal | None] = []
    for value, field, limit in ((lat, "lat", 90), (lng, "long", 180)):
        if value in (None, ""):
            values.append(None)
            continue
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            raise InvalidInput(_("Give the coordinate as a number."), field=field) from None
        if not number.is_finite() or not -limit <= number <= limit:
            raise InvalidInput(
                _("A coordinate between -%(limit)s and %(limit)s.") % {"limit": limit},
                field=field,
            )
        values.append(number.quantize(Decimal("0.000001")))
    if (values[0] is None) != (values[1] is None):
        missing = "long" if values[1] is None else "lat"
        raise InvalidInput(_("Give both latitude and longitude."), field=missing)
    return values[0], values[1]


def _move(order: WorkOrder, *, expect: set[str], **changes) -> WorkOrder:
    moved = WorkOrder.objects.filter(pk=order.pk, version=order.version, status__in=expect).update(
        version=F("version") + 1, **changes
    )
    if moved != 1:
        raise Conflict(_("This work order moved on meanwhile; reload it."))
    order.refresh_from_db()
    return order


def _new_order(
    *, text: str, order_type: str, channel: str, enterprise_track: bool = False, **fields
) -> tuple[WorkOrder, Suggestion]:
    """Create a work order with its receipt number, the routing model's suggestion and its
    reply date (every channel goes through here)."""
    from .selectors import route

    suggestion = route(text, fields.get("region"))
    now = timezone.now()
    order = WorkOrder.objects.create(
        receipt_no=_receipt(),
        channel=channel,
        type=order_type,
        text=text,
        enterprise_track=enterprise_track,
        received_at=now,
        suggested=[{"department": d, "confidence": c} for d, c in suggestion.departments],
        suggested_category=suggestion.category,
        suggested_rule=suggestion.rule,
        reply_due_on=reply_due(order_type, enterprise_track, timezone.localdate(now)),
        **fields,
    )
    return order, suggestion


def contact_json(*, name: str = "", phone: str = "", email: str = "", field: str = "") -> str:
    """The caller's contact details as stored (encrypted by the field), checked; "" if none."""
    from core.ids import check_phone

    name, email = (name or "").strip()[:100], (email or "").strip()[:200]
    if (phone or "").strip():
        checked = check_phone(phone)
        if not checked.ok:
            raise InvalidInput(checked.error, field=f"{field}phone")
        phone = checked.value
    else:
        phone = ""
    if email and ("@" not in email or " " in email):
        raise InvalidInput(_("Enter a valid e-mail address."), field=f"{field}email")
    if not (name or phone or email):
        return ""
    return json.dumps({"name": name, "phone": phone, "email": email}, ensure_ascii=False)


@transaction.atomic
def order_create(
    *,
    actor,
    channel: str,
    order_type: str,
    text: str,
    address: str = "",
    region=None,
    citizen=None,
    contact_shared: bool = False,
    contact_name: str = "",
    contact_phone: str = "",
    enterprise_track: bool = False,
    is_demo: bool = False,
    attachment=None,
    lat=None,
    lng=None,
) -> WorkOrder:
    """受理: a citizen's own request (web, mobile), or taken by an operator (phone, hall) for a
    citizen, a caller who leaves a name and number, or anonymously. The contact details are
    kept encrypted and shown to departments only with the citizen's consent. The routing
    model's suggestion is kept with it; a photo or document (``attachment``) is checked before
    anything is written, so a bad file leaves no order behind."""
    if order_type not in OrderType.values:
        raise InvalidInput(_("Choose a type."), field="type")
    text = (text or "").strip()
    if not 5 <= len(text) <= 4000:
        raise InvalidInput(_("Describe it in 5 to 4000 characters."), field="text")
    if is_dispatcher(actor):
        pass
    elif getattr(actor, "is_authenticated", False) and actor.is_person:
        citizen = actor
    else:
        require(False)
    lat, lng = coordinates(lat, lng)
    checked = check_upload(attachment, field="photo") if attachment is not None else None
    order, suggestion = _new_order(
        text=text,
        order_type=order_type,
        channel=channel,
        enterprise_track=enterprise_track,
        address=address[:300],
        region=region,
        lat=lat,
        lng=lng,
        citizen=citizen,
        contact_shared=contact_shared,
        contact=(
            contact_json(name=contact_name, phone=contact_phone, field="contact_")
            if citizen is None
            else ""
        ),
        is_demo=is_demo,
    )
    _log(order, actor, "received", ", ".join(suggestion.drivers))
    if attachment is not None:
        _attach(order=order, checked=checked, actor=actor)
    return order


@transaction.atomic
def order_take(*, actor, order: WorkOrder) -> WorkOrder:
    """A dispatcher takes an order from the queue: exactly one of many wins."""
    require(is_dispatcher(actor))
    if (
        WorkOrder.objects.filter(
            pk=order.pk,
            status__in=[OrderStatus.RECEIVED, OrderStatus.RETURNED],
            taken_by__isnull=True,
        ).update(taken_by=actor, version=F("version") + 1)
        != 1
    ):
        raise Conflict(_("Someone took this work order already."))
    order.refresh_from_db()
    _log(order, actor, "taken")
    return order


def authority_for(department: str, region) -> Authority:
    """属地: the department's branch in the order's district where there is one, else the
    municipal department."""
    from .selectors import district_of

    district = district_of(region)
    if district is not None:
        local = authority_list(department=department, region=district).first()
        if local is not None:
            return local
    found = authority_list(department=department).filter(region__level="city").first()
    if found is None:
        raise InvalidInput(_("No department of this kind exists."), field="department")
    return found


@transaction.atomic
def order_dispatch(
    *,
    actor,
    order: WorkOrder,
    department: str,
    category: str = "",
    note: str = "",
    ruling: str = "",
    supporting: list[str] | None = None,
) -> WorkOrder:
    """派单 (or 改派 after a return): to the department's authority for the order's place;
    a correction of the model's suggestion is kept for retraining. After a return the centre
    may rule on the dispute: the ruling is recorded with the order's history."""
    require(is_dispatcher(actor) and order.taken_by_id in (None, actor.pk))
    ruling = (ruling or "").strip()
    if ruling and order.status != OrderStatus.RETURNED:
        raise InvalidInput(_("A ruling settles a returned work order."), field="ruling")
    authority = authority_for(department, order.region)
    helpers = {authority_for(code, order.region) for code in supporting or [] if code}
    helpers.discard(authority)
    order = _move(
        order,
        expect={OrderStatus.RECEIVED, OrderStatus.RETURNED},
        status=OrderStatus.DISPATCHED,
        authority=authority,
        category=category[:40],
        sign_due_at=sign_due(timezone.now()),
        taken_by=None,
    )
    best = order.suggested[0]["department"] if order.suggested else ""
    _log(
        order,
        actor,
        "dispatched",
        f"{department}{'' if best == department else f' (suggested {best})'} {note}",
    )
    if ruling:
        _log(order, actor, "ruled", f"{department}: {ruling}")
    order.supporting.set(helpers)
    if helpers:
        _log(order, actor, "supporting", ", ".join(sorted(a.department.code for a in helpers)))
    return order


@transaction.atomic
def order_support_note(*, actor, order: WorkOrder, note: str) -> WorkOrder:
    """协办: a supporting department adds what it did or found; the lead department replies."""
    require(can_support(actor, order))
    note = (note or "").strip()
    if len(note) < 4:
        raise InvalidInput(_("Say what was done (at least 4 characters)."), field="note")
    if order.status not in (OrderStatus.DISPATCHED, OrderStatus.SIGNED):
        raise Conflict(_("This work order is not being handled."))
    _log(order, actor, "support.noted", note[:2000])
    return order


@transaction.atomic
def attachment_add(*, actor, order: WorkOrder, upload) -> OrderAttachment:
    """A photo or document with the order: from the citizen who asked, the centre, or a
    department handling it. Checked by content (PDF, JPEG, PNG, OFD) and size."""
    from .permissions import can_view

    require(can_view(actor, order))
    if order.attachments.count() >= 10:
        raise InvalidInput(_("A work order has at most 10 attachments."), field="file")
    return _attach(order=order, checked=check_upload(upload, field="file"), actor=actor)


def _attach(*, order: WorkOrder, checked, actor) -> OrderAttachment:
    row = OrderAttachment(
        order=order,
        name=checked.label[:200],
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        added_by=actor if getattr(actor, "pk", None) else None,
    )
    row.file.save("upload", checked.file, save=False)
    row.save()
    _log(order, actor, "attachment.added", row.name)
    return row


@transaction.atomic
def order_sign(*, actor, order: WorkOrder) -> WorkOrder:
    """签收: the lead department accepts the order."""
    require(can_handle(actor, order))
    order = _move(
        order, expect={OrderStatus.DISPATCHED}, status=OrderStatus.SIGNED, signed_at=timezone.now()
    )
    _log(order, actor, "signed")
    return order


@transaction.atomic
def order_return(*, actor, order: WorkOrder, reason: str) -> WorkOrder:
    """退单: not this department's business, with the reason; back to the dispatchers."""
    require(can_handle(actor, order))
    reason = (reason or "").strip()
    if len(reason) < 4:
        raise InvalidInput(_("Give the reason (at least 4 characters)."), field="reason")
    order = _move(
        order,
        expect={OrderStatus.DISPATCHED, OrderStatus.SIGNED},
        status=OrderStatus.RETURNED,
        authority=None,
        signed_at=None,
    )
    _log(order, actor, "returned", reason)
    return order


@transaction.atomic
def order_reply(*, actor, order: WorkOrder, reply: str) -> WorkOrder:
    """回复: what the department did."""
    require(can_handle(actor, order))
    reply = (reply or "").strip()
    if len(reply) < 4:
        raise InvalidInput(_("Say what was done (at least 4 characters)."), field="reply")
    order = _move(
        order,
        expect={OrderStatus.SIGNED},
        status=OrderStatus.REPLIED,
        reply=reply[:4000],
        replied_at=timezone.now(),
    )
    _log(order, actor, "replied")
    return order


@transaction.atomic
def order_callback(*, actor, order: WorkOrder, satisfied: bool, words: str = "") -> WorkOrder:
    """回访: the centre calls the citizen. Satisfied → 办结 (and an invitation to rate);
    not satisfied → reopened to the same department with the citizen's words."""
    require(is_dispatcher(actor))
    if satisfied:
        order = _move(
            order,
            expect={OrderStatus.REPLIED},
            status=OrderStatus.CLOSED,
            satisfied=True,
            closed_at=timezone.now(),
        )
        _log(order, actor, "closed", words)
        if order.citizen_id is not None and order.authority is not None:
            event_close(
                kind="work_order",
                ref=order.receipt_no,
                person=order.citizen,
                service_name=f"12345 {order.get_type_display()}",
                authority=order.authority,
                channel="online",
                is_demo=order.is_demo,
            )
        return order
    order = _move(
        order,
        expect={OrderStatus.REPLIED},
        status=OrderStatus.SIGNED,
        satisfied=False,
        reopened=F("reopened") + 1,
        replied_at=None,
    )
    _log(order, actor, "reopened", words)
    return order


@transaction.atomic
def order_answer(*, actor, order: WorkOrder, answer: str, article: str = "") -> WorkOrder:
    """A consultation the operator answers at once: closed. ``article`` (KB<n>) records which
    of the knowledge base's answers was given (so the centre sees which answers are used); it
    must be one still offered."""
    from .selectors import article_by_code

    require(is_dispatcher(actor))
    if order.type != OrderType.CONSULTATION:
        raise InvalidInput(_("Only a consultation is answered directly."), field="type")
    answer = (answer or "").strip()
    if len(answer) < 2:
        raise InvalidInput(_("Write the answer given to the citizen."), field="answer")
    given = article_by_code(article) if article else None
    if article and given is None:
        raise InvalidInput(_("No such answer in the knowledge base."), field="article")
    if given is not None and (
        given.status != ArticleStatus.PUBLISHED
        or (given.valid_until is not None and given.valid_until < timezone.localdate())
    ):
        raise InvalidInput(_("This answer is no longer offered."), field="article")
    order = _move(
        order,
        expect={OrderStatus.RECEIVED},
        status=OrderStatus.CLOSED,
        reply=answer[:4000],
        replied_at=timezone.now(),
        closed_at=timezone.now(),
        taken_by=None,
        answered_with=given,
    )
    _log(order, actor, "answered", given.code if given is not None else "")
    return order


def contacts_rotate(*, batch: int = 500) -> int:
    """Re-encrypt callers' contact details under the primary PII key (after a new key is put
    first in PII_ENCRYPTION_KEYS); rows already under it are skipped. Returns how many moved."""
    from django.db import connection

    from core import crypto

    primary = crypto.primary_key_id()
    moved = 0
    table = WorkOrder._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, contact FROM {table} WHERE contact <> ''")  # noqa: S608
        stale = [pk for pk, token in cursor.fetchall() if crypto.key_id_of(token) != primary]
    for start in range(0, len(stale), batch):
        for order in WorkOrder.objects.filter(pk__in=stale[start : start + batch]):
            order.save(update_fields=["contact"])  # decrypted on load, encrypted on save
            moved += 1
    return moved


# Open311 ----------------------------------------------------------------------------------


def open311_client_create(*, name: str) -> tuple[Open311Client, str]:
    """Register a client application; returns it and its api_key (shown once, stored hashed)."""
    key = secrets.token_urlsafe(24)
    client = Open311Client.objects.create(
        name=name[:100], key_digest=hashlib.sha256(key.encode()).hexdigest()
    )
    return client, key


def open311_client_for(key: str) -> Open311Client | None:
    if not key:
        return None
    digest = hashlib.sha256(key.encode()).hexdigest()
    return Open311Client.objects.filter(key_digest=digest, is_active=True).first()


@transaction.atomic
def order_create_open311(
    *,
    client: Open311Client,
    service_code: str,
    description: str,
    order_type: str = "complaint",
    address: str = "",
    lat=None,
    lng=None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    phone: str = "",
    request_ref: str = "",
) -> WorkOrder:
    """POST requests: a work order from a registered client application. The requester's
    name, e-mail and phone are kept encrypted and never shown to departments (Open311 has no
    consent field). A client that retries with the same ``request_ref`` (its Idempotency-Key)
    gets the order it already created: one order however often the POST arrives."""
    source_ref = f"{client.pk}:{request_ref}"[:64] if request_ref else ""
    if source_ref:
        existing = WorkOrder.objects.filter(
            channel=OrderChannel.OPEN311, source_ref=source_ref
        ).first()
        if existing is not None:
            return existing
    if order_type not in OrderType.values:
        raise InvalidInput(_("Choose a type."), field="attribute[request_type]")
    text = (description or "").strip()
    if not 5 <= len(text) <= 4000:
        raise InvalidInput(_("Describe it in 5 to 4000 characters."), field="description")
    contact = contact_json(name=f"{last_name}{first_name}".strip(), phone=phone, email=email)
    try:
        with transaction.atomic():
            order, _suggestion = _new_order(
                text=text,
                order_type=order_type,
                channel=OrderChannel.OPEN311,
                category=service_code[:40],
                address=address[:300],
                lat=lat,
                lng=lng,
                open311_client=client,
                source_ref=source_ref,
                contact=contact,
            )
    except IntegrityError:
        if not source_ref:
            raise
        # The same request id arrived twice at once: the other one created it.
        return WorkOrder.objects.get(channel=OrderChannel.OPEN311, source_ref=source_ref)
    _log(order, None, "received", f"open311:{client.name}")
    return order


@transaction.atomic
def order_create_wechat(*, openid: str, msg_id: str, text: str) -> WorkOrder:
    """A WeChat text message to the "micro mayor" account becomes a work order (once per
    MsgId: WeChat retries a delivery it got no answer to). The sender's openid is kept only as
    a keyed digest in the history."""
    from django.utils.crypto import salted_hmac

    if msg_id:
        existing = WorkOrder.objects.filter(channel=OrderChannel.WECHAT, source_ref=msg_id).first()
        if existing is not None:
            return existing
    text = (text or "").strip()
    if not 5 <= len(text) <= 2000:
        raise InvalidInput(_("Describe it in 5 to 2000 characters."), field="Content")
    question = any(mark in text for mark in ("请问", "怎么", "如何", "？", "?", "哪里"))
    order_type = OrderType.CONSULTATION if question else OrderType.COMPLAINT
    order, _suggestion = _new_order(
        text=text, order_type=order_type, channel=OrderChannel.WECHAT, source_ref=msg_id[:64]
    )
    _log(order, None, "received", "wechat:" + salted_hmac("wechat-openid", openid).hexdigest()[:16])
    return order


def orders_generate(**options) -> int:
    """A demo year of work orders (see hotline/generator.py); refuses in production."""
    from .generator import generate

    return generate(**options)


@transaction.atomic
def order_merge(*, actor, order: WorkOrder, into: WorkOrder) -> WorkOrder:
    """并单: a duplicate joins the order it repeats; its citizen is told which order to follow,
    and the merged order follows the other one's status from then on."""
    from accounts.services import notify

    require(is_dispatcher(actor))
    if into.pk == order.pk or into.status in (OrderStatus.CLOSED, OrderStatus.MERGED):
        raise InvalidInput(_("Merge into another open work order."), field="into")
    order = _move(
        order,
        expect={OrderStatus.RECEIVED, OrderStatus.RETURNED},
        status=OrderStatus.MERGED,
        merged_into=into,
        taken_by=None,
    )
    _log(order, actor, "merged", into.receipt_no)
    _log(into, actor, "merged_in", order.receipt_no)
    if order.citizen is not None:
        notify(
            user=order.citizen,
            url="/hotline/mine/",
            sms=True,
            subject=gettext_lazy("Your work order %(receipt)s joins %(into)s"),
            body=gettext_lazy("Others reported the same; it is handled once, under %(into)s."),
            params={"receipt": order.receipt_no, "into": into.receipt_no},
        )
    return order


# Extensions and supervision ---------------------------------------------------------------


@transaction.atomic
def order_extension_request(*, actor, order: WorkOrder, days: int, reason: str) -> WorkOrder:
    """延期申请: the department asks the centre for more working days, with the reason."""
    require(can_handle(actor, order))
    reason = (reason or "").strip()
    if not 1 <= int(days) <= 30:
        raise InvalidInput(_("Ask for 1 to 30 working days."), field="days")
    if len(reason) < 4:
        raise InvalidInput(_("Give the reason (at least 4 characters)."), field="reason")
    if order.extension_status == "requested":
        raise Conflict(_("An extension is already waiting for the centre."))
    order = _move(
        order,
        expect={OrderStatus.SIGNED},
        extension_days=int(days),
        extension_reason=reason[:2000],
        extension_status="requested",
    )
    _log(order, actor, "extension.requested", f"{days}: {reason}")
    return order


@transaction.atomic
def order_extension_decide(*, actor, order: WorkOrder, approve: bool, note: str = "") -> WorkOrder:
    """The centre approves (the reply date moves; the citizen is told) or denies."""
    from accounts.services import notify

    require(is_dispatcher(actor))
    if order.extension_status != "requested":
        raise Conflict(_("No extension is waiting."))
    changes: dict = {"extension_status": "approved" if approve else "denied"}
    if approve and order.reply_due_on is not None:
        changes["reply_due_on"] = add_working_days(order.reply_due_on, order.extension_days)
    order = _move(order, expect={OrderStatus.SIGNED, OrderStatus.REPLIED}, **changes)
    _log(order, actor, "extension.approved" if approve else "extension.denied", note)
    if approve and order.citizen is not None:
        notify(
            user=order.citizen,
            url="/hotline/mine/",
            sms=True,
            subject=gettext_lazy("Work order %(receipt)s: the reply date is now %(date)s"),
            body=gettext_lazy("The department needs more time: %(reason)s"),
            params={
                "receipt": order.receipt_no,
                "date": str(order.reply_due_on),
                "reason": order.extension_reason[:200],
            },
        )
    return order


def orders_supervise() -> dict:
    """催办 and 督办, by a scheduled task: an order not signed off by its sign-off time is
    urged once (the department's staff are told); an open order past its reply date goes
    under supervision once (the department's supervisors are told). Idempotent."""
    from accounts.models import Role
    from accounts.selectors import staff_of_authority
    from accounts.services import notify

    now = timezone.now()
    urged = supervised = 0
    late_sign = WorkOrder.objects.filter(
        status=OrderStatus.DISPATCHED, sign_due_at__lt=now, urged_at__isnull=True
    )
    for order in late_sign.select_related("authority"):
        if WorkOrder.objects.filter(pk=order.pk, urged_at__isnull=True).update(urged_at=now):
            urged += 1
            _log(order, None, "urged")
            for user in staff_of_authority(authority_id=order.authority_id or 0, role=Role.HANDLER):
                notify(
                    user=user,
                    url=f"/hotline/staff/orders/{order.receipt_no}/",
                    subject=gettext_lazy("催办: work order %(receipt)s is waiting for sign-off"),
                    params={"receipt": order.receipt_no},
                )
    late = WorkOrder.objects.filter(
        reply_due_on__lt=timezone.localdate(), supervised_at__isnull=True, authority__isnull=False
    ).exclude(status__in=[OrderStatus.CLOSED, OrderStatus.MERGED, OrderStatus.REPLIED])
    for order in late.select_related("authority"):
        if WorkOrder.objects.filter(pk=order.pk, supervised_at__isnull=True).update(
            supervised_at=now
        ):
            supervised += 1
            _log(order, None, "supervised")
            for user in staff_of_authority(
                authority_id=order.authority_id or 0, role=Role.SUPERVISOR
            ):
                notify(
                    user=user,
                    url=f"/hotline/staff/orders/{order.receipt_no}/",
                    subject=gettext_lazy("督办: work order %(receipt)s is past its reply date"),
                    params={"receipt": order.receipt_no},
                )
    return {"urged": urged, "supervised": supervised}


# --- The centre's knowledge base (知识库) ------------------------------------------------


def _article_fields(
    *, question: str, answer: str, keywords: str, department: str, source: str, valid_until
) -> dict:
    """Checked fields of a knowledge base answer; an error names the field."""
    from directory.models import Department

    question, answer = (question or "").strip(), (answer or "").strip()
    if not question:
        raise InvalidInput(_("Write the question citizens ask."), field="question")
    if len(question) > 300:
        raise InvalidInput(_("The question is longer than 300 characters."), field="question")
    if not answer:
        raise InvalidInput(_("Write the answer operators give."), field="answer")
    if len(answer) > 4000:
        raise InvalidInput(_("The answer is longer than 4,000 characters."), field="answer")
    keywords = " ".join(
        (keywords or "").replace(",", " ").replace("，", " ").replace("、", " ").split()
    )
    if len(keywords) > 500:
        raise InvalidInput(_("The keywords are longer than 500 characters."), field="keywords")
    found = None
    if department:
        found = Department.objects.filter(code=department).first()
        if found is None:
            raise InvalidInput(_("No department of this kind exists."), field="department")
    if isinstance(valid_until, str):
        try:
            valid_until = dt.date.fromisoformat(valid_until) if valid_until.strip() else None
        except ValueError:
            raise InvalidInput(_("Give the date as YYYY-MM-DD."), field="valid_until") from None
    return {
        "question": question,
        "answer": answer,
        "keywords": keywords,
        "department": found,
        "source": (source or "").strip()[:300],
        "valid_until": valid_until,
    }


@transaction.atomic
def article_create(
    *,
    actor,
    question: str,
    answer: str,
    keywords: str = "",
    department: str = "",
    source: str = "",
    valid_until=None,
) -> KnowledgeArticle:
    """A new answer in the centre's knowledge base, offered to operators from now on."""
    require(is_dispatcher(actor))
    fields = _article_fields(
        question=question, answer=answer, keywords=keywords, department=department,
        source=source, valid_until=valid_until,
    )  # fmt: skip
    return KnowledgeArticle.objects.create(**fields, updated_by=actor)


@transaction.atomic
def article_update(
    *,
    actor,
    article: KnowledgeArticle,
    version: int,
    question: str,
    answer: str,
    keywords: str = "",
    department: str = "",
    source: str = "",
    valid_until=None,
) -> KnowledgeArticle:
    """Correct or renew an answer. ``version`` is the one the editor saw: if someone saved
    meanwhile, nothing is written and the editor is told to reload."""
    require(is_dispatcher(actor))
    fields = _article_fields(
        question=question, answer=answer, keywords=keywords, department=department,
        source=source, valid_until=valid_until,
    )  # fmt: skip
    return _article_move(article, version=version, actor=actor, **fields)


@transaction.atomic
def article_retire(*, actor, article: KnowledgeArticle, version: int) -> KnowledgeArticle:
    """An answer that no longer holds (the policy changed): kept for the record, never
    offered again."""
    require(is_dispatcher(actor))
    return _article_move(article, version=version, actor=actor, status=ArticleStatus.RETIRED)


def _article_move(article: KnowledgeArticle, *, version: int, actor, **changes):
    """Compare-and-set: only the published version the editor saw is changed."""
    moved = KnowledgeArticle.objects.filter(
        pk=article.pk, version=version, status=ArticleStatus.PUBLISHED
    ).update(**changes, version=F("version") + 1, updated_at=timezone.now(), updated_by=actor)
    if moved != 1:
        raise Conflict(_("This answer was changed or retired meanwhile; reload it."))
    article.refresh_from_db()
    return article


@transaction.atomic
def articles_load(*, rows: list[dict]) -> int:
    """`onestop hotline load-knowledge --path FILE`: a city's answers (a JSON list of
    {question, answer, keywords, department, source, valid_until}); all checked before any
    is written, and a question already in the base is not added twice. Returns how many
    were added."""
    checked = []
    for n, row in enumerate(rows):
        if not isinstance(row, dict):
            raise InvalidInput(_("Each answer is an object."), field=f"[{n}]")
        try:
            checked.append(
                _article_fields(
                    **{
                        key: str(row.get(key) or "")
                        for key in ("question", "answer", "keywords", "department", "source")
                    },
                    valid_until=str(row.get("valid_until") or ""),
                )
            )
        except InvalidInput as error:
            raise InvalidInput(error.detail, field=f"[{n}].{error.field}") from None
    known = set(KnowledgeArticle.objects.values_list("question", flat=True))
    new = list({f["question"]: f for f in checked if f["question"] not in known}.values())
    KnowledgeArticle.objects.bulk_create(KnowledgeArticle(**fields) for fields in new)
    return len(new)


def articles_load_file(path=None) -> int:
    """Knowledge base answers from a JSON file — a list, or ``{"answers": [...]}`` — by
    default the demo city's (hotline/data/knowledge_demo.json). Raises ValueError for a file
    that is not such JSON, InvalidInput (naming the entry and field) for a bad answer."""
    from pathlib import Path

    from .routing import DATA

    content = json.loads(Path(path or DATA / "knowledge_demo.json").read_text(encoding="utf-8"))
    rows = content.get("answers") if isinstance(content, dict) else content
    if not isinstance(rows, list):
        raise ValueError('expected a list of answers, or {"answers": [...]}')
    return articles_load(rows=rows)
