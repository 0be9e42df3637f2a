"""Catalog pages: the front door, search (full page and htmx fragment), guides in four
languages, bundles and browsing."""

import pytest

from catalog.models import ServiceItem

pytestmark = pytest.mark.django_db


def get(client, url, language="zh-hans", **headers):
    client.cookies["onestop_language"] = language
    return client.get(url, **headers)


def test_front_door_lists_life_events_and_bundles(client):
    page = get(client, "/services/").content.decode()
    assert "出生" in page and "开餐馆一件事" in page
    assert 'role="search"' in page and 'hx-get="/services/search/"' in page


def test_search_page_and_fragment(client):
    page = get(client, "/services/search/?q=开饭馆").content.decode()
    assert "食品经营许可证核发" in page and "<html" in page
    fragment = get(client, "/services/search/?q=开饭馆", HTTP_HX_REQUEST="true")
    body = fragment.content.decode()
    assert fragment.status_code == 200 and "<html" not in body and "食品经营许可证核发" in body


def test_search_page_refuses_an_overlong_query(client):
    response = get(client, "/services/search/?q=" + "长" * 300)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()


def test_guide_in_english_traditional_and_portuguese(client):
    english = get(client, "/services/items/SAMR-0001/", "en").content.decode()
    assert "Registration of an individual business" in english
    assert "Fetched for you" in english  # the ID card comes from the e-license registry
    assert "3 working days" in english and "Done on the spot" in english
    hant = get(client, "/services/items/SAMR-0001/", "zh-hant").content.decode()
    assert "個體工商" in hant
    portuguese = get(client, "/services/items/SAMR-0001/", "pt").content.decode()
    assert "in English" in portuguese or "em inglês" in portuguese


def test_guide_counts_views_and_hides_unknown_items(client):
    get(client, "/services/items/PSB-0013/")
    assert ServiceItem.objects.get(code="PSB-0013").view_count == 1
    assert get(client, "/services/items/NOPE/").status_code == 404


def test_guide_orders_places_by_distance_and_ignores_a_bad_location(client):
    assert get(client, "/services/items/SAMR-0001/?lat=22.6&lng=113.1").status_code == 200
    assert get(client, "/services/items/SAMR-0001/?lat=north&lng=1").status_code == 200


def test_bundle_and_browse_pages(client):
    bundle = get(client, "/services/bundles/new-baby/", "en").content.decode()
    assert "One list of materials" in bundle and "working day" in bundle
    browse = get(client, "/services/browse/?life_event=marriage").content.decode()
    assert "结婚登记" in browse
    assert get(client, "/services/bundles/nope/").status_code == 404
    assert get(client, "/services/items/SAMR-0001/apply/").url == "/cases/apply/SAMR-0001/"
    assert get(client, "/services/items/SAMR-0002/apply/").status_code == 200  # enterprise


def test_traditional_results_show_rewrites_in_traditional(client):
    page = get(client, "/services/search/?q=營業執照遺失", "zh-hant").content.decode()
    assert "營業執照補領" in page and "执照遗失 →" not in page
