import pytest

from cases.models import Case, Status, WorkItem
from cases.services import case_submit
from catalog.models import ServiceItem

from .helpers import FORM, PDF, intake_window, upload

pytestmark = pytest.mark.django_db


def test_staff_pages_are_for_staff_only(login, citizen):
    for url in ["/cases/staff/", "/cases/staff/overdue/", "/cases/staff/search/",
                "/cases/staff/intake/"]:  # fmt: skip
        assert login(citizen).get(url).status_code == 404
        assert login(None).get(url).status_code == 302  # to sign in


def test_a_clerk_accepts_and_a_reviewer_decides_from_the_pages(login, citizen, clerk, reviewer):
    case = case_submit(actor=citizen, item=ServiceItem.objects.get(code="SAMR-0001"),
                       form_data=FORM)  # fmt: skip
    desk = login(clerk)
    inbox = desk.get("/cases/staff/").content.decode()
    assert case.receipt_no in inbox
    page = desk.get(f"/cases/staff/cases/{case.receipt_no}/").content.decode()
    assert "138****0101" in page and "13800000101" not in page  # the phone is masked
    work = WorkItem.objects.get(case=case)
    desk.post(f"/cases/staff/tasks/{work.pk}/claim/")
    desk.post(f"/cases/staff/tasks/{work.pk}/complete/", {"accepted": "yes"})
    review = WorkItem.objects.get(case=case, step="review")
    office = login(reviewer)
    office.post(f"/cases/staff/tasks/{review.pk}/claim/")
    office.post(f"/cases/staff/tasks/{review.pk}/complete/",
                {"supplement": "yes", "missing": "营业执照\n租赁合同\n"})  # fmt: skip
    case.refresh_from_db()
    assert case.status == Status.SUPPLEMENTATION and case.missing == ["营业执照", "租赁合同"]
    # The applicant supplies with an upload from their page.
    answer = login(citizen).post(f"/cases/{case.receipt_no}/", {
        "note": "已补交", f"material_{case.item.materials.first().pk}": upload(PDF)})  # fmt: skip
    assert answer.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.UNDER_REVIEW and case.materials.count() == 1
    review = WorkItem.objects.get(case=case, step="review", status="open")
    office.post(f"/cases/staff/tasks/{review.pk}/claim/")
    office.post(f"/cases/staff/tasks/{review.pk}/complete/", {"supplement": "no"})
    decide = WorkItem.objects.get(case=case, step="decide")
    office.post(f"/cases/staff/tasks/{decide.pk}/claim/")
    refused = office.post(f"/cases/staff/tasks/{decide.pk}/complete/", {"decision": "reject"},
                          follow=True)  # fmt: skip
    assert "请写明理由" in refused.content.decode()
    office.post(f"/cases/staff/tasks/{decide.pk}/complete/",
                {"decision": "approve", "issued": "营业执照"})  # fmt: skip
    case.refresh_from_db()
    assert case.status == Status.APPROVED and case.delivered_at is not None
    assert "营业执照" in login(citizen).get(f"/cases/{case.receipt_no}/").content.decode()


def test_the_intake_screen_takes_a_walk_in(login, citizen):
    window, psb_clerk = intake_window("PSB")
    desk = login(psb_clerk)
    assert "SAMR-0001" in desk.get("/cases/staff/intake/").content.decode()
    missing = desk.get("/cases/staff/intake/", {"item": "NOPE-1"})
    assert "没有这个编码的事项" in missing.content.decode()
    form = desk.get("/cases/staff/intake/", {"item": "SAMR-0001"}).content.decode()
    assert 'name="id_number"' in form and f'value="w{window.pk}"' in form
    assert "您的电子证照" not in form  # the clerk's screen does not address the applicant
    item = ServiceItem.objects.get(code="SAMR-0001")
    shown = item.materials.first()
    body = {"item": "SAMR-0001", "place": f"w{window.pk}", "id_type": "resident_id",
            "id_number": "000000000000000000", **FORM, "delivery": "pickup"}  # fmt: skip
    wrong = desk.post("/cases/staff/intake/", body)
    assert wrong.status_code == 200 and Case.objects.count() == 0
    body.update(id_number=citizen.person.id_number, shown=[str(shown.pk)])
    taken = desk.post("/cases/staff/intake/", body)
    assert taken.status_code == 302
    case = Case.objects.get()
    assert case.window == window and case.authority.department.code == "SAMR"
    assert case.delivery_method == "pickup" and case.materials.get().source == "shown"


def test_search_by_id_number_is_logged_for_the_person(login, citizen, reviewer):
    case = case_submit(actor=citizen, item=ServiceItem.objects.get(code="SAMR-0001"),
                       form_data=FORM)  # fmt: skip
    office = login(reviewer)
    by_receipt = office.get("/cases/staff/search/", {"receipt_no": case.receipt_no[:12]})
    assert case.receipt_no in by_receipt.content.decode()
    found = office.post("/cases/staff/search/", {
        "id_type": "resident_id", "id_number": citizen.person.id_number,
        "purpose": "核对申请人办件"})  # fmt: skip
    assert case.receipt_no in found.content.decode()
    assert citizen.person.data_accesses.get().purpose == "核对申请人办件"


def test_statistics_page_is_public(client):
    assert client.get("/cases/statistics/").status_code == 200
