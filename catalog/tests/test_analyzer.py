"""Segmentation, lexicon, pinyin, Traditional input and typos, on the bundled catalog."""

import pytest

from catalog.search.analyzer import analyze, grams, normalize, tokens
from catalog.search.engine import _cache
from core.text import pinyin_full, pinyin_initials, segment

pytestmark = pytest.mark.django_db


@pytest.fixture
def vocab():
    return _cache.current()[0]


def terms(plan, source=None):
    return {t.text for t in plan.terms if source is None or t.source == source}


def test_segmentation_keeps_domain_words_and_their_parts(vocab):
    words = segment("食品经营许可证核发")
    assert "食品经营许可证" in words and "食品经营" in words and "许可证" in words
    assert "核发" in words


def test_tokens_drop_question_words_and_stem_english():
    assert tokens("我想怎么办理营业执照") == ["营业执照", "营业", "执照"]
    assert tokens("Food business licences") == ["food", "business", "licence"]


def test_traditional_and_full_width_input_is_normalised():
    assert normalize("營業執照　ＡＢＣ") == "营业执照 abc"


def test_pinyin_helpers():
    assert pinyin_full("营业执照") == "yingyezhizhao"
    assert pinyin_initials("营业执照") == "yyzz"


def test_full_pinyin_and_initials_become_chinese_terms(vocab):
    assert "营业执照" in terms(analyze("yingyezhizhao", vocab), "pinyin")
    assert "营业执照" in terms(analyze("yyzz", vocab), "initials")
    assert {"营业", "执照"} <= terms(analyze("yingye zhizhao", vocab), "pinyin")


def test_initials_of_a_long_name_may_be_cut_short(vocab):
    assert "不动产权证书" in terms(analyze("bdcqz", vocab), "initials")


def test_colloquial_phrase_expands_to_official_terms(vocab):
    plan = analyze("我想开个小饭馆", vocab)
    lexicon = [t for t in plan.terms if t.source == "lexicon"]
    assert "食品经营" in {t.text for t in lexicon}
    assert {t.origin for t in lexicon} >= {"饭馆"}


def test_lexicon_phrase_matches_in_another_order_and_with_gaps(vocab):
    assert "提取" in terms(analyze("公积金怎么取", vocab), "lexicon")  # 取公积金
    assert "个体工商户" in terms(analyze("摆地摊", vocab), "lexicon")  # 摆摊


def test_one_character_typo_is_corrected_by_sound_and_by_shape(vocab):
    assert "营业执照" in terms(analyze("营业执招", vocab), "typo")  # same sound
    assert "居住证" in terms(analyze("居住正申领", vocab), "typo")


def test_english_typo_reaches_the_lexicon(vocab):
    assert "护照" in terms(analyze("pasport", vocab), "lexicon")


def test_nothing_to_search_for_gives_no_terms(vocab):
    assert analyze("😀😀😀", vocab).terms == []
    assert analyze("的了吗", vocab).terms == []


def test_grams_are_character_pairs():
    assert grams("营业执照") == ["营业", "业执", "执照"]
