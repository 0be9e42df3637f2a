"""Ratings API: rate a service, follow a bad review's rectification, read the assessment."""

import datetime as dt
from typing import Literal

from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from ninja.security import django_auth

from core.errors import Forbidden, NotFound
from core.pagination import BoundedPagination
from core.problems import with_problems

from . import selectors, services
from .models import Rating, Rectification, ServiceEvent, UnitKind
from .permissions import can_read_ratings, can_view_rectification

router = Router(tags=["ratings"])
Unit = Literal["city", "department", "region", "hall", "window", "staff"]


class EventOut(Schema):
    id: int
    kind: str
    ref: str
    service_name: str
    channel: str
    ended_at: dt.datetime


class RectificationOut(Schema):
    id: int
    status: str
    due_on: dt.date
    response: str
    evidence: str
    responded_at: dt.datetime | None
    callback_at: dt.datetime | None
    rater_satisfied: bool | None
    on_time: bool | None


class RatingOut(Schema):
    id: int
    event: int = Field(..., alias="event_id")
    level: int
    dimensions: dict[str, int]
    words: str
    rated_at: dt.datetime
    changed_at: dt.datetime | None
    unfounded: bool
    rectification: RectificationOut | None = None

    @staticmethod
    def resolve_rectification(obj):
        return Rectification.objects.filter(rating=obj).first()


class RateIn(Schema):
    level: int = Field(..., ge=1, le=5, description="1 very dissatisfied … 5 very satisfied")
    dimensions: dict[str, int] = Field(default_factory=dict)
    words: str = Field("", max_length=1000)


class TokenRateIn(RateIn):
    token: str = Field(..., max_length=400, description="From the invitation's link")


def access_event(actor, pk: int) -> ServiceEvent:
    event = ServiceEvent.objects.filter(pk=pk).first()
    if event is None or event.person_id != getattr(actor, "pk", None):
        raise NotFound()  # the same answer for someone else's event and a missing one
    return event


@router.get(
    "/events/pending",
    response=with_problems(list[EventOut], 401),
    auth=django_auth,
    summary="My services waiting for a rating",
)
def pending(request):
    return list(selectors.my_events_to_rate(actor=request.auth)[:100])


@router.post(
    "/events/{pk}/rating",
    response=with_problems({201: RatingOut, 200: RatingOut}, 401, 403, 404, 409),
    auth=django_auth,
    summary="Rate a service (or change it)",
)
def rate(request, pk: int, body: RateIn):
    event = access_event(request.auth, pk)
    existed = Rating.objects.filter(event=event).exists()
    rating = services.rate(
        actor=request.auth,
        event=event,
        level=body.level,
        dimensions=body.dimensions,
        words=body.words,
    )
    return Status(200 if existed else 201, rating)


@router.post(
    "/rate-by-token",
    response=with_problems({201: RatingOut}, 404, 409),
    summary="Rate through the invitation's signed link (works once)",
)
def rate_by_token(request, body: TokenRateIn):
    invitation = services.invitation_from_token(body.token)
    rating = services.rate(
        actor=None,
        event=invitation.event,
        level=body.level,
        dimensions=body.dimensions,
        words=body.words,
        token=body.token,
    )
    return Status(201, rating)


@router.get(
    "/mine",
    response=with_problems(list[RatingOut], 401),
    auth=django_auth,
    summary="My ratings and how my bad reviews were followed up",
)
def mine(request):
    return list(selectors.my_ratings(actor=request.auth)[:200])


class FiguresOut(Schema):
    unit: str
    unit_id: int
    name: str
    rated: int
    levels: list[int] = Field(..., description="Counts, very dissatisfied … very satisfied")
    satisfaction_rate: float | None = Field(..., description="Share of the top three levels")
    bad_rate: float | None
    rectifications: int
    on_time_rate: float | None
    callback_rate: float | None


class AssessmentQuery(Schema):
    unit: Unit = "department"
    period: str = Field("", max_length=7, description="2026-11 or 2026-Q4; this month if empty")
    channel: Literal["online", "hall"] | None = None


