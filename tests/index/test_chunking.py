"""Chunks: whole sentences within the token budget, with overlap, and never a character lost."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from index.ingest.chunking import chunk_article, chunk_spans, chunk_texts, count_tokens, tokenizer
from index.text import split_sentences
from index.types import Article

EN = (
    "The city council approved forty kilometres of new bicycle lanes on Tuesday. "
    "Dr. Lind said the work would start in Jan. 2025 and cost about $4.5 million. "
    "Residents of the northern districts asked for safer crossings near schools.\n"
    "Shop owners worried about parking, but the council kept its plan. "
    "The first lanes should open before the summer holidays."
)
RU = (
    "Совет города утвердил строительство велодорожек протяжённостью ок. 40 км. "
    "Работы начнутся в 2025 г. и обойдутся примерно в 300 млн руб., т. е. дешевле, "
    "чем планировалось. Жители северных районов просили безопасные переходы.\n"
    "Владельцы магазинов беспокоились о парковке. Первые дорожки откроются летом."
)
ZH = (
    "市議會週二批准興建四十公里的自行車道。官員表示，工程將於明年一月動工，"
    "預算約為一億元。北區居民要求在學校附近設置更安全的過路設施。\n"
    "商家擔心停車位減少，但議會維持原計畫。「第一段車道將在暑假前開放。」他說。"
)
JA = (
    "市議会は火曜日、自転車道の建設を承認した。"
    "市長は「安全な街にしたい。」と語った。工事は来年始まる。"
)


def _covers(text: str, spans: list[tuple[int, int]]) -> bool:
    """Every non-space character of the text lies inside some span."""
    covered = [False] * len(text)
    for a, b in spans:
        for i in range(a, b):
            covered[i] = True
    return all(c or ch.isspace() for ch, c in zip(text, covered, strict=True))


def test_tokenizer_loads_from_the_bundled_cache() -> None:
    tokenizer()
    cache = os.environ["TIKTOKEN_CACHE_DIR"]
    assert Path(cache).is_dir() and any(Path(cache).iterdir())
    assert count_tokens("hello world") == 2


@pytest.mark.parametrize(("text", "lang"), [(EN, "en"), (RU, "ru"), (ZH, "zh-Hant"), (JA, "ja")])
@pytest.mark.parametrize(("budget", "overlap"), [(220, 40), (40, 10), (12, 4)])
def test_chunks_lose_nothing_and_stay_within_the_budget(
    text: str, lang: str, budget: int, overlap: int
) -> None:
    spans = chunk_spans(text, lang, budget, overlap)
    chunks = chunk_texts(text, lang, budget, overlap)
    assert _covers(text, spans)
    assert all(c == text[a:b].strip() for c, (a, b) in zip(chunks, spans, strict=True))
    assert all(count_tokens(c) <= budget + 2 for c in chunks)  # +2: tokens merge at joins
    if budget >= 200:  # a budget that fits every sentence: chunks end on sentence ends
        ends = {text[a:b].strip()[-1] for a, b in spans}
        assert ends <= set(".。」\n") | {text.strip()[-1]}


def test_one_chunk_keeps_the_text_exactly() -> None:
    assert chunk_texts(EN, "en", 500, 50) == [EN]
    assert chunk_texts(ZH, "zh-Hant", 500, 50) == [ZH]


def test_consecutive_chunks_overlap_by_whole_sentences() -> None:
    text = " ".join(f"Kalimat nomor {i} tentang anggaran kota dan jalur sepeda." for i in range(40))
    chunks = chunk_texts(text, "id", 60, 20)
    assert len(chunks) > 3
    for a, b in zip(chunks, chunks[1:], strict=False):
        first_of_b = split_sentences(b, "id")[0]
        assert a.endswith(first_of_b) or first_of_b in a


def test_abbreviations_do_not_cut_a_chunk() -> None:
    """With a budget of about one sentence, chunks are sentences: "ок." and "т. е." stay."""
    chunks = chunk_texts(RU, "ru", 45, 0)
    assert any("ок. 40 км." in c for c in chunks)
    assert any("т. е. дешевле" in c for c in chunks)
    assert not any(c.startswith(("40 км", "е. дешевле", "дешевле")) for c in chunks)


def test_a_sentence_longer_than_the_budget_is_cut_without_loss() -> None:
    long = "数" * 2000
    spans = chunk_spans(long, "zh-Hans", 100, 10)
    chunks = [long[a:b] for a, b in spans]
    assert len(chunks) > 5 and all(count_tokens(c) <= 102 for c in chunks)
    assert "".join(chunks) == long  # pieces of one sentence tile it (no overlap inside)


def test_line_breaks_survive_inside_a_chunk() -> None:
    text = (
        "Redaksi Kota\n\nDewan kota menyetujui jalur sepeda baru. Proyek dimulai Januari.\nSubjudul"
    )
    (chunk,) = chunk_texts(text, "id", 220, 40)
    assert chunk == text
    assert chunk.splitlines() == [
        "Redaksi Kota",
        "",
        "Dewan kota menyetujui jalur sepeda baru. Proyek dimulai Januari.",
        "Subjudul",
    ]


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
    assert chunk.text == "Satu. Dua. Tiga."
    assert "url" in chunk.metadata() and None not in chunk.metadata().values()
