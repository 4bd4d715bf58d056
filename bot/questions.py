"""What counts as a question: checked once, the same way for the CLI, the REPL and batches."""

from __future__ import annotations

from index.errors import UsageError

MAX_QUESTION_CHARS = 2000


def check_question(text: object) -> str:
    """The question stripped of surrounding space, or a UsageError saying what is wrong."""
    if text is not None and not isinstance(text, str):
        raise UsageError(f"a question must be text, not {type(text).__name__}")
    question = (text or "").strip()
    if not question:
        raise UsageError("empty question — type a question, e.g. 'Why did Babuschkin leave xAI?'")
    if len(question) > MAX_QUESTION_CHARS:
        raise UsageError(
            f"question too long ({len(question)} characters, max {MAX_QUESTION_CHARS})"
        )
    return question
