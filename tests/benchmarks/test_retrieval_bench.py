"""benchmarks.retrieval runs end to end on a tiny xquad-shaped set (hash embedder)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.retrieval import METHODS, BM25Retriever, main


def test_retrieval_benchmark_reports_every_method_per_language(
    xquad_dir: Path, results_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpora = main(
        ["--eval-dir", str(xquad_dir), "--cache", str(tmp_path / "cache"), "--embedding", "hash"]
    )
    data = json.loads((results_dir / "retrieval.json").read_text(encoding="utf-8"))
    assert set(data["corpora"]) == {"single", "parallel"}
    single = data["corpora"]["single"]
    assert single["passages"] == 3 and single["queries"] == 6
    for method in METHODS:
        figs = single["figures"][method]
        assert set(figs) == {"en", "ru", "all"}
        assert all(
            0.0 <= f["recall@1"] <= f["recall@5"] <= f["recall@10"] <= 1 for f in figs.values()
        )
        assert single["latency_ms"][method]["n"] == 6
        assert "1m" in single["load_before"]
    # Three passages and k=10: every retriever that returns them all has recall@10 = 1.
    assert corpora["single"]["figures"]["newsbot"]["all"]["recall@10"] == 1.0
    assert corpora["parallel"]["passages"] == 6
    out = capsys.readouterr().out
    assert "newsbot" in out and "baseline" in out and "bm25" in out and "targets" in out
    # A second run reuses the cached index: nothing embedded again.
    again = main(
        ["--eval-dir", str(xquad_dir), "--cache", str(tmp_path / "cache"), "--embedding", "hash",
         "--corpus", "single"]
    )  # fmt: skip
    assert again["single"]["build"]["chunks_embedded"] == 0


def test_bm25_matches_names_across_scripts_and_drops_non_matches() -> None:
    from index.types import Chunk

    def chunk(aid: str, text: str, lang: str) -> Chunk:
        return Chunk(f"{aid}#0", aid, "", lang, text, aid, None, None, 0)

    bm25 = BM25Retriever(
        [
            chunk("a", "Бабушкина пригласили в xAI", "ru"),
            chunk("b", "巴布什金離開了公司", "zh-Hant"),
            chunk("c", "Cuaca cerah di Jakarta", "id"),
        ]
    )
    assert bm25.retrieve("Бабушкин", 10) == ["a"]  # Cyrillic prefix stemming
    assert bm25.retrieve("巴布什金离开", 10) == ["b"]  # Simplified query, Traditional text
    assert bm25.retrieve("nothing shared", 10) == []
