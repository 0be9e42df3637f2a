"""The ratings pages: public aggregates without names of people, staff analytics with the
ratings behind each figure, the monthly report as CSV and PDF, the link that no longer works."""

from __future__ import annotations

import pytest

from directory.models import Authority
from ratings.services import event_close, invitation_token, rate

pytestmark = pytest.mark.django_db


@pytest.fixture
def rated(citizen, clerk):
    samr = Authority.objects.get(department__code="SAMR", region__level="city")
    events = []
    for n, level in enumerate([5, 4, 1]):
        event = event_close(
            kind="case",
            ref=f"JM00000000000000{n}Z",
            person=citizen,
            service_name="个体工商户设立登记",
            authority=samr,
            channel="online",
            staff=clerk,
        )
        rate(
            actor=citizen, event=event, level=level, words="窗口让我跑了两次" if level == 1 else ""
        )
        events.append(event)
    return events


def test_public_dashboard_shows_aggregates_not_words(client, rated):
    page = client.get("/ratings/").content.decode()
    assert 'data-figure="rated">3<' in page and "66.7%" in page
    assert "窗口让我跑了两次" not in page and "staff/behind" not in page
    assert client.get("/ratings/staff/").status_code == 302  # sign in first


def test_staff_see_the_ratings_behind_each_figure(login, rated, clerk, dispatcher):
    staff = login(clerk)
    page = staff.get("/ratings/staff/").content.decode()
    assert "/ratings/staff/behind/?unit=department" in page
    department = rated[0].department_id
    behind = staff.get("/ratings/staff/behind/", {"unit": "department", "unit_id": department})
    assert "窗口让我跑了两次" in behind.content.decode()
    assert login(dispatcher).get("/ratings/staff/").status_code == 404
    desk = staff.get("/ratings/staff/rectifications/", {"status": "open"}).content.decode()
    assert "个体工商户设立登记" in desk


def test_monthly_report_as_csv_and_pdf(login, rated, clerk):
    staff = login(clerk)
    csv_text = staff.get("/ratings/staff/report/").content.decode("utf-8-sig").splitlines()
    assert csv_text[0].startswith("unit,unit_id,name,rated")
    city = next(line for line in csv_text if line.startswith("city,"))
    assert ",3,1,0,0,1,1,0.6667," in city
    pdf = staff.get("/ratings/staff/report/", {"format": "pdf", "period": "2026-Q4"})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content[:5] == b"%PDF-"


def test_a_used_link_says_so(client, citizen):
    samr = Authority.objects.get(department__code="SAMR", region__level="city")
    event = event_close(
        kind="case",
        ref="JM000000000000009Z",
        person=citizen,
        service_name="个体工商户设立登记",
        authority=samr,
        channel="online",
    )
    token = invitation_token(event.invitation)
    page = client.get(f"/ratings/rate/{token}/")
    assert page.status_code == 200 and 'name="level"' in page.content.decode()
    assert client.post(f"/ratings/rate/{token}/", {"level": "5"}).status_code == 200
    again = client.get(f"/ratings/rate/{token}/")
    assert again.status_code == 404
