import pytest
from django.test import override_settings

from cases.models import Case, CaseMaterial, MaterialSource
from cases.services import case_material_add, case_submit
from catalog.models import ServiceItem
from core.errors import Forbidden, InvalidInput
from core.uploads import check_upload

from .helpers import FORM, JPEG, PDF, PNG, ofd, upload

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("content", "name", "expected"),
    [(PDF, "a.pdf", "application/pdf"), (JPEG, "photo.jpeg", "image/jpeg"),
     (PNG, "x.bin", "image/png"), (ofd(), "licence.ofd", "application/ofd"),
     (PDF, "looks-like.png", "application/pdf")],
)  # fmt: skip
def test_the_content_decides_the_type_not_the_name(content, name, expected):
    checked = check_upload(upload(content, name, "application/octet-stream"))
    assert checked.content_type == expected and checked.size == len(content)


@pytest.mark.parametrize(
    "content",
    [b"MZ\x90\x00 a windows program", b"<html><script>alert(1)</script>", ofd(with_root=False),
     b"GIF89a"],
)  # fmt: skip
def test_other_content_is_refused_whatever_its_name(content):
    with pytest.raises(InvalidInput) as error:
        check_upload(upload(content, "scan.pdf", "application/pdf"), field="materials.0")
    assert error.value.field == "materials.0"


def test_empty_and_oversized_files_are_refused():
    with pytest.raises(InvalidInput):
        check_upload(upload(b""))
    with override_settings(CASES_UPLOAD_MAX_BYTES=1024):
        with pytest.raises(InvalidInput) as error:
            check_upload(upload(PDF + b"0" * 2000))
        assert "MB" in str(error.value.detail)


def test_uploads_are_stored_by_hash_through_the_storage_api(citizen):
    item = ServiceItem.objects.get(code="SAMR-0001")
    material = item.materials.first()
    case = case_submit(actor=citizen, item=item, form_data=FORM,
                       uploads=[(material, upload(PDF, "陈美玲-身份证.pdf"))])  # fmt: skip
    (row,) = case.materials.all()
    assert row.source == MaterialSource.UPLOADED and row.material == material
    assert "陈美玲" not in row.file.name and row.file.name.endswith(".pdf")
    assert row.file.read() == PDF
    assert case.events.filter(action="material.added").exists()


def test_a_bad_upload_saves_nothing(citizen):
    item = ServiceItem.objects.get(code="SAMR-0001")
    with pytest.raises(InvalidInput) as error:
        case_submit(actor=citizen, item=item, form_data=FORM,
                    uploads=[(None, upload(PDF)), (None, upload(b"not a document"))])  # fmt: skip
    assert error.value.field == "materials.1"
    assert Case.objects.count() == 0 and CaseMaterial.objects.count() == 0


def test_a_material_of_another_item_is_refused(citizen):
    item = ServiceItem.objects.get(code="SAMR-0001")
    other = ServiceItem.objects.get(code="PSB-0001").materials.first()
    with pytest.raises(InvalidInput) as error:
        case_submit(actor=citizen, item=item, form_data=FORM, uploads=[(other, upload())])
    assert error.value.field == "materials.0"


def test_only_the_applicant_or_the_department_adds_materials(citizen, outsider, clerk, dispatcher):
    case = case_submit(actor=citizen, item=ServiceItem.objects.get(code="SAMR-0001"),
                       form_data=FORM)  # fmt: skip
    for actor in (outsider, dispatcher):
        with pytest.raises(Forbidden):
            case_material_add(actor=actor, case=case, upload=upload())
    case_material_add(actor=citizen, case=case, upload=upload(PNG, "a.png"))
    case_material_add(actor=clerk, case=case, upload=upload(JPEG, "b.jpg"))
    assert case.materials.count() == 2


def test_api_upload_and_download(login, citizen, outsider):
    import json

    client = login(citizen)
    receipt = client.post("/api/v1/cases/", json.dumps({"item": "SAMR-0001", "form": FORM}),
                          content_type="application/json").json()["receipt_no"]  # fmt: skip
    bad = client.post(f"/api/v1/cases/{receipt}/materials", {"file": upload(b"plain text")})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "file"
    assert login(outsider).post(f"/api/v1/cases/{receipt}/materials",
                                {"file": upload()}).status_code == 404  # fmt: skip
    made = client.post(f"/api/v1/cases/{receipt}/materials", {"file": upload()})
    assert made.status_code == 201 and made.json()["content_type"] == "application/pdf"
    pk = made.json()["id"]
    got = client.get(f"/api/v1/cases/{receipt}/materials/{pk}")
    assert got.status_code == 200 and b"".join(got.streaming_content) == PDF
    assert got["Content-Disposition"].startswith("attachment")
    assert login(outsider).get(f"/api/v1/cases/{receipt}/materials/{pk}").status_code == 404
    assert client.get(f"/cases/{receipt}/materials/{pk}/").status_code == 200
    assert login(outsider).get(f"/cases/{receipt}/materials/{pk}/").status_code == 404
