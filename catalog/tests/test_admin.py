"""The back office edits items through the services: history recorded, index follows, the
code stays."""

import pytest
from django.contrib.auth import get_user_model

from accounts.services import staff_create
from catalog.models import ItemChange, ServiceItem
from catalog.selectors import item_search
from conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = staff_create(actor=None, username="root", display_name="root", password=PASSWORD)
    get_user_model().objects.filter(pk=user.pk).update(is_superuser=True, is_staff=True)
    client.force_login(get_user_model().objects.get(pk=user.pk),
                       backend="accounts.backends.IdentifierBackend")  # fmt: skip
    return client


def form_data(item: ServiceItem, **changes) -> dict:
    data = {
        "code": "IGNORED", "name_zh": item.name_zh, "name_en": item.name_en,
        "department": item.department_id, "kind": item.kind, "applicant": item.applicant,
        "description_zh": item.description_zh, "description_en": item.description_en,
        "conditions_zh": "", "conditions_en": "", "legal_basis_zh": "",
        "legal_limit_days": item.legal_limit_days or "", "visits": item.visits,
        "promised_limit_days": item.promised_limit_days,
        "channels": '["online", "hall"]', "fee_cny": "", "fee_basis_zh": "",
        "life_events": [e.pk for e in item.life_events.all()], "is_active": "on",
        "materials-TOTAL_FORMS": "0", "materials-INITIAL_FORMS": "0",
        "changes-TOTAL_FORMS": "0", "changes-INITIAL_FORMS": "0",
    }  # fmt: skip
    data.update(changes)
    return data


def test_admin_edit_goes_through_the_service(admin_client):
    item = ServiceItem.objects.get(code="CIVIL-0015")
    item.materials.all().delete()
    url = f"/admin/catalog/serviceitem/{item.pk}/change/"
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url, form_data(item, name_zh="樱花门牌命名核准"))
    assert response.status_code == 302, response.content.decode()[:2000]
    item.refresh_from_db()
    assert item.code == "CIVIL-0015" and item.name_zh == "樱花门牌命名核准"
    change = ItemChange.objects.filter(item=item).first()
    assert change.changes["name_zh"] == ["建筑物名称核准", "樱花门牌命名核准"]
    assert item_search(query="樱花门牌").hits[0].item.code == "CIVIL-0015"
