"""The permission matrix of every cases endpoint, generated from the OpenAPI schema: each
operation must have a row here, or the test fails. On every denial nothing changes."""

from __future__ import annotations

import json

import pytest

from accounts.models import Person
from cases.models import Case, CaseEvent, CaseMaterial, WorkItem
from cases.services import (
    case_intake_at_window,
    case_material_add,
    case_submit,
    work_item_claim,
    work_item_complete,
)
from catalog.models import ServiceItem
from core.testing import api_operations, permission_matrix

from .helpers import FORM, PDF, intake_window, upload

pytestmark = pytest.mark.django_db
PREFIX = "/api/v1/cases"
PUBLIC = {("get", "/forms/{code}"), ("get", "/statistics"), ("get", "/statistics/instant")}


def operations() -> set[tuple[str, str]]:
    return api_operations(PREFIX)


def snapshot():
    return (
        list(Case.objects.order_by("pk").values_list("pk", "status", "version")),
        list(WorkItem.objects.order_by("pk").values_list("pk", "status", "claimed_by")),
        CaseEvent.objects.count(),
        CaseMaterial.objects.count(),
    )


def post(client, url, body=None, **extra):
    return client.post(url, json.dumps(body or {}), content_type="application/json", **extra)


@pytest.fixture
def world(login, citizen, outsider, enterprise, agent, clerk, reviewer, dispatcher):
    """One online case of the citizen, one enterprise case by its agent, one walk-in case
    taken at a PSB clerk's window; and a signed-in client for every persona."""
    from conftest import _staff

    window, window_clerk = intake_window("PSB")
    _unused, other_window_clerk = intake_window("HRSS")
    item = ServiceItem.objects.get(code="SAMR-0001")
    own = case_submit(actor=citizen, item=item, form_data=FORM)
    company = case_submit(
        actor=agent,
        item=ServiceItem.objects.get(code="SAMR-0002"),
        form_data={**FORM, "business_scope": "餐饮"},
        enterprise=enterprise,
    )
    walk_in = case_intake_at_window(
        actor=window_clerk,
        window=window,
        item=item,
        applicant=Person.objects.get(user=outsider),
        form_data=FORM,
    )
    material = case_material_add(actor=citizen, case=own, upload=upload(PDF))
    people = {
        "anonymous": None, "outsider": outsider, "applicant": citizen, "agent": agent,
        "owner": enterprise.legal_representative.user, "clerk": clerk,
        "clerk2": _staff("clerk2", "clerk"), "reviewer": reviewer, "dispatcher": dispatcher,
        "window_clerk": window_clerk, "other_window_clerk": other_window_clerk,
        "cashier": _staff("cashier", "cashier"),  # at SAMR: collects fees, sees no case files
    }  # fmt: skip
    return {
        "own": own, "company": company, "walk_in": walk_in, "window": window,
        "material": material, "accept": WorkItem.objects.get(case=own, step="accept"),
        "clients": {name: login(user) for name, user in people.items()},
    }  # fmt: skip


def test_every_cases_endpoint_has_a_row():
    assert operations() == set(MATRIX) | PUBLIC


def test_public_endpoints_answer_everyone(world):
    for name, client in world["clients"].items():
        assert client.get(f"{PREFIX}/forms/SAMR-0001").status_code == 200, name
        assert client.get(f"{PREFIX}/statistics").status_code == 200, name


def _check(world, key):
    call, expect, after = MATRIX[key](world)
    responses = permission_matrix(call=call, clients=world["clients"], expect=expect,
                                  snapshot=snapshot)  # fmt: skip
    if after:
        after(world, responses)


def _submit(w):
    body = {"item": "SAMR-0001", "form": FORM}
    return (
        lambda c: post(c, f"{PREFIX}/", body),
        {"anonymous": 401, "clerk": 403, "dispatcher": 403, "applicant": 201},
        None,
    )


