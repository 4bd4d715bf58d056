"""The manifest: the one file that says which generation of the index is live.

A generation is a list of *segments* (index/store/segment_store.py): immutable sets of chunks, each
written once by one build (a Chroma collection plus a small SQLite catalog beside it). A
build writes its new segment first and then replaces `manifest.json` atomically (write,
fsync, rename, fsync the folder). A build killed at any moment leaves the previous manifest,
and so the previous generation, answering as before.

Per article the manifest says which segment holds its chunks (an older copy of the article
left in another segment is dead), how many chunks it has and its near-duplicates; per
language it keeps the sum of the article vectors, from which search derives the
language-bias correction (index/retrieval/fusion.py).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from index.files import replace_atomically
from index.types import ArticleInfo, carry

MANIFEST = "manifest.json"
FORMAT = 2  # what save_manifest writes; older formats are in index/store/upgrades.py


@dataclass
class ArticleEntry:
    title: str
    language: str
    source: str
    url: str | None
    published: str | None
    sha256: str
    chunks: int = 0
    segment: int = 0  # the segment holding this version of the article's chunks
    duplicates: list[str] = field(default_factory=list)  # near-duplicate article ids


@dataclass
class SourceEntry:
    """What a source file held at its last build: unchanged bytes are never read again."""

    sha256: str
    articles: list[str] = field(default_factory=list)
    skipped: list[dict[str, str]] = field(default_factory=list)


@dataclass
class SegmentEntry:
    """One immutable segment: its id (the generation that wrote it), rows stored, and the
    languages of its chunks in slot order (see index/retrieval/fusion.py, ``augment_chunks``)."""

    id: int
    rows: int
    languages: list[str] = field(default_factory=list)


@dataclass
class LanguageSum:
    """Sum of the (unit) article vectors of one language: the language-centering statistic."""

    articles: int
    vector_sum: list[float]


@dataclass
class Manifest:
    generation: int
    embedding_model: str
    dim: int
    built_at: str
    articles_root: str
    segments: list[SegmentEntry] = field(default_factory=list)
    retained: list[int] = field(default_factory=list)  # the previous generation's segments
    stats: dict[str, LanguageSum] = field(default_factory=dict)
    articles: dict[str, ArticleEntry] = field(default_factory=dict)
    sources: dict[str, SourceEntry] = field(default_factory=dict)

    @property
    def chunk_count(self) -> int:
        return sum(a.chunks for a in self.articles.values())

    def live_rows(self) -> dict[int, int]:
        """Live chunks per segment (the rest of a segment's rows are older versions)."""
        live = {s.id: 0 for s in self.segments}
        for entry in self.articles.values():
            live[entry.segment] = live.get(entry.segment, 0) + entry.chunks
        return live

    def article_infos(self) -> list[ArticleInfo]:
        """The articles this generation lists, sorted by id."""
        return [carry(e, ArticleInfo, id=aid) for aid, e in sorted(self.articles.items())]

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["format"] = FORMAT
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Manifest:
        return cls(
            generation=int(data["generation"]),
            embedding_model=str(data["embedding_model"]),
            dim=int(data["dim"]),
            built_at=str(data["built_at"]),
            articles_root=str(data.get("articles_root", "")),
            segments=[SegmentEntry(**s) for s in data.get("segments", [])],
            retained=[int(s) for s in data.get("retained", [])],
            stats={k: LanguageSum(**v) for k, v in data.get("stats", {}).items()},
            articles={k: ArticleEntry(**v) for k, v in data.get("articles", {}).items()},
            sources={k: SourceEntry(**v) for k, v in data.get("sources", {}).items()},
        )


def manifest_path(index_dir: Path) -> Path:
    return index_dir / MANIFEST


def load_manifest(index_dir: Path) -> Manifest | None:
    """The committed manifest, or None when there is none in this format (what an index of
    another format needs is in index/store/upgrades.py)."""
    try:
        data = json.loads(manifest_path(index_dir).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return None
    return Manifest.from_json(data)


def save_manifest(index_dir: Path, manifest: Manifest) -> None:
    """Atomically replace the manifest (the commit point of a build)."""
    index_dir.mkdir(parents=True, exist_ok=True)
    payload = json.dumps(manifest.to_json(), ensure_ascii=False, separators=(",", ":"))
    replace_atomically(
        manifest_path(index_dir), lambda fh: fh.write(payload.encode("utf-8")), durable=True
    )
