"""`newsbot eval`: run a questions file through search and ask, then score it.

Two formats, one question per line:
- simple: {"id", "question", "gold": [article ids], "answerable", "facts"?, "turns"?,
  "language"?} — "facts": one key fact as a list of alternative forms (["Memphis",
  "Мемфис"]: any one counts), or several as a list of such lists; "turns" are earlier
  questions of the same conversation.
- conversation: {"id", "turns": [simple questions]} — every turn is judged, each asked
  after the earlier turns in one Conversation (follow-ups are judged by the passages
  their answer used).
- xquad-xling: {"qid", "questions": {lang: text}, "single_pool_gold", "gold_pids",
  "answers"?}; every language version is its own question.

Gold is kept away from the engine: questions go in, rankings and answers come out, and
only `eval_metrics` compares them with gold afterwards.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.evaluation.metrics import RECALL_KS, Outcome, by_language, fact_present
from index.errors import UsageError

log = logging.getLogger(__name__)

DEFAULT_QUESTIONS = Path("eval/sample_questions.jsonl")
SEARCH_K = max(RECALL_KS)


@dataclass(frozen=True)
class EvalQuestion:
    id: str
    question: str
    language: str
    gold: frozenset[str]
    answerable: bool = True
    facts: tuple[Any, ...] = ()
    turns: tuple[str, ...] = ()


@dataclass
class EvalRun:
    questions_file: str
    index_dir: str
    outcomes: list[Outcome] = field(default_factory=list)
    gold_in_index: float | None = None  # share of answerable questions whose gold is indexed

    def to_json(self) -> dict[str, Any]:
        groups = by_language(self.outcomes)
        return {
            "questions_file": self.questions_file,
            "index_dir": self.index_dir,
            "questions": len(self.outcomes),
            "gold_in_index": self.gold_in_index,
            "languages": {lang: f.to_json() for lang, f in groups.items() if lang != "all"},
            "all": groups["all"].to_json(),
            "errors": [{"id": o.id, "error": o.error} for o in self.outcomes if o.error],
        }


def load_questions(path: Path, detect: Callable[[str], str] | None = None) -> list[EvalQuestion]:
    """Questions of either format; the language is given, or detected from the text."""
    if not path.is_file():
        raise UsageError(f"questions file not found: {path}")
    questions: list[EvalQuestion] = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError as exc:
                raise UsageError(f"{path}:{number}: not JSON ({exc.msg})") from exc
            if isinstance(item, dict) and isinstance(item.get("questions"), dict):
                questions.extend(_xquad_questions(item))
            elif isinstance(item, dict) and "question" in item:
                questions.append(_simple_question(item, number, detect))
            elif isinstance(item, dict) and isinstance(item.get("turns"), list):
                questions.extend(_conversation_questions(item, number, detect))
            else:
                raise UsageError(f"{path}:{number}: neither the simple nor the xquad format")
    return questions


def _facts(raw: Any) -> tuple[Any, ...]:
    """`facts`: a list of strings is one key fact in alternative forms (any one counts);
    a list of lists is several key facts, each with its alternatives."""
    if not raw:
        return ()
    if isinstance(raw, str):
        return (raw,)
    if any(isinstance(f, list) for f in raw):
        return tuple(raw)
    return (tuple(raw),)


def _xquad_questions(item: dict[str, Any]) -> Iterator[EvalQuestion]:
    gold = {item["single_pool_gold"]} if item.get("single_pool_gold") else set()
    gold |= set((item.get("gold_pids") or {}).values())
    answers = item.get("answers") or {}
    # One key fact: the answer span, in whichever language it is found.
    forms = tuple(sorted({a for texts in answers.values() for a in texts if a}))
    for lang, text in sorted(item["questions"].items()):
        if text:
            yield EvalQuestion(
                id=f"{item.get('qid', item.get('id'))}:{lang}",
                question=text,
                language=lang,
                gold=frozenset(gold),
                facts=(forms,) if forms else (),
            )


def _simple_question(
    item: dict[str, Any], number: int, detect: Callable[[str], str] | None
) -> EvalQuestion:
    text = str(item["question"])
    language = item.get("language") or item.get("lang")
    if not language:
        language = detect(text) if detect else "und"
    turns = tuple(
        t if isinstance(t, str) else str(t.get("question")) for t in item.get("turns", ())
    )
    gold = frozenset(item.get("gold") or ())
    return EvalQuestion(
        id=str(item.get("id", number)),
        question=text,
        language=language,
        gold=gold,
        answerable=bool(item.get("answerable", bool(gold))),
        facts=_facts(item.get("facts")),
        turns=turns,
    )


def _conversation_questions(
    item: dict[str, Any], number: int, detect: Callable[[str], str] | None
) -> Iterator[EvalQuestion]:
    """{"id", "turns": [simple questions]}: each turn is judged, asked after the earlier ones."""
    earlier: list[str] = []
    for i, turn in enumerate(item["turns"], 1):
        if not isinstance(turn, dict) or "question" not in turn:
            raise UsageError(f"line {number}: each turn needs a question")
        question = _simple_question({**turn, "turns": earlier}, number, detect)
        yield EvalQuestion(
            id=f"{item.get('id', number)}#{i}",
            question=question.question,
            language=question.language,
            gold=question.gold,
            answerable=question.answerable,
            facts=question.facts,
            turns=tuple(earlier),
        )
        earlier.append(question.question)


def _timed(call: Callable[[], Any]) -> tuple[Any, float]:
    start = time.perf_counter()
    result = call()
    return result, (time.perf_counter() - start) * 1000.0


def run_questions(
    engine: Any,
    questions: list[EvalQuestion],
    *,
    ask: bool = True,
    baseline: Callable[[str, int], list[Any]] | None = None,
    new_conversation: Callable[[], Any] | None = None,
    on_done: Callable[[Outcome], None] | None = None,
) -> list[Outcome]:
    """Search (and ask) each question; gold is attached to the outcome, never passed on."""
    outcomes = []
    for q in questions:
        outcome = Outcome(id=q.id, language=q.language, gold=q.gold, answerable=q.answerable)
        try:
            _run_one(engine, q, outcome, ask, baseline, new_conversation)
        except Exception as exc:  # one broken question must not end the run
            log.exception("eval question %s failed", q.id)
            outcome.error = f"{type(exc).__name__}: {exc}"
        outcomes.append(outcome)
        if on_done:
            on_done(outcome)
    return outcomes


def _run_one(
    engine: Any,
    q: EvalQuestion,
    outcome: Outcome,
    ask: bool,
    baseline: Callable[[str, int], list[Any]] | None,
    new_conversation: Callable[[], Any] | None,
) -> None:
    if not q.turns:
        passages, outcome.search_ms = _timed(lambda: engine.search(q.question, k=SEARCH_K))
        outcome.retrieved = [p.article_id for p in passages]
        if baseline is not None:
            passages, outcome.baseline_ms = _timed(lambda: baseline(q.question, SEARCH_K))
            outcome.baseline = [p.article_id for p in passages]
    if not ask:
        return
    conversation = None
    if q.turns and new_conversation is not None:
        conversation = new_conversation()
        for turn in q.turns:
            before = len(conversation.turns)
            earlier = engine.ask(turn, conversation)
            if len(conversation.turns) == before:  # the engine left remembering to us
                conversation.add(turn, earlier)
    answer, outcome.ask_ms = _timed(lambda: engine.ask(q.question, conversation))
    if q.turns:  # a follow-up: its retrieval is what the answer was built from
        outcome.retrieved = [p.article_id for p in answer.passages]
    outcome.refused = bool(answer.refused)
    outcome.cited = [c.article_id for c in answer.citations]
    shown = "\n".join([answer.text, *(c.quote for c in answer.citations)])
    outcome.facts_total = len(q.facts)
    outcome.facts_found = sum(1 for fact in q.facts if fact_present(fact, shown))


def warm_up(engine: Any, ask: bool) -> None:
    """Load the model and open the index before anything is timed (warm latency)."""
    engine.search("warm up", k=1)
    if ask:
        engine.ask("warm up")


def gold_coverage(questions: list[EvalQuestion], article_ids: set[str]) -> float | None:
    judged = [q for q in questions if q.answerable and q.gold]
    if not judged:
        return None
    return sum(1 for q in judged if q.gold & article_ids) / len(judged)


def run_eval_command(
    settings: Any,
    *,
    questions: Path | None,
    as_json: bool,
    baseline: bool,
    build: bool,
    ask: bool,
    limit: int | None,
) -> EvalRun:
    """Everything `newsbot eval` does: optional build, run, then table or JSON."""
    from bot.answering.engine import Engine
    from bot.evaluation.report import print_report, progress_counter
    from index.language import detect_language

    path = questions or DEFAULT_QUESTIONS
    items = load_questions(path, detect=detect_language)[:limit]
    if build:
        from bot.progress import build_progress
        from index.build import build_index

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
    baseline_fn = _baseline_fn(engine, settings) if baseline else None
    warm_up(engine, ask)
    if baseline_fn is not None:
        baseline_fn("warm up", 1)
    from bot.answering.conversation import Conversation

    with progress_counter(len(items), enabled=not as_json) as tick:
        run.outcomes = run_questions(
            engine,
            items,
            ask=ask,
            baseline=baseline_fn,
            new_conversation=Conversation,
            on_done=lambda _: tick(),
        )
    if as_json:
        print(json.dumps(run.to_json(), ensure_ascii=False))
    else:
        print_report(run)
    return run


def _baseline_fn(engine: Any, settings: Any) -> Callable[[str, int], list[Any]]:
    searcher = getattr(engine, "searcher", None)
    if searcher is None:
        from index.search import Searcher

        searcher = Searcher(settings)
    return lambda query, k: searcher.baseline(query, k)
