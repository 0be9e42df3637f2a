import datetime as dt

import pytest

from cases.models import Case, CaseEvent, Status, WorkItem, WorkItemStatus
from cases.services import case_submit, deadlines, work_item_claim, work_item_complete
from catalog.models import ServiceItem
from core.errors import Conflict, Forbidden, InvalidInput, NotFound
from ledger.models import Entry

pytestmark = pytest.mark.django_db
FORM = {"contact_phone": "13800000101", "address": "江门市蓬江区建设路1号"}


def item(code="SAMR-0001"):
    return ServiceItem.objects.get(code=code)


def run_step(actor, case, step, outcome):
    work = WorkItem.objects.get(case=case, step=step, status=WorkItemStatus.OPEN)
    work_item_claim(actor=actor, work_item=work)
    return work_item_complete(actor=actor, work_item=work, outcome=outcome)


def test_submission_opens_an_acceptance_task_at_the_responsible_authority(citizen):
    case = case_submit(actor=citizen, item=item(), form_data=FORM)
    assert case.receipt_no.startswith("JM") and len(case.receipt_no) == 18
    assert case.status == Status.SUBMITTED and case.authority.department.code == "SAMR"
    work = WorkItem.objects.get(case=case)
    assert (work.step, work.role, work.status) == ("accept", "clerk", "open")
    assert list(CaseEvent.objects.filter(case=case).values_list("action", flat=True)) == [
        "submitted",
        "instant.referred",
    ]  # an instant item, but no e-license consented: people


def test_the_same_idempotency_key_returns_the_same_case(citizen):
    first = case_submit(actor=citizen, item=item(), form_data=FORM, idempotency_key="k-1")
    again = case_submit(actor=citizen, item=item(), form_data=FORM, idempotency_key="k-1")
    assert again.pk == first.pk and Case.objects.count() == 1
    with pytest.raises(Conflict):
        case_submit(actor=citizen, item=item("PSB-0013"), form_data=FORM, idempotency_key="k-1")


@pytest.mark.parametrize(
    ("form", "field"),
    [({"address": "江门"}, "form.contact_phone"),
     ({**FORM, "contact_phone": "12345"}, "form.contact_phone"),
     ({**FORM, "unexpected": 1}, "form"), ("text", "form")],
)  # fmt: skip
def test_bad_forms_are_refused_naming_the_field_and_nothing_is_saved(citizen, form, field):
    with pytest.raises(InvalidInput) as error:
        case_submit(actor=citizen, item=item(), form_data=form)
    assert error.value.field == field
    assert Case.objects.count() == 0 and WorkItem.objects.count() == 0


def test_who_may_apply(citizen, clerk, enterprise):
    with pytest.raises(Forbidden):
        case_submit(actor=clerk, item=item(), form_data=FORM)
    company_item = ServiceItem.objects.filter(
        applicant="enterprise", channels__icontains="online"
    ).first()
    with pytest.raises(InvalidInput) as error:
        case_submit(actor=citizen, item=company_item, form_data=FORM)
    assert error.value.field == "enterprise"
    with pytest.raises(Forbidden):
        case_submit(actor=citizen, item=company_item, form_data=FORM, enterprise=enterprise)
    with pytest.raises(InvalidInput) as error:
        case_submit(actor=citizen, item=item(), form_data=FORM, channel="hall")
    assert error.value.field == "channel"


def test_a_licence_goes_through_acceptance_review_inspection_and_decision(citizen, clerk,
                                                                         reviewer):  # fmt: skip
    case = case_submit(actor=citizen, item=item("SAMR-0008"), form_data=FORM)
    case = run_step(clerk, case, "accept", {"accepted": True})
    assert case.status == Status.UNDER_REVIEW and case.accepted_on is not None
    assert (case.legal_due_on, case.promised_due_on) == deadlines(
        item=case.item, accepted_on=case.accepted_on)  # fmt: skip
    case = run_step(reviewer, case, "review", {})
    case = run_step(reviewer, case, "inspect", {})
    entries = Entry.objects.count()
    case = run_step(reviewer, case, "decide", {"decision": "approve", "issued": "食品经营许可证"})
    assert case.status == Status.APPROVED and case.decided_at is not None
    assert case.issued == "食品经营许可证" and case.working_days_used == 0
    # Electronic delivery (the default) completes the process at once.
    assert case.delivered_at is not None and case.workflow_state and Entry.objects.count() == (
        entries + 1)  # fmt: skip
    assert not WorkItem.objects.filter(case=case).exclude(status="done").exists()


