"""What a build reports and what `status` shows (plain dataclasses; JSON in docs/cli.md)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from index.store.manifest import ArticleEntry


@dataclass
class LanguageCount:
    articles: int = 0
    chunks: int = 0


def language_counts(entries: Iterable[ArticleEntry]) -> dict[str, LanguageCount]:
    """Articles and chunks per language, over a manifest's article entries."""
    counts: dict[str, LanguageCount] = {}
    for entry in entries:
        lang = counts.setdefault(entry.language, LanguageCount())
        lang.articles += 1
        lang.chunks += entry.chunks
    return counts


def languages_json(counts: dict[str, LanguageCount]) -> dict[str, dict[str, int]]:
    return {k: {"articles": v.articles, "chunks": v.chunks} for k, v in sorted(counts.items())}


@dataclass
class BuildReport:
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    chunks_embedded: int = 0
    skipped: list[dict[str, str]] = field(default_factory=list)  # [{"source", "reason"}]
    languages: dict[str, LanguageCount] = field(default_factory=dict)
    seconds: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "added": self.added,
            "updated": self.updated,
            "removed": self.removed,
            "unchanged": self.unchanged,
            "chunks_embedded": self.chunks_embedded,
            "skipped": self.skipped,
            "languages": languages_json(self.languages),
            "seconds": round(self.seconds, 3),
        }


@dataclass
class BuildProgress:
    """Handed to a progress callback as a build goes (e.g. to edit a Discord message)."""

    stage: str  # "scan", "read", "embed", "commit"
    done: int
    total: int
    eta_seconds: float | None = None


@dataclass
class IndexStatus:
    articles: int
    chunks: int
    languages: dict[str, LanguageCount]
    embedding_model: str
    built_at: str | None
    index_dir: str

    def to_json(self) -> dict[str, Any]:
        return {
            "articles": self.articles,
            "chunks": self.chunks,
            "languages": languages_json(self.languages),
            "embedding_model": self.embedding_model,
            "built_at": self.built_at,
            "index_dir": self.index_dir,
        }
