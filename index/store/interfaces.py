"""What the build and the search ask of the vector store, as a `typing.Protocol`.

`VectorStore` is one segment's collection of chunk vectors. index/store/segment_store.py's
``SegmentStore`` (Chroma, through llama-index's ``ChromaVectorStore``) is the implementation;
index/store/backend.py is the factory that creates, opens and drops them. Another store is
another class with these methods and another backend.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from index.types import Chunk


@dataclass(frozen=True)
class Hit:
    chunk: Chunk
    score: float  # cosine similarity with the query as sent to the store, higher is better


class VectorStore(Protocol):
    """One segment's chunks with their vectors; similarities are cosines."""

    def count(self) -> int:
        """How many chunks the segment holds."""
        ...

    def add(self, chunks: Sequence[Chunk], vectors: np.ndarray) -> None:
        """Add chunks with their vectors (given, never computed by the store)."""
        ...

    def query(self, vector: np.ndarray, n: int) -> list[tuple[str, float]]:
        """The `n` nearest chunks by the store's own index: (chunk id, cosine)."""
        ...

    def nearest(
        self, vector: np.ndarray, n: int, languages: Sequence[str] | None = None
    ) -> list[Hit]:
        """The `n` nearest chunks with text and metadata (optionally only `languages`)."""
        ...

    def query_many(self, vectors: np.ndarray, n: int) -> list[list[tuple[str, float]]]:
        """Batched nearest neighbours (chunk id, cosine) for many vectors (build time)."""
        ...

    def vectors(self, chunk_ids: Sequence[str]) -> dict[str, np.ndarray]:
        """Stored vectors of the given chunks (those the segment holds)."""
        ...

    def chunks(self, chunk_ids: Sequence[str]) -> dict[str, Chunk]:
        """Text and metadata of the given chunks."""
        ...

    def records(self, chunk_ids: Sequence[str]) -> dict[str, tuple[Chunk, np.ndarray]]:
        """Chunks and their stored vectors (copying into another segment)."""
        ...

    def article_chunks(self, article_id: str) -> list[Chunk]:
        """Every chunk of one article, by position."""
        ...
