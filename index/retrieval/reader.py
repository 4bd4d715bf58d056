"""The live generation, read-only: its manifest, and its segments opened on first use.

Cheap to open (the manifest: per-article metadata, no chunk, no vector) and cheap to check
for staleness (the manifest's mtime). Reopening for a newer generation keeps the segments
the two generations share open, so a small build costs a serving process only the opening
of one new segment.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from index.errors import ModelMismatchError, NoIndexError
from index.retrieval.fusion import LanguageCentres, stored_norm
from index.settings import IndexSettings
from index.store.catalog import Catalog, catalog_path
from index.store.manifest import Manifest, SegmentEntry, load_manifest, manifest_path
from index.store.upgrades import for_serving
from index.types import Chunk

if TYPE_CHECKING:
    from index.store.backend import Backend
    from index.store.interfaces import Hit, VectorStore

log = logging.getLogger(__name__)


@dataclass
class OpenSegment:
    entry: SegmentEntry
    store: VectorStore
    catalog: Catalog

    def close(self) -> None:
        self.catalog.close()


class IndexReader:
    """Thread-safe. Hits from a segment are *live* when the manifest says the article's
    current version is in that segment; older versions awaiting compaction are skipped."""

    def __init__(
        self,
        settings: IndexSettings,
        manifest: Manifest,
        backend: Backend,
        shared: dict[int, OpenSegment] | None = None,
    ) -> None:
        self.settings = settings
        self.manifest = manifest
        self.backend = backend
        self.generation = manifest.generation
        self._mtime = self._manifest_mtime()
        self._lock = threading.Lock()
        ids = {s.id for s in manifest.segments}
        self._open: dict[int, OpenSegment] = {k: v for k, v in (shared or {}).items() if k in ids}
        stats = manifest.stats
        self.centres = LanguageCentres(
            {k: v.vector_sum for k, v in stats.items()}, {k: v.articles for k, v in stats.items()}
        )
        self._retired: dict[int, OpenSegment] = {}
        self.live_rows = manifest.live_rows()  # live chunks per segment
        self.closed = False

    @classmethod
    def open(cls, settings: IndexSettings, expected_model: str | None = None) -> IndexReader:
        from index.store.backend import Backend

        index_dir = settings.resolved_index_dir()
        manifest = for_serving(index_dir)  # an older index: NoIndexError saying what to run
        if expected_model is None:
            from index.embedding import embedder_id

            expected_model = embedder_id(settings)
        if manifest.embedding_model != expected_model:
            raise ModelMismatchError(
                f"The index was built with the embedding model {manifest.embedding_model}, "
                f"but {expected_model} is configured. Rebuild it with "
                "`newsbot index build --full` or set NEWSBOT_EMBEDDING back."
            )
        reader = cls(settings, manifest, Backend(settings))
        if reader.backend.remote:
            reader.backend._client(index_dir)  # a clear error now if the server is down
        return reader

    def reopen(self) -> IndexReader:
        """The newer generation, sharing the segments both have (this reader is closed)."""
        manifest = load_manifest(self.backend.index_dir)
        if manifest is None:
            raise NoIndexError()
        fresh = IndexReader(self.settings, manifest, self.backend, shared=self._open)
        keep = {s.id for s in manifest.segments}
        # Segments the new generation no longer uses are closed one reopen later: a search
        # still running on this generation may be reading them.
        for seg_id, seg in self._retired.items():
            if seg_id not in keep:
                seg.close()
                self.backend.close(seg_id)
        fresh._retired = {k: v for k, v in self._open.items() if k not in keep}
        self._open = {}
        self.closed = True
        return fresh

    def _manifest_mtime(self) -> int:
        try:
            return manifest_path(self.backend.index_dir).stat().st_mtime_ns
        except FileNotFoundError:
            return 0

    def is_stale(self) -> bool:
        if self._manifest_mtime() == self._mtime:
            return False
        fresh = load_manifest(self.backend.index_dir)
        return fresh is not None and fresh.generation != self.generation

    # -- segments --------------------------------------------------------------------------
    def segments(self) -> list[OpenSegment]:
        return [self.segment(s.id) for s in self.manifest.segments]

    def segment(self, seg_id: int) -> OpenSegment:
        seg = self._open.get(seg_id)
        if seg is not None:
            return seg
        with self._lock:
            if seg_id not in self._open:
                entry = next(s for s in self.manifest.segments if s.id == seg_id)
                store = self.backend.open(seg_id)
                catalog = Catalog(catalog_path(self.backend.index_dir, seg_id))
                self._open[seg_id] = OpenSegment(entry, store, catalog)
            return self._open[seg_id]

    def is_live(self, seg_id: int, article_id: str) -> bool:
        entry = self.manifest.articles.get(article_id)
        return entry is not None and entry.segment == seg_id

    # -- reading -------------------------------------------------------------------------
    def count(self) -> int:
        """Chunks stored in the live generation's segments (older versions included until a
        build compacts them; a small index is compacted by every build)."""
        return sum(seg.store.count() for seg in self.segments())

    def query(
        self, embedding: Sequence[float], k: int, languages: Sequence[str] | None = None
    ) -> list[Hit]:
        """Plain cosine top-k over the live chunks (no language correction): the baseline."""
        from index.store.interfaces import Hit

        q = np.asarray(embedding, dtype=np.float32)
        q = q / max(float(np.linalg.norm(q)), 1e-12)
        hits: list[Hit] = []
        for seg in self.segments():
            padded = np.concatenate([q, np.zeros(len(seg.entry.languages), np.float32)])
            got = seg.store.nearest(padded, min(k * 2, max(seg.entry.rows, 1)), languages)
            hits.extend(
                Hit(h.chunk, h.score * stored_norm())  # the stored vector's extra norm
                for h in got
                if self.is_live(seg.entry.id, h.chunk.article_id)
            )
        hits.sort(key=lambda h: (-round(h.score, 6), h.chunk.chunk_id))  # stable ties
        return hits[:k]

    def article_chunks(self, article_id: str) -> list[Chunk]:
        """Every chunk of one article, by position, read from the store by metadata filter."""
        entry = self.manifest.articles.get(article_id)
        if entry is None:
            return []
        return self.segment(entry.segment).store.article_chunks(article_id)

    def chunks(self) -> list[Chunk]:
        """Every live chunk, by article id and position. Reads the whole index: for tests
        and benchmarks, never on the question path."""
        out: list[Chunk] = []
        for seg in self.segments():
            live = [a for a, e in self.manifest.articles.items() if e.segment == seg.entry.id]
            ids = [r.chunk_id for r in seg.catalog.chunk_rows_of(live)]
            for start in range(0, len(ids), 1000):
                got = seg.store.records(ids[start : start + 1000])
                out.extend(got[c][0] for c in ids[start : start + 1000] if c in got)
        return sorted(out, key=lambda c: (c.article_id, c.position))

    def close(self) -> None:
        for seg_id, seg in {**self._retired, **self._open}.items():
            seg.close()
            self.backend.close(seg_id)
        self._open = {}
        self._retired = {}
        self.closed = True
