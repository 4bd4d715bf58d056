"""Import chunks that are already embedded as a complete new generation (replacing the live
one): for vectors computed elsewhere, synthetic scale runs (benchmarks/scale.py) and tests.
Crash safety and everything a build writes (segment, catalog, language sums,
near-duplicates) are the same as `index build --full`; nothing is read from articles/.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime

import numpy as np

from index.building.builder import build_lock
from index.building.compaction import referenced
from index.building.generation import collect_garbage, drop_segment
from index.building.plan import Plan
from index.settings import IndexSettings
from index.store.manifest import ArticleEntry, Manifest, SegmentEntry, load_manifest, save_manifest
from index.types import Article, Chunk, carry


def import_chunks(
    settings: IndexSettings,
    chunks: Sequence[Chunk],
    vectors: np.ndarray,
    model: str | None = None,
) -> Manifest:
    """Write `chunks` (grouped by article, in position order) with their `vectors`."""
    vectors = np.asarray(vectors, dtype=np.float32)
    groups: list[tuple[list[Chunk], np.ndarray]] = []
    start = 0
    while start < len(chunks):
        end = start
        while end < len(chunks) and chunks[end].article_id == chunks[start].article_id:
            end += 1
        groups.append((list(chunks[start:end]), vectors[start:end]))
        start = end
    languages = sorted({c.language for c in chunks})
    return import_articles(settings, groups, languages, int(vectors.shape[1]), model)


def import_articles(
    settings: IndexSettings,
    articles: Iterable[tuple[list[Chunk], np.ndarray]],
    languages: Sequence[str],
    dim: int,
    model: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> Manifest:
    """Stream articles (their chunks, in position order, and the chunks' vectors) into a new
    generation; `languages` lists every language they use, `dim` the vectors' size."""
    from index.building.segment_writer import SegmentWriter
    from index.building.statistics import find_new_duplicates, updated_stats
    from index.embedding import embedder_id
    from index.store.backend import Backend

    index_dir = settings.resolved_index_dir()
    backend = Backend(settings)
    with build_lock(index_dir):
        old = load_manifest(index_dir)
        generation = (old.generation if old else 0) + 1
        collect_garbage(backend, referenced(old))
        writer = SegmentWriter(backend, generation, languages, dim)
        plan = Plan()
        try:
            for chunks, vectors in articles:
                article = _article(chunks)
                writer.add_embedded(article, chunks, vectors)
                plan.entries[article.id] = carry(
                    article, ArticleEntry, chunks=len(chunks), segment=generation
                )
                if progress is not None:
                    progress(writer.rows)
            writer.finish()
            new_ids = list(plan.entries)
            manifest = Manifest(
                generation=generation,
                embedding_model=model or embedder_id(settings),
                dim=dim,
                built_at=datetime.now(UTC).isoformat(timespec="seconds"),
                articles_root="(imported)",
                segments=[SegmentEntry(generation, writer.rows, writer.languages)],
                retained=sorted({s.id for s in old.segments} if old else set()),
                stats=updated_stats(backend, None, plan, writer, new_ids),
                articles=plan.entries,
            )
            find_new_duplicates(manifest, plan, writer, backend, new_ids)
            backend.close_all()
            save_manifest(index_dir, manifest)
        except BaseException:
            writer.abort()
            backend.close_all()
            drop_segment(backend, generation)
            raise
        collect_garbage(backend, referenced(manifest))
    return manifest


def _article(chunks: list[Chunk]) -> Article:
    first = chunks[0]
    text = "\n".join(c.text for c in chunks)
    sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return carry(first, Article, id=first.article_id, text=text, sha256=sha256)
