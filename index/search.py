"""Question → ranked Passages: cross-lingual, language-bias corrected, hybrid, diverse.

Per query: one query embedding and the question's language (index/language.py); cosine
against every chunk of the live generation, held in memory as a numpy matrix with the
language component removed from chunks and question (index/fusion.py); plus a keyword
coverage term (index/keyword.py). Then the list is made diverse: every article first
appears once, at its best chunk, in ranking order (an article ranks by its best chunk);
second chunks (at most ``MAX_PER_ARTICLE`` per article) only follow after every matching
article had its slot, so the top of the list is distinct stories. Near-duplicate articles
(index/dedup.py) are folded into ``Passage.also_in`` so a translation does not take a slot.
Everything per generation is built once, lazily, and rebuilt when the reader reports a
newer generation.

``Passage.score`` is the calibrated raw cosine of that chunk (``fusion.calibrate``), in
[0, 1] and comparable across queries; the list order is the fused ranking, which may differ
slightly from score order.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from typing import Any

import numpy as np

from index.build import ArticleInfo, articles_of
from index.chunking import embedding_text
from index.dedup import near_duplicates
from index.fusion import DenseSpace, calibrate, fuse
from index.keyword import KeywordIndex
from index.language import detect_language
from index.settings import IndexSettings
from index.types import Chunk, Passage

log = logging.getLogger(__name__)

MAX_PER_ARTICLE = 2
# Diversity picks from the best chunks only: enough for k slots when a few articles hold
# many matching chunks, without sorting every chunk of a 100k-chunk index on each question.
CANDIDATES_PER_SLOT = 40
MIN_CANDIDATES = 400


def _top_order(ranking: np.ndarray, n: int) -> list[int]:
    """Indices of the `n` best finite scores, best first (ties keep index order)."""
    finite = np.flatnonzero(np.isfinite(ranking))
    if finite.size > n:
        part = np.argpartition(-ranking[finite], n - 1)[:n]
        finite = np.sort(finite[part])  # index order, so ties break as a full sort would
    best = finite[np.argsort(-ranking[finite], kind="stable")]
    return best.tolist()


@dataclass
class _Generation:
    generation: int
    chunks: list[Chunk]
    space: DenseSpace
    keywords: KeywordIndex
    duplicates: dict[str, list[str]]


def to_passage(
    chunk: Chunk, score: float, also_in: list[str] | None = None, relevance: float | None = None
) -> Passage:
    return Passage(
        article_id=chunk.article_id,
        chunk_id=chunk.chunk_id,
        title=chunk.title,
        language=chunk.language,
        text=chunk.text,
        source=chunk.source,
        url=chunk.url,
        score=float(score),
        published=chunk.published,
        position=chunk.position,
        also_in=list(also_in or []),
        relevance=relevance,
    )


class Searcher:
    """Thread-safe; reopens the reader (and rebuilds its in-memory indexes) when stale."""

    def __init__(
        self, settings: IndexSettings, reader: Any | None = None, embedder: Any | None = None
    ) -> None:
        self.settings = settings
        self._reader = reader
        self._embedder = embedder
        self._state: _Generation | None = None
        self._baseline: tuple[int, int, Any] | None = None
        self._lock = threading.Lock()

    # -- lifecycle ---------------------------------------------------------------------
    def _open_reader(self) -> Any:
        if self._reader is not None:
            return type(self._reader).open(self.settings)
        from index.store import IndexReader

        return IndexReader.open(self.settings)

    def reader(self) -> Any:
        """The live reader (opened on first use, reopened when a newer build committed)."""
        with self._lock:
            if self._reader is None or self._reader.is_stale():
                old = self._reader
                self._reader = self._open_reader()
                if old is not None and hasattr(old, "close"):
                    old.close()
                log.info("search: opened index generation %s", self._reader.generation)
            return self._reader

    def embedder(self) -> Any:
        """Embeds questions: the bundled backends need no llama-index (fast cold start)."""
        if self._embedder is None:
            from index.embedding import get_query_encoder

            self._embedder = get_query_encoder(self.settings)
        return self._embedder

    def _generation(self) -> _Generation:
        reader = self.reader()
        state = self._state
        if state is not None and state.generation == reader.generation:
            return state
        with self._lock:
            if self._state is not None and self._state.generation == reader.generation:
                return self._state
            started = time.perf_counter()
            chunks = list(reader.chunks())
            vectors = reader.embeddings([c.chunk_id for c in chunks])
            space = DenseSpace(
                vectors, [c.language for c in chunks], [c.article_id for c in chunks]
            )
            keywords = KeywordIndex([embedding_text(c) for c in chunks])
            texts = {a: [] for a in space.articles}
            for c in chunks:
                texts[c.article_id].append(c.text)
            dups = near_duplicates(
                space.articles, space.article_centered, [" ".join(texts[a]) for a in space.articles]
            )
            self._state = _Generation(reader.generation, chunks, space, keywords, dups)
            log.info(
                "search: %d chunks of generation %s ready in %.0f ms",
                len(chunks),
                reader.generation,
                (time.perf_counter() - started) * 1000,
            )
            return self._state

    # -- queries -------------------------------------------------------------------------
    def search(self, query: str, k: int = 6, languages: list[str] | None = None) -> list[Passage]:
        """The ``k`` best passages for ``query`` (optionally only in ``languages``)."""
        state = self._generation()
        if not state.chunks or k <= 0 or not query.strip():
            return []
        started = time.perf_counter()
        qvec = np.asarray(self.embedder().get_query_embedding(query), dtype=np.float32)
        raw, centered = state.space.scores(qvec, question_language(query))
        ranking = fuse(centered, state.keywords.coverage(query))
        if languages:
            allowed = np.isin(state.space.languages, list(languages))
            ranking = np.where(allowed, ranking, -np.inf)
        order = _top_order(ranking, max(k * CANDIDATES_PER_SLOT, MIN_CANDIDATES))
        rows = select_diverse(order, state.chunks, state.duplicates, k)
        passages = [
            to_passage(
                state.chunks[i],
                float(calibrate(raw[i])),
                state.duplicates.get(state.chunks[i].article_id),
                float(centered[i]),
            )
            for i in rows
        ]
        log.info(
            "search %.1f ms, %d passages, top score %.3f",
            (time.perf_counter() - started) * 1000,
            len(passages),
            passages[0].score if passages else 0.0,
        )
        return passages

    def baseline(self, query: str, k: int = 6) -> list[Passage]:
        """Plain llama-index VectorStoreIndex retriever over the same chunks (for comparison)."""
        from llama_index.core import VectorStoreIndex
        from llama_index.core.base.embeddings.base import BaseEmbedding

        from index.embedding import get_embedder

        reader = self.reader()
        cached = self._baseline
        if cached is None or cached[0] != reader.generation or cached[1] != k:
            embedder = self.embedder()
            if not isinstance(embedder, BaseEmbedding):
                embedder = get_embedder(self.settings)
            index = VectorStoreIndex.from_vector_store(reader.vector_store(), embed_model=embedder)
            cached = (reader.generation, k, index.as_retriever(similarity_top_k=k))
            self._baseline = cached
        out: list[Passage] = []
        for hit in cached[2].retrieve(query):
            meta = hit.node.metadata or {}
            chunk = Chunk(
                chunk_id=hit.node.node_id,
                article_id=str(meta.get("article_id", "")),
                title=str(meta.get("title", "")),
                language=str(meta.get("language", "und")),
                text=hit.node.get_content(),
                source=str(meta.get("source", "")),
                url=meta.get("url"),
                published=meta.get("published"),
                position=int(meta.get("position", 0) or 0),
            )
            out.append(to_passage(chunk, float(calibrate(hit.score or 0.0))))
        return out

    def articles(self) -> list[ArticleInfo]:
        """The indexed articles, sorted by id."""
        return articles_of(self.reader().manifest)

    def duplicates(self, article_id: str) -> list[str]:
        """Ids of the near-duplicates (e.g. translations) of an article."""
        return list(self._generation().duplicates.get(article_id, []))


def question_language(query: str) -> str | None:
    """The question's language code, or None when it cannot be told."""
    try:
        code = detect_language(query)
    except Exception:  # detection is an aid to ranking, never a reason to fail a search
        log.warning("search: language detection failed", exc_info=True)
        return None
    return None if code == "und" else code


def select_diverse(
    order: list[int], chunks: list[Chunk], duplicates: dict[str, list[str]], k: int
) -> list[int]:
    """Rows in ranking order, article by article: first the best chunk of each article (a
    near-duplicate of an article already taken is skipped; it is listed in that passage's
    ``also_in``), then second chunks up to MAX_PER_ARTICLE per article, in ranking order.
    When fewer articles than needed match, the cap is lifted to fill ``k``."""
    taken: list[int] = []
    per_article: dict[str, int] = {}
    folded: set[str] = set()
    for row in order:  # one slot per article: the top of the list is distinct stories
        art = chunks[row].article_id
        if art in folded or art in per_article:
            continue
        folded.update(d for d in duplicates.get(art, []) if d not in per_article)
        per_article[art] = 1
        taken.append(row)
        if len(taken) == k:
            return taken
    chosen = set(taken)
    for cap in (MAX_PER_ARTICLE, None):  # then more chunks of the articles taken
        for row in order:
            if len(taken) == k:
                return taken
            art = chunks[row].article_id
            if row in chosen or art not in per_article:
                continue
            if cap is not None and per_article[art] >= cap:
                continue
            per_article[art] += 1
            taken.append(row)
            chosen.add(row)
    return taken
