import json

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db
JSON = "application/json"


def check(kind: str, value: str, language: str = "en"):
    return Client(headers={"accept-language": language}).post(
        "/api/v1/identifiers/check", json.dumps({"kind": kind, "value": value}), content_type=JSON
    )


def test_identifier_check_reports_validity_without_echoing_bad_numbers():
    assert check("resident_id", "11010519491231002x").json() == {
        "kind": "resident_id",
        "valid": True,
        "normalised": "11010519491231002X",
        "error": None,
        "warnings": [],
    }
    bad = check("resident_id", "110105194912310021").json()
    assert bad["valid"] is False and bad["normalised"] is None
    assert bad["error"] == "The check character (the last one) does not match: mistyped?"
    assert check("hk_id", "A123456(3)").json()["normalised"] == "A123456(3)"
    assert check("uscc", "91350100M000100Y43", "zh-hans").json()["valid"] is True


def test_working_days_endpoints():
    added = Client().get("/api/v1/calendar/add-working-days?start=2025-09-30&days=3").json()
    assert added == {"start": "2025-09-30", "days": 3, "result": "2025-10-11", "estimated": False}
    between = (
        Client().get("/api/v1/calendar/working-days-between?start=2025-09-30&end=2025-10-11").json()
    )
    assert between["working_days"] == 3
    out = Client().get("/api/v1/calendar/add-working-days?start=1999-01-01&days=1")
    assert out.status_code == 422
    assert out.json()["errors"][0]["field"] == "start"


def test_nul_characters_are_refused_before_they_reach_the_database():
    response = Client().get("/api/v1/directory/regions?within=%00x")
    assert response.status_code == 400
    assert response["content-type"] == "application/problem+json"
    body = json.dumps({"kind": "uscc", "value": "a\u0000b"})
    assert Client().post("/api/v1/identifiers/check", body, content_type=JSON).status_code == 400
    assert Client().get("/halls/?q=%00").status_code == 400
