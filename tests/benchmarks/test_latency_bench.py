"""benchmarks.latency's in-process parts on the samples (hash embedder), and its child timing."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from benchmarks.common import child_env, peak_of
from benchmarks.latency import main

ARTICLES = Path(__file__).resolve().parents[2] / "articles"


def test_latency_benchmark_reports_warm_figures_and_llm_tokens(
    tmp_path: Path, results_dir: Path
) -> None:
    questions = tmp_path / "q.jsonl"
    rows = [
        {"id": "a", "question": "Why did Babuschkin leave xAI?", "gold": ["x"]},
        {"id": "c", "turns": [{"question": "Who is Igor Babuschkin?", "gold": ["x"]},
                              {"question": "and why did he leave?", "gold": ["x"]}]},
    ]  # fmt: skip
    questions.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    main(["--questions", str(questions), "--articles", str(ARTICLES), "--cache",
          str(tmp_path / "cache"), "--embedding", "hash", "--rounds", "2",
          "--cold-runs", "0", "--serve", "0"])  # fmt: skip
    data = json.loads((results_dir / "latency.json").read_text(encoding="utf-8"))
    warm = data["warm"]
    assert warm["ask"]["n"] == warm["search"]["n"] == warm["embed"]["n"] == 3 * 2
    assert warm["ask"]["p50"] > 0 and warm["search"]["p50_x_embed"] > 0
    llm = data["llm"]
    # The follow-up is condensed by the LLM: at least that call is counted, with tiktoken.
    assert llm["answers_calling_llm"] >= 1 and llm["prompt_tokens"]["p50"] > 10
    assert "1m" in data["load"]["warm"]


def test_peak_of_reports_a_childs_own_peak_memory() -> None:
    grow = "x = bytearray(150 * 2**20); x[::4096] = b'1' * len(x[::4096]); print('done')"
    wall, peak, out = peak_of([sys.executable, "-c", grow], "", child_env())
    assert out.strip() == "done" and wall > 0
    assert peak >= 150  # MiB
    _, small, _ = peak_of([sys.executable, "-c", "pass"], "", child_env())
    assert small < 60  # the child's own peak, not this (bigger) process's size at fork
