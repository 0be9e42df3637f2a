import pytest

from directory.models import Authority
from licenses.models import LicenseType
from licenses.services import license_issue


def authority_of(department: str) -> Authority:
    return Authority.objects.get(department__code=department, region__level="city")


@pytest.fixture
def issue():
    """``issue(person=…, code=…)`` issues a license as set-up would (actor None)."""

    def make(*, person=None, enterprise=None, code="resident_id_card", fields=None):
        license_type = LicenseType.objects.get(code=code)
        holder = {"holder_person": person} if person is not None else {
            "holder_enterprise": enterprise}  # fmt: skip
        return license_issue(
            actor=None, authority=authority_of(license_type.issuer.code),
            license_type=license_type, fields=fields or {"idNumber": "440703198001011234"},
            **holder,
        )  # fmt: skip

    return make
