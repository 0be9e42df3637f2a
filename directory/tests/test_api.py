import pytest
from django.test import Client

from directory.models import Region
from directory.services import hall_upsert, window_upsert

pytestmark = pytest.mark.django_db


def test_regions_are_public_and_paginated():
    response = Client().get("/api/v1/directory/regions?level=district")
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 3
    assert [r["code"] for r in data["items"]] == ["440703", "440704", "440705"]
    assert data["items"][0]["name"] == "蓬江区"


def test_region_names_follow_the_language():
    response = Client(headers={"accept-language": "zh-hant"}).get(
        "/api/v1/directory/regions?level=district&limit=1"
    )
    assert response.json()["items"][0]["name"] == "蓬江區"
    response = Client(headers={"accept-language": "en"}).get(
        "/api/v1/directory/regions?level=district&limit=1"
    )
    assert response.json()["items"][0]["name"] == "Pengjiang District"


def test_departments_with_authority_counts():
    rows = {d["code"]: d for d in Client().get("/api/v1/directory/departments").json()}
    assert len(rows) == 28
    assert rows["SAMR"]["authority_count"] == 2
    assert rows["PSB"]["authority_count"] == 1


def test_hall_detail_and_missing_hall():
    hall = hall_upsert(
        code="T-2", name_zh="测试站", kind="station", region=Region.objects.get(code="440703")
    )
    window_upsert(hall=hall, number="A01", kind="intake")
    data = Client().get("/api/v1/directory/halls/T-2").json()
    assert data["windows"] == [{"number": "A01", "kind": "intake", "authorities": []}]
    missing = Client().get("/api/v1/directory/halls/NOPE")
    assert missing.status_code == 404
    assert missing["content-type"] == "application/problem+json"
