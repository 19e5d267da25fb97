"""Segmentation that makes Chinese keyword search precise and safe to hand to PostgreSQL."""

from __future__ import annotations

import re
import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.search import tokenizer
from app.search.tokenizer import (
    MAX_QUERY_TERMS,
    MAX_TERM_LENGTH,
    document_terms,
    query_terms,
    to_tsquery_text,
    to_tsvector_text,
)

# What to_tsquery_text may produce: quoted letter/digit runs joined by " & ", nothing else.
SAFE_TSQUERY = re.compile(r"^(?:'[^\W_]+'(?: & '[^\W_]+')*)?$")
SAFE_TSVECTOR = re.compile(r"^(?:[^\W_]+(?: [^\W_]+)*)?$")
HOSTILE = "a & b | ! ( ) : * ' \\ \" <-> <2> $$ ;-- %s \x00 ：＆｜"


@pytest.mark.parametrize("word", ["快递员", "月嫂", "网约车", "育婴员", "外卖骑手", "光伏运维员"])
def test_taxonomy_words_stay_whole(word: str) -> None:
    assert query_terms(f"招聘{word}") == [word]
    assert word in document_terms(f"东胜区招聘{word}若干名")


def test_courier_document_also_answers_a_search_for_express() -> None:
    assert {"快递员", "快递"} <= set(document_terms("招聘快递员"))


def test_express_sorting_is_not_a_courier_posting() -> None:
    terms = document_terms("快递分拣，夜班，包吃住")
    assert "快递" in terms
    assert "快递员" not in terms


def test_ride_hailing_survives_a_dictionary_trap() -> None:
    # jieba's own dictionary knows 招聘网, which would swallow the start of 网约车.
    assert query_terms("招聘网约车司机") == ["网约车司机"]
    assert {"网约车司机", "网约车", "司机"} <= set(document_terms("招聘网约车司机"))


def test_long_words_index_their_parts() -> None:
    terms = set(document_terms("软件开发工程师"))
    assert {"软件开发工程师", "软件开发", "软件", "开发", "工程师"} <= terms


def test_place_names_are_words() -> None:
    assert query_terms("民族街道快递员") == ["民族街道", "快递员"]
    assert "诃额伦街道" in query_terms("诃额伦街道保洁")


def test_stop_words_punctuation_and_case() -> None:
    assert query_terms("招聘的岗位：保洁！！") == ["保洁"]
    assert document_terms("Python，SQL。") == ["python", "sql"]


def test_query_terms_are_deduplicated_and_capped() -> None:
    assert query_terms("月嫂 月嫂 月嫂") == ["月嫂"]
    many = " ".join(f"w{i}" for i in range(40))
    assert query_terms(many) == [f"w{i}" for i in range(MAX_QUERY_TERMS)]


def test_documents_keep_repeats_for_ranking() -> None:
    assert document_terms("保洁 保洁").count("保洁") == 2


def test_mixed_chinese_english_and_digits() -> None:
    terms = query_terms("UI设计师 C1驾照 iPhone15 月薪5000-8000元")
    assert terms == ["ui", "设计师", "c1", "驾照", "iphone15", "月薪", "5000", "8000", "元"]


def test_full_width_input_is_normalised() -> None:
    assert (
        query_terms("Ｐｙｔｈｏｎ开发　５Ｇ")
        == query_terms("Python开发 5G")
        == [
            "python",
            "开发",
            "5g",
        ]
    )


def test_other_scripts_are_kept_as_words() -> None:
    assert query_terms("ᠮᠣᠩᠭᠣᠯ café") == ["ᠮᠣᠩᠭᠣᠯ", "café"]


def test_overlong_runs_are_dropped() -> None:
    assert query_terms("x" * (MAX_TERM_LENGTH + 1) + " 电工") == ["电工"]


@pytest.mark.parametrize("text", ["", "   ", "\n\t", "！？。，", "的 了 和", "&|!()"])
def test_empty_input_gives_no_terms(text: str) -> None:
    assert query_terms(text) == []
    assert document_terms(text) == []
    assert to_tsquery_text(query_terms(text)) == ""
    assert to_tsvector_text(document_terms(text)) == ""


def test_hostile_input_cannot_break_tsquery_syntax() -> None:
    query = to_tsquery_text(query_terms(HOSTILE))
    assert query == "'a' & 'b' & '2' & 's'"
    assert SAFE_TSQUERY.match(query)


def test_output_is_safe_even_for_terms_not_from_this_module() -> None:
    query = to_tsquery_text(["it's", "a&b", "x:*", "", "(c)", "c"])
    assert query == "'it' & 's' & 'a' & 'b' & 'x' & 'c'"
    assert to_tsvector_text(["it's", "a|b"]) == "it s a b"


def test_every_term_must_match() -> None:
    assert to_tsquery_text(query_terms("东胜区 快递员")) == "'东胜区' & '快递员'"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=60))
def test_output_is_always_safe(text: str) -> None:
    assert SAFE_TSQUERY.match(to_tsquery_text(query_terms(text)))
    assert SAFE_TSVECTOR.match(to_tsvector_text(document_terms(text)))


JOBISH = st.text(
    alphabet=st.sampled_from(list("快递员分拣网约车司机月嫂育婴东胜区民族街道招聘的abc19 ，。&'")),
    max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(JOBISH, st.text(max_size=40)))
def test_query_terms_of_a_text_are_among_its_document_terms(text: str) -> None:
    assert set(query_terms(text)) <= set(document_terms(text))


def test_concurrent_first_use_builds_one_tokenizer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tokenizer, "_tokenizer", None)
    built: list[object] = []
    real_build = tokenizer._build_tokenizer

    def counting_build() -> object:
        built.append(object())
        return real_build()

    monkeypatch.setattr(tokenizer, "_build_tokenizer", counting_build)
    results: list[list[str]] = []
    threads = [
        threading.Thread(target=lambda: results.append(query_terms("快递员"))) for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(built) == 1
    assert results == [["快递员"]] * 8


def test_warm_up_is_idempotent() -> None:
    tokenizer.warm_up()
    first = tokenizer._tokenizer
    tokenizer.warm_up()
    assert tokenizer._tokenizer is first is not None
