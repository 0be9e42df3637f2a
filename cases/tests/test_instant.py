"""秒批: every instant item's decision table, each rule failing alone and missing alone; the
instant path through the services; the explanation shown equals the rules that ran."""

from pathlib import Path

import pytest

from cases import instant
from cases.models import Case, InstantDecision, Status, WorkItem
from cases.services import case_submit
from catalog.models import ServiceItem
from ledger.models import Entry

from .helpers import FORM

TABLES = sorted(p.stem for p in (Path(instant.__file__).parent / "decisions").glob("*.dmn"))


def all_pass(table) -> dict:
    facts = {}
    for rule in table.rules:
        if rule == "adult":
            facts["age"] = 30
        elif rule == "in_city":
            facts["in_city"] = True
        else:
            facts[f"has_{rule.removeprefix('license_')}"] = True
    return facts


def fact_of(rule: str) -> str:
    return {"adult": "age", "in_city": "in_city"}.get(rule, f"has_{rule.removeprefix('license_')}")


FAILING = {"age": 17, "in_city": False}


@pytest.mark.django_db
def test_every_instant_item_has_a_table():
    instant_items = set(ServiceItem.objects.filter(instant=True).values_list("code", flat=True))
    assert instant_items == set(TABLES) and len(TABLES) == 42


@pytest.mark.parametrize("code", TABLES)
def test_each_rule_failing_or_missing_alone_refers_the_case(code):
    table = instant.table_for(code)
    assert table.rules and table.version == "1"
    lines = instant.evaluate(table, all_pass(table))
    assert [line["rule"] for line in lines] == list(table.rules)
    assert all(line["passed"] is True for line in lines)
    for rule in table.rules:
        facts = all_pass(table)
        facts[fact_of(rule)] = FAILING.get(fact_of(rule), False)
        failing = {line["rule"]: line["passed"] for line in instant.evaluate(table, facts)}
        assert failing[rule] is False
        assert all(passed is True for other, passed in failing.items() if other != rule)
        facts.pop(fact_of(rule))
        missing = {line["rule"]: line["passed"] for line in instant.evaluate(table, facts)}
        assert missing[rule] is None  # could not be checked: to a person, never a refusal


@pytest.mark.django_db
def test_consented_e_license_gives_an_instant_approval(login, citizen):
    from directory.models import Authority
    from licenses.models import LicenseType
    from licenses.services import license_issue

    psb = Authority.objects.get(department__code="PSB", region__level="city")
    license_issue(actor=None, authority=psb,
                  license_type=LicenseType.objects.get(code="resident_id_card"),
                  fields={}, holder_person=citizen.person)  # fmt: skip
    item = ServiceItem.objects.get(code="SAMR-0001")
    id_card = item.materials.get(license_type__code="resident_id_card")
    case = case_submit(actor=citizen, item=item, form_data=FORM, consents=[id_card])
    assert case.status == Status.APPROVED and case.delivered_at is not None
    assert not WorkItem.objects.filter(case=case).exclude(status="done").exists()
    decision = InstantDecision.objects.get(case=case)
    assert decision.outcome == "approved"
    assert [(r["rule"], r["passed"]) for r in decision.rules] == [
        ("adult", True), ("in_city", True), ("license_resident_id_card", True)]  # fmt: skip
    logged = Entry.objects.get(action="case.instant_decision")
    assert logged.subject.endswith(f":{case.pk}")
    detail = login(citizen).get(f"/api/v1/cases/{case.receipt_no}").json()
    assert [line["rule"] for line in detail["instant"]["lines"]] == [r["rule"] for r in
                                                                     decision.rules]  # fmt: skip
    page = login(citizen).get(f"/cases/{case.receipt_no}/").content.decode()
    assert page.count('data-passed="true"') == 3


@pytest.mark.django_db
def test_a_minor_is_referred_to_a_person():
    young = _young_person()  # born 2010: under 18 in 2026
    item = ServiceItem.objects.get(code="SAMR-0001")
    case = case_submit(actor=young.user, item=item, form_data=FORM)
    decision = InstantDecision.objects.get(case=case)
    assert decision.outcome == "referred" and case.status == Status.SUBMITTED
    results = {r["rule"]: r["passed"] for r in decision.rules}
    assert results == {"adult": False, "in_city": True, "license_resident_id_card": None}
    assert WorkItem.objects.get(case=case).step == "accept"
    assert Case.objects.get(pk=case.pk).events.filter(action="instant.referred").exists()


def _young_person():
    from accounts.services import person_register
    from conftest import PASSWORD, make_resident_id
    from core.ids import IdType

    user = person_register(id_type=IdType.RESIDENT_ID, name="小明", phone="13800000202",
                           id_number=make_resident_id(birth="20100101", seq=202),
                           password=PASSWORD)  # fmt: skip
    return user.person


@pytest.mark.django_db
def test_instant_rate_and_time_come_from_the_cases(client, citizen):
    from cases.selectors import instant_metrics
    from directory.models import Authority
    from licenses.models import LicenseType
    from licenses.services import license_issue

    item = ServiceItem.objects.get(code="SAMR-0001")
    case_submit(actor=citizen, item=item, form_data=FORM)  # no consent: referred
    psb = Authority.objects.get(department__code="PSB", region__level="city")
    license_issue(actor=None, authority=psb, fields={}, holder_person=citizen.person,
                  license_type=LicenseType.objects.get(code="resident_id_card"))  # fmt: skip
    id_card = item.materials.get(license_type__code="resident_id_card")
    case_submit(actor=citizen, item=item, form_data=FORM, consents=[id_card])
    (overall,) = instant_metrics()
    assert (overall.eligible, overall.instant, overall.instant_rate) == (2, 1, 0.5)
    assert overall.p50_seconds is not None and overall.p50_seconds < 5
    (samr,) = instant_metrics(group="department")
    assert samr.key == "SAMR"
    api = client.get("/api/v1/cases/statistics/instant", {"group": "item"}).json()
    assert api[0]["key"] == "SAMR-0001" and api[0]["instant_rate"] == 0.5
    assert "50.0%" in client.get("/cases/statistics/").content.decode()
