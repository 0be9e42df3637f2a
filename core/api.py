"""Public utility endpoints: identifier checks and the working-day calendar."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from . import workdays
from .errors import InvalidInput
from .ids import PERSON_ID_CHECKS, IdType, check_mainland_mobile, check_uscc
from .problems import with_problems

router = Router(tags=["utilities"])

IdentifierKind = Literal[
    "resident_id", "hk_id", "macao_id", "hkmo_permit", "residence_permit", "uscc", "mobile"
]


class IdentifierIn(Schema):
    kind: IdentifierKind
    value: str = Field(..., max_length=40)


class IdentifierOut(Schema):
    kind: str
    valid: bool
    normalised: str | None
    error: str | None
    warnings: list[str]


class WorkdayOut(Schema):
    start: dt.date
    days: int
    result: dt.date
    estimated: bool = Field(..., description="True when a date lies beyond the official data")


class BetweenOut(Schema):
    start: dt.date
    end: dt.date
    working_days: int
    estimated: bool


@router.post(
    "/identifiers/check",
    response=with_problems(IdentifierOut),
    summary="Check an identity number or credit code (nothing is stored)",
)
def check_identifier(request, payload: IdentifierIn):
    """POST, so the number never lands in a URL or an access log."""
    kind, value = payload.kind, payload.value
    if kind == "uscc":
        checked = check_uscc(value)
    elif kind == "mobile":
        checked = check_mainland_mobile(value)
    else:
        checked = PERSON_ID_CHECKS[IdType(kind)](value)
    # The value itself is not echoed back unless it is valid (it may be personal data).
    return IdentifierOut(
        kind=kind,
        valid=checked.ok,
        error=checked.error,
        normalised=checked.value if checked.ok else None,
        warnings=list(checked.warnings),
    )


def _in_range(day: dt.date, field: str) -> None:
    if not dt.date(2004, 1, 1) <= day <= dt.date(2100, 12, 31):
        raise InvalidInput(_("Dates must lie between 2004-01-01 and 2100-12-31."), field=field)


@router.get(
    "/calendar/add-working-days",
    response=with_problems(WorkdayOut),
    summary="The date N working days after a date (Chinese statutory calendar)",
)
def add_working_days(request, start: dt.date, days: int = Query(..., ge=0, le=3650)):
    _in_range(start, "start")
    result = workdays.add_working_days(start, days)
    _in_range(result, "days")
    estimated = workdays.is_estimated(start) or workdays.is_estimated(result)
    return WorkdayOut(start=start, days=days, result=result, estimated=estimated)


@router.get(
    "/calendar/working-days-between",
    response=with_problems(BetweenOut),
    summary="Working days in (start, end]",
)
def working_days_between(request, start: dt.date, end: dt.date):
    _in_range(start, "start")
    _in_range(end, "end")
    if abs((end - start).days) > 3660:
        raise InvalidInput(_("The span may be at most ten years."), field="end")
    count = workdays.working_days_between(start, end)
    estimated = workdays.is_estimated(start) or workdays.is_estimated(end)
    return BetweenOut(start=start, end=end, working_days=count, estimated=estimated)
