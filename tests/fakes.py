"""An in-memory IndexReader with the real reader's interface (no Chroma), for search tests.

`FakeReader.open(settings)` returns the reader last published for that index dir, so a test
can "commit" a new generation with `publish()` and watch a Searcher pick it up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np

from index.errors import NoIndexError
from index.settings import IndexSettings
from index.store.manifest import ArticleEntry
from index.types import Chunk


@dataclass
class FakeManifest:
    generation: int
    articles: dict[str, ArticleEntry] = field(default_factory=dict)
    embedding_model: str = "fake"
    built_at: str = "2025-01-01T00:00:00Z"


class FakeReader:
    """Chunks plus their embeddings; `query` is exact cosine like Chroma's."""

    _published: ClassVar[dict[str, FakeReader]] = {}

    def __init__(self, settings: IndexSettings, chunks: list[Chunk], vectors: Any, generation: int):
        self.settings = settings
        self.generation = generation
        self._chunks = list(chunks)
        self._vectors = np.asarray(vectors, dtype=np.float32)
        articles: dict[str, ArticleEntry] = {}
        for c in self._chunks:
            entry = articles.setdefault(
                c.article_id,
                ArticleEntry(c.title, c.language, c.source, c.url, c.published, "0"),
            )
            entry.chunk_ids.append(c.chunk_id)
        self.manifest = FakeManifest(generation, articles)
        self.closed = False

    @classmethod
    def publish(cls, reader: FakeReader) -> FakeReader:
        cls._published[str(reader.settings.resolved_index_dir())] = reader
        return reader

    @classmethod
    def open(cls, settings: IndexSettings) -> FakeReader:
        try:
            return cls._published[str(settings.resolved_index_dir())]
        except KeyError:
            raise NoIndexError() from None

    def is_stale(self) -> bool:
        live = self._published.get(str(self.settings.resolved_index_dir()))
        return live is not None and live.generation != self.generation

    def chunks(self) -> list[Chunk]:
        return list(self._chunks)

    def embeddings(self, chunk_ids: list[str]) -> np.ndarray:
        row = {c.chunk_id: i for i, c in enumerate(self._chunks)}
        return self._vectors[[row[c] for c in chunk_ids]]

    def query(self, embedding: Any, k: int, where: dict | None = None) -> list[Any]:
        from index.store.segment_store import Hit

        scores = self._vectors @ np.asarray(embedding, dtype=np.float32)
        order = np.argsort(-scores)[:k]
        return [Hit(self._chunks[i], float(scores[i])) for i in order]

    def close(self) -> None:
        self.closed = True


def make_chunk(article_id: str, position: int, text: str, language: str, title: str = "") -> Chunk:
    return Chunk(
        chunk_id=f"{article_id}#{position}",
        article_id=article_id,
        title=title or article_id,
        language=language,
        text=text,
        source=f"articles/{article_id}.txt",
        url=None,
        published=None,
        position=position,
    )