def test_refusal_to_accept_ends_the_case_with_reasons(citizen, clerk):
    case = case_submit(actor=citizen, item=item(), form_data=FORM)
    work = WorkItem.objects.get(case=case)
    work_item_claim(actor=clerk, work_item=work)
    with pytest.raises(InvalidInput) as error:
        work_item_complete(actor=clerk, work_item=work, outcome={"accepted": False})
    assert error.value.field == "outcome.reasons"
    case = work_item_complete(
        actor=clerk, work_item=work, outcome={"accepted": False, "reasons": "不属于本部门职权"}
    )
    assert case.status == Status.REFUSED and case.legal_due_on is None
    assert case.decision_reasons == "不属于本部门职权"


def test_a_task_is_claimed_once_and_finished_only_by_its_claimant(citizen, clerk):
    from conftest import _staff

    second = _staff("clerk2", "clerk")
    case = case_submit(actor=citizen, item=item(), form_data=FORM)
    work = WorkItem.objects.get(case=case)
    work_item_claim(actor=clerk, work_item=work)
    with pytest.raises(Conflict):
        work_item_claim(actor=second, work_item=work)
    with pytest.raises(Conflict):
        work_item_complete(actor=second, work_item=work, outcome={"accepted": True})
    assert Case.objects.get(pk=case.pk).status == Status.SUBMITTED


def test_staff_of_another_role_or_department_cannot_take_a_task(citizen, reviewer, dispatcher):
    case = case_submit(actor=citizen, item=item(), form_data=FORM)
    work = WorkItem.objects.get(case=case)
    for actor in (reviewer, dispatcher, citizen):  # reviewer: wrong step; dispatcher: other dept
        with pytest.raises(Forbidden):
            work_item_claim(actor=actor, work_item=work)
    assert WorkItem.objects.get(pk=work.pk).status == WorkItemStatus.OPEN


def test_bad_outcomes_are_refused(citizen, clerk):
    case = case_submit(actor=citizen, item=item(), form_data=FORM)
    work = WorkItem.objects.get(case=case)
    work_item_claim(actor=clerk, work_item=work)
    for outcome, field in [({}, "outcome.accepted"), ({"accepted": "yes"}, "outcome.accepted"),
                           ({"accepted": True, "x": 1}, "outcome.x")]:  # fmt: skip
        with pytest.raises(InvalidInput) as error:
            work_item_complete(actor=clerk, work_item=work, outcome=outcome)
        assert error.value.field == field
    assert WorkItem.objects.get(pk=work.pk).status == WorkItemStatus.CLAIMED


def test_deadlines_count_working_days_across_national_day():
    food = item("SAMR-0008")  # legal 10 working days (data), promised fewer
    legal, promised = deadlines(item=food, accepted_on=dt.date(2026, 9, 30))
    # 1–7 October 2026 are holidays (and 10 October a make-up working day).
    assert legal > dt.date(2026, 10, 14)
    from core.workdays import working_days_between

    assert working_days_between(dt.date(2026, 9, 30), legal) == food.legal_limit_days
    assert working_days_between(dt.date(2026, 9, 30), promised) == food.promised_limit_days


def test_outsiders_cannot_see_a_case(citizen, outsider, clerk):
    from cases.permissions import access_case

    case = case_submit(actor=citizen, item=item(), form_data=FORM)
    assert access_case(citizen, case.receipt_no) == case
    assert access_case(clerk, case.receipt_no) == case  # the authority's staff
    with pytest.raises(NotFound):
        access_case(outsider, case.receipt_no)


