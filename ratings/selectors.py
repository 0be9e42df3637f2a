"""Reads of 好差评: the assessment from the rollups (never by scanning ratings on a page view),
the ratings behind a figure for staff, and a full recount to check the rollups against."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from accounts.models import User
from directory.models import Department, Hall, Region, Window

from .models import (
    BAD_LEVELS,
    SATISFIED_LEVELS,
    Rating,
    Rectification,
    RectificationStatus,
    Rollup,
    ServiceEvent,
    UnitKind,
)
from .permissions import can_read_ratings, rating_scope

FIELDS = (
    "n",
    "l1",
    "l2",
    "l3",
    "l4",
    "l5",
    "rectifications",
    "rect_closed",
    "rect_on_time",
    "callbacks",
)


@dataclass(frozen=True)
class Period:
    key: str  # "2026-11" or "2026-Q4"
    start: dt.date
    end: dt.date  # inclusive


def period_parse(value: str | None) -> Period:
    """A month (2026-11) or a quarter (2026-Q4); this month when empty or malformed."""
    value = (value or "").strip().upper()
    match = re.fullmatch(r"(\d{4})-(\d{2})", value)
    quarter = re.fullmatch(r"(\d{4})-Q([1-4])", value)
    if quarter:
        year, q = int(quarter[1]), int(quarter[2])
        start = dt.date(year, 3 * q - 2, 1)
        end = _month_end(dt.date(year, 3 * q, 1))
        return Period(f"{year}-Q{q}", start, end)
    if match and 1 <= int(match[2]) <= 12 and 2000 <= int(match[1]) <= 2100:
        start = dt.date(int(match[1]), int(match[2]), 1)
    else:
        start = timezone.localdate().replace(day=1)
    return Period(f"{start:%Y-%m}", start, _month_end(start))


def _month_end(day: dt.date) -> dt.date:
    following = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


@dataclass(frozen=True)
class Figures:
    unit: str
    unit_id: int
    name: str
    rated: int
    levels: tuple[int, int, int, int, int]  # very dissatisfied … very satisfied
    satisfaction_rate: float | None  # share of the top three levels
    bad_rate: float | None
    rectifications: int
    on_time_rate: float | None  # rectifications closed by their due date ÷ opened
    callback_rate: float | None  # rectifications with a recorded callback ÷ opened


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _figures(unit: str, unit_id: int, name: str, sums: dict) -> Figures:
    n = sums.get("n") or 0
    levels = tuple(sums.get(f"l{i}") or 0 for i in range(1, 6))
    rect = sums.get("rectifications") or 0
    return Figures(
        unit=unit,
        unit_id=unit_id,
        name=name,
        rated=n,
        levels=levels,  # type: ignore[arg-type]
        satisfaction_rate=_rate(sum(levels[i - 1] for i in SATISFIED_LEVELS), n),
        bad_rate=_rate(sum(levels[i - 1] for i in BAD_LEVELS), n),
        rectifications=rect,
        on_time_rate=_rate(sums.get("rect_on_time") or 0, rect),
        callback_rate=_rate(sums.get("callbacks") or 0, rect),
    )


def unit_names(unit: str, ids) -> dict[int, str]:
    ids = list(ids)
    if unit == UnitKind.CITY:
        return {0: "江门市"}
    if unit == UnitKind.DEPARTMENT:
        return dict(Department.objects.filter(pk__in=ids).values_list("pk", "name_zh"))
    if unit == UnitKind.REGION:
        return dict(Region.objects.filter(pk__in=ids).values_list("pk", "name_zh"))
    if unit == UnitKind.HALL:
        return dict(Hall.objects.filter(pk__in=ids).values_list("pk", "name_zh"))
    if unit == UnitKind.WINDOW:
        return {
            w.pk: f"{w.hall.name_zh} {w.number}"
            for w in Window.objects.filter(pk__in=ids).select_related("hall")
        }
    return dict(User.objects.filter(pk__in=ids).values_list("pk", "display_name"))


def assessment(
    *, unit: str, period: Period, channel: str | None = None, limit: int | None = None
) -> list[Figures]:
    """Every unit of a kind over a period, from the rollups, best satisfaction first (units
    with ratings only)."""
    rows = Rollup.objects.filter(unit=unit, day__gte=period.start, day__lte=period.end)
    if channel:
        rows = rows.filter(channel=channel)
    sums = list(rows.values("unit_id").annotate(**{f: Sum(f) for f in FIELDS}))
    names = unit_names(unit, [r["unit_id"] for r in sums])
    result = [
        _figures(unit, r["unit_id"], names.get(r["unit_id"], str(r["unit_id"])), r)
        for r in sums
        if r["n"] or r["rectifications"]
    ]
    result.sort(key=lambda f: (-(f.satisfaction_rate or 0), -f.rated, f.name))
    return result[:limit] if limit else result


def city_summary(*, period: Period) -> Figures:
    found = assessment(unit=UnitKind.CITY, period=period)
    return found[0] if found else _figures(UnitKind.CITY, 0, "江门市", {})


def trend(*, months: int = 12, unit: str = UnitKind.CITY, unit_id: int = 0) -> list[dict]:
    """Monthly figures of one unit for the last ``months`` months (for the charts)."""
    today = timezone.localdate()
    start = today.replace(day=1)
    for _ in range(months - 1):
        start = (start - dt.timedelta(days=1)).replace(day=1)
    rows = (
        Rollup.objects.filter(unit=unit, unit_id=unit_id, day__gte=start)
        .annotate(month=TruncMonth("day"))
        .values("month")
        .annotate(**{f: Sum(f) for f in FIELDS})
        .order_by("month")
    )
    out = []
    for row in rows:
        figures = _figures(unit, unit_id, "", row)
        out.append(
            {
                "month": f"{row['month']:%Y-%m}",
                "rated": figures.rated,
                "satisfaction_rate": figures.satisfaction_rate,
                "bad_rate": figures.bad_rate,
            }
        )
    return out


# Behind the figures (staff) ---------------------------------------------------------------

UNIT_FIELD: dict[str, str] = {
    UnitKind.DEPARTMENT: "department_id",
    UnitKind.REGION: "region_id",
    UnitKind.HALL: "hall_id",
    UnitKind.WINDOW: "window_id",
    UnitKind.STAFF: "staff_id",
}


def ratings_behind(*, actor, unit: str, unit_id: int, period: Period) -> QuerySet[Rating]:
    """The ratings a figure is computed from (unfounded ones included, marked), for staff who
    may read ratings, limited to their authorities unless city-wide."""
    if not can_read_ratings(actor):
        return Rating.objects.none()
    rows = Rating.objects.select_related("event", "department", "hall", "window").filter(
        day__gte=period.start, day__lte=period.end
    )
    if unit in UNIT_FIELD:
        rows = rows.filter(**{UNIT_FIELD[unit]: unit_id})
    scope = rating_scope(actor)
    if scope is not None:
        rows = rows.filter(authority_id__in=scope)
    return rows


def recount(*, unit: str, period: Period) -> dict[int, dict]:
    """The same counts straight from the raw ratings (to check the rollups)."""
    rows = Rating.objects.filter(day__gte=period.start, day__lte=period.end, unfounded=False)
    key = UNIT_FIELD.get(unit)
    measures = {"n": Count("pk"), **{f"l{i}": Count("pk", filter=Q(level=i)) for i in range(1, 6)}}
    if key is None:
        return {0: rows.aggregate(**measures)}
    counts = rows.values(key).annotate(**measures)
    return {row[key]: row for row in counts if row[key] is not None}


# The person's own -------------------------------------------------------------------------


def my_ratings(*, actor) -> QuerySet[Rating]:
    return Rating.objects.select_related("event").filter(person=actor)


def my_events_to_rate(*, actor) -> QuerySet[ServiceEvent]:
    if not getattr(actor, "is_authenticated", False):
        return ServiceEvent.objects.none()
    return ServiceEvent.objects.filter(person=actor, rating__isnull=True).order_by("-ended_at")


def rectifications_for(*, actor, status: str | None = None) -> QuerySet[Rectification]:
    """The rectifications of the actor's authorities (all for city-wide readers)."""
    rows = Rectification.objects.select_related("rating", "rating__event", "authority")
    if not can_read_ratings(actor):
        return rows.none()
    scope = rating_scope(actor)
    if scope is not None:
        rows = rows.filter(authority_id__in=scope)
    if status == "overdue":
        return rows.filter(
            status__in=[RectificationStatus.OPEN, RectificationStatus.RESPONDED],
            due_on__lt=timezone.localdate(),
        )
    return rows.filter(status=status) if status else rows


def pad_next(*, window, minutes: int = 30) -> ServiceEvent | None:
    """The visit just served at ``window`` that its person has not rated yet (the pad shows
    it until rated or ``minutes`` have passed)."""
    since = timezone.now() - dt.timedelta(minutes=minutes)
    return (ServiceEvent.objects.select_related("invitation")
            .filter(window=window, kind="hall_visit", ended_at__gte=since, rating__isnull=True)
            .order_by("-ended_at").first())  # fmt: skip
