"""Cases API: apply (with an Idempotency-Key), track, and the staff's work items."""

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.http import FileResponse
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Header, Path, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.security import django_auth

from accounts.selectors import enterprise_list
from accounts.services import person_lookup
from catalog.permissions import access_item
from core.errors import InvalidInput, NotFound, require
from core.pagination import BoundedPagination
from core.problems import with_problems
from directory.selectors import bank_outlet_list, window_get

from . import fees, selectors, services
from .models import REMEDIES, CaseMaterial
from .models import Status as CaseStatus
from .permissions import access_case, access_work_item, can_take_in_at, can_take_in_at_outlet

router = Router(tags=["cases"])


class CaseIn(Schema):
    item: str = Field(description="Service item code")
    form: dict = Field(default_factory=dict, description="Answers to the item's form schema")
    channel: str = "online"
    enterprise_uscc: str | None = Field(None, description="Apply for this enterprise")
    delivery: Literal["electronic", "pickup", "post"] = "electronic"
    delivery_address: str = Field("", max_length=300)
    consents: list[int] = Field(
        default_factory=list,
        max_length=20,
        description="Ids of the item's materials whose e-license the applicant agrees the "
        "department fetch for this application (certificate-free processing)",
    )


class CaseOut(Schema):
    receipt_no: str
    item: str
    status: str
    channel: str
    submitted_at: dt.datetime
    accepted_on: dt.date | None
    legal_due_on: dt.date | None
    promised_due_on: dt.date | None
    decided_at: dt.datetime | None
    alert: str

    @staticmethod
    def resolve_item(obj) -> str:
        return obj.item.code


class EventOut(Schema):
    action: str
    at: dt.datetime
    note: str


class MaterialOut(Schema):
    id: int
    name: str
    source: str
    content_type: str
    size: int
    sha256: str
    added_at: dt.datetime


class CaseDetailOut(CaseOut):
    form_data: dict
    missing: list[str]
    paused_on: dt.date | None
    paused_days: int
    fee_cny: Decimal | None
    decision_reasons: str
    issued: str
    remedies: str
    delivery_method: str
    tracking_no: str
    delivered_at: dt.datetime | None
    materials: list[MaterialOut]
    events: list[EventOut]
    instant: dict | None = Field(None, description="秒批: the rules checked and their results")

    @staticmethod
    def resolve_events(obj):
        return list(obj.events.all())

    @staticmethod
    def resolve_materials(obj):
        return list(obj.materials.all())

    @staticmethod
    def resolve_instant(obj):
        return selectors.instant_explanation(case=obj)

    @staticmethod
    def resolve_remedies(obj) -> str:
        return str(REMEDIES) if obj.status in (CaseStatus.REJECTED, CaseStatus.REFUSED) else ""


class WorkItemOut(Schema):
    id: int
    receipt_no: str
    item: str
    step: str
    status: str

    @staticmethod
    def resolve_receipt_no(obj) -> str:
        return obj.case.receipt_no

    @staticmethod
    def resolve_item(obj) -> str:
        return obj.case.item.code


class SupplementIn(Schema):
    form: dict | None = Field(None, description="The corrected form, if it changed")
    note: str = Field("", max_length=2000)


class IntakeIn(Schema):
    window: int | None = Field(None, description="The intake window's id (at a hall)")
    outlet: str | None = Field(None, description="The bank outlet's code (at a bank)")
    item: str
    id_type: str = "resident_id"
    id_number: str = Field(max_length=40, description="The walk-in applicant's ID number")
    enterprise_uscc: str | None = Field(None, description="The enterprise the person acts for")
    form: dict = Field(default_factory=dict)
    shown: list[int] = Field(default_factory=list, description="Materials seen in original")
    delivery: Literal["electronic", "pickup", "post"] = "pickup"
    delivery_address: str = Field("", max_length=300)


class MetricsOut(Schema):
    key: str
    name: str
    cases: int
    decided: int
    online_rate: float | None
    one_visit_rate: float | None
    time_cut: float | None
    on_time_rate: float | None


class OverdueOut(Schema):
    receipt_no: str
    item: str
    alert: str
    promised_due_on: dt.date | None
    legal_due_on: dt.date | None

    @staticmethod
    def resolve_item(obj) -> str:
        return obj.item.code


class CompleteIn(Schema):
    outcome: dict = Field(default_factory=dict, description="accept: accepted; decide: decision")
    note: str = Field("", max_length=2000)


