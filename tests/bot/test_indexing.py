"""A build writes the refusal's statistics with the generation: start-up, `/reindex` and the
first question read them instead of running the off-topic searches."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.answering.engine import Engine
from bot.answering.refusal import CACHE_FILE, offtopic_questions
from bot.indexing import build
from bot.settings import Settings
from index.retrieval.search import Searcher
from index.types import Passage
from tests.bot.answering.news import TEXTS


def make_settings(tmp_path: Path, articles: Path) -> Settings:
    return Settings(  # type: ignore[call-arg]
        _env_file=None, articles=articles, index_dir=tmp_path / "index", embedding="hash"
    )


def write_articles(folder: Path, ids: list[str]) -> None:
    folder.mkdir(exist_ok=True)
    for article_id in ids:
        _lang, title, text = TEXTS[article_id]
        (folder / f"{article_id}.txt").write_text(f"{title}\n\n{text}\n", encoding="utf-8")


def serving_engine(settings: Settings) -> tuple[Engine, list[str]]:
    """The product's engine and searcher; the list collects every question searched."""
    searcher = Searcher(settings)
    asked: list[str] = []
    search = searcher.search

    def counting(query: str, k: int = 6, languages: list[str] | None = None) -> list[Passage]:
        asked.append(query)
        return search(query, k, languages)

    searcher.search = counting  # type: ignore[method-assign]
    return Engine(settings, searcher=searcher), asked


def test_a_build_stores_the_nulls_of_every_shipped_language(tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    write_articles(articles, sorted(TEXTS)[:4])
    settings = make_settings(tmp_path, articles)
    stages: list[str] = []
    build(settings, progress=lambda p: stages.append(p.stage))
    assert "calibrate" in stages

    kept = json.loads((settings.index_dir / CACHE_FILE).read_text("utf-8"))
    assert set(kept["nulls"]) == set(offtopic_questions())

    engine, asked = serving_engine(settings)
    engine.warm_up()
    engine.ask("When does the new tram open?")
    engine.ask("Как испечь хлеб?")
    engine.calibrate()
    offtopic = {q for qs in offtopic_questions().values() for q in qs}
    assert not offtopic & set(asked), "the serving engine re-ran the off-topic searches"


def test_the_nulls_match_what_the_serving_engine_would_compute(tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    write_articles(articles, sorted(TEXTS)[:4])
    settings = make_settings(tmp_path, articles)
    build(settings)
    kept = json.loads((settings.index_dir / CACHE_FILE).read_text("utf-8"))["nulls"]
    (settings.index_dir / CACHE_FILE).unlink()
    engine, _ = serving_engine(settings)
    for lang in ("en", "zh-Hans", "ru"):
        null = engine.nulls.null(lang)
        assert null is not None
        assert null.score == pytest.approx(tuple(kept[lang]["score"]), abs=1e-6)


def test_a_rebuild_with_new_articles_stores_nulls_for_the_new_generation(tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    ids = sorted(TEXTS)
    write_articles(articles, ids[:2])
    settings = make_settings(tmp_path, articles)
    build(settings)
    first = json.loads((settings.index_dir / CACHE_FILE).read_text("utf-8"))["key"]
    write_articles(articles, ids[2:5])
    build(settings)
    second = json.loads((settings.index_dir / CACHE_FILE).read_text("utf-8"))["key"]
    assert first != second

    engine, asked = serving_engine(settings)
    assert engine.nulls.load_kept() == len(offtopic_questions())
    assert asked == []


def test_an_index_of_an_older_version_is_calibrated_once(tmp_path: Path) -> None:
    from index.building.builder import build_index

    articles = tmp_path / "articles"
    write_articles(articles, sorted(TEXTS)[:3])
    settings = make_settings(tmp_path, articles)
    build_index(settings)  # what older versions did: no statistics
    assert not (settings.index_dir / CACHE_FILE).exists()

    engine, asked = serving_engine(settings)
    engine.warm_up()
    engine.calibrate()  # the bot, in the background after start-up
    assert len(asked) > 1 and (settings.index_dir / CACHE_FILE).exists()

    again, asked = serving_engine(settings)
    again.warm_up()
    again.calibrate()
    assert asked == ["warm up"]


def test_a_damaged_vector_cache_is_embedded_again(tmp_path: Path) -> None:
    from index.files import cache_dir

    articles = tmp_path / "articles"
    write_articles(articles, sorted(TEXTS)[:2])
    settings = make_settings(tmp_path, articles)
    build(settings)
    cached = sorted(cache_dir().glob("offtopic-vectors-*.npy"))
    assert cached
    for path in cached:
        path.write_bytes(b"")  # a truncated file
    (settings.index_dir / CACHE_FILE).unlink()
    build(settings)
    assert set(json.loads((settings.index_dir / CACHE_FILE).read_text("utf-8"))["nulls"]) == set(
        offtopic_questions()
    )
    assert all(path.stat().st_size > 0 for path in cached)
