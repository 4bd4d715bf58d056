"""Question arguments and stdin JSONL batches of `newsbot search|ask`."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from typing import Any, TextIO

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


def finish_batch(errors: int) -> None:
    """After a batch: exit 2 if any line was unusable (each already got an "error" line)."""
    if errors:
        raise UsageError(f'{errors} input line(s) were not usable (see their "error" fields)')
