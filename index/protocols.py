"""The boundaries of the index as `typing.Protocol`s: what the bot (and the build) may rely on.

- `QueryEncoder`: turns a question into a vector (search, and the bot's sentence meaning);
- `TextEmbedder`: embeds chunks in batches for a build (any llama-index ``BaseEmbedding``);
- `ArticleReader`: the indexed articles, one article's passages, its near-duplicates;
- `Retriever`: question → ranked Passages, plus the reader above
  (index/retrieval/search.py's ``Searcher`` is the one the product uses).

A fake in a test implements the same methods, so it is checked against what production calls.
"""

from __future__ import annotations

from typing import Any, Protocol

from index.types import ArticleInfo, Passage


class QueryEncoder(Protocol):
    """One vector per question."""

    def get_query_embedding(self, query: str) -> list[float]: ...


class TextEmbedder(QueryEncoder, Protocol):
    """Questions and chunks; chunks in batches (a llama-index ``BaseEmbedding`` is one)."""

    def get_text_embedding_batch(
        self, texts: list[str], show_progress: bool = False, **kwargs: Any
    ) -> list[list[float]]: ...


class ArticleReader(Protocol):
    """The live index, article by article."""

    def articles(self) -> list[ArticleInfo]:
        """The indexed articles, sorted by id."""
        ...

    def article_passages(self, article_id: str, score: float = 0.0) -> list[Passage]:
        """Every chunk of one article, by position."""
        ...

    def duplicates(self, article_id: str) -> list[str]:
        """Ids of the article's near-duplicates (e.g. its translations)."""
        ...


class Retriever(ArticleReader, Protocol):
    """Question → ranked Passages over the live generation of the index."""

    def search(self, query: str, k: int = 6, languages: list[str] | None = None) -> list[Passage]:
        """The ``k`` best passages, distinct articles first (optionally only ``languages``)."""
        ...

    def baseline(self, query: str, k: int = 6) -> list[Passage]:
        """Plain cosine top-k: the comparison retriever of the benchmarks."""
        ...

    def embedder(self) -> QueryEncoder:
        """The encoder questions go through (shared with the answer layer)."""
        ...

    def generation(self) -> int:
        """The generation being served (changes when a build commits)."""
        ...
