import pytest

from directory.models import Authority, Department, Region
from directory.selectors import hall_list, region_list
from directory.services import authority_ensure, hall_upsert, regions_load, window_upsert

pytestmark = pytest.mark.django_db


def test_region_tree_is_loaded_with_paths():
    city = Region.objects.get(level="city")
    assert (city.code, city.name_zh) == ("440700", "江门市")
    assert Region.objects.filter(parent=city).count() == 7
    tangxia = Region.objects.get(name_zh="棠下镇")
    assert tangxia.parent.code == "440703"
    assert tangxia.path == f"440700/440703/{tangxia.code}/"
    assert not tangxia.official_code
    assert region_list(within="440703").filter(level="village").count() == 5


def test_reloading_regions_changes_nothing():
    before = list(Region.objects.values_list("code", "path", "name_zh").order_by("code"))
    assert regions_load() == len(before)
    after = list(Region.objects.values_list("code", "path", "name_zh").order_by("code"))
    assert after == before


def test_an_authority_is_a_department_at_a_region():
    samr = Department.objects.get(code="SAMR")
    city = Region.objects.get(code="440700")
    branch = Authority.objects.get(department=samr, region__code="440703")
    assert Authority.objects.get(department=samr, region=city).name_zh == "江门市市场监督管理局"
    assert branch.name_zh == "江门市市场监督管理局蓬江分局"
    assert branch.name_en == "Market Regulation Administration, Pengjiang District Branch"
    again = authority_ensure(department=samr, region=branch.region)
    assert again.pk == branch.pk


def test_halls_and_windows_are_upserted():
    region = Region.objects.get(code="440703")
    samr = Authority.objects.get(department__code="SAMR", region=region)
    hall = hall_upsert(
        code="T-1",
        name_zh="测试大厅",
        kind="district_hall",
        region=region,
        latitude=22.1234567,
        longitude=113.1,
    )
    window_upsert(hall=hall, number="D01", kind="department", authorities=[samr])
    window_upsert(hall=hall, number="D01", kind="department", authorities=[samr])
    assert str(hall.latitude) == "22.123457"
    listed = hall_list(region="440700").get(code="T-1")
    assert listed.window_count == 1
    assert list(hall.windows.get().authorities.all()) == [samr]
