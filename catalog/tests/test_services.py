import pytest

from catalog.models import Bundle, ItemChange, LexiconEntry, LifeEvent, Material, ServiceItem
from catalog.selectors import Filters, bundle_get, item_list, item_places, item_search
from catalog.services import catalog_load, item_update, lexicon_entry_save
from core.errors import Conflict, Forbidden, InvalidInput

pytestmark = pytest.mark.django_db


def test_catalog_load_is_idempotent():
    before = (ServiceItem.objects.count(), Material.objects.count(), LifeEvent.objects.count(),
              Bundle.objects.count(), LexiconEntry.objects.count())  # fmt: skip
    assert catalog_load() == 235
    after = (ServiceItem.objects.count(), Material.objects.count(), LifeEvent.objects.count(),
             Bundle.objects.count(), LexiconEntry.objects.count())  # fmt: skip
    assert before == after
    assert after[0] == 235 and after[2] == 21 and after[3] >= 8
    shop = ServiceItem.objects.get(code="SAMR-0001")
    assert (shop.legal_limit_days, shop.promised_limit_days, shop.visits) == (3, 0, 0)
    assert (shop.department.code, shop.instant, shop.cross_border) == ("SAMR", True, True)
    assert shop.channels == ["online", "mobile", "hall", "bank_outlet", "self_service_kiosk"]
    id_card = shop.materials.get(license_type__code="resident_id_card")
    assert (id_card.name_zh, id_card.required) == ("居民身份证", True)
    assert [e.code for e in shop.life_events.all()] == ["start_business"]


def test_item_update_records_history_and_keeps_the_code(catalog_editor):
    item = ServiceItem.objects.get(code="PSB-0013")
    changes = {"promised_limit_days": 5, "legal_basis_zh": "《护照法》"}
    updated = item_update(actor=catalog_editor, item=item, changes=changes)
    assert updated.promised_limit_days == 5
    change = ItemChange.objects.get(item=item)
    assert change.actor == catalog_editor
    assert change.changes["promised_limit_days"][1] == 5
    assert change.changes["legal_basis_zh"] == ["", "《护照法》"]
    with pytest.raises(InvalidInput) as error:
        item_update(actor=catalog_editor, item=updated, changes={"code": "PSB-9999"})
    assert error.value.field == "code"
    assert ServiceItem.objects.filter(code="PSB-0013").exists()


def test_item_update_refuses_bad_values_naming_the_field(catalog_editor):
    item = ServiceItem.objects.get(code="PSB-0013")
    for changes, field in [({"channels": ["fax"]}, "channels"), ({"visits": -1}, "visits"),
                           ({"kind": "nonsense"}, "kind"), ({"name_zh": " "}, "name_zh"),
                           ({"view_count": 9}, "view_count")]:  # fmt: skip
        with pytest.raises(InvalidInput) as error:
            item_update(actor=catalog_editor, item=item, changes=changes)
        assert error.value.field == field
    assert not ItemChange.objects.filter(item=item).exists()


def test_item_update_needs_an_editor_and_a_fresh_copy(catalog_editor, clerk, citizen):
    item = ServiceItem.objects.get(code="PSB-0013")
    for actor in (clerk, citizen):
        with pytest.raises(Forbidden):
            item_update(actor=actor, item=item, changes={"visits": 3})
    stale = ServiceItem.objects.get(code="PSB-0013")
    item_update(actor=catalog_editor, item=item, changes={"visits": 2})
    with pytest.raises(Conflict):
        item_update(actor=catalog_editor, item=stale, changes={"visits": 3})
    assert ServiceItem.objects.get(code="PSB-0013").visits == 2


def test_lexicon_entry_teaches_search_a_new_phrase(catalog_editor, clerk):
    assert "HURD-0010" not in [h.item.code for h in item_search(query="爬楼太累").hits[:1]]
    with pytest.raises(Forbidden):
        lexicon_entry_save(actor=clerk, phrase="爬楼太累", expansions="增设电梯")
    with pytest.raises(InvalidInput) as error:
        lexicon_entry_save(actor=catalog_editor, phrase="爬楼太累", expansions=" , ")
    assert error.value.field == "expansions"
    lexicon_entry_save(actor=catalog_editor, phrase="爬楼太累", expansions="既有住宅 增设电梯")
    LexiconEntry.objects.get(phrase="爬楼太累")
    # Tasks run eagerly in tests; the rebuild follows the commit of the test's transaction,
    # so rebuild here as the task would.
    from catalog.tasks import rebuild_search_index_task

    rebuild_search_index_task.call()
    assert item_search(query="爬楼太累").hits[0].item.code == "HURD-0010"


def test_bundle_lists_each_material_once():
    view = bundle_get(code="open-restaurant")
    assert [i.code for i in view.items] == ["SAMR-0001", "SAMR-0008", "UM-0003", "TAX-0001",
                                            "GAS-0001"]  # fmt: skip
    id_cards = [m for m in view.materials if m.license_type and
                m.license_type.code == "resident_id_card"]  # fmt: skip
    assert len(id_cards) == 1 and len(id_cards[0].items) > 1
    assert view.promised_total_days == sum(i.promised_limit_days for i in view.items)
    assert view.promised_longest_days == max(i.promised_limit_days for i in view.items)
    assert bundle_get(code="nope") is None
    assert Bundle.objects.count() >= 8


def test_browse_by_life_event_and_channel():
    births = item_list(filters=Filters(life_event="birth"))
    assert births.filter(code="PSB-0001").exists()
    assert all(e for e in births.values_list("life_events__code", flat=True))
    kiosk = item_list(filters=Filters(channel="self_service_kiosk"))
    assert (
        kiosk.count()
        == ServiceItem.objects.filter(channels__icontains="self_service_kiosk").count()
    )


def test_places_nearest_first_and_outlets_only_for_bank_items():
    from directory.selectors import region_get
    from directory.services import bank_outlet_upsert, hall_upsert

    region = region_get(code="440703")
    hall_upsert(code="H-FAR", name_zh="远处大厅", kind="centre", region=region,
                latitude=23.0, longitude=113.0)  # fmt: skip
    hall_upsert(code="H-NEAR", name_zh="近处大厅", kind="district_hall", region=region,
                latitude=22.58, longitude=113.08)  # fmt: skip
    from directory.models import Hall
    from directory.services import window_upsert

    for hall in Hall.objects.filter(code__in=["H-FAR", "H-NEAR"]):
        window_upsert(hall=hall, number="A01", kind="intake")
    bank_outlet_upsert(code="B-1", bank_zh="测试银行", branch_zh="蓬江支行", region=region,
                       latitude=22.6, longitude=113.1)  # fmt: skip
    item = ServiceItem.objects.get(code="SAMR-0001")  # hall and bank outlet channels
    places = item_places(item=item, lat=22.58, lng=113.08)
    assert places[0].obj.code == "H-NEAR" and places[0].distance_km == 0.0
    assert "bank_outlet" in {p.kind for p in places}
    online_only = (
        ServiceItem.objects.exclude(channels__icontains="bank_outlet")
        .filter(channels__icontains="hall")
        .first()
    )
    assert "bank_outlet" not in {p.kind for p in item_places(item=online_only)}
