import datetime as dt

import pytest
from django.utils import timezone

from cases.models import Case, Channel, Status
from cases.selectors import case_metrics
from cases.services import case_submit
from catalog.models import ServiceItem

from .helpers import FORM, intake_window

pytestmark = pytest.mark.django_db
DUE = dt.date(2026, 10, 12)


def made(citizen, *, channel, status, visits, used, decided: dt.date | None, window=None):
    case = case_submit(actor=citizen, item=ServiceItem.objects.get(code="SAMR-0001"),
                       form_data=FORM)  # fmt: skip
    decided_at = (dt.datetime.combine(decided, dt.time(15), tzinfo=timezone.get_current_timezone())
                  if decided else None)  # fmt: skip
    Case.objects.filter(pk=case.pk).update(
        channel=channel, status=status, visits=visits, working_days_used=used, window=window,
        decided_at=decided_at, promised_due_on=DUE, accepted_on=dt.date(2026, 10, 8),
    )  # fmt: skip
    return case


def test_rates_are_computed_from_the_cases(citizen):
    window, _ = intake_window("PSB")
    made(citizen, channel=Channel.ONLINE, status=Status.APPROVED, visits=0, used=1,
         decided=dt.date(2026, 10, 10))  # fmt: skip
    made(citizen, channel=Channel.HALL, status=Status.APPROVED, visits=1, used=3,
         decided=dt.date(2026, 10, 14), window=window)  # fmt: skip
    made(citizen, channel=Channel.MOBILE, status=Status.REJECTED, visits=2, used=0,
         decided=DUE)  # fmt: skip
    made(citizen, channel=Channel.ONLINE, status=Status.SUBMITTED, visits=0, used=None,
         decided=None)  # fmt: skip
    (overall,) = case_metrics()
    assert (overall.cases, overall.decided) == (4, 3)
    assert overall.online_rate == 0.75  # online, mobile, online of 4
    assert overall.one_visit_rate == round(2 / 3, 4)  # visits 0 and 1 of 3 decided
    assert overall.time_cut == round(1 - 4 / 9, 4)  # (1+3+0) of 3 legal days × 3
    assert overall.on_time_rate == round(2 / 3, 4)  # the hall case was two days late
    (hall,) = case_metrics(group="hall")
    assert (hall.key, hall.cases, hall.on_time_rate) == ("T-C000", 1, 0.0)
    (department,) = case_metrics(group="department")
    assert department.key == "SAMR" and department.cases == 4
    assert sum(m.cases for m in case_metrics(group="month")) == 4
    assert [m.key for m in case_metrics(group="item")] == ["SAMR-0001"]


def test_no_cases_gives_no_rates_rather_than_zero(db):
    (overall,) = case_metrics()
    assert overall.cases == 0 and overall.online_rate is None and overall.time_cut is None


def test_statistics_page_and_api_show_the_same_figures(client, citizen):
    made(citizen, channel=Channel.ONLINE, status=Status.APPROVED, visits=0, used=1,
         decided=dt.date(2026, 10, 10))  # fmt: skip
    api = client.get("/api/v1/cases/statistics").json()
    assert api[0]["online_rate"] == 1.0 and api[0]["time_cut"] == round(1 - 1 / 3, 4)
    page = client.get("/cases/statistics/").content.decode()
    assert "100.0%" in page and "66.7%" in page
