"""benchmarks.names end to end on a slice of eval/names, with the hash embedder (its dense
score is noise, so only the name channel finds the article: the figures are low, but
better with the channel than without)."""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks.names import compose, main


def test_the_set_asks_every_person_in_other_scripts_only() -> None:
    articles, questions = compose()
    assert len(articles) == 21
    scripts = {q.question_script for q in questions} | {q.article_script for q in questions}
    assert {"latin", "cyrillic", "han", "kana", "hangul", "arabic", "devanagari"} <= scripts
    assert all(q.question_script != q.article_script for q in questions)
    assert {q.split for q in questions} == {"dev", "test"}


def test_names_benchmark_reports_before_and_after(results_dir: Path, tmp_path: Path) -> None:
    args = ["--split", "all", "--people", "4", "--embedding", "hash"]
    result = main([*args, "--index-dir", str(tmp_path / "index")])
    written = json.loads((results_dir / "names-all.json").read_text(encoding="utf-8"))
    assert written["after"] == result["after"]
    assert result["after"]["n"] > 15
    assert result["after"]["first"] > result["before"]["first"]
    assert result["after"]["top5"] > result["before"]["top5"]
