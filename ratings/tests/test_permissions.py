"""The permission matrix of every ratings endpoint, generated from the OpenAPI schema: each
operation must have a row here, or the test fails. On every denial nothing changes."""

from __future__ import annotations

import json

import pytest

from accounts.models import Role
from core.testing import api_operations, permission_matrix
from directory.models import Authority
from ratings.models import Rating, Rectification, Rollup
from ratings.services import event_close, invitation_token, rate, rectification_respond

pytestmark = pytest.mark.django_db
PREFIX = "/api/v1/ratings"
# Public by design: the aggregates and the trend; the token endpoint is authorised by the
# invitation's signed single-use link (tested in test_services).
PUBLIC = {("get", "/trend"), ("post", "/rate-by-token")}


def snapshot():
    return (
        list(Rating.objects.order_by("pk").values_list("pk", "level", "unfounded", "version")),
        list(Rectification.objects.order_by("pk").values_list("pk", "status", "version")),
        list(Rollup.objects.order_by("pk").values_list("pk", "n", "l1", "l5", "callbacks")),
    )


def post(client, url, body=None):
    return client.post(url, json.dumps(body or {}), content_type="application/json")


@pytest.fixture
def world(login, citizen, outsider, clerk, reviewer, dispatcher):
    from conftest import _staff

    samr = Authority.objects.get(department__code="SAMR", region__level="city")

    def event(ref):
        return event_close(
            kind="case",
            ref=ref,
            person=citizen,
            service_name="个体工商户设立登记",
            authority=samr,
            channel="online",
        )

    fresh = event("JM000000000000001A")
    bad = rate(actor=citizen, event=event("JM000000000000002A"), level=1, words="很差")
    responded = rate(actor=citizen, event=event("JM000000000000003A"), level=2, words="太慢")
    rectification_respond(actor=clerk, rectification=responded.rectification, response="已整改")
    people = {
        "anonymous": None,
        "outsider": outsider,
        "citizen": citizen,
        "clerk": clerk,
        "reviewer": reviewer,
        "dispatcher": dispatcher,
        "supervisor": _staff("samr-supervisor", Role.SUPERVISOR),
        "psb_clerk": _staff("psb-clerk", Role.CLERK, "PSB"),
    }
    return {
        "fresh": fresh,
        "bad": bad,
        "responded": responded,
        "clients": {name: login(user) for name, user in people.items()},
    }


def test_every_ratings_endpoint_has_a_row():
    assert api_operations(PREFIX) == set(MATRIX) | PUBLIC


def _pending(w):
    def after(w, responses):
        assert [e["ref"] for e in responses["citizen"].json()] == [w["fresh"].ref]
        assert responses["outsider"].json() == []

    return (
        lambda c: c.get(f"{PREFIX}/events/pending"),
        {"anonymous": 401, "outsider": 200, "citizen": 200},
        after,
    )


def _rate(w):
    pk = w["fresh"].pk
    return (
        lambda c: post(c, f"{PREFIX}/events/{pk}/rating", {"level": 5}),
        {"anonymous": 401, "outsider": 404, "clerk": 404, "supervisor": 404, "citizen": 201},
        None,
    )


def _mine(w):
    def after(w, responses):
        assert len(responses["citizen"].json()) == 2 and responses["clerk"].json() == []

    return (
        lambda c: c.get(f"{PREFIX}/mine"),
        {"anonymous": 401, "clerk": 200, "citizen": 200},
        after,
    )


def _assessment(w):
    """Figures per staff member are for staff; the other units are public (below)."""
    return (
        lambda c: c.get(f"{PREFIX}/assessment", {"unit": "staff"}),
        {"anonymous": 403, "citizen": 403, "dispatcher": 403, "clerk": 200, "supervisor": 200},
        None,
    )


def _behind(w):
    def after(w, responses):
        assert len(responses["clerk"].json()["items"]) == 2
        assert responses["psb_clerk"].json()["items"] == []  # another department's

    return (
        lambda c: c.get(f"{PREFIX}/behind", {"unit": "city"}),
        {"anonymous": 401, "citizen": 403, "dispatcher": 403, "clerk": 200, "psb_clerk": 200},
        after,
    )


def _rectifications(w):
    return (
        lambda c: c.get(f"{PREFIX}/rectifications"),
        {"anonymous": 401, "citizen": 403, "dispatcher": 403, "supervisor": 200},
        None,
    )


def _respond(w):
    pk = w["bad"].rectification.pk
    body = {"response": "已约谈窗口人员", "evidence": "约谈记录"}
    return (
        lambda c: post(c, f"{PREFIX}/rectifications/{pk}/respond", body),
        {
            "anonymous": 401,
            "outsider": 404,
            "dispatcher": 404,
            "psb_clerk": 404,
            "citizen": 403,
            "clerk": 200,
        },
        None,
    )


def _callback(w):
    pk = w["responded"].rectification.pk
    body = {"note": "群众认可", "rater_satisfied": True}
    return (
        lambda c: post(c, f"{PREFIX}/rectifications/{pk}/callback", body),
        {
            "anonymous": 401,
            "outsider": 404,
            "dispatcher": 404,
            "psb_clerk": 404,
            "citizen": 403,
            "reviewer": 200,
        },
        None,
    )


def _unfounded(w):
    pk = w["bad"].pk
    return (
        lambda c: post(c, f"{PREFIX}/ratings/{pk}/unfounded", {"reason": "经核实不属实"}),
        {"anonymous": 401, "citizen": 404, "dispatcher": 404, "clerk": 403, "supervisor": 200},
        None,
    )


MATRIX = {
    ("get", "/events/pending"): _pending,
    ("post", "/events/{pk}/rating"): _rate,
    ("get", "/mine"): _mine,
    ("get", "/assessment"): _assessment,
    ("get", "/behind"): _behind,
    ("get", "/rectifications"): _rectifications,
    ("post", "/rectifications/{pk}/respond"): _respond,
    ("post", "/rectifications/{pk}/callback"): _callback,
    ("post", "/ratings/{pk}/unfounded"): _unfounded,
}


@pytest.mark.parametrize("key", sorted(MATRIX), ids=lambda k: f"{k[0].upper()} {k[1]}")
def test_permission_matrix(world, key):
    call, expect, after = MATRIX[key](world)
    responses = permission_matrix(
        call=call, clients=world["clients"], expect=expect, snapshot=snapshot
    )
    if after:
        after(world, responses)


def test_the_public_sees_aggregates_but_not_staff_figures(world):
    anonymous = world["clients"]["anonymous"]
    departments = anonymous.get(f"{PREFIX}/assessment", {"unit": "department"}).json()
    assert departments[0]["rated"] == 2 and "words" not in departments[0]
    assert anonymous.get(f"{PREFIX}/trend").status_code == 200


def test_the_token_link_rates_once(world):
    token = invitation_token(world["fresh"].invitation)
    anonymous = world["clients"]["anonymous"]
    first = post(anonymous, f"{PREFIX}/rate-by-token", {"token": token, "level": 4})
    again = post(anonymous, f"{PREFIX}/rate-by-token", {"token": token, "level": 1})
    assert first.status_code == 201 and again.status_code == 404
    assert Rating.objects.get(event=world["fresh"]).level == 4
