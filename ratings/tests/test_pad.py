"""The rating pad on a window's counter: the visit just served there is rated once, by tapping."""

from __future__ import annotations

import pytest

from accounts.models import Person
from ratings.models import Rating, ServiceEvent

pytestmark = pytest.mark.django_db


def test_the_pad_rates_the_visit_just_served_once(login, outsider, dispatcher):
    from cases.services import case_intake_at_window
    from cases.tests.helpers import FORM, intake_window
    from catalog.models import ServiceItem

    window, clerk = intake_window("SAMR")
    case = case_intake_at_window(actor=clerk, window=window, applicant=Person.objects.get(
        user=outsider), item=ServiceItem.objects.get(code="SAMR-0001"), form_data=FORM)  # fmt: skip
    event = ServiceEvent.objects.get(kind="hall_visit", ref=f"{case.receipt_no}-V")
    assert event.window == window and event.staff == clerk and event.person == outsider
    pad = login(clerk)
    page = pad.get(f"/ratings/pad/{window.pk}/").content.decode()
    assert "个体工商户设立登记" in page and 'name="level"' in page
    pad.post(f"/ratings/pad/{window.pk}/", {"event": event.pk, "level": 4})
    rating = Rating.objects.get(event=event)
    assert rating.person == outsider and rating.level == 4 and rating.window == window
    pad.post(f"/ratings/pad/{window.pk}/", {"event": event.pk, "level": 1})  # a second tap
    assert Rating.objects.get(event=event).level == 4
    assert 'name="level"' not in pad.get(f"/ratings/pad/{window.pk}/").content.decode()
    assert login(dispatcher).get(f"/ratings/pad/{window.pk}/").status_code == 404
