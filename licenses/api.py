"""E-license API: types, the wallet, sharing, public verification, status lists, staff
fetch (with consent) and status changes."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Path, Router, Schema
from ninja.pagination import paginate
from ninja.security import django_auth

from accounts.services import enterprise_find, person_find
from core.errors import InvalidInput, NotFound, require
from core.pagination import BoundedPagination
from core.problems import with_problems

from . import selectors, services
from .permissions import can_change_status

router = Router(tags=["licenses"])


class LicenseTypeOut(Schema):
    code: str
    name: str
    name_zh: str
    name_en: str
    issuer: str

    @staticmethod
    def resolve_issuer(obj) -> str:
        return obj.issuer.code


@router.get("/types", response=with_problems(list[LicenseTypeOut]), summary="E-license types")
def license_types(request):
    return selectors.license_type_list()


class LicenseOut(Schema):
    number: str
    type: str
    type_name: str
    issuer: str
    issued_on: dt.date
    valid_until: dt.date | None
    status: str
    fields: dict
    credential: str

    @staticmethod
    def resolve_type(obj) -> str:
        return obj.type.code

    @staticmethod
    def resolve_type_name(obj) -> str:
        return obj.type.name

    @staticmethod
    def resolve_issuer(obj) -> str:
        return obj.authority.name


class VerifyIn(Schema):
    credential: str = Field(max_length=20000, description="The compact JWS (vc+jwt)")


class VerificationOut(Schema):
    valid: bool
    reason: str
    number: str
    type_name: str
    issuer_name: str
    holder: str = Field(description="The holder's name, masked")
    valid_from: str
    valid_until: str


class StatusIn(Schema):
    status: Literal["valid", "suspended", "revoked"]
    reason: str = Field(max_length=300)


class ShareOut(Schema):
    url: str
    expires_in_seconds: int


class FetchIn(Schema):
    license_type: str
    case_ref: str = Field(max_length=40, description="The application's receipt number")
    purpose: str = Field(max_length=300)
    id_type: str = "resident_id"
    id_number: str | None = Field(None, max_length=40, description="A person holder's ID")
    uscc: str | None = Field(None, max_length=18, description="An enterprise holder's USCC")


def _own(request, number: str):
    license = selectors.wallet(actor=request.auth).filter(number=number).first()
    if license is None:
        raise NotFound()
    return license


@router.get("/mine", response=with_problems(list[LicenseOut], 401, 403), auth=django_auth,
            summary="My wallet: my licenses and my enterprises'")  # fmt: skip
@paginate(BoundedPagination)
def my_licenses(request):
    return selectors.wallet(actor=request.auth)


@router.get("/mine/{number}", response=with_problems(LicenseOut, 401, 403, 404),
            auth=django_auth)  # fmt: skip
def my_license(request, number: str):
    return _own(request, number)


@router.post(
    "/mine/{number}/share",
    response=with_problems(ShareOut, 401, 403, 404),
    auth=django_auth,
    summary="A short-lived link that shows the verification",
)
def share(request, number: str):
    token = services.share_token(actor=request.auth, license=_own(request, number))
    return {"url": f"{settings.SITE_URL}/licenses/shared/{token}/",
            "expires_in_seconds": settings.LICENSES_SHARE_SECONDS}  # fmt: skip


@router.post(
    "/verify",
    response=with_problems(VerificationOut),
    summary="Verify a credential: signature, issuer, status, validity (public)",
)
def verify(request, payload: VerifyIn):
    return services.license_verify(actor=request.user, token=payload.credential)


@router.post("/{number}/status", response=with_problems(LicenseOut, 401, 403, 404, 409),
             auth=django_auth, summary="Suspend, reinstate or revoke (issuing staff)")  # fmt: skip
def set_status(request, number: str, payload: StatusIn):
    license = selectors.license_get(number=number)
    if license is None or not can_change_status(request.auth, license):
        raise NotFound()
    return services.license_set_status(actor=request.auth, license=license,
                                       status=payload.status, reason=payload.reason)  # fmt: skip


@router.post(
    "/fetch",
    response=with_problems(LicenseOut, 401, 403, 404, 409),
    auth=django_auth,
    summary="Fetch a holder's license for an application (staff)",
)
def fetch(request, payload: FetchIn):
    require(request.auth.is_staff_member)
    license_type = selectors.license_type_get(code=payload.license_type)
    if license_type is None:
        raise InvalidInput(_("Unknown license type."), field="license_type")
    assignment = request.auth.assignments.select_related("authority__department").first()
    require(assignment is not None)
    holder: dict = {}
    if payload.uscc:
        enterprise = enterprise_find(uscc=payload.uscc)
        if enterprise is None:
            raise NotFound()
        holder["holder_enterprise"] = enterprise
    elif payload.id_number:
        person = person_find(id_type=payload.id_type, id_number=payload.id_number)
        if person is None:
            raise NotFound()
        holder["holder_person"] = person
    else:
        raise InvalidInput(_("Give the holder's ID number or credit code."), field="id_number")
    return services.license_fetch(
        actor=request.auth, authority=assignment.authority, license_type=license_type,
        case_ref=payload.case_ref, purpose=payload.purpose, **holder,
    )  # fmt: skip


@router.get("/status/{authority_id}/{purpose}", response=with_problems({200: str}, 404),
            summary="An issuer's signed Bitstring Status List credential (vc+jwt)")  # fmt: skip
def status_list(
    request,
    authority_id: int = Path(..., ge=1, le=2**62),
    purpose: Literal["revocation", "suspension"] = Path(...),
):
    row = selectors.status_list_get(authority_id=authority_id, purpose=purpose)
    if row is None:
        raise NotFound()
    token = services.status_list_token(row)
    return HttpResponse(token, content_type="application/vc+jwt")
