"""The 12345 loop through the real services: received → dispatched (to the authority of the
place) → signed → replied → called back → closed (and rated), with returns and re-dispatch,
a reopening when the citizen is not satisfied, direct answers to consultations, working-day
deadlines (faster for enterprises), and who may do each step."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from accounts.models import Role
from core.errors import Conflict, Forbidden, InvalidInput
from directory.models import Authority, Department, Region
from hotline.models import OrderStatus
from hotline.services import (
    authority_for,
    order_answer,
    order_callback,
    order_create,
    order_dispatch,
    order_reply,
    order_return,
    order_sign,
    order_take,
    reply_due,
    sign_due,
)
from ratings.models import ServiceEvent

pytestmark = pytest.mark.django_db
TEXT = "江海区某小区门口每天晚上有人摆摊卖烧烤，油烟很大，熏得楼上没法开窗。"


@pytest.fixture
def centre(dispatcher):
    from conftest import _staff

    return {
        "dispatcher": dispatcher,
        "um": _staff("um-handler", Role.HANDLER, "UM"),
        "samr": _staff("samr-handler", Role.HANDLER, "SAMR"),
    }


def test_the_whole_loop_closes_and_invites_a_rating(citizen, centre):
    order = order_create(actor=citizen, channel="web", order_type="complaint", text=TEXT)
    assert order.status == OrderStatus.RECEIVED and order.citizen == citizen
    assert order.suggested[0]["department"] == "UM"
    dispatcher, handler = centre["dispatcher"], centre["um"]
    order = order_take(actor=dispatcher, order=order)
    order = order_dispatch(actor=dispatcher, order=order, department="UM", category="UM.vendors")
    assert order.status == OrderStatus.DISPATCHED and order.authority.department.code == "UM"
    with pytest.raises(Forbidden):
        order_sign(actor=centre["samr"], order=order)
    order = order_sign(actor=handler, order=order)
    order = order_reply(
        actor=handler, order=order, reply="已联合街道清理占道烧烤摊，并加强夜间巡查。"
    )
    order = order_callback(actor=dispatcher, order=order, satisfied=False, words="还是有人摆")
    assert order.status == OrderStatus.SIGNED and order.reopened == 1
    order = order_reply(actor=handler, order=order, reply="已设置固定岗，连续三晚无摊贩。")
    order = order_callback(actor=dispatcher, order=order, satisfied=True)
    assert order.status == OrderStatus.CLOSED and order.closed_at is not None
    assert ServiceEvent.objects.filter(
        kind="work_order", ref=order.receipt_no, person=citizen
    ).exists()
    assert [e.action for e in order.events.all()] == [
        "received",
        "taken",
        "dispatched",
        "signed",
        "replied",
        "reopened",
        "replied",
        "closed",
    ]


def test_a_return_goes_back_to_the_dispatchers_for_another_department(citizen, centre):
    order = order_create(actor=citizen, channel="web", order_type="complaint", text=TEXT)
    order = order_dispatch(actor=centre["dispatcher"], order=order, department="SAMR")
    with pytest.raises(InvalidInput):
        order_return(actor=centre["samr"], order=order, reason="否")
    order = order_return(actor=centre["samr"], order=order, reason="占道经营属城管职责")
    assert order.status == OrderStatus.RETURNED and order.authority is None
    order = order_dispatch(actor=centre["dispatcher"], order=order, department="UM")
    assert order.authority.department.code == "UM"
    assert "suggested UM" in order.events.filter(action="dispatched").first().note


def test_consultations_are_answered_directly_and_only_dispatchers_dispatch(citizen, centre):
    order = order_create(
        actor=citizen,
        channel="mobile",
        order_type="consultation",
        text="请问居民身份证补领需要带什么材料？",
    )
    with pytest.raises(Forbidden):
        order_dispatch(actor=citizen, order=order, department="PSB")
    order = order_answer(actor=centre["dispatcher"], order=order, answer="带户口簿到派出所。")
    assert order.status == OrderStatus.CLOSED
    with pytest.raises(Conflict):
        order_dispatch(actor=centre["dispatcher"], order=order, department="PSB")


def test_the_order_goes_to_the_authority_of_its_place():
    pengjiang = Region.objects.get(code="440703")
    samr_pj = Authority.objects.get(department__code="SAMR", region=pengjiang)
    assert authority_for("SAMR", pengjiang) == samr_pj  # a district branch exists
    assert authority_for("UM", pengjiang).region.level == "city"  # none: the municipal one
    assert Department.objects.filter(code="UM").exists()


def test_deadlines_on_working_days_and_the_enterprise_track():
    friday = dt.date(2026, 9, 25)  # the day before the National Day holidays' make-up days
    assert reply_due("complaint", False, dt.date(2026, 11, 23)) == dt.date(2026, 12, 14)
    assert reply_due("consultation", False, dt.date(2026, 11, 27)) == dt.date(2026, 12, 1)
    assert reply_due("complaint", True, dt.date(2026, 11, 23)) == dt.date(2026, 11, 27)
    assert reply_due("help", False, friday) > friday + dt.timedelta(days=14)  # 国庆 in between
    zone = timezone.get_current_timezone()
    at_ten = dt.datetime(2026, 11, 24, 10, 0, tzinfo=zone)
    assert sign_due(at_ten) == at_ten + dt.timedelta(hours=1)
    saturday = dt.datetime(2026, 11, 28, 15, 0, tzinfo=zone)
    assert sign_due(saturday) == dt.datetime(2026, 11, 30, 10, 0, tzinfo=zone)


def test_anonymous_phone_orders_by_an_operator(centre):
    with time_machine.travel(
        dt.datetime(2026, 11, 24, 10, 0, tzinfo=timezone.get_current_timezone())
    ):
        order = order_create(
            actor=centre["dispatcher"],
            channel="phone",
            order_type="report",
            text="有工厂晚上偷排废水到河涌，水都变黑了，很臭。",
        )
    assert order.citizen is None and order.suggested[0]["department"] in {"EE", "WATER"}
    with pytest.raises(Forbidden):
        order_create(actor=None, channel="web", order_type="report", text="匿名但没有登录的举报")


def test_near_duplicates_in_the_same_district_are_suggested_and_merged(
    citizen, outsider, centre, login
):
    from accounts.models import Notification
    from hotline.selectors import duplicates_for
    from hotline.services import order_merge

    jianghai = Region.objects.get(code="440704")
    first = order_create(
        actor=citizen, channel="web", order_type="complaint", text=TEXT, region=jianghai
    )
    again = order_create(
        actor=outsider,
        channel="web",
        order_type="complaint",
        region=jianghai,
        text="江海区那个小区门口每天晚上都有人摆摊卖烧烤，油烟好大，楼上没法开窗。",
    )
    elsewhere = Region.objects.get(code="440703")
    assert duplicates_for(text=again.text, region=jianghai, exclude=again.pk) == [first]
    assert duplicates_for(text=again.text, region=elsewhere) == []
    assert duplicates_for(text="路灯坏了很久没人修", region=jianghai) == []
    hint = (
        login(centre["dispatcher"])
        .post("/hotline/staff/suggest/", {"text": again.text, "region": "440704"})
        .content.decode()
    )
    assert f'data-duplicate="{first.receipt_no}"' in hint
    merged = order_merge(actor=centre["dispatcher"], order=again, into=first)
    assert merged.status == "merged" and merged.merged_into == first
    assert Notification.objects.filter(user=outsider, subject__contains=first.receipt_no).exists()
    with pytest.raises(InvalidInput):
        order_merge(actor=centre["dispatcher"], order=first, into=first)


def test_an_extension_is_asked_for_and_decided_by_the_centre(citizen, centre):
    from accounts.models import Notification
    from hotline.services import order_extension_decide, order_extension_request

    order = order_create(actor=citizen, channel="web", order_type="complaint", text=TEXT)
    order = order_dispatch(actor=centre["dispatcher"], order=order, department="UM")
    order = order_sign(actor=centre["um"], order=order)
    due = order.reply_due_on
    with pytest.raises(InvalidInput):
        order_extension_request(actor=centre["um"], order=order, days=40, reason="需要协调多部门")
    order = order_extension_request(
        actor=centre["um"], order=order, days=5, reason="需要协调多部门"
    )
    with pytest.raises(Forbidden):
        order_extension_decide(actor=centre["um"], order=order, approve=True)
    order = order_extension_decide(actor=centre["dispatcher"], order=order, approve=True)
    assert order.extension_status == "approved" and order.reply_due_on > due
    assert Notification.objects.filter(
        user=citizen, subject__contains=str(order.reply_due_on)
    ).exists()
    with pytest.raises(Conflict):
        order_extension_decide(actor=centre["dispatcher"], order=order, approve=True)


def test_late_orders_are_urged_and_supervised_once(citizen, centre):
    from accounts.models import Notification
    from conftest import _staff
    from hotline.services import orders_supervise

    supervisor = _staff("um-supervisor", Role.SUPERVISOR, "UM")
    order = order_create(actor=citizen, channel="web", order_type="consultation", text=TEXT)
    order_dispatch(actor=centre["dispatcher"], order=order, department="UM")
    with time_machine.travel(timezone.now() + dt.timedelta(days=10)):
        assert orders_supervise() == {"urged": 1, "supervised": 1}
        assert orders_supervise() == {"urged": 0, "supervised": 0}
    assert Notification.objects.filter(user=centre["um"], subject__contains="催办").count() == 1
    assert Notification.objects.filter(user=supervisor, subject__contains="督办").count() == 1


def test_the_centre_rules_on_a_disputed_return(citizen, centre):
    order = order_create(actor=citizen, channel="web", order_type="complaint", text=TEXT)
    with pytest.raises(InvalidInput):
        order_dispatch(actor=centre["dispatcher"], order=order, department="UM", ruling="不适用")
    order = order_dispatch(actor=centre["dispatcher"], order=order, department="UM")
    order = order_return(actor=centre["um"], order=order, reason="烧烤油烟属于环保部门")
    order = order_dispatch(
        actor=centre["dispatcher"],
        order=order,
        department="UM",
        ruling="占道经营的露天烧烤由城管综合执法负责（依据职责清单）",
    )
    assert order.authority.department.code == "UM"
    ruled = order.events.get(action="ruled")
    assert "职责清单" in ruled.note


def test_a_supporting_department_sees_the_order_and_adds_its_part(citizen, centre):
    from conftest import _staff
    from hotline.permissions import can_view
    from hotline.selectors import inbox
    from hotline.services import order_support_note

    ee = _staff("ee-handler", Role.HANDLER, "EE")
    order = order_create(actor=citizen, channel="web", order_type="complaint", text=TEXT)
    order = order_dispatch(
        actor=centre["dispatcher"], order=order, department="UM", supporting=["EE", "UM"]
    )
    assert [a.department.code for a in order.supporting.all()] == ["EE"]  # not the lead too
    assert can_view(ee, order) and list(inbox(actor=ee)) == [order]
    assert not can_view(centre["samr"], order)
    with pytest.raises(Forbidden):
        order_sign(actor=ee, order=order)  # the lead signs off, not a supporter
    with pytest.raises(Forbidden):
        order_support_note(actor=centre["um"], order=order, note="我们是主办")
    with pytest.raises(InvalidInput) as error:
        order_support_note(actor=ee, order=order, note="好")
    assert error.value.field == "note"
    order_support_note(actor=ee, order=order, note="已派员监测油烟排放，结果达标。")
    assert order.events.filter(action="support.noted").count() == 1


def test_an_attachment_is_checked_by_its_content(citizen, centre):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from hotline.services import attachment_add

    order = order_create(actor=citizen, channel="web", order_type="complaint", text=TEXT)
    fake = SimpleUploadedFile("photo.png", b"MZ\x90\x00 not a picture", content_type="image/png")
    with pytest.raises(InvalidInput) as error:
        attachment_add(actor=citizen, order=order, upload=fake)
    assert error.value.field == "file" and not order.attachments.exists()
    png = SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 32)
    row = attachment_add(actor=citizen, order=order, upload=png)
    assert row.content_type == "image/png" and row.size == 40
    with pytest.raises(Forbidden):
        attachment_add(actor=centre["samr"], order=order, upload=png)


def test_the_heat_table_counts_orders_by_community(citizen, centre):
    from hotline.selectors import hotspots

    village = Region.objects.filter(level="village").order_by("code").first()
    for _ in range(3):
        order_create(
            actor=citizen, channel="web", order_type="complaint", text=TEXT, region=village
        )
    order = order_create(actor=citizen, channel="web", order_type="complaint", text=TEXT)
    order_dispatch(actor=centre["dispatcher"], order=order, department="UM", category="UM.vendors")
    heat = hotspots()["heat"]
    (row,) = heat["rows"]
    assert row["name"] == village.name_zh and row["total"] == 3
    districts = {r["name"]: r["n"] for r in hotspots()["by_region"]}
    assert districts[village.parent.parent.name_zh if village.depth > 2 else "—"] == 3


def test_contacts_move_to_a_new_primary_key(settings, dispatcher):
    from django.db import connection
    from django.test import override_settings

    from hotline.services import contacts_rotate

    def raw(pk):
        with connection.cursor() as cursor:
            cursor.execute("SELECT contact FROM hotline_workorder WHERE id = %s", [pk])
            return cursor.fetchone()[0]

    old_keys = list(settings.PII_ENCRYPTION_KEYS)
    with override_settings(PII_ENCRYPTION_KEYS=[old_keys[1]]):
        order = order_create(
            actor=dispatcher,
            channel="phone",
            order_type="help",
            text=TEXT,
            contact_name="李伯",
            contact_phone="13900001234",
        )
        assert contacts_rotate() == 0
    assert raw(order.pk).startswith("v1:t1:")
    assert contacts_rotate() == 1
    assert raw(order.pk).startswith("v1:t2:")
    order.refresh_from_db()
    assert "13900001234" in order.contact
    assert contacts_rotate() == 0


def test_a_consultation_is_answered_from_the_knowledge_base(citizen, centre):
    """The catalog's service guides are the centre's knowledge base: the guide that matches
    the question comes with a ready answer, which closes the consultation."""
    from hotline.selectors import knowledge_for

    order = order_create(
        actor=citizen,
        channel="web",
        order_type="consultation",
        text="请问结婚登记要预约吗，需要带什么证件？",
    )
    found = knowledge_for(order.text)
    assert found and found[0]["code"] == "CIVIL-0001"
    answer = found[0]["answer"]
    assert "需要材料" in answer and "/services/items/CIVIL-0001/" in answer
    assert "None" not in answer and "承诺时限" in answer
    order = order_answer(actor=centre["dispatcher"], order=order, answer=found[0]["answer"])
    assert order.status == OrderStatus.CLOSED and order.reply.startswith("您咨询的事项")
    assert knowledge_for("？？") == []
