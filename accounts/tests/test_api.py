import json

import pytest
from django.test import Client

from accounts.models import DataAccess, EnterpriseAgent, Person, User
from conftest import PASSWORD, make_resident_id, make_uscc
from core.testing import permission_matrix

pytestmark = pytest.mark.django_db
JSON = "application/json"


def body(**overrides):
    data = {
        "name": "梁嘉欣",
        "id_type": "resident_id",
        "id_number": make_resident_id(seq=301),
        "phone": "13900000301",
        "password": PASSWORD,
    }
    data.update(overrides)
    return json.dumps(data)


def test_register_returns_masked_profile_and_signs_in():
    client = Client()
    response = client.post("/api/v1/accounts/register", body(), content_type=JSON)
    assert response.status_code == 201
    number = make_resident_id(seq=301)
    assert response.json()["masked_id"] == number[:6] + "********" + number[-4:]
    assert response.json()["masked_phone"] == "139****0301"
    assert number not in response.content.decode()
    assert client.get("/api/v1/accounts/me").json()["display_name"] == "梁嘉欣"


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "The check character (the last one) does not match: mistyped?"),
        ("zh-hans", "校验位（最后一位）不正确，请检查是否输错。"),
        ("zh-hant", "校驗位（最後一位）不正確，請檢查是否輸錯。"),
        ("pt", "O carácter de controlo (o último) não corresponde: erro de digitação?"),
    ],
)
def test_wrong_check_digit_is_a_422_naming_the_field_in_the_users_language(language, message):
    good = make_resident_id(seq=301)
    bad = good[:-1] + ("1" if good[-1] != "1" else "2")
    response = Client(headers={"accept-language": language}).post(
        "/api/v1/accounts/register", body(id_number=bad), content_type=JSON
    )
    assert response.status_code == 422
    assert response["content-type"] == "application/problem+json"
    assert response.json()["errors"] == [{"field": "id_number", "message": message}]
    assert User.objects.count() == 0 and Person.objects.count() == 0


def test_schema_errors_name_the_field():
    response = Client().post(
        "/api/v1/accounts/register", body(id_type="passport"), content_type=JSON
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["id_type"]


def test_me_needs_sign_in():
    response = Client().get("/api/v1/accounts/me")
    assert response.status_code == 401
    assert response.json()["status"] == 401


def test_preferences_change_only_my_own(login, citizen, outsider):
    response = login(citizen).patch(
        "/api/v1/accounts/me/preferences",
        json.dumps({"elderly_mode": True, "preferred_language": "zh-hant"}),
        content_type=JSON,
    )
    assert response.status_code == 200
    citizen.refresh_from_db()
    outsider.refresh_from_db()
    assert (citizen.elderly_mode, citizen.preferred_language) == (True, "zh-hant")
    assert (outsider.elderly_mode, outsider.preferred_language) == (False, "zh-hans")


def test_enterprise_is_visible_to_those_who_act_for_it(
    login, enterprise, agent, outsider, reviewer, dispatcher
):
    url = f"/api/v1/accounts/enterprises/{enterprise.pk}"
    responses = permission_matrix(
        call=lambda client: client.get(url),
        clients={
            "anonymous": login(None),
            "outsider": login(outsider),
            "dispatcher": login(dispatcher),
            "agent": login(agent),
            "owner": login(enterprise.legal_representative.user),
            "reviewer": login(reviewer),
        },
        expect={
            "anonymous": 401,
            "outsider": 404,
            "dispatcher": 404,
            "agent": 200,
            "owner": 200,
            "reviewer": 200,
        },
        snapshot=lambda: None,
    )
    assert responses["agent"].json()["uscc"] == enterprise.uscc
    assert login(outsider).get("/api/v1/accounts/enterprises/999999").status_code == 404


def test_adding_an_agent_permission_matrix(login, enterprise, agent, outsider, clerk, citizen):
    other = __import__("accounts.services", fromlist=["x"]).enterprise_register(
        actor=outsider, uscc=make_uscc(2), name="别人的公司"
    )
    payload = json.dumps({"id_type": "resident_id", "id_number": make_resident_id(seq=101)})

    def snapshot():
        return sorted(
            EnterpriseAgent.objects.values_list("enterprise_id", "person_id", "revoked_at")
        )

    owner = login(enterprise.legal_representative.user)
    permission_matrix(
        call=lambda client: client.post(
            f"/api/v1/accounts/enterprises/{enterprise.pk}/agents", payload, content_type=JSON
        ),
        clients={
            "anonymous": login(None),
            "outsider": login(outsider),
            "agent": login(agent),
            "clerk": login(clerk),
            "owner": owner,
        },
        expect={"anonymous": 401, "outsider": 404, "agent": 403, "clerk": 403, "owner": 201},
        snapshot=snapshot,
    )
    # Someone else's enterprise: the owner of one cannot touch the other.
    before = snapshot()
    response = owner.post(
        f"/api/v1/accounts/enterprises/{other.pk}/agents", payload, content_type=JSON
    )
    assert response.status_code == 404
    assert snapshot() == before


def test_revoking_an_agent(login, enterprise, agent):
    record = EnterpriseAgent.objects.get(person=agent.person)
    url = f"/api/v1/accounts/enterprises/{enterprise.pk}/agents/{record.pk}"
    assert login(agent).delete(url).status_code == 403
    response = login(enterprise.legal_representative.user).delete(url)
    assert response.status_code == 200 and response.json()["revoked_at"] is not None
    assert login(agent).get(f"/api/v1/accounts/enterprises/{enterprise.pk}").status_code == 404


def test_person_lookup_permission_matrix_and_access_log(
    login, clerk, reviewer, dispatcher, citizen, outsider
):
    payload = json.dumps(
        {
            "id_type": "resident_id",
            "id_number": make_resident_id(seq=101),
            "purpose": "窗口受理：核验申请人身份",
        }
    )
    responses = permission_matrix(
        call=lambda client: client.post(
            "/api/v1/accounts/persons/lookup", payload, content_type=JSON
        ),
        clients={
            "anonymous": login(None),
            "citizen": login(outsider),
            "dispatcher": login(dispatcher),
            "clerk": login(clerk),
        },
        expect={"anonymous": 401, "citizen": 403, "dispatcher": 403, "clerk": 200},
        snapshot=lambda: DataAccess.objects.count(),
    )
    assert responses["clerk"].json()["masked_phone"] == "138****0101"
    log = login(citizen).get("/api/v1/accounts/me/data-access").json()
    assert [(a["staff"], a["purpose"], a["authority"]) for a in log] == [
        ("clerk", "窗口受理：核验申请人身份", "江门市市场监督管理局")
    ]
    assert login(outsider).get("/api/v1/accounts/me/data-access").json() == []