def _materials_of(item, ids: list[int], field: str) -> list:
    """The item's materials with these ids; InvalidInput names ``<field>.<index>``."""
    materials = {m.pk: m for m in item.materials.all()}
    for index, pk in enumerate(ids):
        if pk not in materials:
            raise InvalidInput(_("This material does not belong to the service."),
                               field=f"{field}.{index}")  # fmt: skip
    return [materials[pk] for pk in ids]


@router.get("/forms/{code}", response=with_problems(dict, 404), summary="An item's form schema")
def form_schema(request, code: str):
    return fees.form_schema(access_item(request.user, code))


@router.post(
    "", response=with_problems({201: CaseOut, 200: CaseOut}, 401, 403, 409), auth=django_auth,
    summary="Apply (a retried request with the same Idempotency-Key returns the same case)",
)  # fmt: skip
def submit(request, payload: CaseIn, idempotency_key: str | None = Header(None, max_length=100)):
    item = access_item(request.auth, payload.item)
    enterprise = None
    if payload.enterprise_uscc:
        enterprise = (
            enterprise_list(actor=request.auth).filter(uscc=payload.enterprise_uscc).first()
        )
        if enterprise is None:
            raise InvalidInput(_("You do not act for this enterprise."), field="enterprise_uscc")
    consents = _materials_of(item, payload.consents, "consents")
    before = idempotency_key and selectors.case_list(actor=request.auth).filter(
        applicant=request.auth, idempotency_key=idempotency_key).exists()  # fmt: skip
    case = services.case_submit(
        actor=request.auth, item=item, form_data=payload.form, channel=payload.channel,
        enterprise=enterprise, idempotency_key=idempotency_key, delivery=payload.delivery,
        delivery_address=payload.delivery_address, consents=consents,
    )  # fmt: skip
    return Status(200 if before else 201, case)


@router.get("", response=with_problems(list[CaseOut], 401, 403), auth=django_auth)
@paginate(BoundedPagination)
def my_cases(request):
    return selectors.case_list(actor=request.auth)


@router.post(
    "/intake", response=with_problems({201: CaseOut}, 401, 403, 404), auth=django_auth,
    summary="一窗受理: a clerk takes in a walk-in's application",
)  # fmt: skip
def intake(request, payload: IntakeIn):
    window = outlet = None
    if payload.window is not None:
        window = window_get(pk=payload.window)
        if window is None:
            raise InvalidInput(_("No such window."), field="window")
        require(can_take_in_at(request.auth, window))
    elif payload.outlet:
        outlet = bank_outlet_list().filter(code=payload.outlet).first()
        if outlet is None:
            raise InvalidInput(_("No such bank outlet."), field="outlet")
        require(can_take_in_at_outlet(request.auth, outlet))
    else:
        raise InvalidInput(_("Say where the application is taken: a window or an outlet."),
                           field="window")  # fmt: skip
    item = access_item(request.auth, payload.item)
    shown = _materials_of(item, payload.shown, "shown")
    person = person_lookup(actor=request.auth, id_type=payload.id_type,
                           id_number=payload.id_number, purpose=_("Window intake"))  # fmt: skip
    enterprise = None
    if payload.enterprise_uscc:
        enterprise = enterprise_list(actor=person.user).filter(uscc=payload.enterprise_uscc).first()
        if enterprise is None:
            raise InvalidInput(_("This person does not act for the enterprise."),
                               field="enterprise_uscc")  # fmt: skip
    case = services.case_intake(
        actor=request.auth, window=window, outlet=outlet, item=item, applicant=person,
        enterprise=enterprise, form_data=payload.form, shown=shown, delivery=payload.delivery,
        delivery_address=payload.delivery_address,
    )  # fmt: skip
    return Status(201, case)


@router.get(
    "/statistics",
    response=with_problems(list[MetricsOut]),
    summary="Online, one-visit, time-cut and on-time rates, computed from the cases",
)
def statistics(request, group: Literal["all", "item", "department", "hall", "month"] = "all"):
    return selectors.case_metrics(group=None if group == "all" else group)


class InstantMetricsOut(Schema):
    key: str
    name: str
    eligible: int
    instant: int
    instant_rate: float | None
    p50_seconds: float | None
    p99_seconds: float | None


@router.get(
    "/statistics/instant",
    response=with_problems(list[InstantMetricsOut]),
    summary="秒批: instant rate and submission-to-decision time, from the cases",
)
def instant_statistics(request, group: Literal["all", "item", "department"] = "all"):
    return selectors.instant_metrics(group=None if group == "all" else group)


@router.get(
    "/staff/overdue",
    response=with_problems(list[OverdueOut], 401, 403),
    auth=django_auth,
    summary="Open cases with a yellow or red time-limit warning",
)
@paginate(BoundedPagination)
def overdue(request):
    require(request.auth.is_staff_member)
    return selectors.overdue(actor=request.auth)


