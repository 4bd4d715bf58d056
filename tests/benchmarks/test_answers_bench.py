"""benchmarks.answers runs end to end on a few questions (hash embedder) and judges fairly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.answers import judge, main
from bot.evaluation.metrics import Outcome

ARTICLES = Path(__file__).resolve().parents[2] / "eval" / "news" / "articles.jsonl"
GOLD = ["rice-id"]


def test_answers_benchmark_runs_newsbot_and_baseline_side_by_side(
    tmp_path: Path, results_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    questions = tmp_path / "q.jsonl"
    rows = [
        {"id": "a", "question": "Mengapa Bulog mengimpor beras dari Vietnam?", "gold": GOLD,
         "answerable": True, "facts": ["kemarau panjang"]},
        {"id": "u", "question": "What is the capital of Peru?", "gold": [], "answerable": False},
        {"id": "c", "turns": [
            {"question": "Who is Rizal Ramadhan?", "gold": GOLD, "answerable": True},
            {"question": "and what price did he agree?", "gold": GOLD, "answerable": True}]},
    ]  # fmt: skip
    questions.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    main(["--questions", str(questions), "--articles", str(ARTICLES),
          "--cache", str(tmp_path / "cache"), "--embedding", "hash"])  # fmt: skip
    data = json.loads((results_dir / "answers.json").read_text(encoding="utf-8"))
    for system in ("newsbot", "baseline"):
        groups = data["systems"][system]
        assert groups["all"]["questions"] == 4 and groups["all"]["errors"] == 0
        assert groups["all"]["unanswerable"] == 1
        assert groups["follow-ups"]["questions"] == 1
        assert groups["all"]["ask_ms"]["n"] == 4
    # The off-topic question is refused by any sane engine, so refusal recall is 1.
    assert data["systems"]["newsbot"]["all"]["refusal_recall"] == 1.0
    assert "1m" in data["load_before"]
    assert {"first_citation_right", "gold_shown", "short_precision"} <= set(groups["all"])
    assert "newsbot" in capsys.readouterr().out


def test_judge_counts_refusals_and_needs_an_unrefused_answer_for_a_fact() -> None:
    gold = frozenset(GOLD)
    outcomes = [
        Outcome(
            "a",
            "en",
            gold,
            True,
            refused=False,
            cited=GOLD,
            facts_found=1,
            facts_total=2,
            short="Rizal",
            short_right=True,
        ),
        Outcome("b", "en", gold, True, refused=True, cited=[], facts_found=1, facts_total=1),
        Outcome("c", "en", frozenset(), False, refused=True, cited=[]),
        Outcome("d", "en", frozenset(), False, refused=False, cited=GOLD),
    ]
    f = judge(outcomes)
    assert f["right_article_cited"] == 0.5  # b was refused
    assert f["key_fact_present"] == 0.5  # b's fact sits in a refusal: it does not count
    assert f["refusal_precision"] == 0.5 and f["refusal_recall"] == 0.5
    assert f["first_citation_right"] == 0.5 and f["gold_shown"] == 0.25  # a: 1 of 2, b: 0
    assert f["short_precision"] == 1.0 and f["short_n"] == 1
