"""What counts as a question: checked once, the same way for the CLI, the REPL and batches."""

from __future__ import annotations

import unicodedata

from index.errors import UsageError

MAX_QUESTION_CHARS = 2000


def check_question(text: object) -> str:
    """The question stripped of surrounding space, or a UsageError saying what is wrong."""
    if text is not None and not isinstance(text, str):
        raise UsageError(f"a question must be text, not {type(text).__name__}")
    question = (text or "").strip()
    if not question:
        raise UsageError("empty question — type a question, e.g. 'Who announced what, and when?'")
    if len(question) > MAX_QUESTION_CHARS:
        raise UsageError(
            f"question too long ({len(question)} characters, max {MAX_QUESTION_CHARS})"
        )
    return question


def asks_something(text: str) -> bool:
    """Whether a message is phrased as a question: it has a question mark of any script
    (?, ？, ؟, ;, ¿, …, by their Unicode names) — "thanks!" has none."""
    return any("QUESTION MARK" in unicodedata.name(ch, "") for ch in set(text))