def _list(w):
    def after(w, responses):
        seen = {name: {c["receipt_no"] for c in r.json()["items"]} for name, r in responses.items()
                if r.status_code == 200}  # fmt: skip
        assert seen["outsider"] == {w["walk_in"].receipt_no}  # their own walk-in case
        assert seen["applicant"] == {w["own"].receipt_no}
        assert seen["dispatcher"] == set()
        assert seen["window_clerk"] == {w["walk_in"].receipt_no}
        assert seen["reviewer"] >= {w["own"].receipt_no, w["company"].receipt_no}

    return (lambda c: c.get(f"{PREFIX}/"),
            {"anonymous": 401, "outsider": 200, "applicant": 200, "dispatcher": 200,
             "window_clerk": 200, "reviewer": 200}, after)  # fmt: skip


def _detail(w, case="own", allowed=("applicant", "reviewer", "clerk")):
    receipt = w[case].receipt_no
    expect = {"anonymous": 401, "outsider": 404, "dispatcher": 404, "other_window_clerk": 404,
              "cashier": 404}  # fmt: skip
    expect.update(dict.fromkeys(allowed, 200))
    return lambda c: c.get(f"{PREFIX}/{receipt}"), expect, None


def _intake(w):
    from conftest import make_resident_id

    body = {"window": w["window"].pk, "item": "SAMR-0001", "id_number": make_resident_id(seq=101),
            "form": FORM}  # fmt: skip
    return (lambda c: post(c, f"{PREFIX}/intake", body),
            {"anonymous": 401, "applicant": 403, "dispatcher": 403, "reviewer": 403,
             "other_window_clerk": 201}, None)  # fmt: skip


def _overdue(w):
    return (lambda c: c.get(f"{PREFIX}/staff/overdue"),
            {"anonymous": 401, "applicant": 403, "agent": 403, "reviewer": 200}, None)  # fmt: skip


def _search(w):
    receipt = w["own"].receipt_no

    def after(w, responses):
        assert [c["receipt_no"] for c in responses["reviewer"].json()["items"]] == [receipt]
        assert responses["dispatcher"].json()["items"] == []

    return (
        lambda c: c.get(f"{PREFIX}/staff/search", {"receipt_no": receipt}),
        {"anonymous": 401, "applicant": 403, "dispatcher": 200, "reviewer": 200},
        after,
    )


def _inbox(w):
    def after(w, responses):
        ids = {name: [i["id"] for i in r.json()["items"]] for name, r in responses.items()
               if r.status_code == 200}  # fmt: skip
        assert w["accept"].pk in ids["clerk"] and ids["dispatcher"] == [] == ids["applicant"]
        assert w["accept"].pk not in ids["reviewer"]  # accepting is a clerk's step

    return (lambda c: c.get(f"{PREFIX}/work-items/inbox"),
            {"anonymous": 401, "applicant": 200, "dispatcher": 200, "reviewer": 200,
             "clerk": 200}, after)  # fmt: skip


def _claim(w):
    pk = w["accept"].pk
    return (lambda c: post(c, f"{PREFIX}/work-items/{pk}/claim"),
            {"anonymous": 401, "applicant": 404, "outsider": 404, "dispatcher": 404,
             "reviewer": 404, "window_clerk": 404, "clerk": 200}, None)  # fmt: skip


def _held(w):
    clerk = w["clients"]["clerk"]
    assert post(clerk, f"{PREFIX}/work-items/{w['accept'].pk}/claim").status_code == 200
    return w["accept"].pk


def _release(w):
    pk = _held(w)
    return (lambda c: post(c, f"{PREFIX}/work-items/{pk}/release"),
            {"anonymous": 401, "applicant": 404, "reviewer": 404, "clerk2": 409, "clerk": 200},
            None)  # fmt: skip


def _complete(w):
    pk = _held(w)
    body = {"outcome": {"accepted": True}}
    return (lambda c: post(c, f"{PREFIX}/work-items/{pk}/complete", body),
            {"anonymous": 401, "applicant": 404, "dispatcher": 404, "clerk2": 409, "clerk": 200},
            None)  # fmt: skip


