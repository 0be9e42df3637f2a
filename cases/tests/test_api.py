import json

import pytest

from cases.models import Case, WorkItem
from core.testing import permission_matrix

pytestmark = pytest.mark.django_db
JSON = "application/json"
BODY = {"item": "SAMR-0001", "form": {"contact_phone": "13800000101", "address": "江门市"}}


def post(client, url, body=None, **headers):
    return client.post(url, json.dumps(body or {}), content_type=JSON, **headers)


def test_submit_with_an_idempotency_key_twice_makes_one_case(login, citizen):
    client = login(citizen)
    first = post(client, "/api/v1/cases/", BODY, HTTP_IDEMPOTENCY_KEY="retry-1")
    assert first.status_code == 201
    again = post(client, "/api/v1/cases/", BODY, HTTP_IDEMPOTENCY_KEY="retry-1")
    assert again.status_code == 200
    assert again.json()["receipt_no"] == first.json()["receipt_no"]
    assert Case.objects.count() == 1


def test_submit_errors_name_the_field(login, citizen):
    bad = post(login(citizen), "/api/v1/cases/", {"item": "SAMR-0001", "form": {}})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "form.contact_phone"
    assert post(login(None), "/api/v1/cases/", BODY).status_code == 401
    assert Case.objects.count() == 0


def test_form_schema_is_public(client):
    schema = client.get("/api/v1/cases/forms/SAMR-0002").json()
    assert schema["required"] == ["contact_phone", "address"]
    assert "business_scope" in schema["properties"]


def test_case_permission_matrix(login, citizen, outsider, clerk, dispatcher):
    receipt = post(login(citizen), "/api/v1/cases/", BODY).json()["receipt_no"]
    responses = permission_matrix(
        call=lambda client: client.get(f"/api/v1/cases/{receipt}"),
        clients={"anonymous": login(None), "outsider": login(outsider),
                 "dispatcher": login(dispatcher), "applicant": login(citizen),
                 "clerk": login(clerk)},
        expect={"anonymous": 401, "outsider": 404, "dispatcher": 404, "applicant": 200,
                "clerk": 200},
        snapshot=lambda: list(Case.objects.values_list("status", "version")),
    )  # fmt: skip
    assert [e["action"] for e in responses["applicant"].json()["events"]] == [
        "submitted",
        "instant.referred",
    ]  # SAMR-0001 is instant: no consent, so to a person
    assert login(outsider).get("/api/v1/cases/").json()["count"] == 0


def test_claim_and_complete_permission_matrix(login, citizen, outsider, clerk, reviewer):
    post(login(citizen), "/api/v1/cases/", BODY)
    work = WorkItem.objects.get()
    permission_matrix(
        call=lambda client: post(client, f"/api/v1/cases/work-items/{work.pk}/claim"),
        clients={"anonymous": login(None), "citizen": login(citizen),
                 "reviewer": login(reviewer), "clerk": login(clerk)},
        expect={"anonymous": 401, "citizen": 404, "reviewer": 404, "clerk": 200},
        snapshot=lambda: list(WorkItem.objects.values_list("status", "claimed_by")),
    )  # fmt: skip
    assert post(login(clerk), f"/api/v1/cases/work-items/{work.pk}/claim").status_code == 409
    inbox = login(clerk).get("/api/v1/cases/work-items/inbox").json()
    assert [w["id"] for w in inbox["items"]] == [work.pk]
    done = post(login(clerk), f"/api/v1/cases/work-items/{work.pk}/complete",
                {"outcome": {"accepted": True}})  # fmt: skip
    assert done.status_code == 200 and done.json()["status"] == "under_review"
    review = WorkItem.objects.get(step="review")
    assert [
        w["id"] for w in login(reviewer).get("/api/v1/cases/work-items/inbox").json()["items"]
    ] == [review.pk]


def test_window_intake_and_supplementation_through_the_api(login, citizen, clerk, reviewer,
                                                           outsider):  # fmt: skip
    from conftest import make_resident_id
    from directory.models import Region
    from directory.services import hall_upsert, window_upsert

    hall = hall_upsert(code="T-C", name_zh="测试中心", kind="centre",
                       region=Region.objects.get(level="city"))  # fmt: skip
    window = window_upsert(hall=hall, number="A01", kind="intake")
    body = {"window": window.pk, "item": "SAMR-0001", "id_number": make_resident_id(seq=101),
            "form": BODY["form"]}  # fmt: skip
    assert post(login(outsider), "/api/v1/cases/intake", body).status_code == 403
    taken = post(login(clerk), "/api/v1/cases/intake", body)
    assert taken.status_code == 201, taken.content
    receipt = taken.json()["receipt_no"]
    assert taken.json()["status"] == "under_review"
    # The citizen sees who looked at their data, and why.
    assert citizen.person.data_accesses.count() == 1

    work = WorkItem.objects.get(step="review", status="open")
    assert post(login(reviewer), f"/api/v1/cases/work-items/{work.pk}/claim").status_code == 200
    asked = post(login(reviewer), f"/api/v1/cases/work-items/{work.pk}/complete",
                 {"outcome": {"supplement": True, "missing": ["租赁合同"]}})  # fmt: skip
    assert asked.json()["status"] == "supplementation"
    detail = login(citizen).get(f"/api/v1/cases/{receipt}").json()
    assert detail["missing"] == ["租赁合同"] and detail["paused_on"] is not None
    assert post(login(outsider), f"/api/v1/cases/{receipt}/supplement").status_code == 404
    done = post(login(citizen), f"/api/v1/cases/{receipt}/supplement", {"note": "已补交"})
    assert done.status_code == 200 and done.json()["status"] == "under_review"
