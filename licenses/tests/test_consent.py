"""Fetching needs the holder's consent for that application (or a configured legal basis);
every fetch and every staff verification is in the holder's log; holders see only theirs."""

import pytest

from accounts.models import DataAccess
from cases.models import CaseMaterial, MaterialSource, Status
from cases.services import case_submit
from cases.tests.helpers import FORM, run_step
from catalog.models import ServiceItem
from core.errors import Forbidden, InvalidInput, NotFound
from licenses.models import License, LicenseType
from licenses.services import consent_grant, license_fetch, license_verify

from .conftest import authority_of

pytestmark = pytest.mark.django_db


def test_a_fetch_without_consent_fails_and_changes_nothing(citizen, reviewer, issue):
    issue(person=citizen.person)
    id_card = LicenseType.objects.get(code="resident_id_card")
    before = DataAccess.objects.count()
    with pytest.raises(Forbidden):
        license_fetch(
            actor=reviewer,
            authority=authority_of("SAMR"),
            license_type=id_card,
            case_ref="JM202611230000001X",
            purpose="审查",
            holder_person=citizen.person,
        )
    assert DataAccess.objects.count() == before


def test_consent_is_for_one_application_and_one_department(citizen, reviewer, dispatcher, issue):
    issue(person=citizen.person)
    id_card = LicenseType.objects.get(code="resident_id_card")
    samr = authority_of("SAMR")
    consent_grant(actor=citizen, license_type=id_card, authority=samr, case_ref="CASE-A")
    fetched = license_fetch(
        actor=reviewer,
        authority=samr,
        license_type=id_card,
        case_ref="CASE-A",
        purpose="审查",
        holder_person=citizen.person,
    )
    assert fetched.fields["holderName"] == "陈美玲"
    with pytest.raises(Forbidden):  # another application
        license_fetch(actor=reviewer, authority=samr, license_type=id_card, case_ref="CASE-B",
                      purpose="审查", holder_person=citizen.person)  # fmt: skip
    with pytest.raises(Forbidden):  # staff of another department
        license_fetch(actor=dispatcher, authority=samr, license_type=id_card,
                      case_ref="CASE-A", purpose="审查", holder_person=citizen.person)  # fmt: skip
    (entry,) = DataAccess.objects.filter(person=citizen.person)
    assert (entry.kind, entry.staff, entry.case_ref) == ("fetch", reviewer, "CASE-A")
    assert fetched.number in entry.subject


def test_a_legal_basis_in_configuration_allows_a_fetch(citizen, reviewer, issue, settings):
    issue(person=citizen.person)
    id_card = LicenseType.objects.get(code="resident_id_card")
    settings.LICENSES_LEGAL_BASES = {"SAMR": ["resident_id_card"]}
    license_fetch(actor=reviewer, authority=authority_of("SAMR"), license_type=id_card,
                  case_ref="CASE-C", purpose="依法核验", holder_person=citizen.person)  # fmt: skip
    assert DataAccess.objects.filter(person=citizen.person, kind="fetch").count() == 1


def test_certificate_free_application_fetches_and_logs(login, citizen, clerk, reviewer, issue):
    license = issue(person=citizen.person)
    item = ServiceItem.objects.get(code="SAMR-0001")
    id_card = item.materials.get(license_type__code="resident_id_card")
    case = case_submit(actor=citizen, item=item, form_data=FORM, consents=[id_card])
    row = case.materials.get()
    assert (row.source, row.license_number) == (MaterialSource.FETCHED, license.number)
    log = DataAccess.objects.get(person=citizen.person)
    assert log.staff is None and log.authority == case.authority and log.case_ref == case.receipt_no
    # The reviewer opens the verified license: logged as a second use, by name.
    page = login(reviewer).post(f"/cases/staff/cases/{case.receipt_no}/licenses/{row.pk}/")
    assert page.status_code == 200 and license.number in page.content.decode()
    assert "440703********1234" in page.content.decode()  # the ID number is masked
    assert DataAccess.objects.filter(person=citizen.person, staff=reviewer).count() == 1
    mine = login(citizen).get("/accounts/my-data/").content.decode()
    assert "reviewer" in mine and case.receipt_no in mine


def test_no_license_means_upload_instead_and_nothing_is_saved(citizen):
    item = ServiceItem.objects.get(code="SAMR-0001")
    id_card = item.materials.get(license_type__code="resident_id_card")
    with pytest.raises(InvalidInput) as error:
        case_submit(actor=citizen, item=item, form_data=FORM, consents=[id_card])
    assert error.value.field == "consents.0"
    assert not CaseMaterial.objects.exists() and not DataAccess.objects.exists()


def test_holders_see_only_their_own_log(login, citizen, outsider, reviewer, issue):
    license = issue(person=citizen.person)
    license_verify(actor=reviewer, token=license.credential)
    assert DataAccess.objects.get(person=citizen.person).kind == "verify"
    own = login(citizen).get("/api/v1/accounts/me/data-access").json()
    assert [e["kind"] for e in own] == ["verify"]
    assert login(outsider).get("/api/v1/accounts/me/data-access").json() == []
    license_verify(actor=None, token=license.credential)  # the public: not logged
    assert DataAccess.objects.count() == 1


def test_an_approval_issues_the_license_into_the_wallet(login, citizen):
    from conftest import _staff

    clerk = _staff("hrss-clerk", "clerk", "HRSS")
    reviewer = _staff("hrss-reviewer", "reviewer", "HRSS")
    item = ServiceItem.objects.get(code="HRSS-0016")  # social security card
    case = case_submit(actor=citizen, item=item, form_data=FORM)
    case = run_step(clerk, case, "accept", {"accepted": True})
    case = run_step(reviewer, case, "review", {})
    case = run_step(reviewer, case, "decide", {"decision": "approve"})
    assert case.status == Status.APPROVED
    license = License.objects.get(holder_person=citizen.person)
    assert license.type.code == "social_security_card" and license.case_ref == case.receipt_no
    assert license.number in case.issued
    wallet = login(citizen).get("/api/v1/licenses/mine").json()
    assert [w["number"] for w in wallet["items"]] == [license.number]
    assert login(citizen).get("/licenses/wallet/").status_code == 200


def test_shared_links_expire(client, login, citizen, issue, settings):
    license = issue(person=citizen.person)
    link = login(citizen).post(f"/api/v1/licenses/mine/{license.number}/share").json()["url"]
    path = link.split("127.0.0.1:8000", 1)[-1]
    assert "陈*玲" in client.get(path).content.decode()
    settings.LICENSES_SHARE_SECONDS = -1
    assert client.get(path).status_code == 404
    with pytest.raises(NotFound):
        from licenses.services import shared_license

        shared_license("garbage")
