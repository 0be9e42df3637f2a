"""A year of 12345 history for the demo city, from a fixed seed and labelled demo: work orders
written from the bundled tickets with the city's places, spread over the districts and the
year, most closed after a reply and a callback, some still waiting at every step. Bulk
inserts; never in production."""

from __future__ import annotations

import datetime as dt
import random

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.errors import Forbidden
from core.workdays import add_working_days
from directory.models import Region

from .models import OrderStatus, WorkOrder
from .routing import training_rows

CHANNELS = [("phone", 55), ("wechat", 20), ("web", 10), ("mobile", 12), ("hall", 3)]
STATES = [("closed", 86), ("replied", 4), ("signed", 5), ("dispatched", 3), ("received", 2)]


@transaction.atomic
def generate(*, count: int, seed: int = 12345, days: int = 365) -> int:
    if getattr(settings, "ONESTOP_ENV", "") == "production":
        raise Forbidden()
    from .services import DEADLINES, authority_for

    rng = random.Random(seed)
    rows = training_rows()
    districts = list(Region.objects.filter(level__in=["district", "county_city"]).order_by("code"))
    # Most orders are located down to a community or village of the district.
    places = {
        d.pk: list(
            Region.objects.filter(
                path__startswith=d.path, level__in=["community", "village"]
            ).order_by("code")
        )
        for d in districts
    }
    authority_cache: dict[tuple, object] = {}
    channels, channel_weights = zip(*CHANNELS, strict=True)
    states, state_weights = zip(*STATES, strict=True)
    zone = timezone.get_current_timezone()
    today = timezone.localdate()
    start = WorkOrder.objects.filter(receipt_no__startswith="12345G").count()
    orders = []
    for n in range(count):
        row = rng.choice(rows)
        district = rng.choice(districts)
        region = (
            rng.choice(places[district.pk])
            if places[district.pk] and rng.random() < 0.7
            else district
        )
        key = (row["department"], district.pk)
        if key not in authority_cache:
            authority_cache[key] = authority_for(row["department"], district)
        day = today - dt.timedelta(days=int(rng.triangular(0, days, 0)))
        at = dt.datetime.combine(
            day, dt.time(8 + rng.randrange(12), rng.randrange(60)), tzinfo=zone
        )
        state = (
            rng.choices(states, state_weights)[0]
            if day > today - dt.timedelta(days=20)
            else "closed"
        )
        due = add_working_days(day, DEADLINES.get(row["type"], 15))
        replied = at + dt.timedelta(days=rng.uniform(0.2, 12))
        closed = replied + dt.timedelta(days=rng.uniform(0.1, 2))
        satisfied = rng.random() < 0.9
        orders.append(
            WorkOrder(
                receipt_no=f"12345G{start + n:014d}",
                channel=rng.choices(channels, channel_weights)[0],
                type=row["type"],
                category=row.get("category", ""),
                text=row["text"],
                address=f"{region.name_zh}（演示）",
                region=region,
                status=OrderStatus(state),
                suggested=[{"department": row["department"], "confidence": 0.9}],
                authority=None if state == "received" else authority_cache[key],
                received_at=at,
                sign_due_at=at + dt.timedelta(hours=1),
                reply_due_on=due,
                signed_at=None
                if state in ("received", "dispatched")
                else at + dt.timedelta(hours=1),
                reply="已按规定办理并答复市民（演示）" if state in ("replied", "closed") else "",
                replied_at=replied if state in ("replied", "closed") else None,
                satisfied=satisfied if state == "closed" else None,
                closed_at=closed if state == "closed" else None,
                # Past history: late ones were urged and supervised back then.
                urged_at=at + dt.timedelta(hours=2) if state == "dispatched" else None,
                supervised_at=at + dt.timedelta(days=15) if due < today else None,
                is_demo=True,
            )
        )
    WorkOrder.objects.bulk_create(orders, batch_size=2000)
    return len(orders)
