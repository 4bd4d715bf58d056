"""Boundary types of the index. llama-index and chromadb objects never leave this package."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Article:
    """One story, cleaned, with its detected (or declared) language."""

    id: str
    title: str
    text: str
    language: str  # code: "id", "ru", "zh-Hant", "zh-Hans", "en", … ("und" when unknown)
    source: str  # path relative to the articles root, or "export.jsonl#<id>"
    url: str | None = None
    published: str | None = None
    sha256: str = ""
    author: str | None = None  # the byline, when the page or the record names one


@dataclass
class ArticleInfo:
    """One indexed article as the index lists it (for /sources and :sources)."""

    id: str
    title: str
    language: str
    source: str
    url: str | None
    published: str | None
    chunks: int


@dataclass(frozen=True)
class SkippedFile:
    """A file (or JSONL line) that could not be read, and why."""

    source: str
    reason: str


@dataclass(frozen=True)
class Chunk:
    """A piece of an article sized for the embedder, with everything a citation needs."""

    chunk_id: str
    article_id: str
    title: str
    language: str
    text: str
    source: str
    url: str | None
    published: str | None
    position: int  # 0-based index of the chunk within its article

    def metadata(self) -> dict[str, Any]:
        """Flat metadata for the vector store (no None values: Chroma rejects them)."""
        meta = {k: v for k, v in asdict(self).items() if k not in ("chunk_id", "text")}
        return {k: v for k, v in meta.items() if v is not None}


@dataclass
class Passage:
    """A retrieved chunk with its score, as search returns it."""

    article_id: str
    chunk_id: str
    title: str
    language: str
    text: str
    source: str
    url: str | None
    score: float
    published: str | None = None
    position: int = 0
    also_in: list[str] = field(default_factory=list)  # ids of near-duplicate articles
    # The language-bias-corrected relevance the ranking used (centered cosine; comparable
    # across question and passage languages, not calibrated to 0..1). None when unknown.
    relevance: float | None = None

    def to_json(self, with_text: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {
            "article_id": self.article_id,
            "chunk_id": self.chunk_id,
            "title": self.title,
            "language": self.language,
            "source": self.source,
            "url": self.url,
            "score": round(float(self.score), 4),
        }
        if with_text:
            data["text"] = self.text
        return data


_INIT_FIELDS: dict[type, tuple[str, ...]] = {}


def carry(source: object, target: type[T], /, **values: Any) -> T:
    """A ``target`` dataclass with every field ``source`` has under the same name, then
    ``values`` (which win): the one way one boundary type is turned into the next."""
    names = _INIT_FIELDS.get(target)
    if names is None:
        names = _INIT_FIELDS[target] = tuple(f.name for f in fields(target) if f.init)  # type: ignore[arg-type]
    own = {n: getattr(source, n) for n in names if hasattr(source, n)}
    return target(**(own | values))
