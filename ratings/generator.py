"""City-sized rating history, generated from a fixed seed and labelled demo: halls and stations
(up to ``halls``, the existing ones first), their windows and staff, people served, and
``count`` rated service events over ``days`` days, some bad reviews with rectifications in
every state, some found unfounded. Bulk inserts, then the rollups are rebuilt in SQL.
For the demo city and for bench/ratings.py; never on real data (production refuses)."""

from __future__ import annotations

import datetime as dt
import random

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import User, UserKind
from core.errors import Forbidden
from directory.models import Authority, Hall, Region, Window

from .models import Rating, Rectification, RectificationStatus, ServiceEvent

# How ratings fall, roughly as cities report them (above 96% satisfied); a few halls worse.
LEVEL_WEIGHTS = [(5, 78), (4, 14), (3, 5), (2, 2), (1, 1)]
DIMENSIONS_ONLINE = ("efficiency", "guide_accuracy", "convenience", "usability")
DIMENSIONS_HALL = ("efficiency", "skill", "attitude")
WORDS = [
    "办得很快",
    "窗口人员很耐心",
    "材料一次说清楚了",
    "排队时间有点长",
    "网上办理很方便",
    "指引不够清楚",
    "态度不好",
    "跑了两次",
    "",
    "",
    "",
    "",
]


def _halls(rng: random.Random, wanted: int) -> list[Hall]:
    halls = list(Hall.objects.order_by("code"))
    towns = list(Region.objects.filter(level__in=["town", "subdistrict"]).order_by("code"))
    if not towns:
        towns = list(Region.objects.exclude(level="city").order_by("code"))
    new = []
    for n in range(len(halls), wanted):
        region = towns[n % len(towns)]
        new.append(
            Hall(
                code=f"GEN-S{n:04d}",
                name_zh=f"{region.name_zh}便民服务站{n:04d}",
                name_en=f"Service station {n:04d}",
                kind="station",
                region=region,
                is_demo=True,
            )
        )
    Hall.objects.bulk_create(new, batch_size=1000)
    return list(Hall.objects.select_related("region").order_by("code"))[:wanted]


def _windows(halls: list[Hall]) -> dict[int, list[Window]]:
    have = {}
    for window in Window.objects.filter(hall__in=halls):
        have.setdefault(window.hall_id, []).append(window)
    new = [
        Window(hall=hall, number=f"G{i}", kind="intake", is_demo=True)
        for hall in halls
        if hall.pk not in have
        for i in (1, 2, 3)
    ]
    Window.objects.bulk_create(new, batch_size=2000)
    out: dict[int, list[Window]] = {}
    for window in Window.objects.filter(hall__in=halls, kind__in=["intake", "department"]):
        out.setdefault(window.hall_id, []).append(window)
    return out


def _users(prefix: str, kind: str, count: int) -> list[int]:
    existing = list(User.objects.filter(username__startswith=prefix).values_list("pk", flat=True))
    new = [
        User(
            username=f"{prefix}{n:05d}",
            display_name=f"{prefix}{n:05d}",
            kind=kind,
            password="!",
            is_demo=True,
        )
        for n in range(len(existing), count)
    ]
    User.objects.bulk_create(new, batch_size=2000)
    return list(User.objects.filter(username__startswith=prefix).values_list("pk", flat=True))


