"""Question arguments and stdin JSONL batches of `newsbot search|ask`."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from typing import Any, TextIO

from bot.cli.support import emit_json
from bot.question_input import check_question
from index.errors import NewsbotError, UsageError


def read_jsonl_questions(
    stream: TextIO | None = None,
) -> Iterator[tuple[Any, str | None, str | None]]:
    """(id, question, error) per non-blank stdin line; error is set when the line is unusable."""
    for number, line in enumerate(stream if stream is not None else sys.stdin, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            yield None, None, f"line {number}: not JSON ({exc.msg})"
            continue
        if not isinstance(item, dict):
            yield None, None, f'line {number}: expected an object {{"id", "question"}}'
            continue
        qid = item.get("id", number)
        try:
            yield qid, check_question(item.get("question", item.get("query"))), None
        except NewsbotError as exc:
            yield qid, None, f"line {number}: {exc}"


def single_question(text: str | None, jsonl: bool, what: str) -> str | None:
    """The checked command-line question, or None in --jsonl mode (exactly one of the two)."""
    if jsonl:
        if text is not None:
            raise UsageError(f"give either a {what} or --jsonl (stdin), not both")
        return None
    if text is None:
        thing = "question" if what == "ask" else "query"
        raise UsageError(
            f"missing {thing} — e.g. newsbot {what} 'Who announced the merger?', "
            f"or newsbot {what} --jsonl to read them from stdin"
        )
    return check_question(text)


def answer_batch(result: Callable[[str], dict[str, Any]], stream: TextIO | None = None) -> None:
    """`--jsonl`: one JSON line per input line, `{"id", **result(question)}` or
    `{"id", "error"}`; exit 2 at the end if any line was unusable."""
    errors = 0
    for qid, question, error in read_jsonl_questions(stream):
        if question is None:
            errors += 1
            emit_json({"id": qid, "error": error})
        else:
            emit_json({"id": qid, **result(question)})
    if errors:
        raise UsageError(f'{errors} input line(s) were not usable (see their "error" fields)')
