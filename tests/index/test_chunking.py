"""Chunks: sentence-aware, within the token budget, with overlap, correct for CJK and Cyrillic."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from index.chunking import chunk_article, chunk_texts, count_tokens, split_sentences, tokenizer
from index.types import Article

SAMPLES = Path(__file__).resolve().parents[2] / "articles"


def test_tokenizer_loads_from_the_bundled_cache() -> None:
    tokenizer()
    cache = os.environ["TIKTOKEN_CACHE_DIR"]
    assert Path(cache).is_dir() and any(Path(cache).iterdir())
    assert count_tokens("hello world") == 2


def test_chinese_sentences_split_after_full_width_punctuation() -> None:
    text = "巴布什金宣布離職。他將創辦風投公司！為什麼？「我很自豪。」最後一句"
    assert split_sentences(text) == [
        "巴布什金宣布離職。",
        "他將創辦風投公司！",
        "為什麼？",
        "「我很自豪。」",
        "最後一句",
    ]


def test_russian_and_latin_sentences_split_at_the_space_only() -> None:
    text = "Бабушкин ушёл из xAI. Он основал фонд! Версия 6.5 вышла? Да… «Цитата.» Конец"
    assert split_sentences(text) == [
        "Бабушкин ушёл из xAI.",
        "Он основал фонд!",
        "Версия 6.5 вышла?",
        "Да…",
        "«Цитата.»",
        "Конец",
    ]


@pytest.mark.parametrize("name", sorted(p.name for p in SAMPLES.iterdir()))
@pytest.mark.parametrize("budget,overlap", [(220, 40), (64, 16)])
def test_sample_chunks_stay_within_the_budget(name: str, budget: int, overlap: int) -> None:
    text = (SAMPLES / name).read_text(encoding="utf-8")
    lang = "zh-Hant" if name.startswith("002") else "ru" if name.startswith("003") else "id"
    chunks = chunk_texts(text, lang, budget, overlap)
    assert len(chunks) >= 2
    assert all(count_tokens(c) <= budget + 2 for c in chunks)  # +2: joining may merge tokens
    # nothing lost: every sentence is in some chunk
    joined = "\n".join(chunks)
    assert all(s[:20] in joined for s in split_sentences(text))


def test_consecutive_chunks_overlap_by_whole_sentences() -> None:
    sentences = [f"Kalimat nomor {i} tentang xAI dan Babuschkin." for i in range(40)]
    chunks = chunk_texts(" ".join(sentences), "id", 60, 20)
    for a, b in zip(chunks, chunks[1:], strict=False):
        first_of_b = split_sentences(b)[0]
        assert first_of_b in a  # the next chunk starts with a sentence repeated from this one


def test_a_sentence_longer_than_the_budget_is_cut() -> None:
    long = "数" * 2000
    chunks = chunk_texts(long, "zh-Hans", 100, 10)
    assert len(chunks) > 5 and all(count_tokens(c) <= 102 for c in chunks)


def test_chunk_keeps_everything_a_citation_needs() -> None:
    art = Article(
        id="x1",
        title="Judul",
        text="Satu. Dua. Tiga.",
        language="id",
        source="x1.txt",
        url="https://example.org/x1",
        published="2024-09-26",
        sha256="ab" * 32,
    )
    (chunk,) = chunk_article(art, 220, 40)
    assert chunk.chunk_id == "x1#abababababab-0"
    assert (chunk.article_id, chunk.title, chunk.language, chunk.source) == (
        "x1",
        "Judul",
        "id",
        "x1.txt",
    )
    assert (chunk.url, chunk.published, chunk.position) == (
        "https://example.org/x1",
        "2024-09-26",
        0,
    )
    assert "url" in chunk.metadata() and None not in chunk.metadata().values()


def test_line_breaks_survive_inside_a_chunk() -> None:
    text = "Tim Redaksi\n\nIgor Babuschkin meninggalkan xAI. Dia memulai firma baru.\nSubjudul"
    (chunk,) = chunk_texts(text, "id", 220, 40)
    assert chunk.splitlines() == [
        "Tim Redaksi",
        "Igor Babuschkin meninggalkan xAI. Dia memulai firma baru.",
        "Subjudul",
    ]
