"""The permission matrix of every e-license endpoint, generated from the OpenAPI schema."""

import json

import pytest

from accounts.models import DataAccess
from core.testing import api_operations, permission_matrix
from licenses.models import Consent, License

pytestmark = pytest.mark.django_db
PREFIX = "/api/v1/licenses"
PUBLIC = {("get", "/types"), ("post", "/verify"), ("get", "/status/{authority_id}/{purpose}")}


def operations() -> set[tuple[str, str]]:
    return api_operations(PREFIX)


def snapshot():
    return (list(License.objects.values_list("pk", "status")), DataAccess.objects.count(),
            Consent.objects.count())  # fmt: skip


def post(client, url, body=None):
    return client.post(url, json.dumps(body or {}), content_type="application/json")


@pytest.fixture
def world(login, citizen, outsider, reviewer, dispatcher, issue):
    from conftest import _staff

    license = issue(person=citizen.person)
    people = {"anonymous": None, "holder": citizen, "outsider": outsider, "samr": reviewer,
              "dispatcher": dispatcher, "psb_clerk": _staff("psb-clerk", "clerk", "PSB"),
              "psb_reviewer": _staff("psb-reviewer", "reviewer", "PSB")}  # fmt: skip
    return {"license": license, "clients": {k: login(v) for k, v in people.items()}}


def test_every_licenses_endpoint_has_a_row():
    assert operations() == set(MATRIX) | PUBLIC


def test_public_endpoints(world):
    token = world["license"].credential
    authority = world["license"].authority_id
    for name, client in world["clients"].items():
        assert client.get(f"{PREFIX}/types").status_code == 200, name
        assert post(client, f"{PREFIX}/verify", {"credential": token}).json()["valid"], name
        assert client.get(f"{PREFIX}/status/{authority}/revocation").status_code == 200, name


def _mine(w):
    return lambda c: c.get(f"{PREFIX}/mine"), {"anonymous": 401, "holder": 200, "outsider": 200}


def _one(w):
    n = w["license"].number
    return (lambda c: c.get(f"{PREFIX}/mine/{n}"),
            {"anonymous": 401, "outsider": 404, "psb_reviewer": 404, "holder": 200})  # fmt: skip


def _share(w):
    n = w["license"].number
    return (lambda c: post(c, f"{PREFIX}/mine/{n}/share"),
            {"anonymous": 401, "outsider": 404, "psb_reviewer": 404, "holder": 200})  # fmt: skip


def _status(w):
    n = w["license"].number
    body = {"status": "suspended", "reason": "核查中"}
    return (lambda c: post(c, f"{PREFIX}/{n}/status", body),
            {"anonymous": 401, "holder": 404, "samr": 404, "psb_clerk": 404,
             "psb_reviewer": 200})  # fmt: skip


def _fetch(w):
    from licenses.models import LicenseType
    from licenses.services import consent_grant

    from .conftest import authority_of

    holder = w["license"].holder_person
    consent_grant(actor=holder.user, license_type=LicenseType.objects.get(code="resident_id_card"),
                  authority=authority_of("SAMR"), case_ref="JM-CASE-1")  # fmt: skip
    body = {"license_type": "resident_id_card", "case_ref": "JM-CASE-1", "purpose": "审查",
            "id_number": holder.id_number}  # fmt: skip
    return (lambda c: post(c, f"{PREFIX}/fetch", body),
            {"anonymous": 401, "holder": 403, "dispatcher": 403, "psb_reviewer": 403,
             "samr": 200})  # fmt: skip


MATRIX = {
    ("get", "/mine"): _mine,
    ("get", "/mine/{number}"): _one,
    ("post", "/mine/{number}/share"): _share,
    ("post", "/{number}/status"): _status,
    ("post", "/fetch"): _fetch,
}


@pytest.mark.parametrize("key", sorted(MATRIX), ids=lambda k: f"{k[0].upper()} {k[1]}")
def test_permission_matrix(world, key):
    call, expect = MATRIX[key](world)
    responses = permission_matrix(call=call, clients=world["clients"], expect=expect,
                                  snapshot=snapshot)  # fmt: skip
    if key == ("get", "/mine"):
        assert responses["outsider"].json()["count"] == 0
        assert responses["holder"].json()["count"] == 1
