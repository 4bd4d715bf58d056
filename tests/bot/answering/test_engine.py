"""The whole answer path over a real index of invented articles (bundled model, offline)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.answering.citations import renumber_citations
from bot.answering.conversation import Conversation
from bot.answering.engine import Engine
from bot.settings import Settings
from index.errors import NoIndexError
from tests.bot.answering.news import TEXTS


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    from index.building.builder import build_index

    articles = tmp_path_factory.mktemp("articles")
    for article_id, (_lang, title, text) in TEXTS.items():
        (articles / f"{article_id}.txt").write_text(f"{title}\n\n{text}\n", encoding="utf-8")
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, articles=articles, index_dir=tmp_path_factory.mktemp("index")
    )
    build_index(settings)
    return Engine(settings)


@pytest.mark.slow
def test_a_question_is_answered_from_articles_in_several_languages(engine: Engine) -> None:
    answer = engine.ask("When does the new tram in Valdemora open?")
    assert not answer.refused, answer.text
    languages = {c.language for c in answer.citations}
    assert len(languages) >= 2, answer.text
    assert answer.short and "2025" in answer.short
    assert {c.article_id for c in answer.citations} <= {p.article_id for p in answer.passages}


@pytest.mark.slow
def test_an_everyday_question_is_refused_in_any_language(engine: Engine) -> None:
    for question in (
        "How do I get candle wax out of a tablecloth?",
        "怎么把蜡烛油从桌布上去掉？",
        "Wie bekomme ich Kerzenwachs aus einer Tischdecke?",
    ):
        assert engine.ask(question).refused, question


@pytest.mark.slow
def test_a_follow_up_carries_the_story_forward(engine: Engine) -> None:
    conversation = Conversation()
    engine.ask("Who is the mayor of Valdemora?", conversation)
    follow = engine.ask("and how much did it cost?", conversation)
    assert not follow.refused
    assert any(c.article_id.startswith("tram") for c in follow.citations)


def test_renumbering_drops_unknown_numbers_and_orders_by_first_use() -> None:
    text, order = renumber_citations("A [3]. B [1, 9][3]. C [7].", {1: "x", 3: "y"})
    assert text == "A [1]. B [2][1]. C."
    assert order == [3, 1]


def test_warm_up_without_an_index_does_not_raise(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The bot still starts without an index; the first question says there is none."""
    caplog.set_level(logging.INFO, logger="bot.answering.engine")
    engine = Engine(Settings(index_dir=tmp_path / "none", embedding="hash"))
    engine.warm_up()
    assert "warm-up: " in caplog.text
    with pytest.raises(NoIndexError):
        engine.ask("Who opened the tram?")


@pytest.mark.slow
def test_the_refusal_nulls_are_kept_per_generation_and_retriever(engine: Engine) -> None:
    from bot.answering.refusal import CACHE_FILE, kept_in_index

    engine.nulls.null("en")
    folder, key = kept_in_index(engine.settings, lambda: engine.searcher)() or (None, "")
    assert folder is not None and (folder / CACHE_FILE).exists()

    class OtherRetriever:  # scores differently: must not reuse this retriever's nulls
        def __init__(self, inner: object) -> None:
            self.inner = inner

        def generation(self) -> int:
            return engine.searcher.generation()

    other = OtherRetriever(engine.searcher)
    _, other_key = kept_in_index(engine.settings, lambda: other)() or (None, "")  # type: ignore[arg-type,return-value]
    assert other_key and other_key != key
