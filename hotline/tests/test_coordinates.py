"""Where the citizen is: latitude and longitude from every channel (the site's form, the
operator's intake, the API, Open311), both or neither, in range, errors naming the field."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.errors import InvalidInput
from hotline.models import WorkOrder
from hotline.services import coordinates, order_create

pytestmark = pytest.mark.django_db
TEXT = "路口每天晚上都有流动摊贩占道经营，油烟很大。"


@pytest.mark.parametrize(
    ("lat", "lng", "field"),
    [
        ("22.5", None, "long"),
        ("", "113.08", "lat"),
        ("north", "113.08", "lat"),
        ("91", "113.08", "lat"),
        ("22.5", "-180.5", "long"),
        ("NaN", "113.08", "lat"),
        ("Infinity", "113.08", "lat"),
    ],
)
def test_bad_coordinates_name_the_field_and_leave_no_order(citizen, lat, lng, field):
    with pytest.raises(InvalidInput) as error:
        order_create(
            actor=citizen, channel="web", order_type="complaint", text=TEXT, lat=lat, lng=lng
        )
    assert error.value.field == field and not WorkOrder.objects.exists()


def test_coordinates_are_kept_to_six_decimals():
    assert coordinates("22.57901234", 113.0815) == (Decimal("22.579012"), Decimal("113.081500"))
    assert coordinates(None, "") == (None, None)


def test_a_citizen_sends_where_she_is_and_the_department_sees_it(login, citizen, dispatcher):
    me = login(citizen)
    form = {"type": "complaint", "text": TEXT, "region": "440703"}
    page = me.post("/hotline/", {**form, "lat": "22.5790", "long": "north"})
    assert page.status_code == 200 and not WorkOrder.objects.exists()
    assert 'id="id_long"' in page.content.decode() and "data-locate-me" in page.content.decode()
    assert me.post("/hotline/", {**form, "lat": "22.5790", "long": "113.0815"}).status_code == 302
    order = WorkOrder.objects.get()
    assert (order.lat, order.lng) == (Decimal("22.579000"), Decimal("113.081500"))
    shown = login(dispatcher).get(f"/hotline/staff/orders/{order.receipt_no}/").content.decode()
    assert 'data-lat="22.579000" data-long="113.081500"' in shown


def test_the_api_takes_and_gives_coordinates(login, citizen):
    api = login(citizen)
    made = api.post(
        "/api/v1/hotline/orders",
        {"type": "complaint", "text": TEXT, "lat": 22.579, "long": 113.0815},
        content_type="application/json",
    )
    assert made.status_code == 201 and (made.json()["lat"], made.json()["long"]) == (
        22.579,
        113.0815,
    )
    half = api.post(
        "/api/v1/hotline/orders",
        {"type": "complaint", "text": TEXT, "lat": 22.579},
        content_type="application/json",
    )
    assert half.status_code == 422 and WorkOrder.objects.count() == 1
