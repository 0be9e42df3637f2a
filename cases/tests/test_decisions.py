import json

import pytest
from django.core import mail

from accounts.models import Notification
from cases.models import Delivery, Status, WorkItem
from cases.services import case_submit, case_supplement, work_item_claim, work_item_complete
from catalog.models import ServiceItem
from core.errors import InvalidInput
from core.sms import MemorySmsProvider

from .helpers import FORM, run_step

pytestmark = pytest.mark.django_db


def to_decision(citizen, clerk, reviewer, **submit):
    case = case_submit(actor=citizen, item=ServiceItem.objects.get(code="SAMR-0001"),
                       form_data=FORM, **submit)  # fmt: skip
    case = run_step(clerk, case, "accept", {"accepted": True})
    return run_step(reviewer, case, "review", {})


def test_a_rejection_states_reasons_and_remedies(login, citizen, clerk, reviewer):
    case = to_decision(citizen, clerk, reviewer)
    work = WorkItem.objects.get(case=case, step="decide")
    work_item_claim(actor=reviewer, work_item=work)
    with pytest.raises(InvalidInput) as error:
        work_item_complete(actor=reviewer, work_item=work, outcome={"decision": "reject"})
    assert error.value.field == "outcome.reasons"
    case = work_item_complete(
        actor=reviewer,
        work_item=work,
        outcome={"decision": "reject", "reasons": "经营场所不符合要求"},
    )
    assert case.status == Status.REJECTED and case.decision_reasons == "经营场所不符合要求"
    detail = login(citizen).get(f"/api/v1/cases/{case.receipt_no}").json()
    assert "60" in detail["remedies"] and "6" in detail["remedies"]  # in the reader's language
    page = login(citizen).get(f"/cases/{case.receipt_no}/").content.decode()
    assert "经营场所不符合要求" in page and "行政复议" in page and "60 日内" in page
    assert not WorkItem.objects.filter(case=case).exclude(status="done").exists()


def test_post_delivery_needs_a_tracking_number_and_pickup_counts_a_visit(citizen, clerk,
                                                                          reviewer):  # fmt: skip
    posted = to_decision(citizen, clerk, reviewer, delivery=Delivery.POST,
                         delivery_address="江门市蓬江区建设路1号")  # fmt: skip
    posted = run_step(reviewer, posted, "decide", {"decision": "approve", "issued": "许可证"})
    assert posted.status == Status.APPROVED and posted.delivered_at is None
    work = WorkItem.objects.get(case=posted, step="deliver")
    assert work.role == "clerk"
    work_item_claim(actor=clerk, work_item=work)
    with pytest.raises(InvalidInput) as error:
        work_item_complete(actor=clerk, work_item=work, outcome={})
    assert error.value.field == "outcome.tracking_no"
    posted = work_item_complete(actor=clerk, work_item=work,
                                outcome={"tracking_no": "EMS1234567890"})  # fmt: skip
    assert posted.tracking_no == "EMS1234567890" and posted.delivered_at is not None
    assert posted.status == Status.APPROVED and posted.visits == 0

    picked = to_decision(citizen, clerk, reviewer, delivery=Delivery.PICKUP)
    picked = run_step(reviewer, picked, "decide", {"decision": "approve"})
    picked = run_step(clerk, picked, "deliver", {})
    assert picked.visits == 1


def test_post_delivery_needs_an_address(citizen):
    with pytest.raises(InvalidInput) as error:
        case_submit(actor=citizen, item=ServiceItem.objects.get(code="SAMR-0001"),
                    form_data=FORM, delivery=Delivery.POST)  # fmt: skip
    assert error.value.field == "delivery_address"


def test_the_applicant_is_told_by_site_email_and_sms(
    citizen, clerk, reviewer, django_capture_on_commit_callbacks
):
    citizen.email = "chen@example.invalid"
    citizen.save(update_fields=["email"])
    MemorySmsProvider.outbox.clear()
    case = case_submit(actor=citizen, item=ServiceItem.objects.get(code="SAMR-0001"),
                       form_data=FORM)  # fmt: skip
    case = run_step(clerk, case, "accept", {"accepted": True})
    with django_capture_on_commit_callbacks(execute=True):
        case = run_step(reviewer, case, "review", {"supplement": True, "missing": ["营业执照副本"]})
    notice = Notification.objects.get(user=citizen)
    assert case.receipt_no in notice.subject and notice.url == f"/cases/{case.receipt_no}/"
    assert len(mail.outbox) == 1 and case.receipt_no in mail.outbox[0].subject
    assert MemorySmsProvider.outbox[-1][0] == "13800000101"
    case_supplement(actor=citizen, case=case)
    run_step(reviewer, case, "review", {})
    run_step(reviewer, case, "decide", {"decision": "approve"})
    subjects = list(Notification.objects.filter(user=citizen).values_list("subject", flat=True))
    assert any("已作出决定" in s for s in subjects)  # in the applicant's language
    assert any("已送达" in s for s in subjects)


def test_notifications_page_and_marking_read(login, citizen, clerk, reviewer):
    to_decision(citizen, clerk, reviewer)
    client = login(citizen)
    from accounts.services import notify

    notify(user=citizen, subject="测试通知")
    page = client.get("/accounts/notifications/")
    assert "测试通知" in page.content.decode()
    client.post("/accounts/notifications/")
    assert not Notification.objects.filter(user=citizen, read_at__isnull=True).exists()


def test_complete_api_takes_reasons(login, citizen, clerk, reviewer):
    case = to_decision(citizen, clerk, reviewer)
    work = WorkItem.objects.get(case=case, step="decide")
    client = login(reviewer)
    client.post(f"/api/v1/cases/work-items/{work.pk}/claim")
    missing = client.post(f"/api/v1/cases/work-items/{work.pk}/complete",
                          json.dumps({"outcome": {"decision": "reject"}}),
                          content_type="application/json")  # fmt: skip
    assert missing.status_code == 422
    assert missing.json()["errors"][0]["field"] == "outcome.reasons"
