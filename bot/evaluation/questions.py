"""Questions files of `newsbot eval`, one question per line, three formats.

- simple: {"id", "question", "gold": [article ids], "answerable", "facts"?, "turns"?,
  "language"?, "kind"?} — "facts": one key fact as a list of alternative forms
  (["Porto", "Порту"]: any one counts), or several as a list of such lists; "turns"
  are earlier questions of the same conversation; "kind" (who, when, how many, where,
  why, list, other) groups the figures.
- conversation: {"id", "turns": [simple questions]} — every turn is judged, each asked
  after the earlier turns in one Conversation.
- xquad-xling: {"qid", "questions": {lang: text}, "single_pool_gold", "gold_pids",
  "answers"?}; every language version is its own question.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from index.errors import UsageError


@dataclass(frozen=True)
class EvalQuestion:
    id: str
    question: str
    language: str
    gold: frozenset[str]
    answerable: bool = True
    facts: tuple[Any, ...] = ()
    turns: tuple[str, ...] = ()
    kind: str | None = None  # who, when, how many, where, why, list, other


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
        kind=item.get("kind"),
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
        yield replace(question, id=f"{item.get('id', number)}#{i}")
        earlier.append(question.question)