def _upload(w):
    receipt = w["own"].receipt_no
    return (lambda c: c.post(f"{PREFIX}/{receipt}/materials", {"file": upload(PDF)}),
            {"anonymous": 401, "outsider": 404, "dispatcher": 404, "other_window_clerk": 404,
             "applicant": 201}, None)  # fmt: skip


def _download(w):
    receipt, pk = w["own"].receipt_no, w["material"].pk
    return (lambda c: c.get(f"{PREFIX}/{receipt}/materials/{pk}"),
            {"anonymous": 401, "outsider": 404, "dispatcher": 404, "window_clerk": 404,
             "cashier": 404, "applicant": 200, "reviewer": 200}, None)  # fmt: skip


def _supplement(w):
    case, reviewer = w["own"], w["clients"]["reviewer"]
    user = WorkItem.objects.get(pk=w["accept"].pk)
    from accounts.models import User

    clerk = User.objects.get(username="clerk")
    work_item_claim(actor=clerk, work_item=user)
    work_item_complete(actor=clerk, work_item=user, outcome={"accepted": True})
    review = WorkItem.objects.get(case=case, step="review")
    assert post(reviewer, f"{PREFIX}/work-items/{review.pk}/claim").status_code == 200
    asked = post(reviewer, f"{PREFIX}/work-items/{review.pk}/complete",
                 {"outcome": {"supplement": True, "missing": ["租赁合同"]}})  # fmt: skip
    assert asked.status_code == 200
    return (lambda c: post(c, f"{PREFIX}/{case.receipt_no}/supplement", {"note": "已补"}),
            {"anonymous": 401, "outsider": 404, "dispatcher": 404, "reviewer": 403,
             "applicant": 200}, None)  # fmt: skip


def _withdraw(w):
    receipt = w["own"].receipt_no
    return (lambda c: post(c, f"{PREFIX}/{receipt}/withdraw", {"reason": "不办了"}),
            {"anonymous": 401, "outsider": 404, "dispatcher": 404, "cashier": 404,
             "reviewer": 403, "applicant": 200}, None)  # fmt: skip


MATRIX = {
    ("post", "/"): _submit,
    ("post", "/{receipt_no}/withdraw"): _withdraw,
    ("get", "/"): _list,
    ("post", "/intake"): _intake,
    ("get", "/staff/overdue"): _overdue,
    ("get", "/staff/search"): _search,
    ("get", "/{receipt_no}"): _detail,
    ("get", "/work-items/inbox"): _inbox,
    ("post", "/work-items/{pk}/claim"): _claim,
    ("post", "/work-items/{pk}/release"): _release,
    ("post", "/work-items/{pk}/complete"): _complete,
    ("post", "/{receipt_no}/materials"): _upload,
    ("get", "/{receipt_no}/materials/{pk}"): _download,
    ("post", "/{receipt_no}/supplement"): _supplement,
}


@pytest.mark.parametrize("key", sorted(MATRIX), ids=lambda k: f"{k[0].upper()} {k[1]}")
def test_permission_matrix(world, key):
    _check(world, key)


def test_enterprise_cases_are_seen_by_those_acting_for_it(world):
    call, expect, _ = _detail(world, "company", allowed=("agent", "owner", "reviewer"))
    expect["applicant"] = 404
    permission_matrix(call=call, clients=world["clients"], expect=expect, snapshot=snapshot)


def test_a_window_clerk_sees_what_they_took_in_and_no_more(world):
    call, expect, _ = _detail(world, "walk_in", allowed=("window_clerk", "outsider", "reviewer"))
    expect["applicant"] = 404
    permission_matrix(call=call, clients=world["clients"], expect=expect, snapshot=snapshot)
    own = _detail(world, "own")[0]
    assert own(world["clients"]["window_clerk"]).status_code == 404
