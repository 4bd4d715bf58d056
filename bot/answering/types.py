"""Boundary types of answers. Discord and the REPL see these, never a llama-index node."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from bot.answering.markdown import to_plain
from index.types import Passage


@dataclass(frozen=True)
class Citation:
    n: int
    article_id: str
    title: str
    language: str
    language_name: str
    source: str
    url: str | None
    quote: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Answer:
    question: str
    text: str
    language: str
    refused: bool
    mode: Literal["extractive", "llm"]
    citations: list[Citation] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)
    timings_ms: dict[str, float] = field(default_factory=dict)
    usage: dict[str, int] | None = None
    notice: str | None = None  # one-line notice, e.g. "LLM unreachable — extractive answer"
    # The short answer line's value (a name, number or date), when the evidence supports one;
    # it is also the first line of `text`. None when no short answer is given.
    short: str | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "question": self.question,
            "answer": to_plain(self.text),  # for scripts: no Markdown escapes or bold marks
            "answer_markdown": self.text,
            "language": self.language,
            "refused": self.refused,
            "mode": self.mode,
            "citations": [c.to_json() for c in self.citations],
            "passages": [
                {
                    "article_id": p.article_id,
                    "chunk_id": p.chunk_id,
                    "language": p.language,
                    "score": round(float(p.score), 4),
                }
                for p in self.passages
            ],
            "timings_ms": {k: round(v, 1) for k, v in self.timings_ms.items()},
        }
        if self.usage is not None:
            data["usage"] = self.usage
        if self.notice:
            data["notice"] = self.notice
        if self.short:
            data["short_answer"] = self.short
        return data
