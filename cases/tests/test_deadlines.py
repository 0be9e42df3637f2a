"""Yellow at 80% of the promised working days, red past the promised deadline; across the
2026 National Day holiday and a supplementation pause."""

import datetime as dt

import pytest
import time_machine

from accounts.models import Notification
from cases.models import Alert, Case, CaseEvent, Status, WorkItem
from cases.services import (
    case_submit,
    case_supplement,
    cases_check_deadlines,
    work_item_claim,
    work_item_complete,
)
from cases.tasks import check_deadlines_task
from catalog.models import ServiceItem

from .helpers import FORM, run_step

pytestmark = pytest.mark.django_db
SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def at(day: dt.date):
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, 10, tzinfo=SHANGHAI),
                               tick=False)  # fmt: skip


@pytest.fixture
def ten_day_item():
    item = ServiceItem.objects.get(code="SAMR-0001")
    item.promised_limit_days, item.legal_limit_days = 10, 20
    item.save(update_fields=["promised_limit_days", "legal_limit_days"])
    return item


def accepted_on_21_september(citizen, clerk, item) -> Case:
    with at(dt.date(2026, 9, 21)):
        case = case_submit(actor=citizen, item=item, form_data=FORM)
        return run_step(clerk, case, "accept", {"accepted": True})


def levels(case, days) -> list[str]:
    seen = []
    for day in days:
        cases_check_deadlines(today=day)
        seen.append(Case.objects.get(pk=case.pk).alert)
    return seen


def test_warnings_skip_the_national_day_holiday(citizen, clerk, reviewer, ten_day_item):
    case = accepted_on_21_september(citizen, clerk, ten_day_item)
    # 10 working days after Mon 21 Sep: 22–24 (25th is Mid-Autumn), 28–30 Sep, then 8, 9,
    # Sat 10 Oct (a make-up working day) and 12 Oct.
    assert case.promised_due_on == dt.date(2026, 10, 12)
    with at(dt.date(2026, 9, 22)):
        run_step(reviewer, case, "review", {})
    days = [dt.date(2026, 9, 30), dt.date(2026, 10, 3), dt.date(2026, 10, 7),
            dt.date(2026, 10, 8), dt.date(2026, 10, 9), dt.date(2026, 10, 12),
            dt.date(2026, 10, 13)]  # fmt: skip
    assert levels(case, days) == ["", "", "", "", "yellow", "yellow", "red"]
    events = list(CaseEvent.objects.filter(case=case, action__startswith="warning")
                  .values_list("action", flat=True))  # fmt: skip
    assert events == ["warning.yellow", "warning.red"]  # each raised once


def test_a_supplementation_pause_moves_the_warnings(citizen, clerk, reviewer, ten_day_item):
    case = accepted_on_21_september(citizen, clerk, ten_day_item)
    with at(dt.date(2026, 9, 24)):
        case = run_step(reviewer, case, "review", {"supplement": True, "missing": ["租赁合同"]})
    # While paused nothing is raised, however late.
    assert levels(case, [dt.date(2026, 10, 20)]) == [""]
    with at(dt.date(2026, 9, 29)):  # paused 28 and 29 Sep: two working days
        case = case_supplement(actor=citizen, case=case)
    assert case.paused_days == 2 and case.promised_due_on == dt.date(2026, 10, 14)
    days = [dt.date(2026, 10, 10), dt.date(2026, 10, 12), dt.date(2026, 10, 14),
            dt.date(2026, 10, 15)]  # fmt: skip
    assert levels(case, days) == ["", "yellow", "yellow", "red"]


def test_the_task_tells_the_holder_and_a_decision_clears_the_warning(citizen, clerk, reviewer,
                                                                     ten_day_item):  # fmt: skip
    case = accepted_on_21_september(citizen, clerk, ten_day_item)
    with at(dt.date(2026, 9, 22)):
        case = run_step(reviewer, case, "review", {})
        work_item_claim(actor=reviewer, work_item=WorkItem.objects.get(case=case, step="decide"))
    with at(dt.date(2026, 10, 13)):
        result = check_deadlines_task.enqueue().return_value
        assert result == {"yellow": 0, "red": 1}
        assert check_deadlines_task.enqueue().return_value == {"yellow": 0, "red": 0}
    assert Notification.objects.filter(user=reviewer, subject__contains=case.receipt_no).exists()
    with at(dt.date(2026, 10, 13)):
        held = WorkItem.objects.get(case=case, step="decide")
        case = work_item_complete(actor=reviewer, work_item=held, outcome={"decision": "approve"})
    assert case.status == Status.APPROVED and case.alert == Alert.NONE
    # 21 Sep → 13 Oct: 11 working days, one more than promised.
    assert case.working_days_used == 11


def test_overdue_lists_by_department_and_hall(login, citizen, clerk, reviewer, dispatcher,
                                              ten_day_item):  # fmt: skip
    case = accepted_on_21_september(citizen, clerk, ten_day_item)
    cases_check_deadlines(today=dt.date(2026, 10, 13))
    client = login(reviewer)
    listed = client.get("/api/v1/cases/staff/overdue").json()
    assert [row["receipt_no"] for row in listed["items"]] == [case.receipt_no]
    assert listed["items"][0]["alert"] == "red"
    assert login(dispatcher).get("/api/v1/cases/staff/overdue").json()["count"] == 0
    assert login(citizen).get("/api/v1/cases/staff/overdue").status_code == 403
    page = client.get("/cases/staff/overdue/").content.decode()
    assert case.receipt_no in page and "江门市市场监督管理局" in page
