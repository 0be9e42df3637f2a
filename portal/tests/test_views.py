import pytest
from django.test import Client, override_settings

from catalog.models import ServiceItem
from directory.models import Hall, Region
from directory.services import hall_upsert

pytestmark = pytest.mark.django_db


def test_home_figures_come_from_the_database(django_assert_max_num_queries):
    hall_upsert(
        code="T-9",
        name_zh="测试大厅",
        kind="centre",
        region=Region.objects.get(code="440703"),
        is_demo=True,
    )
    with django_assert_max_num_queries(14):
        page = Client(headers={"accept-language": "en"}).get("/")
    html = page.content.decode()
    items = ServiceItem.objects.filter(is_active=True)
    assert f'data-figure="items">{items.count()}</span>' in html
    assert f'data-figure="items_instant">{items.filter(instant=True).count()}</span>' in html
    assert '<span class="figure" data-figure="departments">28</span>' in html
    assert f'<span class="figure" data-figure="regions">{Region.objects.count()}</span>' in html
    assert '<span class="figure" data-figure="halls">1</span>' in html
    Hall.objects.all().delete()
    html = Client().get("/").content.decode()
    assert '<span class="figure" data-figure="halls">0</span>' in html


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("zh-hans", "政务服务，一站办成"),
        ("zh-hant", "政務服務，一站辦成"),
        ("en", "Government services in one place"),
        ("pt", "Serviços públicos num só lugar"),
    ],
)
def test_home_in_four_languages(language, text):
    page = Client(headers={"accept-language": language}).get("/")
    assert text in page.content.decode()
    assert f'<html lang="{language}">' in page.content.decode()


def test_language_switch_sets_cookie_and_saves_preference(login, citizen):
    client = login(citizen)
    response = client.post("/language/", {"language": "zh-hant", "next": "/halls/"})
    assert response["location"] == "/halls/"
    assert response.cookies["onestop_language"].value == "zh-hant"
    citizen.refresh_from_db()
    assert citizen.preferred_language == "zh-hant"
    assert "辦事地點" in client.get("/halls/").content.decode()


def test_elderly_mode_for_anonymous_and_signed_in(login, citizen):
    anonymous = Client()
    anonymous.post("/elderly/", {"enabled": "1"})
    assert '<body class="elderly"' in anonymous.get("/").content.decode()
    client = login(citizen)
    client.post("/elderly/", {"enabled": "1"})
    citizen.refresh_from_db()
    assert citizen.elderly_mode
    assert 'aria-pressed="true"' in client.get("/").content.decode()


def test_healthz_checks_the_database():
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


def test_metrics_in_prometheus_format():
    response = Client().get("/metrics")
    assert response.status_code == 200
    text = response.content.decode()
    assert "onestop_up 1" in text
    assert 'onestop_objects{kind="departments"} 28' in text
    assert 'onestop_tasks{status="ready"} 0' in text


@override_settings(METRICS_TOKEN="s3cret")
def test_metrics_need_the_token_when_configured():
    assert Client().get("/metrics").status_code == 401
    ok = Client(headers={"authorization": "Bearer s3cret"}).get("/metrics")
    assert ok.status_code == 200


@override_settings(ONESTOP_ENV="production", METRICS_TOKEN=None)
def test_metrics_are_off_in_production_without_a_token():
    assert Client().get("/metrics").status_code == 404


def test_unknown_api_path_is_a_problem_document():
    response = Client().get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response["content-type"] == "application/problem+json"


def test_api_docs_are_served_without_a_cdn():
    page = Client().get("/api/v1/docs")
    assert page.status_code == 200
    html = page.content.decode()
    assert "cdn." not in html and "/static/ninja/" in html
