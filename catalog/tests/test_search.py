"""Search behaviour through the selector: top results (the same on SQLite and PostgreSQL, as
this suite runs on both), filters, explanations, bad input, and an index that follows edits."""

import pytest

from catalog.models import ServiceItem
from catalog.selectors import Filters, item_search
from catalog.services import item_update
from core.errors import InvalidInput

pytestmark = pytest.mark.django_db

TOP = [
    ("我想开个小饭馆要办什么证", "SAMR-0008"),
    ("營業執照遺失補辦", "SAMR-0015"),
    ("yyzz buban", "SAMR-0015"),
    ("shenfenzheng buling", "PSB-0004"),
    ("宝宝刚出生怎么上户口", "PSB-0001"),
    ("结昏登记", "CIVIL-0001"),
    ("marrige registraton", "CIVIL-0001"),
    ("open a restaurant", "SAMR-0008"),
    ("买了房想把公积金取出来", "HPF-0005"),
    ("老板拖欠工资", "HRSS-0018"),
    ("12345", "GSDMB-0001"),
    ("passport", "PSB-0013"),
]


def codes(query, **filters):
    return [h.item.code for h in item_search(query=query, filters=Filters(**filters)).hits]


@pytest.mark.parametrize(("query", "expected"), TOP)
def test_top_result(query, expected):
    assert codes(query)[0] == expected


def test_results_say_why_they_matched():
    outcome = item_search(query="开饭馆")
    first = outcome.hits[0]
    assert first.item.code == "SAMR-0008"
    lexicon = [m for m in first.matches if m.source == "lexicon"]
    assert lexicon and lexicon[0].origin == "开饭馆"
    assert "name" in lexicon[0].fields
    assert "开饭馆 → 食品经营" in outcome.understood


def test_filters_narrow_results():
    assert {c.split("-")[0] for c in codes("登记", department="CIVIL")} == {"CIVIL"}
    instant = codes("登记", instant=True)
    assert instant and all(ServiceItem.objects.get(code=c).instant for c in instant)
    bank = codes("公积金", channel="bank_outlet")
    assert bank and all("bank_outlet" in ServiceItem.objects.get(code=c).channels for c in bank)
    people = codes("登记", applicant="enterprise")
    assert all(ServiceItem.objects.get(code=c).applicant != "person" for c in people)


@pytest.mark.parametrize("query", ["", "   ", "x" * 10_000])
def test_empty_or_huge_query_is_refused_naming_the_field(query):
    with pytest.raises(InvalidInput) as error:
        item_search(query=query)
    assert error.value.field == "q"


@pytest.mark.parametrize(
    "query",
    ['"', "'; DROP TABLE catalog_serviceitem; --", "NEAR(a b) OR *", "食品 AND", "a:b {x}",
     "😀🎉", "%_%", "-- /*", "()"],
)  # fmt: skip
def test_syntax_laden_or_meaningless_queries_never_fail(query):
    outcome = item_search(query=query)
    assert isinstance(outcome.hits, list)
    assert ServiceItem.objects.count() == 235


def test_index_follows_item_edits(catalog_editor):
    item = ServiceItem.objects.get(code="CIVIL-0015")
    assert "CIVIL-0015" not in codes("樱花测试事项")
    item_update(actor=catalog_editor, item=item, changes={"name_zh": "樱花测试事项"})
    assert codes("樱花测试事项")[0] == "CIVIL-0015"
    item = ServiceItem.objects.get(code="CIVIL-0015")
    item_update(actor=catalog_editor, item=item, changes={"is_active": False})
    assert "CIVIL-0015" not in codes("樱花测试事项")


def _top3(name: str) -> float:
    import json
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "tests" / "data" / f"{name}.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    found = sum(bool(set(r["expected"]) & set(codes(r["query"])[:3])) for r in rows)
    return found / len(rows)


def test_evaluation_sets_hold_their_quality():
    """A regression guard on both databases (bench/search_quality.py reports the figures)."""
    assert _top3("search_queries") >= 0.98
    assert _top3("search_queries_holdout3") >= 0.93
