"""What a build reports and what `status` shows (plain dataclasses; JSON in the README)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class LanguageCount:
    articles: int = 0
    chunks: int = 0


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
            "languages": {
                k: {"articles": v.articles, "chunks": v.chunks}
                for k, v in sorted(self.languages.items())
            },
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
class ArticleInfo:
    id: str
    title: str
    language: str
    source: str
    url: str | None
    published: str | None
    chunks: int


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
            "languages": {
                k: {"articles": v.articles, "chunks": v.chunks}
                for k, v in sorted(self.languages.items())
            },
            "embedding_model": self.embedding_model,
            "built_at": self.built_at,
            "index_dir": self.index_dir,
        }
