import pytest

from licenses.models import LicenseType
from licenses.services import license_types_load


@pytest.mark.django_db
def test_license_types_load_is_idempotent():
    assert license_types_load() == 26
    assert license_types_load() == 26
    assert LicenseType.objects.count() == 26
    food = LicenseType.objects.get(code="food_business_licence")
    assert (food.name_zh, food.issuer.code) == ("食品经营许可证", "SAMR")


@pytest.mark.django_db
def test_license_types_api_is_public(client):
    license_types_load()
    response = client.get("/api/v1/licenses/types")
    assert response.status_code == 200
    codes = [row["code"] for row in response.json()]
    assert "business_license" in codes and len(codes) == 26
