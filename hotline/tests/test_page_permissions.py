"""Who may open each hotline page, generated from the app's URL patterns: a page without a
row here fails the test. Staff pages answer 404 to those who may not see them (they do not
reveal that an order exists); pages that need a sign-in send the anonymous to it."""

from __future__ import annotations

import pytest

from accounts.models import Role
from hotline import page_urls
from hotline.models import KnowledgeArticle, OrderEvent, WorkOrder
from hotline.services import article_create, order_create, order_dispatch

pytestmark = pytest.mark.django_db
TEXT = "江海区某小区门口每天晚上有人摆摊卖烧烤，油烟很大，熏得楼上没法开窗。"
STAFF = {"anonymous": 302, "citizen": 404, "um": 404, "dispatcher": 200}


@pytest.fixture
def world(login, citizen, dispatcher):
    from conftest import _staff

    people = {
        "citizen": citizen,
        "dispatcher": dispatcher,
        "um": _staff("um-handler", Role.HANDLER, "UM"),
        "ee": _staff("ee-handler", Role.HANDLER, "EE"),
        "psb": _staff("psb-handler", Role.HANDLER, "PSB"),
    }
    order = order_create(actor=citizen, channel="web", order_type="complaint", text=TEXT)
    order = order_dispatch(actor=dispatcher, order=order, department="UM", supporting=["EE"])
    clients = {name: login(user) for name, user in people.items()}
    from django.test import Client

    clients["anonymous"] = Client()
    article = article_create(actor=dispatcher, question="居住证怎么办理？", answer="到派出所申领。")
    return {"order": order, "clients": clients, "article": article}


def rows(w):
    receipt = w["order"].receipt_no
    return {
        "new": ("get", "/hotline/", {"anonymous": 302, "dispatcher": 404, "citizen": 200}),
        "mine": ("get", "/hotline/mine/", {"anonymous": 302, "citizen": 200}),
        "track": ("get", f"/hotline/track/?receipt_no={receipt}", {"anonymous": 200}),
        "hotspots": ("get", "/hotline/hotspots/", {"anonymous": 200, "citizen": 200}),
        "intake": ("get", "/hotline/staff/intake/", STAFF),
        "suggest": ("post", "/hotline/staff/suggest/", STAFF),
        "queue": ("get", "/hotline/staff/queue/", STAFF),
        "inbox": (
            "get",
            "/hotline/staff/inbox/",
            {"anonymous": 302, "citizen": 404, "um": 200, "dispatcher": 200},
        ),
        "board": ("get", "/hotline/staff/board/", STAFF),
        "knowledge": ("get", "/hotline/staff/knowledge/", STAFF),
        "article": ("get", f"/hotline/staff/knowledge/{w['article'].pk}/", STAFF),
        "order": (
            "get",
            f"/hotline/staff/orders/{receipt}/",
            {
                "anonymous": 302,
                "citizen": 404,
                "psb": 404,
                "ee": 200,
                "um": 200,
                "dispatcher": 200,
            },
        ),
    }


def test_every_hotline_page_has_a_row(world):
    assert set(rows(world)) == {p.name for p in page_urls.urlpatterns}


@pytest.mark.parametrize("name", sorted(p.name for p in page_urls.urlpatterns))
def test_who_may_open_each_page(world, name):
    method, url, expect = rows(world)[name]
    for persona, status in expect.items():
        client = world["clients"][persona]
        response = client.post(url, {"text": TEXT}) if method == "post" else client.get(url)
        assert response.status_code == status, (persona, url, response.status_code)


@pytest.mark.parametrize("action", ["sign", "return", "reply", "dispatch", "support", "callback"])
def test_an_action_posted_by_someone_not_allowed_changes_nothing(world, action):
    order = world["order"]
    url = f"/hotline/staff/orders/{order.receipt_no}/"
    before = (
        list(WorkOrder.objects.values_list("pk", "status", "version")),
        OrderEvent.objects.count(),
    )
    body = {"action": action, "reason": "不是我们的", "reply": "已办", "note": "已办",
            "department": "PSB", "satisfied": "yes"}  # fmt: skip
    for persona in ("psb", "citizen"):
        assert world["clients"][persona].post(url, body).status_code == 404
    after = (
        list(WorkOrder.objects.values_list("pk", "status", "version")),
        OrderEvent.objects.count(),
    )
    assert after == before


def test_the_knowledge_base_posted_by_someone_not_allowed_changes_nothing(world):
    article = world["article"]
    before = list(KnowledgeArticle.objects.values_list("pk", "answer", "status", "version"))
    edit = {"question": "改", "answer": "改", "version": article.version}
    for persona in ("um", "citizen", "anonymous"):
        client = world["clients"][persona]
        assert client.post("/hotline/staff/knowledge/", edit).status_code in (302, 404)
        url = f"/hotline/staff/knowledge/{article.pk}/"
        assert client.post(url, edit).status_code in (302, 404)
        retire = {"action": "retire", "version": article.version}
        assert client.post(url, retire).status_code in (302, 404)
    after = list(KnowledgeArticle.objects.values_list("pk", "answer", "status", "version"))
    assert after == before
