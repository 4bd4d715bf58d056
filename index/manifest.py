"""The manifest: the one file that says which generation of the index is live.

A build writes everything of a new generation first and then replaces `manifest.json`
atomically (write, fsync, rename, fsync the folder). A build killed at any moment leaves the
previous manifest, and so the previous generation, answering as before.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

MANIFEST = "manifest.json"
FORMAT = 1


@dataclass
class ArticleEntry:
    title: str
    language: str
    source: str
    url: str | None
    published: str | None
    sha256: str
    chunk_ids: list[str] = field(default_factory=list)


@dataclass
class SourceEntry:
    """What a source file held at its last build: unchanged bytes are never read again."""

    sha256: str
    articles: list[str] = field(default_factory=list)
    skipped: list[dict[str, str]] = field(default_factory=list)


@dataclass
class Manifest:
    generation: int
    collection: str
    embedding_model: str
    dim: int
    built_at: str
    articles_root: str
    articles: dict[str, ArticleEntry] = field(default_factory=dict)
    sources: dict[str, SourceEntry] = field(default_factory=dict)

    @property
    def chunk_count(self) -> int:
        return sum(len(a.chunk_ids) for a in self.articles.values())

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["format"] = FORMAT
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Manifest:
        return cls(
            generation=int(data["generation"]),
            collection=str(data["collection"]),
            embedding_model=str(data["embedding_model"]),
            dim=int(data["dim"]),
            built_at=str(data["built_at"]),
            articles_root=str(data.get("articles_root", "")),
            articles={k: ArticleEntry(**v) for k, v in data.get("articles", {}).items()},
            sources={k: SourceEntry(**v) for k, v in data.get("sources", {}).items()},
        )


def manifest_path(index_dir: Path) -> Path:
    return index_dir / MANIFEST


def load_manifest(index_dir: Path) -> Manifest | None:
    """The committed manifest, or None when no build has finished yet."""
    path = manifest_path(index_dir)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    if data.get("format") != FORMAT:
        return None
    return Manifest.from_json(data)


def save_manifest(index_dir: Path, manifest: Manifest) -> None:
    """Atomically replace the manifest (the commit point of a build)."""
    index_dir.mkdir(parents=True, exist_ok=True)
    payload = json.dumps(manifest.to_json(), ensure_ascii=False, indent=1).encode("utf-8")
    fd, tmp = tempfile.mkstemp(prefix=".manifest-", suffix=".tmp", dir=index_dir)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, manifest_path(index_dir))
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    dir_fd = os.open(index_dir, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
