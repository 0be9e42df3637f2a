import json

import pytest

from catalog.models import ItemChange, ServiceItem
from core.testing import permission_matrix

pytestmark = pytest.mark.django_db
JSON = "application/json"


def test_items_are_public_paginated_and_filtered(client):
    response = client.get("/api/v1/catalog/items?department=CIVIL&limit=5")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == ServiceItem.objects.filter(department__code="CIVIL").count()
    assert len(body["items"]) == 5 and {i["department"] for i in body["items"]} == {"CIVIL"}
    instant = client.get("/api/v1/catalog/items?instant=true&limit=100").json()
    assert instant["count"] == ServiceItem.objects.filter(instant=True).count()


def test_item_guide_in_the_asked_language(client):
    body = client.get("/api/v1/catalog/items/SAMR-0001?lang=en").json()
    assert body["name"] == "Registration of an individual business"
    assert body["legal_limit_days"] == 3 and body["promised_limit_days"] == 0
    id_card = [m for m in body["materials"] if m["e_license"] == "resident_id_card"]
    assert id_card and id_card[0]["required"] is True
    hant = client.get("/api/v1/catalog/items/SAMR-0001?lang=zh-hant").json()
    assert hant["name"].startswith("個體工商") and hant["name"].endswith("設立登記")
    assert client.get("/api/v1/catalog/items/NOPE-0001").status_code == 404


def test_life_events_and_bundles(client):
    events = client.get("/api/v1/catalog/life-events").json()
    birth = next(e for e in events if e["code"] == "birth")
    assert birth["item_count"] == ServiceItem.objects.filter(life_events__code="birth").count()
    bundles = client.get("/api/v1/catalog/bundles").json()
    assert len(bundles) >= 8
    detail = client.get("/api/v1/catalog/bundles/new-baby").json()
    assert [i["code"] for i in detail["items"]][:2] == ["HEALTH-0001", "PSB-0001"]
    names = [m["name"] for m in detail["materials"]]
    assert len(names) == len(set(names))
    assert client.get("/api/v1/catalog/bundles/nope").status_code == 404


def test_search_api_returns_codes_scores_and_matched_terms(client):
    response = client.get("/api/v1/catalog/search", {"q": "開飯館", "lang": "en", "limit": 3})
    assert response.status_code == 200
    body = response.json()
    first = body["results"][0]
    assert first["code"] == "SAMR-0008"
    assert first["name"] == ServiceItem.objects.get(code="SAMR-0008").name_en
    assert first["score"] > 0 and "食品经营" in first["matched_terms"]
    assert any(m["source"] == "lexicon" and m["origin"] == "开饭馆" for m in first["matches"])
    assert len(body["results"]) <= 3


@pytest.mark.parametrize(
    ("params", "field"),
    [({"q": ""}, "q"), ({"q": "x" * 201}, "q"), ({}, "q"), ({"q": "a", "limit": 0}, "limit"),
     ({"q": "a", "channel": "fax"}, "channel")],
)  # fmt: skip
def test_search_api_bad_input_is_a_problem_naming_the_field(client, params, field):
    response = client.get("/api/v1/catalog/search", params)
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert field in json.dumps(response.json()["errors"])


@pytest.mark.parametrize("q", ['"', "NEAR(x y)", "😀", "' OR 1=1 --", "%", "*"])
def test_search_api_odd_input_is_an_answer_not_an_error(client, q):
    response = client.get("/api/v1/catalog/search", {"q": q})
    assert response.status_code == 200
    assert isinstance(response.json()["results"], list)


def test_editing_an_item_permission_matrix(login, citizen, clerk, catalog_editor):
    url = "/api/v1/catalog/items/PSB-0013"
    permission_matrix(
        call=lambda client: client.patch(url, json.dumps({"promised_limit_days": 3}),
                                         content_type=JSON),
        clients={"anonymous": login(None), "citizen": login(citizen), "clerk": login(clerk),
                 "editor": login(catalog_editor)},
        expect={"anonymous": 401, "citizen": 403, "clerk": 403, "editor": 200},
        snapshot=lambda: (ServiceItem.objects.get(code="PSB-0013").promised_limit_days,
                          ItemChange.objects.count()),
    )  # fmt: skip
    assert ServiceItem.objects.get(code="PSB-0013").promised_limit_days == 3


def test_editing_refuses_a_new_code(login, catalog_editor):
    client = login(catalog_editor)
    response = client.patch("/api/v1/catalog/items/PSB-0013", json.dumps({"code": "X-1"}),
                            content_type=JSON)  # fmt: skip
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "code"
    assert ServiceItem.objects.filter(code="PSB-0013").exists()