@router.get("/staff/search", response=with_problems(list[CaseOut], 401, 403),
            auth=django_auth, summary="Staff search by receipt number")  # fmt: skip
@paginate(BoundedPagination)
def staff_search(request, receipt_no: str = Query(..., min_length=4, max_length=18)):
    require(request.auth.is_staff_member)
    return selectors.case_search(actor=request.auth, receipt_no=receipt_no)


@router.get("/{receipt_no}", response=with_problems(CaseDetailOut, 401, 403, 404),
            auth=django_auth)  # fmt: skip
def case(request, receipt_no: str):
    return access_case(request.auth, receipt_no)


@router.get(
    "/work-items/inbox", response=with_problems(list[WorkItemOut], 401, 403), auth=django_auth,
    summary="Work items the signed-in staff member may take, and those they hold",
)  # fmt: skip
@paginate(BoundedPagination)
def inbox(request):
    return selectors.inbox(actor=request.auth)


@router.post("/work-items/{pk}/claim", response=with_problems(WorkItemOut, 401, 403, 404, 409),
             auth=django_auth)  # fmt: skip
def claim(request, pk: int = Path(..., ge=1, le=2**62)):
    return services.work_item_claim(
        actor=request.auth, work_item=access_work_item(request.auth, pk)
    )


@router.post("/work-items/{pk}/release", response=with_problems(WorkItemOut, 401, 403, 404, 409),
             auth=django_auth)  # fmt: skip
def release(request, pk: int = Path(..., ge=1, le=2**62)):
    return services.work_item_release(
        actor=request.auth, work_item=access_work_item(request.auth, pk)
    )


@router.post("/work-items/{pk}/complete", response=with_problems(CaseOut, 401, 403, 404, 409),
             auth=django_auth)  # fmt: skip
def complete(request, payload: CompleteIn, pk: int = Path(..., ge=1, le=2**62)):
    return services.work_item_complete(
        actor=request.auth, work_item=access_work_item(request.auth, pk),
        outcome=payload.outcome, note=payload.note,
    )  # fmt: skip


@router.post(
    "/{receipt_no}/materials", response=with_problems({201: MaterialOut}, 401, 403, 404, 409),
    auth=django_auth, summary="Upload a material (PDF, JPEG, PNG or OFD; checked by content)",
)  # fmt: skip
def material_upload(request, receipt_no: str, file: File[UploadedFile],
                    material: int | None = Form(None)):  # fmt: skip
    case = access_case(request.auth, receipt_no)
    known = case.item.materials.filter(pk=material).first() if material is not None else None
    if material is not None and known is None:
        raise InvalidInput(_("This material does not belong to the service."), field="material")
    return Status(201, services.case_material_add(actor=request.auth, case=case, upload=file,
                                                  material=known))  # fmt: skip


@router.get("/{receipt_no}/materials/{pk}", auth=django_auth,
            response=with_problems({200: None}, 401, 403, 404),
            summary="Download a material's file")  # fmt: skip
def material_download(request, receipt_no: str, pk: int = Path(..., ge=1, le=2**62)):
    case = access_case(request.auth, receipt_no)
    row = CaseMaterial.objects.filter(case=case, pk=pk).exclude(file="").first()
    if row is None:
        raise NotFound()
    return material_response(row)


def material_response(row: CaseMaterial) -> FileResponse:
    response = FileResponse(row.file.open("rb"), content_type=row.content_type,
                            as_attachment=True, filename=f"{row.pk}{row.suffix}")  # fmt: skip
    response["X-Content-Type-Options"] = "nosniff"
    return response


@router.post("/{receipt_no}/supplement", response=with_problems(CaseOut, 401, 403, 404, 409),
             auth=django_auth, summary="补正: supply what the one-time notice listed")  # fmt: skip
def supplement(request, receipt_no: str, payload: SupplementIn):
    return services.case_supplement(
        actor=request.auth, case=access_case(request.auth, receipt_no),
        form_data=payload.form, note=payload.note,
    )  # fmt: skip


class WithdrawIn(Schema):
    reason: str = Field("", max_length=2000)


@router.post("/{receipt_no}/withdraw", response=with_problems(CaseOut, 401, 403, 404, 409),
             auth=django_auth, summary="撤回: withdraw (fees paid are refunded)")  # fmt: skip
def withdraw(request, receipt_no: str, payload: WithdrawIn):
    return services.case_withdraw(actor=request.auth, case=access_case(request.auth, receipt_no),
                                  reason=payload.reason)  # fmt: skip
