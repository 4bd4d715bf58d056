"""Writing one new segment: its collection in the vector store and its catalog beside it.

Chunks arrive either embedded just now or copied (with their stored vectors) from a segment
being compacted; either way they are added to the store in batches of ``STORE_BATCH``, with
their keyword tokens (and the romanised name keys of index/names.py) and each article's
vector and numbers going to the catalog.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from index.building.dedup import numbers
from index.ingest.chunking import embedding_text
from index.names import name_keys
from index.retrieval.fusion import article_vector, augment_chunks, normalise
from index.retrieval.keyword import tokenize
from index.store.catalog import ArticleRow, CatalogWriter, ChunkRow, catalog_path, stored_vector
from index.types import Article, Chunk

if TYPE_CHECKING:
    from index.store.backend import Backend
    from index.store.interfaces import VectorStore

log = logging.getLogger(__name__)

STORE_BATCH = 1000  # chunks per add() call to the store


@dataclass
class WrittenArticle:
    """What the build needs to know of an article once its chunks are in the segment."""

    language: str
    vector: np.ndarray  # unit, float16-rounded (index.catalog.stored_vector)
    numbers: frozenset[str]
    chunk_ids: list[str] = field(default_factory=list)


def chunk_tokens(chunk: Chunk) -> str:
    """What the catalog keeps of a chunk for the keyword search: its distinct tokens and the
    romanised keys of its names, space-separated."""
    text = embedding_text(chunk)
    return " ".join(dict.fromkeys([*tokenize(text), *name_keys(text)]))


class SegmentWriter:
    def __init__(self, backend: Backend, segment: int, languages: Sequence[str], dim: int) -> None:
        self.segment = segment
        self.languages = sorted(set(languages))
        self.dim = dim  # of the embedder; 0 until the first vectors arrive
        self.backend = backend
        self.store: VectorStore | None = None
        self.catalog = CatalogWriter(catalog_path(backend.index_dir, segment))
        self.rows = 0
        self.articles: dict[str, WrittenArticle] = {}
        self._pending: list[tuple[Chunk, np.ndarray, str]] = []

    def _store(self) -> VectorStore:
        if self.store is None:
            self.store = self.backend.create(self.segment, self.dim + len(self.languages))
        return self.store

    def add_embedded(self, article: Article, chunks: Sequence[Chunk], vectors: np.ndarray) -> None:
        """Chunks of a new or changed article, embedded just now (all of them at once)."""
        vectors = np.asarray(vectors, dtype=np.float32)
        self.dim = self.dim or vectors.shape[1]
        for chunk, vec in zip(chunks, vectors, strict=True):
            self._pending.append((chunk, vec, chunk_tokens(chunk)))
        self.articles[article.id] = WrittenArticle(
            article.language,
            stored_vector(article_vector(vectors)),
            frozenset(numbers(article.text)),
            [c.chunk_id for c in chunks],
        )
        self._flush(force=False)

    def add_copied(
        self,
        records: dict[str, tuple[Chunk, np.ndarray]],
        rows: Sequence[ChunkRow],
        articles: dict[str, ArticleRow],
        retokenize: bool = False,
    ) -> None:
        """Chunks copied from another segment, with their tokens (made anew from the text
        with ``retokenize``: a catalog of an older version) and article rows."""
        if not self.dim:
            raise ValueError("copying chunks needs the embedder's dimension (manifest.dim)")
        for row in rows:
            chunk, stored = records[row.chunk_id]
            tokens = chunk_tokens(chunk) if retokenize else row.tokens
            self._pending.append((chunk, stored[: self.dim], tokens))
            got = articles[row.article_id]
            entry = self.articles.setdefault(
                row.article_id, WrittenArticle(got.language, got.vector, got.numbers)
            )
            entry.chunk_ids.append(row.chunk_id)
        self._flush(force=False)

    def _flush(self, force: bool) -> None:
        while self._pending and (force or len(self._pending) >= STORE_BATCH):
            part, self._pending = self._pending[:STORE_BATCH], self._pending[STORE_BATCH:]
            chunks = [c for c, _, _ in part]
            vectors = np.stack([v for _, v, _ in part])
            stored = augment_chunks(vectors, [c.language for c in chunks], self.languages)
            self._store().add(chunks, stored)
            self.catalog.add_chunks(
                ChunkRow(c.chunk_id, c.article_id, c.position, c.language, tokens, v)
                for (c, _, tokens), v in zip(part, normalise(vectors), strict=True)
            )
            self.rows += len(part)

    def finish(self) -> None:
        """Everything stored, the catalog complete and synced to disk."""
        self._flush(force=True)
        self.catalog.add_articles(
            ArticleRow(aid, a.language, a.vector, a.numbers) for aid, a in self.articles.items()
        )
        self.catalog.finish()

    def abort(self) -> None:
        self.catalog.abort()
