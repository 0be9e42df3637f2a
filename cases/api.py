"""Cases API: apply (with an Idempotency-Key), track, and the staff's work items."""

import datetime as dt

from django.utils.translation import gettext as _
from ninja import Field, Header, Router, Schema, Status
from ninja.pagination import paginate
from ninja.security import django_auth

from accounts.selectors import enterprise_list
from accounts.services import person_lookup
from catalog.permissions import access_item
from catalog.selectors import item_form_schema
from core.errors import InvalidInput, require
from core.pagination import BoundedPagination
from core.problems import with_problems
from directory.selectors import window_get

from . import selectors, services
from .permissions import access_case, access_work_item, can_take_in_at

router = Router(tags=["cases"])


class CaseIn(Schema):
    item: str = Field(description="Service item code")
    form: dict = Field(default_factory=dict, description="Answers to the item's form schema")
    channel: str = "online"
    enterprise_uscc: str | None = Field(None, description="Apply for this enterprise")


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

    @staticmethod
    def resolve_item(obj) -> str:
        return obj.item.code


class EventOut(Schema):
    action: str
    at: dt.datetime
    note: str


class CaseDetailOut(CaseOut):
    form_data: dict
    missing: list[str]
    paused_on: dt.date | None
    events: list[EventOut]

    @staticmethod
    def resolve_events(obj):
        return list(obj.events.all())


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
    window: int = Field(description="The intake window's id")
    item: str
    id_type: str = "resident_id"
    id_number: str = Field(max_length=40, description="The walk-in applicant's ID number")
    form: dict = Field(default_factory=dict)


class CompleteIn(Schema):
    outcome: dict = Field(default_factory=dict, description="accept: accepted; decide: decision")
    note: str = Field("", max_length=2000)


@router.get("/forms/{code}", response=with_problems(dict, 404), summary="An item's form schema")
def form_schema(request, code: str):
    return item_form_schema(item=access_item(request.user, code))


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
    before = idempotency_key and selectors.case_list(actor=request.auth).filter(
        applicant=request.auth, idempotency_key=idempotency_key).exists()  # fmt: skip
    case = services.case_submit(
        actor=request.auth, item=item, form_data=payload.form, channel=payload.channel,
        enterprise=enterprise, idempotency_key=idempotency_key,
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
    window = window_get(pk=payload.window)
    if window is None:
        raise InvalidInput(_("No such window."), field="window")
    require(can_take_in_at(request.auth, window))
    person = person_lookup(actor=request.auth, id_type=payload.id_type,
                           id_number=payload.id_number, purpose=_("Window intake"))  # fmt: skip
    case = services.case_intake_at_window(
        actor=request.auth, window=window, item=access_item(request.auth, payload.item),
        applicant=person, form_data=payload.form,
    )  # fmt: skip
    return Status(201, case)


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
def claim(request, pk: int):
    return services.work_item_claim(
        actor=request.auth, work_item=access_work_item(request.auth, pk)
    )


@router.post("/work-items/{pk}/release", response=with_problems(WorkItemOut, 401, 403, 404, 409),
             auth=django_auth)  # fmt: skip
def release(request, pk: int):
    return services.work_item_release(
        actor=request.auth, work_item=access_work_item(request.auth, pk)
    )


@router.post("/work-items/{pk}/complete", response=with_problems(CaseOut, 401, 403, 404, 409),
             auth=django_auth)  # fmt: skip
def complete(request, pk: int, payload: CompleteIn):
    return services.work_item_complete(
        actor=request.auth, work_item=access_work_item(request.auth, pk),
        outcome=payload.outcome, note=payload.note,
    )  # fmt: skip


@router.post("/{receipt_no}/supplement", response=with_problems(CaseOut, 401, 403, 404, 409),
             auth=django_auth, summary="补正: supply what the one-time notice listed")  # fmt: skip
def supplement(request, receipt_no: str, payload: SupplementIn):
    return services.case_supplement(
        actor=request.auth, case=access_case(request.auth, receipt_no),
        form_data=payload.form, note=payload.note,
    )  # fmt: skip
