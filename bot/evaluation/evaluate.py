"""`newsbot eval`: run a questions file through search and ask, then score it.

The file formats are in `bot.evaluation.questions`; follow-ups are judged by the passages
their answer used. Gold is kept away from the engine: questions go in, rankings and
answers come out, and only then are they compared with gold (`matching`, `metrics`).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from bot.answering.extractive.answer_line import asks_short
from bot.answering.extractive.compose import reader_rank
from bot.evaluation.matching import fact_present, short_right
from bot.evaluation.metrics import RECALL_KS, EvalRun, Outcome
from bot.evaluation.questions import EvalQuestion, load_questions

if TYPE_CHECKING:
    from bot.answering.conversation import Conversation
    from bot.answering.engine import Engine
    from bot.answering.protocols import AnswerEngine
    from bot.answering.types import Citation
    from bot.settings import Settings
    from index.types import Passage

log = logging.getLogger(__name__)

DEFAULT_QUESTIONS = Path("eval/sample_questions.jsonl")
SEARCH_K = max(RECALL_KS)


T = TypeVar("T")


def _timed(call: Callable[[], T]) -> tuple[T, float]:
    start = time.perf_counter()
    result = call()
    return result, (time.perf_counter() - start) * 1000.0


Baseline = Callable[[str, int], list["Passage"]]


@dataclass(frozen=True)
class QuestionRunner:
    """Puts each question to the engine: search (and the baseline's, if any), then ask — a
    follow-up after its earlier turns, in a conversation of its own. Gold is attached to
    the outcome afterwards, never passed on."""

    engine: AnswerEngine
    ask: bool = True
    search: bool = True
    baseline: Baseline | None = None
    new_conversation: Callable[[], Conversation] | None = None
    # article id -> (language, text), to tell whether a gold article gives the fact in the
    # question's language (Outcome.readable); None: not judged
    sources: Mapping[str, tuple[str, str]] | None = None

    def run(
        self, questions: list[EvalQuestion], on_done: Callable[[Outcome], None] | None = None
    ) -> list[Outcome]:
        """Each question's outcome; one that fails is reported in it, not raised."""
        outcomes = []
        for q in questions:
            outcome = Outcome(
                id=q.id, language=q.language, gold=q.gold, answerable=q.answerable, kind=q.kind
            )
            try:
                self._run_one(q, outcome)
            except Exception as exc:  # one broken question must not end the run
                log.exception("eval question %s failed", q.id)
                outcome.error = f"{type(exc).__name__}: {exc}"
            outcomes.append(outcome)
            if on_done:
                on_done(outcome)
        return outcomes

    def _run_one(self, q: EvalQuestion, outcome: Outcome) -> None:
        engine, baseline = self.engine, self.baseline
        if self.search and not q.turns:
            passages, outcome.search_ms = _timed(lambda: engine.search(q.question, k=SEARCH_K))
            outcome.retrieved = [p.article_id for p in passages]
            if baseline is not None:
                passages, outcome.baseline_ms = _timed(lambda: baseline(q.question, SEARCH_K))
                outcome.baseline = [p.article_id for p in passages]
        if not self.ask:
            return
        conversation = None
        if q.turns and self.new_conversation is not None:
            conversation = self.new_conversation()
            for turn in q.turns:
                engine.ask(turn, conversation)  # the engine records the turn
        answer, outcome.ask_ms = _timed(lambda: engine.ask(q.question, conversation))
        if q.turns:  # a follow-up: its retrieval is what the answer was built from
            outcome.retrieved = [p.article_id for p in answer.passages]
        outcome.refused = bool(answer.refused)
        outcome.cited = [c.article_id for c in answer.citations]
        shown = "\n".join([answer.text, *(c.quote for c in answer.citations)])
        outcome.facts_total = len(q.facts)
        outcome.facts_found = sum(1 for fact in q.facts if fact_present(fact, shown))
        outcome.short = answer.short
        outcome.short_asked = asks_short(q.question)
        forms = [f for fact in q.facts for f in ([fact] if isinstance(fact, str) else fact)]
        outcome.short_right = short_right(outcome.short, forms) if forms else None
        if self.sources is not None and q.facts:
            outcome.readable = _readable(q, answer.citations, self.sources)


def _readable(
    q: EvalQuestion, citations: list[Citation], sources: Mapping[str, tuple[str, str]]
) -> bool | None:
    """Does a citation in the question's language quote a gold fact? None when no gold
    article in that language gives one (then no answer could). A language is read as the
    answer layer reads it (reader_rank: zh-Hans and zh-Hant count as one)."""

    def reads(language: str) -> bool:
        return reader_rank(language, (q.language,)) == 0

    own = [sources[a][1] for a in q.gold if a in sources and reads(sources[a][0])]
    if not any(fact_present(f, text) for f in q.facts for text in own):
        return None
    return any(reads(c.language) and fact_present(f, c.quote) for c in citations for f in q.facts)


def article_sources(settings: Settings) -> dict[str, tuple[str, str]]:
    """article id -> (language, text) of the settings' articles, read as the build reads
    them (empty when they cannot be read)."""
    from index.ingest.corpus import load_articles

    root = settings.articles.expanduser()
    if not root.exists():
        return {}
    articles, _ = load_articles(root, int(settings.max_file_mb * 1024 * 1024))
    return {a.id: (a.language, a.text) for a in articles}


def warm_up(engine: AnswerEngine, ask: bool) -> None:
    """Load the model and open the index before anything is timed (warm latency)."""
    engine.search("warm up", k=1)
    if ask:
        engine.ask("warm up")


def gold_coverage(questions: list[EvalQuestion], article_ids: set[str]) -> float | None:
    judged = [q for q in questions if q.answerable and q.gold]
    if not judged:
        return None
    return sum(1 for q in judged if q.gold & article_ids) / len(judged)


@dataclass(frozen=True)
class EvalOptions:
    """What `newsbot eval` (without --xquad) was asked for."""

    questions: Path | None = None  # the questions file; DEFAULT_QUESTIONS when None
    limit: int | None = None  # only the first N questions
    build: bool = False  # build the index from the settings' articles first
    ask: bool = True  # ask as well as search (answer figures)
    baseline: bool = False  # also run the plain llama-index retriever
    as_json: bool = False  # JSON on stdout instead of a table and progress bars


def run_eval_command(settings: Settings, options: EvalOptions) -> EvalRun:
    """Everything `newsbot eval` does: optional build, run, then table or JSON."""
    from bot.answering.engine import Engine
    from bot.evaluation.report import print_report, progress_counter
    from index.language import detect_language

    as_json = options.as_json
    path = options.questions or DEFAULT_QUESTIONS
    items = load_questions(path, detect=detect_language)[: options.limit]
    if options.build:
        from bot.cli.progress import build_progress
        from index.building.builder import build_index

        with build_progress(enabled=not as_json) as progress:
            build_index(settings, full=False, progress=progress)
    engine = Engine(settings)
    run = EvalRun(questions_file=str(path), index_dir=str(settings.resolved_index_dir()))
    run.gold_in_index = gold_coverage(items, {a.id for a in engine.articles()})
    if run.gold_in_index is not None and run.gold_in_index < 0.5:
        log.warning(
            "only %.0f%% of the gold articles are in the index — wrong --index-dir?",
            100 * run.gold_in_index,
        )
    baseline_fn = _baseline_fn(engine) if options.baseline else None
    warm_up(engine, options.ask)
    if baseline_fn is not None:
        baseline_fn("warm up", 1)
    from bot.answering.conversation import Conversation

    with progress_counter(len(items), enabled=not as_json) as tick:
        runner = QuestionRunner(
            engine,
            ask=options.ask,
            baseline=baseline_fn,
            new_conversation=Conversation,
            sources=article_sources(settings) if options.ask else None,
        )
        run.outcomes = runner.run(items, on_done=lambda _: tick())
    if as_json:
        print(json.dumps(run.to_json(), ensure_ascii=False))
    else:
        print_report(run)
    return run


def _baseline_fn(engine: Engine) -> Baseline:
    """The plain llama-index retriever over the engine's own index."""
    return engine.searcher.baseline
