"""Refusal against the index's own null distribution of off-topic questions."""

from __future__ import annotations

import json

from bot.answering.refusal import NullScores, null_language, offtopic_questions
from tests.bot.answering.news import passage


def test_shipped_offtopic_questions_cover_the_answer_languages() -> None:
    shipped = offtopic_questions()
    for lang in ("en", "zh-Hans", "zh-Hant", "ja", "ko", "ru", "id", "de", "ar", "hi"):
        assert len(shipped[lang]) >= 30


def test_unknown_languages_use_a_related_or_the_fallback_null() -> None:
    assert null_language("zh-Hant") == "zh-Hant"
    assert null_language("pt-BR") == "pt"
    assert null_language("sw") == "en"


def fake_search(high_for: str):
    """Off-topic questions score ~0.30 (±0.02); anything else scores as its text says."""
    calls: list[str] = []

    def search(query: str, k: int):
        calls.append(query)
        score = 0.9 if high_for in query else 0.28 + (len(query) % 5) * 0.01
        return [passage("bees", score, relevance=score / 10)]

    return search, calls


def test_a_question_is_answered_only_clearly_above_its_languages_null() -> None:
    search, calls = fake_search("honey")
    nulls = NullScores(search, lambda: 1)
    assert nulls.answerable([passage("bees", 0.9, relevance=0.09)], "en") is True
    assert nulls.answerable([passage("bees", 0.31, relevance=0.031)], "en") is False
    asked = len(calls)
    nulls.answerable([passage("bees", 0.5, relevance=0.05)], "en")
    assert len(calls) == asked, "the null is computed once per generation and language"


def test_a_new_generation_recomputes_the_null() -> None:
    search, calls = fake_search("honey")
    generation = [1]
    nulls = NullScores(search, lambda: generation[0])
    nulls.null("en")
    first = len(calls)
    generation[0] = 2
    nulls.null("en")
    assert len(calls) == 2 * first


def test_the_nulls_are_kept_on_disk_for_the_same_generation(tmp_path) -> None:
    search, calls = fake_search("honey")
    store = [(tmp_path, "gen-1")]
    first = NullScores(search, lambda: 1, lambda: store[0])
    null = first.null("en")
    asked = len(calls)
    assert asked > 0 and (tmp_path / "refusal-nulls.json").exists()
    # a new process (a cold `newsbot ask`) on the same generation reads them back
    again = NullScores(search, lambda: 1, lambda: store[0])
    assert again.null("en") == null and len(calls) == asked
    # another language is added to the same file
    again.null("ru")
    assert len(calls) > asked
    assert set(json.loads((tmp_path / "refusal-nulls.json").read_text())["nulls"]) == {"en", "ru"}
    # a new generation's key recomputes them
    store[0] = (tmp_path, "gen-2")
    before = len(calls)
    NullScores(search, lambda: 2, lambda: store[0]).null("en")
    assert len(calls) > before


def test_a_damaged_or_unwritable_null_file_only_costs_the_searches(tmp_path) -> None:
    search, calls = fake_search("honey")
    for damaged in ("{not json", "[]", "null", '{"key": "k", "nulls": {"en": [1]}}'):
        (tmp_path / "refusal-nulls.json").write_text(damaged)
        assert NullScores(search, lambda: 1, lambda: (tmp_path, "k")).null("en") is not None
    missing = tmp_path / "no-such-folder"
    assert NullScores(search, lambda: 1, lambda: (missing, "k")).null("en") is not None
    assert not missing.exists()
