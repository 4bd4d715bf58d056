"""Plain-text rendering of answers and passages for the terminal (`ask`, `search`, the REPL).

Plain text on purpose: article titles may hold characters a markup renderer would eat,
and importing nothing heavy keeps `newsbot ask` quick to start.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from bot.answering.markdown import to_plain
from index.language import language_name

if TYPE_CHECKING:
    from bot.answering.types import Answer
    from index.types import Passage

QUOTE_INDENT = "    "


def citation_line(n: int, title: str, language_name: str, where: str) -> str:
    """`[1] Title — Indonesian — articles/001_….txt`"""
    return f"[{n}] {title or '(untitled)'} — {language_name} — {where}"


def format_answer(answer: Answer, width: int = 100) -> str:
    """The answer text, a notice line if any, then numbered sources with indented quotes."""
    lines = [to_plain(answer.text).rstrip()]
    if answer.notice:
        lines.append(f"({answer.notice})")
    if answer.citations:
        lines.append("")
    for c in answer.citations:
        where = c.url or c.source
        lines.append(citation_line(c.n, c.title, c.language_name or c.language, where))
        quote = " ".join(c.quote.split())
        if quote and quote not in " ".join(
            to_plain(answer.text).split()
        ):  # never print a quote twice
            lines.extend(
                textwrap.wrap(
                    f"“{quote}”",
                    width=max(width, 40),
                    initial_indent=QUOTE_INDENT,
                    subsequent_indent=QUOTE_INDENT,
                )
            )
    return "\n".join(lines)


def format_passages(query: str, passages: list[Passage], width: int = 100) -> str:
    """Ranked passages of `newsbot search`: score, title — language — source, then text."""
    if not passages:
        return f"No passages found for {query!r}."
    lines: list[str] = []
    for i, p in enumerate(passages, 1):
        where = p.url or p.source
        lines.append(f"{i}. {p.score:.3f}  {p.title or '(untitled)'} — ")
        lines[-1] += f"{language_name(p.language)} — {where}"
        text = " ".join(p.text.split())
        if len(text) > 300:
            text = text[:299].rstrip() + "…"
        lines.extend(
            textwrap.wrap(text, width=max(width, 40), initial_indent="   ", subsequent_indent="   ")
        )
        if p.also_in:
            lines.append(f"   also reported in: {', '.join(p.also_in)}")
    return "\n".join(lines)