@transaction.atomic
def generate(
    *,
    count: int,
    halls: int = 374,
    days: int = 730,
    seed: int = 2026,
    people: int = 2000,
    end: dt.date | None = None,
    batch: int = 5000,
) -> dict:
    if getattr(settings, "ONESTOP_ENV", "") == "production":
        raise Forbidden()
    from .services import district_of, rollups_rebuild

    rng = random.Random(seed)
    hall_rows = _halls(rng, halls)
    windows = _windows(hall_rows)
    staff = _users("gen-staff-", UserKind.STAFF, max(1, len(hall_rows) * 2))
    persons = _users("gen-person-", UserKind.PERSON, people)
    authorities = list(
        Authority.objects.filter(region__level="city").select_related("department", "region")
    )
    districts = {hall.pk: district_of(hall.region).pk for hall in hall_rows}
    city_region = district_of(authorities[0].region).pk
    levels, weights = zip(*LEVEL_WEIGHTS, strict=True)
    end = end or timezone.localdate()
    start_ref = ServiceEvent.objects.filter(ref__startswith="GEN").count()
    zone = timezone.get_current_timezone()
    made = 0
    while made < count:
        size = min(batch, count - made)
        events, specs = [], []
        for i in range(size):
            n = start_ref + made + i
            day = end - dt.timedelta(days=rng.randrange(days))
            authority = rng.choice(authorities)
            in_hall = rng.random() < 0.45
            hall = rng.choice(hall_rows) if in_hall else None
            window = rng.choice(windows.get(hall.pk) or [None]) if hall else None
            skew = 3 if hall is not None and hall.pk % 29 == 0 else 0  # a few weaker halls
            level = rng.choices(
                levels, [w if lv > 2 else w + skew for lv, w in zip(levels, weights, strict=True)]
            )[0]
            at = dt.datetime.combine(
                day, dt.time(9 + rng.randrange(8), rng.randrange(60)), tzinfo=zone
            )
            events.append(
                ServiceEvent(
                    kind="case",
                    ref=f"GEN{n:012d}",
                    person_id=rng.choice(persons),
                    service_name=f"{authority.department.name_zh}事项（演示）",
                    channel="hall" if in_hall else "online",
                    department_id=authority.department_id,
                    authority_id=authority.pk,
                    region_id=districts[hall.pk] if hall else city_region,
                    hall_id=hall.pk if hall else None,
                    window_id=window.pk if window else None,
                    staff_id=rng.choice(staff) if hall else None,
                    ended_at=at,
                    is_demo=True,
                )
            )
            dims = DIMENSIONS_HALL if in_hall else DIMENSIONS_ONLINE
            specs.append(
                (
                    level,
                    {d: max(1, min(5, level + rng.choice((-1, 0, 0, 1)))) for d in dims},
                    rng.choice(WORDS),
                    at,
                )
            )
        events = ServiceEvent.objects.bulk_create(events, batch_size=batch)
        ratings = []
        for event, (level, dims, words, at) in zip(events, specs, strict=True):
            unfounded = level == 1 and rng.random() < 0.1
            ratings.append(
                Rating(
                    event=event,
                    person_id=event.person_id,
                    level=level,
                    dimensions=dims,
                    words=words,
                    channel=event.channel,
                    department_id=event.department_id,
                    authority_id=event.authority_id,
                    region_id=event.region_id,
                    hall_id=event.hall_id,
                    window_id=event.window_id,
                    staff_id=event.staff_id,
                    day=at.date(),
                    rated_at=at,
                    unfounded=unfounded,
                    is_demo=True,
                    unfounded_reason="经核实与办理无关（演示）" if unfounded else "",
                )
            )
        ratings = Rating.objects.bulk_create(ratings, batch_size=batch)
        fixes = []
        for rating in ratings:
            if rating.level > 2:
                continue
            due = rating.day + dt.timedelta(days=7)
            closed = due < end or rng.random() < 0.5
            on_time = closed and rng.random() < 0.93
            done_at = dt.datetime.combine(
                due if on_time else due + dt.timedelta(days=3), dt.time(16), tzinfo=zone
            )
            status = (
                RectificationStatus.UNFOUNDED
                if rating.unfounded
                else RectificationStatus.CLOSED
                if closed
                else RectificationStatus.OPEN
            )
            fixes.append(
                Rectification(
                    rating=rating,
                    authority_id=rating.authority_id,
                    status=status,
                    due_on=due,
                    response="已核实并整改（演示）" if closed else "",
                    responded_at=done_at if closed else None,
                    callback_at=done_at if status == RectificationStatus.CLOSED else None,
                    callback_note="已回访（演示）" if status == RectificationStatus.CLOSED else "",
                    on_time=on_time if status == RectificationStatus.CLOSED else None,
                    closed_at=done_at if closed else None,
                    created_at=rating.rated_at,
                )
            )
        Rectification.objects.bulk_create(fixes, batch_size=batch)
        made += size
    rollups = rollups_rebuild()
    return {"ratings": made, "halls": len(hall_rows), "rollups": rollups}
