"""好差评 through the real services: a closed case invites its applicant; one rating per event,
changed (not added) within 24 hours; tokens work once and expire; strangers cannot rate; a
bad review opens a rectification that closes only with a callback; unfounded reviews stay,
marked, and leave the assessment; overdue rectifications escalate once."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from accounts.models import Notification, Role
from core.errors import Conflict, Forbidden, InvalidInput, NotFound
from directory.models import Authority
from ratings.models import Invitation, Rating, Rectification, Rollup, ServiceEvent
from ratings.selectors import assessment, period_parse, recount
from ratings.services import (
    event_close,
    invitation_token,
    rate,
    rating_mark_unfounded,
    rectification_callback,
    rectification_respond,
    rectifications_escalate,
)

pytestmark = pytest.mark.django_db


def samr():
    return Authority.objects.get(department__code="SAMR", region__level="city")


def an_event(person, ref="JM000000000000001X", channel="online", **more) -> ServiceEvent:
    return event_close(
        kind="case",
        ref=ref,
        person=person,
        service_name="个体工商户设立登记",
        authority=samr(),
        channel=channel,
        **more,
    )


def test_a_closed_case_invites_its_applicant(citizen, clerk, reviewer):
    from cases.services import case_submit
    from cases.tests.helpers import FORM, run_step
    from catalog.models import ServiceItem

    case = case_submit(
        actor=citizen, item=ServiceItem.objects.get(code="SAMR-0001"), form_data=FORM
    )
    case = run_step(clerk, case, "accept", {"accepted": True})
    while not case.is_final:
        from cases.models import WorkItem

        step = WorkItem.objects.filter(case=case, status="open").values_list("step", flat=True)[0]
        answer = {"review": {"supplement": False}, "decide": {"decision": "approve"}}.get(step, {})
        case = run_step(reviewer, case, step, answer)
    event = ServiceEvent.objects.get(kind="case", ref=case.receipt_no)
    assert event.person == citizen and event.department.code == "SAMR"
    assert event.staff == reviewer and event.channel == "online"
    assert Invitation.objects.filter(event=event).exists()
    note = Notification.objects.filter(user=citizen, url__startswith="/ratings/rate/").get()
    assert "个体工商户设立登记" in note.subject


def test_one_rating_per_event_changed_within_24_hours_not_added(citizen):
    event = an_event(citizen)
    rate(actor=citizen, event=event, level=5, dimensions={"efficiency": 5})
    rate(actor=citizen, event=event, level=4, words="等了一会儿")
    assert Rating.objects.filter(event=event).count() == 1
    assert Rating.objects.get(event=event).level == 4
    city = Rollup.objects.get(unit="city")
    assert (city.n, city.l4, city.l5) == (1, 1, 0)
    with time_machine.travel(timezone.now() + dt.timedelta(hours=25)), pytest.raises(Conflict):
        rate(actor=citizen, event=event, level=1)


def test_only_the_person_served_can_rate(citizen, outsider, clerk):
    event = an_event(citizen)
    for stranger in (outsider, clerk):
        with pytest.raises(Forbidden):
            rate(actor=stranger, event=event, level=1)
    assert not Rating.objects.exists() and not Rollup.objects.exists()


def test_the_invitation_link_works_once_and_expires(citizen):
    event = an_event(citizen)
    token = invitation_token(event.invitation)
    rate(actor=None, event=event, level=5, token=token)
    with pytest.raises(NotFound):  # reused
        rate(actor=None, event=event, level=1, token=token)
    later = an_event(citizen, ref="JM000000000000002X")
    stale = invitation_token(later.invitation)
    with time_machine.travel(timezone.now() + dt.timedelta(days=16)), pytest.raises(NotFound):
        rate(actor=None, event=later, level=1, token=stale)
    with pytest.raises(NotFound):  # forged
        rate(actor=None, event=later, level=1, token=stale[:-2] + "xx")
    other = an_event(citizen, ref="JM000000000000003X")
    with pytest.raises(NotFound):  # a link for another event
        rate(actor=None, event=other, level=1, token=invitation_token(later.invitation))
    assert Rating.objects.count() == 1


def test_bad_input_names_the_field(citizen):
    event = an_event(citizen)
    with pytest.raises(InvalidInput) as error:
        rate(actor=citizen, event=event, level=6)
    assert error.value.field == "level"
    with pytest.raises(InvalidInput) as error:
        rate(actor=citizen, event=event, level=3, dimensions={"attitude": 3})  # a hall dimension
    assert error.value.field == "dimensions.attitude"


def test_a_bad_review_is_rectified_with_a_callback(citizen, clerk, dispatcher):
    event = an_event(citizen)
    rating = rate(actor=citizen, event=event, level=1, words="窗口态度很差")
    row = Rectification.objects.get(rating=rating)
    assert row.status == "open" and row.authority == samr()
    assert row.due_on > timezone.localdate()
    with pytest.raises(Forbidden):  # not the responsible unit
        rectification_respond(actor=dispatcher, rectification=row, response="已核实")
    with pytest.raises(Conflict):  # a callback needs a response first
        rectification_callback(actor=clerk, rectification=row, note="已回访", rater_satisfied=True)
    row = rectification_respond(
        actor=clerk,
        rectification=row,
        response="已约谈窗口人员并整改",
        evidence="整改记录 2026-11-24",
    )
    row = rectification_callback(
        actor=clerk, rectification=row, note="群众表示认可", rater_satisfied=True
    )
    assert row.status == "closed" and row.on_time is True
    city = Rollup.objects.get(unit="city")
    assert (city.rectifications, city.rect_closed, city.rect_on_time, city.callbacks) == (
        1,
        1,
        1,
        1,
    )
    assert Notification.objects.filter(user=citizen, url="/ratings/mine/").exists()


def test_an_unfounded_review_is_kept_marked_and_left_out(citizen, clerk):
    from conftest import _staff

    supervisor = _staff("samr-supervisor", Role.SUPERVISOR)
    rating = rate(actor=citizen, event=an_event(citizen), level=1, words="与办理无关的投诉")
    with pytest.raises(Forbidden):
        rating_mark_unfounded(actor=clerk, rating=rating, reason="不是本部门的事")
    rating = rating_mark_unfounded(actor=supervisor, rating=rating, reason="经核实与本事项无关")
    assert Rating.objects.filter(pk=rating.pk, unfounded=True).exists()  # never deleted
    assert Rectification.objects.get(rating=rating).status == "unfounded"
    city = Rollup.objects.get(unit="city")
    assert (city.n, city.l1, city.rectifications) == (0, 0, 0)
    with pytest.raises(Conflict):
        rate(actor=citizen, event=rating.event, level=2)


def test_overdue_rectifications_escalate_once_to_the_supervisors(citizen):
    from conftest import _staff

    supervisor = _staff("samr-supervisor", Role.SUPERVISOR)
    rate(actor=citizen, event=an_event(citizen), level=2)
    with time_machine.travel(timezone.now() + dt.timedelta(days=20)):
        assert rectifications_escalate() == {"escalated": 1}
        assert rectifications_escalate() == {"escalated": 0}
    assert Notification.objects.filter(user=supervisor, url__contains="rectifications").count() == 1


def test_the_assessment_names_units_and_matches_a_recount(citizen):
    from directory.services import hall_upsert, window_upsert

    hall = hall_upsert(code="T-C000", name_zh="测试中心", kind="centre", region=samr().region)
    window = window_upsert(hall=hall, number="A01", kind="intake")
    for n, level in enumerate([5, 5, 4, 3, 2, 1]):
        event = an_event(
            citizen, ref=f"JM0000000000000{n:02d}Y", channel="hall", hall=hall, window=window
        )
        rate(actor=citizen, event=event, level=level, dimensions={"attitude": level})
    period = period_parse(None)
    (figures,) = assessment(unit="hall", period=period)
    assert figures.name == "测试中心" and figures.rated == 6
    assert figures.satisfaction_rate == round(4 / 6, 4) and figures.bad_rate == round(2 / 6, 4)
    assert recount(unit="hall", period=period)[hall.pk]["n"] == 6
    assert period_parse("2026-Q4").start == dt.date(2026, 10, 1)
    assert period_parse("2026-Q4").end == dt.date(2026, 12, 31)
    assert period_parse("garbage").key == f"{timezone.localdate():%Y-%m}"