def test_supplementation_stops_the_clock_across_national_day(citizen, clerk, reviewer):
    import time_machine

    from cases.services import case_supplement
    from core.workdays import add_working_days

    shanghai = dt.timezone(dt.timedelta(hours=8))
    with time_machine.travel(dt.datetime(2026, 9, 29, 10, tzinfo=shanghai), tick=False):
        case = case_submit(actor=citizen, item=item("SAMR-0008"), form_data=FORM)
        case = run_step(clerk, case, "accept", {"accepted": True})
    legal, promised = case.legal_due_on, case.promised_due_on
    with time_machine.travel(dt.datetime(2026, 9, 30, 10, tzinfo=shanghai), tick=False):
        with pytest.raises(InvalidInput) as error:
            run_step(reviewer, case, "review", {"supplement": True, "missing": []})
        assert error.value.field == "outcome.missing"
        held = WorkItem.objects.get(case=case, step="review", status="claimed")
        case = work_item_complete(actor=reviewer, work_item=held, outcome={
            "supplement": True, "missing": ["营业场所租赁合同", "健康证明"]})  # fmt: skip
    assert case.status == Status.SUPPLEMENTATION and case.paused_on == dt.date(2026, 9, 30)
    assert case.missing == ["营业场所租赁合同", "健康证明"]
    assert not WorkItem.objects.filter(case=case).exclude(status="done").exists()
    with pytest.raises(Forbidden):
        case_supplement(actor=reviewer, case=case)
    # Back on 9 October: 1–7 October are holidays, so the clock stood still 2 working days.
    with time_machine.travel(dt.datetime(2026, 10, 9, 10, tzinfo=shanghai), tick=False):
        case = case_supplement(actor=citizen, case=case, note="已补交")
    assert case.status == Status.UNDER_REVIEW and case.paused_on is None and case.missing == []
    assert case.legal_due_on == add_working_days(legal, 2)
    assert case.promised_due_on == add_working_days(promised, 2)
    assert WorkItem.objects.get(case=case, status="open").step == "review"
    with pytest.raises(Conflict):
        case_supplement(actor=citizen, case=case)


def _intake_window(name="A01"):
    from directory.models import Hall, Region
    from directory.services import hall_upsert, window_upsert

    hall = hall_upsert(code="T-CENTRE", name_zh="测试中心", kind="centre",
                       region=Region.objects.get(level="city"))  # fmt: skip
    window_upsert(hall=hall, number=name, kind="intake")
    window_upsert(hall=hall, number="C01", kind="charge")
    return Hall.objects.get(code="T-CENTRE").windows


def test_one_window_takes_another_departments_application(citizen, clerk, reviewer, outsider):
    from cases.services import case_intake_at_window

    windows = _intake_window()
    passport = item("PSB-0013")  # Public Security; the clerk is Market Regulation's
    window = windows.get(number="A01")
    case = case_intake_at_window(
        actor=clerk, window=window, item=passport, applicant=citizen.person, form_data=FORM
    )
    assert (case.channel, case.visits, case.status) == ("hall", 1, Status.UNDER_REVIEW)
    assert case.authority.department.code == "PSB" and case.applicant == citizen
    assert case.legal_due_on is not None
    work = WorkItem.objects.get(case=case, status="open")
    assert (work.step, work.authority.department.code) == ("review", "PSB")
    from cases.permissions import access_case

    assert access_case(clerk, case.receipt_no) == case  # what they took in
    assert access_case(citizen, case.receipt_no) == case
    with pytest.raises(Forbidden):  # a charge window does not take applications
        case_intake_at_window(actor=clerk, window=windows.get(number="C01"), item=passport,
                              applicant=citizen.person, form_data=FORM)  # fmt: skip
    for actor in (reviewer, outsider):
        with pytest.raises(Forbidden):
            case_intake_at_window(actor=actor, window=windows.get(number="A01"), item=passport,
                                  applicant=citizen.person, form_data=FORM)  # fmt: skip
    assert Case.objects.count() == 1
