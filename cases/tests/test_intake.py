import pytest

from accounts.models import Person
from cases.models import Case, Channel, MaterialSource, Status, WorkItem
from cases.permissions import can_view_case
from cases.services import case_intake, case_intake_at_window, case_submit
from catalog.models import ServiceItem
from core.errors import Forbidden, InvalidInput

from .helpers import FORM, PDF, bank_outlet_clerk, intake_window, upload

pytestmark = pytest.mark.django_db


def test_one_window_takes_another_departments_item_and_routes_it(citizen, reviewer):
    window, psb_clerk = intake_window("PSB")
    item = ServiceItem.objects.get(code="SAMR-0001")
    material = item.materials.first()
    case = case_intake_at_window(
        actor=psb_clerk, window=window, item=item, applicant=citizen.person, form_data=FORM,
        shown=[material], uploads=[(None, upload(PDF))],
    )  # fmt: skip
    assert case.channel == Channel.HALL and case.visits == 1 and case.intake_by == psb_clerk
    assert case.authority.department.code == "SAMR" and case.status == Status.UNDER_REVIEW
    assert sorted(case.materials.values_list("source", flat=True)) == [
        MaterialSource.SHOWN, MaterialSource.UPLOADED]  # fmt: skip
    (work,) = WorkItem.objects.filter(case=case, status="open")
    assert (work.step, work.authority, work.role) == ("review", case.authority, "reviewer")
    assert can_view_case(psb_clerk, case) and can_view_case(reviewer, case)
    _other_window, other_clerk = intake_window("HRSS")
    assert not can_view_case(other_clerk, case)  # a clerk sees what they took in, not more


def test_a_clerk_not_serving_at_the_hall_cannot_take_in(citizen, dispatcher, clerk):
    window, _ = intake_window("PSB")
    item = ServiceItem.objects.get(code="SAMR-0001")
    with pytest.raises(Forbidden):
        case_intake_at_window(actor=dispatcher, window=window, item=item,
                              applicant=citizen.person, form_data=FORM)  # fmt: skip
    assert Case.objects.count() == 0


def test_bank_outlet_staff_take_only_bank_items(citizen, clerk):
    outlet, teller = bank_outlet_clerk()
    bank_item = ServiceItem.objects.get(code="SAMR-0001")
    case = case_intake(actor=teller, outlet=outlet, item=bank_item, applicant=citizen.person,
                       form_data=FORM)  # fmt: skip
    assert case.channel == Channel.BANK_OUTLET and case.outlet == outlet and case.visits == 1
    hall_only = ServiceItem.objects.exclude(channels__icontains="bank_outlet").filter(
        applicant="person", channels__icontains="hall").first()  # fmt: skip
    with pytest.raises(InvalidInput) as error:
        case_intake(actor=teller, outlet=outlet, item=hall_only, applicant=citizen.person,
                    form_data=FORM)  # fmt: skip
    assert error.value.field == "item"
    with pytest.raises(Forbidden):  # a hall clerk has no outlet
        case_intake(actor=clerk, outlet=outlet, item=bank_item, applicant=citizen.person,
                    form_data=FORM)  # fmt: skip


def test_an_agent_applies_for_the_enterprise_at_the_window(agent, enterprise, citizen):
    window, psb_clerk = intake_window("PSB")
    company_item = ServiceItem.objects.get(code="SAMR-0002")
    form = {**FORM, "business_scope": "餐饮服务"}
    agent_person = Person.objects.get(user=agent)
    case = case_intake(actor=psb_clerk, window=window, item=company_item,
                       applicant=agent_person, enterprise=enterprise, form_data=form)  # fmt: skip
    assert case.enterprise == enterprise and case.applicant == agent
    with pytest.raises(InvalidInput) as error:  # a person who does not act for it
        case_intake(actor=psb_clerk, window=window, item=company_item,
                    applicant=citizen.person, enterprise=enterprise, form_data=form)  # fmt: skip
    assert error.value.field == "enterprise"


def test_a_kiosk_application_counts_one_visit(citizen):
    item = ServiceItem.objects.get(code="SAMR-0001")
    case = case_submit(actor=citizen, item=item, form_data=FORM, channel=Channel.KIOSK)
    assert case.visits == 1 and case.status == Status.SUBMITTED
    online = case_submit(actor=citizen, item=item, form_data=FORM)
    assert online.visits == 0


def test_intake_api(login, citizen, clerk):
    import json

    window, psb_clerk = intake_window("PSB")
    body = {"window": window.pk, "item": "SAMR-0001", "id_number": citizen.person.id_number,
            "form": FORM, "shown": [ServiceItem.objects.get(code="SAMR-0001").materials
                                    .first().pk]}  # fmt: skip
    made = login(psb_clerk).post("/api/v1/cases/intake", json.dumps(body),
                                 content_type="application/json")  # fmt: skip
    assert made.status_code == 201, made.content
    bad = login(psb_clerk).post("/api/v1/cases/intake", json.dumps({**body, "shown": [999999]}),
                                content_type="application/json")  # fmt: skip
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "shown.0"
    assert Case.objects.count() == 1
    # The look-up of the walk-in's ID number is in their "who used my data" log.
    assert citizen.person.data_accesses.filter(staff=psb_clerk).count() == 1