@router.get(
    "/assessment",
    response=with_problems(list[FiguresOut], 403),
    summary="Satisfaction per unit and period (public aggregates)",
)
def assessment(request, query: Query[AssessmentQuery]):
    if query.unit == UnitKind.STAFF and not can_read_ratings(request.user):
        raise Forbidden()  # individual staff figures are for staff
    return selectors.assessment(
        unit=query.unit, period=selectors.period_parse(query.period), channel=query.channel
    )


class TrendOut(Schema):
    month: str
    rated: int
    satisfaction_rate: float | None
    bad_rate: float | None


@router.get(
    "/trend",
    response=with_problems(list[TrendOut]),
    summary="The city's monthly satisfaction (public)",
)
def trend(request, months: int = Query(12, ge=1, le=36)):
    return selectors.trend(months=months)


class BehindOut(Schema):
    id: int
    level: int
    words: str
    day: dt.date
    service_name: str
    unfounded: bool

    @staticmethod
    def resolve_service_name(obj) -> str:
        return obj.event.service_name


class BehindQuery(Schema):
    unit: Unit
    unit_id: int = Field(0, ge=0, le=2**62)
    period: str = Field("", max_length=7)


@router.get(
    "/behind",
    response=with_problems(list[BehindOut], 401, 403),
    auth=django_auth,
    summary="The ratings a figure is computed from (staff)",
)
@paginate(BoundedPagination)
def behind(request, query: Query[BehindQuery]):
    if not can_read_ratings(request.auth):
        raise Forbidden()
    return selectors.ratings_behind(
        actor=request.auth,
        unit=query.unit,
        unit_id=query.unit_id,
        period=selectors.period_parse(query.period),
    )


class StaffRectificationOut(RectificationOut):
    rating: int = Field(..., alias="rating_id")
    level: int
    words: str
    service_name: str

    @staticmethod
    def resolve_level(obj) -> int:
        return obj.rating.level

    @staticmethod
    def resolve_words(obj) -> str:
        return obj.rating.words

    @staticmethod
    def resolve_service_name(obj) -> str:
        return obj.rating.event.service_name


@router.get(
    "/rectifications",
    response=with_problems(list[StaffRectificationOut], 401, 403),
    auth=django_auth,
    summary="Rectifications of my units (staff)",
)
@paginate(BoundedPagination)
def rectifications(
    request, status: Literal["open", "responded", "closed", "unfounded", "overdue"] | None = None
):
    if not can_read_ratings(request.auth):
        raise Forbidden()
    return selectors.rectifications_for(actor=request.auth, status=status)


def access_rectification(actor, pk: int) -> Rectification:
    row = Rectification.objects.select_related("rating", "rating__event").filter(pk=pk).first()
    if row is None or not can_view_rectification(actor, row):
        raise NotFound()
    return row


class RespondIn(Schema):
    response: str = Field(..., max_length=4000)
    evidence: str = Field("", max_length=4000)


@router.post(
    "/rectifications/{pk}/respond",
    response=with_problems(StaffRectificationOut, 401, 403, 404, 409),
    auth=django_auth,
    summary="The unit's response and evidence",
)
def respond(request, pk: int, body: RespondIn):
    return services.rectification_respond(
        actor=request.auth,
        rectification=access_rectification(request.auth, pk),
        response=body.response,
        evidence=body.evidence,
    )


class CallbackIn(Schema):
    note: str = Field(..., max_length=4000)
    rater_satisfied: bool | None = None


@router.post(
    "/rectifications/{pk}/callback",
    response=with_problems(StaffRectificationOut, 401, 403, 404, 409),
    auth=django_auth,
    summary="回访: record the callback, close",
)
def callback(request, pk: int, body: CallbackIn):
    return services.rectification_callback(
        actor=request.auth,
        rectification=access_rectification(request.auth, pk),
        note=body.note,
        rater_satisfied=body.rater_satisfied,
    )


class UnfoundedIn(Schema):
    reason: str = Field(..., max_length=2000)


@router.post(
    "/ratings/{pk}/unfounded",
    response=with_problems(RatingOut, 401, 403, 404, 409),
    auth=django_auth,
    summary="Mark a bad review unfounded (supervisor)",
)
def unfounded(request, pk: int, body: UnfoundedIn):
    rating = Rating.objects.filter(pk=pk).first()
    if rating is None or not can_read_ratings(request.auth):
        raise NotFound()
    return services.rating_mark_unfounded(actor=request.auth, rating=rating, reason=body.reason)
