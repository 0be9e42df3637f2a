"""The centre's knowledge base (知识库): answers kept by the centre, offered to the operator
for a consultation before the service guides, corrected with compare-and-set, retired when a
policy lapses — and loaded from a city's file all or nothing."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.utils import timezone, translation

from accounts.models import Role
from core.errors import Conflict, Forbidden, InvalidInput
from hotline import selectors, services
from hotline.models import ArticleStatus, KnowledgeArticle, OrderStatus, WorkOrder

pytestmark = pytest.mark.django_db
ASKED = "请问灵活就业的养老保险在哪里交？可以在手机上交吗？"
ANSWER = "灵活就业人员的社会保险费由税务部门征收，可在“粤税通”小程序缴纳。"


def _article(actor, **extra):
    fields = {
        "question": "灵活就业人员的养老保险在哪里缴费？",
        "answer": ANSWER,
        "keywords": "灵活就业，养老保险 粤税通",
        "department": "TAX",
        "source": "粤人社规〔2019〕 DEMO",
    }
    return services.article_create(actor=actor, **{**fields, **extra})


def test_an_answer_is_offered_for_a_fitting_consultation_before_the_guides(dispatcher):
    article = _article(dispatcher)
    assert article.keywords == "灵活就业 养老保险 粤税通"  # commas and spaces alike
    found = selectors.knowledge_for(ASKED)
    assert found[0] == {
        "kind": "article",
        "code": f"KB{article.pk}",
        "name": article.question,
        "answer": ANSWER,
        "source": article.source,
    }
    assert selectors.articles_for("楼下的路灯坏了一个星期") == []  # nothing in common
    assert selectors.articles_for("請問靈活就業的養老保險在哪裡交？")  # Traditional too


def test_a_retired_or_lapsed_answer_is_never_offered(dispatcher):
    article = _article(dispatcher)
    lapsed = _article(
        dispatcher,
        question="灵活就业养老保险有补贴吗？",
        valid_until=timezone.localdate() - dt.timedelta(days=1),
    )
    assert [a["code"] for a in selectors.articles_for(ASKED)] == [article.code]
    assert lapsed.code not in [a["code"] for a in selectors.knowledge_for(ASKED)]
    services.article_retire(actor=dispatcher, article=article, version=article.version)
    assert selectors.articles_for(ASKED) == []
    assert KnowledgeArticle.objects.get(pk=article.pk).status == ArticleStatus.RETIRED


def test_an_edit_over_someone_elses_changes_nothing(dispatcher):
    article = _article(dispatcher)
    seen = article.version
    services.article_update(
        actor=dispatcher, article=article, version=seen, question=article.question,
        answer=ANSWER + "缴费记录次月可查。", keywords="灵活就业", department="TAX",
    )  # fmt: skip
    with pytest.raises(Conflict):
        services.article_update(
            actor=dispatcher, article=article, version=seen, question="旧的", answer="旧的"
        )
    with pytest.raises(Conflict):
        services.article_retire(actor=dispatcher, article=article, version=seen)
    stored = KnowledgeArticle.objects.get(pk=article.pk)
    assert stored.version == seen + 1 and stored.answer.endswith("次月可查。")
    assert stored.status == ArticleStatus.PUBLISHED and stored.updated_by == dispatcher


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"question": "  "}, "question"),
        ({"question": "问" * 301}, "question"),
        ({"answer": ""}, "answer"),
        ({"answer": "答" * 4001}, "answer"),
        ({"department": "NOPE"}, "department"),
        ({"valid_until": "31/12/2027"}, "valid_until"),
        ({"keywords": "词 " * 300}, "keywords"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(dispatcher, change, field):
    with pytest.raises(InvalidInput) as error:
        _article(dispatcher, **change)
    assert error.value.field == field and not KnowledgeArticle.objects.exists()


def test_only_the_centre_keeps_the_knowledge_base(dispatcher, citizen):
    from conftest import _staff

    article = _article(dispatcher)
    for someone in (citizen, _staff("tax-handler", Role.HANDLER, "TAX")):
        with pytest.raises(Forbidden):
            _article(someone, question="另一个问题")
        with pytest.raises(Forbidden):
            services.article_update(
                actor=someone, article=article, version=article.version, question="改", answer="改"
            )
        with pytest.raises(Forbidden):
            services.article_retire(actor=someone, article=article, version=article.version)
    assert KnowledgeArticle.objects.get().version == article.version


def test_a_citys_file_is_loaded_all_or_nothing_and_not_twice(tmp_path, dispatcher):
    out = io.StringIO()
    call_command(
        "hotline", "load-knowledge", "--path", "hotline/data/knowledge_demo.json", stdout=out
    )
    assert json.loads(out.getvalue()) == {"added": 12}
    call_command(
        "hotline", "load-knowledge", "--path", "hotline/data/knowledge_demo.json", stdout=out
    )
    assert KnowledgeArticle.objects.count() == 12  # the same questions are not added twice
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps(
            [{"question": "新问题一", "answer": "有"}, {"question": "新问题二", "answer": ""}]
        ),
        encoding="utf-8",
    )
    with pytest.raises(InvalidInput) as error:
        services.articles_load_file(bad)
    assert error.value.field == "[1].answer" and KnowledgeArticle.objects.count() == 12
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match=r"\[1\]\.answer"):
        call_command("hotline", "load-knowledge", "--path", str(bad))
    # The demo answers find the consultations they were written for.
    assert (
        selectors.knowledge_for("小孩刚出生，请问怎么上户口？")[0]["name"] == "新生儿怎么上户口？"
    )


def test_the_operator_answers_a_consultation_with_the_centres_answer(login, dispatcher, citizen):
    article = _article(dispatcher)
    order = services.order_create(
        actor=citizen, channel="web", order_type="consultation", text=ASKED
    )
    desk = login(dispatcher)
    page = desk.get(f"/hotline/staff/orders/{order.receipt_no}/").content.decode()
    assert 'data-kind="article"' in page and article.question in page
    assert page.index('data-kind="article"') < page.find('data-kind="guide"') or (
        'data-kind="guide"' not in page
    )
    url = f"/hotline/staff/orders/{order.receipt_no}/"
    desk.post(url, {"action": "answer", "answer": " "})  # nothing said: not closed
    desk.post(url, {"action": "answer", "answer": ANSWER, "article": "KB999999"})  # no such
    order.refresh_from_db()
    assert order.status == OrderStatus.RECEIVED
    desk.post(url, {"action": "answer", "answer": ANSWER, "article": article.code})
    order.refresh_from_db()
    assert order.status == OrderStatus.CLOSED and order.reply == ANSWER
    assert order.answered_with == article and order.events.last().note == article.code
    listed = desk.get("/hotline/staff/knowledge/").content.decode()
    assert 'data-used="1"' in listed
    api = desk.get(f"/api/v1/hotline/orders/{order.receipt_no}/knowledge")
    assert api.status_code == 200 and api.json()[0]["kind"] == "article"


def test_intake_offers_the_answers_while_the_caller_is_on_the_line(login, dispatcher):
    article = _article(dispatcher)
    desk = login(dispatcher)
    live = desk.post("/hotline/staff/suggest/", {"text": ASKED, "type": "consultation"})
    assert (
        'data-kind="article"' in live.content.decode() and article.question in live.content.decode()
    )
    other = desk.post("/hotline/staff/suggest/", {"text": ASKED, "type": "complaint"})
    assert 'data-kind="article"' not in other.content.decode()  # only for a consultation


def test_the_knowledge_pages_create_correct_and_retire(login, dispatcher):
    desk = login(dispatcher)
    page = desk.post(
        "/hotline/staff/knowledge/",
        {"question": "灵活就业人员的养老保险在哪里缴费？", "answer": "", "department": "TAX"},
    )
    assert page.status_code == 200 and not KnowledgeArticle.objects.exists()
    assert 'id="id_answer"' in page.content.decode()  # the form again, at the field
    made = desk.post(
        "/hotline/staff/knowledge/",
        {"question": "灵活就业人员的养老保险在哪里缴费？", "answer": ANSWER, "keywords": "灵活就业",
         "department": "TAX", "valid_until": "2030-12-31"},
    )  # fmt: skip
    assert made.status_code == 302
    article = KnowledgeArticle.objects.get()
    assert article.valid_until == dt.date(2030, 12, 31) and article.department.code == "TAX"
    assert article.question in desk.get("/hotline/staff/knowledge/?q=灵活").content.decode()
    assert article.question not in desk.get("/hotline/staff/knowledge/?q=路灯").content.decode()
    url = f"/hotline/staff/knowledge/{article.pk}/"
    edited = desk.post(
        url, {"question": article.question, "answer": ANSWER + "（已更新）", "version": 1}
    )
    assert edited.status_code == 302
    stale = desk.post(url, {"question": article.question, "answer": "旧", "version": 1})
    with translation.override("zh-hans"):
        told = translation.gettext("This answer was changed or retired meanwhile; reload it.")
    assert stale.status_code == 200 and told in stale.content.decode()
    assert KnowledgeArticle.objects.get().answer.endswith("（已更新）")
    garbled = desk.post(url, {"action": "retire", "version": "2x"})
    assert garbled.status_code == 302 and KnowledgeArticle.objects.get().version == 2
    desk.post(url, {"action": "retire", "version": 2})
    assert KnowledgeArticle.objects.get().status == ArticleStatus.RETIRED
    retired = desk.get("/hotline/staff/knowledge/?status=retired").content.decode()
    assert article.question in retired
    assert article.question not in desk.get("/hotline/staff/knowledge/").content.decode()
    assert WorkOrder.objects.count() == 0


def test_a_retired_answer_cannot_be_given(dispatcher, citizen):
    article = _article(dispatcher)
    order = services.order_create(
        actor=citizen, channel="web", order_type="consultation", text=ASKED
    )
    article = services.article_retire(actor=dispatcher, article=article, version=article.version)
    with pytest.raises(InvalidInput) as error:
        services.order_answer(actor=dispatcher, order=order, answer=ANSWER, article=article.code)
    assert error.value.field == "article"
    order.refresh_from_db()
    assert order.status == OrderStatus.RECEIVED and order.answered_with is None


def test_the_api_records_which_answer_was_given(login, dispatcher, citizen):
    article = _article(dispatcher)
    order = services.order_create(
        actor=citizen, channel="web", order_type="consultation", text=ASKED
    )
    api = login(dispatcher)
    url = f"/api/v1/hotline/orders/{order.receipt_no}/answer"
    wrong = api.post(url, {"answer": ANSWER, "article": "KBx"}, content_type="application/json")
    assert wrong.status_code == 422
    done = api.post(
        url, {"answer": ANSWER, "article": article.code}, content_type="application/json"
    )
    assert done.status_code == 200
    order.refresh_from_db()
    assert order.answered_with == article and order.status == OrderStatus.CLOSED
