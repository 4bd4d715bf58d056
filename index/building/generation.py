"""Writing one generation of the index: a new segment with what changed (plus the segments it
absorbs), the language statistics and near-duplicates updated, then the commit.

Segments are immutable once committed, so nothing the live generation reads is touched
before the manifest is replaced; a write that fails (disk full, read-only folder, store
error) drops the half-written segment and leaves the previous generation serving. After
the commit, segments that neither the new nor the previous generation uses are deleted.
"""

from __future__ import annotations

import errno
import logging
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from index.building.compaction import Absorb, choose_absorbed, referenced
from index.building.plan import Plan
from index.building.report import BuildProgress, BuildReport
from index.errors import NewsbotError
from index.settings import IndexSettings
from index.store.catalog import Catalog, catalog_path
from index.store.manifest import Manifest, SegmentEntry, load_manifest, save_manifest
from index.store.upgrades import BuildStart

if TYPE_CHECKING:
    from index.building.segment_writer import SegmentWriter
    from index.store.backend import Backend
    from index.types import Article, Chunk

log = logging.getLogger(__name__)

ProgressFn = Callable[[BuildProgress], None]
COPY_ARTICLES = 200  # articles copied per store round trip when absorbing a segment


@dataclass
class GenerationJob:
    """What one build hands the writer."""

    settings: IndexSettings
    start: BuildStart  # the live generation (None: no index yet) and what to upgrade
    base: Manifest | None  # what the new generation keeps (None: --full, everything anew)
    plan: Plan
    model: str  # the embedder id stored in the manifest
    report: BuildReport
    notify: ProgressFn

    @property
    def old(self) -> Manifest | None:
        return self.start.old


def write_generation(job: GenerationJob) -> None:
    """Write the new segment, then commit it by replacing the manifest."""
    from index.store.backend import Backend

    settings, old, notify = job.settings, job.old, job.notify

    backend = Backend(settings)
    index_dir = settings.resolved_index_dir()
    generation = job.start.generation + 1
    collect_garbage(backend, referenced(old))  # leftovers of killed builds
    try:
        manifest = _fill(job, backend, generation)
        backend.close_all()
        notify(BuildProgress("commit", 0, 1))
        save_manifest(index_dir, manifest)  # the commit point
        notify(BuildProgress("commit", 1, 1))
    except Exception as exc:
        backend.close_all()
        _abandon(backend, generation, index_dir, exc)
    collect_garbage(backend, referenced(manifest))
    job.start.upgrade.finish(backend)


def drop_segment(backend: Backend, segment: int) -> None:
    backend.drop(segment)
    catalog_path(backend.index_dir, segment).unlink(missing_ok=True)


def collect_garbage(backend: Backend, keep: set[int]) -> None:
    """Delete the segments (store and catalog) that no committed generation needs."""
    present = set(backend.segments())
    folder = backend.index_dir / "segments"
    if folder.is_dir():
        present |= {int(p.stem[4:]) for p in folder.glob("seg-*.sqlite")}
    for seg in sorted(present - keep):
        drop_segment(backend, seg)


def _abandon(backend: Backend, generation: int, index_dir: Path, exc: Exception) -> None:
    """A write failed (disk full, read-only, store error): drop the half-written segment
    so its space is freed, and raise a NewsbotError saying so. The live index is untouched."""
    committed = load_manifest(index_dir)
    if committed is None or committed.generation != generation:
        try:
            drop_segment(backend, generation)
        except Exception:  # noqa: BLE001 - the original error matters more
            log.warning("could not drop the unfinished segment %d", generation, exc_info=True)
    if isinstance(exc, NewsbotError):
        raise exc
    log.error("writing index generation %d failed", generation, exc_info=exc)
    raise storage_error(index_dir, exc) from exc


def storage_error(index_dir: Path, exc: BaseException) -> NewsbotError:
    """What to tell the user when writing the index failed."""
    try:
        free = shutil.disk_usage(index_dir).free
    except OSError:
        free = -1
    os_error = exc if isinstance(exc, OSError) else None
    code = os_error.errno if os_error else None
    text = str(exc).lower()
    if code in (errno.ENOSPC, errno.EDQUOT) or "disk is full" in text or 0 <= free < 8 << 20:
        reason = f"the disk is full ({free / 1024 / 1024:.1f} MB free)"
    elif code in (errno.EROFS, errno.EACCES, errno.EPERM) or "readonly" in text:
        reason = f"the folder is not writable ({(os_error and os_error.strerror) or exc})"
    else:
        reason = f"{type(exc).__name__}: {exc}"
    return NewsbotError(
        f"Could not write the index in {index_dir}: {reason}. The previous index is still "
        "being served; fix that and run the build again."
    )


def _fill(job: GenerationJob, backend: Backend, generation: int) -> Manifest:
    """Write the new segment (absorbed and new chunks) and return the manifest to commit."""
    from index.building.segment_writer import SegmentWriter
    from index.building.statistics import find_new_duplicates, updated_stats

    old, base, plan, notify = job.old, job.base, job.plan, job.notify

    segments = list(base.segments) if base else []
    live = {s.id: 0 for s in segments}
    for entry in plan.entries.values():
        if entry.segment in live:
            live[entry.segment] += entry.chunks
    spool = plan.spool
    new_count = spool.count if spool else 0
    per_article = base.chunk_count / max(len(base.articles), 1) if base else 4.0
    stale = job.start.upgrade.stale  # older catalogs: absorbed, their tokens made anew
    absorb = choose_absorbed(segments, live, int(new_count * per_article), stale)
    absorbed = {s.id for s in absorb.segments}
    kept = [s for s in segments if s.id not in absorbed]
    languages = set(spool.languages if spool else ())
    languages |= {e.language for e in plan.entries.values() if e.segment in absorbed}
    dim = base.dim if base else 0
    writer = None
    if new_count or absorb.chunks:
        writer = SegmentWriter(backend, generation, sorted(languages), dim)
        try:
            _copy_absorbed(writer, backend, job, absorb)
            new_ids = _write_new(job, writer, backend)
            writer.finish()
        except BaseException:
            writer.abort()
            raise
        segments = [*kept, SegmentEntry(generation, writer.rows, writer.languages)]
        dim = writer.dim
    else:
        new_ids = []
        segments = kept
    stats = updated_stats(backend, base, plan, writer, new_ids)
    manifest = Manifest(
        generation=generation,
        embedding_model=job.model,
        dim=dim or (old.dim if old else 0),
        built_at=datetime.now(UTC).isoformat(timespec="seconds"),
        articles_root=str(job.settings.articles),
        segments=segments,
        retained=sorted({s.id for s in old.segments} if old else set()),
        stats=stats,
        articles=plan.entries,
        sources=plan.sources,
    )
    notify(BuildProgress("dedup", 0, len(new_ids)))
    find_new_duplicates(manifest, plan, writer, backend, new_ids)
    notify(BuildProgress("dedup", len(new_ids), len(new_ids)))
    return manifest


def _copy_absorbed(
    writer: SegmentWriter, backend: Backend, job: GenerationJob, absorb: Absorb
) -> None:
    """Copy the live chunks of the absorbed segments, with their vectors, tokens and
    article rows; nothing is embedded again (a stale catalog's tokens are made anew)."""
    plan, notify, total, stale = job.plan, job.notify, absorb.chunks, job.start.upgrade.stale
    done = 0
    for seg in absorb.segments:
        mine = sorted(a for a, e in plan.entries.items() if e.segment == seg.id)
        if not mine:
            continue
        catalog = Catalog(catalog_path(backend.index_dir, seg.id))
        store = backend.open(seg.id)
        try:
            for start in range(0, len(mine), COPY_ARTICLES):
                part = mine[start : start + COPY_ARTICLES]
                rows = catalog.chunk_rows_of(part)
                records = store.records([r.chunk_id for r in rows])
                writer.add_copied(records, rows, catalog.articles(part), seg.id in stale)
                for aid in part:
                    plan.entries[aid].segment = writer.segment
                done += len(rows)
                notify(BuildProgress("copy", done, total))
        finally:
            catalog.close()
            backend.close(seg.id)


def _write_new(job: GenerationJob, writer: SegmentWriter, backend: Backend) -> list[str]:
    """Embed the spooled articles (or copy their stored chunks from an older index) into the
    segment."""
    import numpy as np

    settings, plan, report, notify = job.settings, job.plan, job.report, job.notify
    from index.embedding import get_embedder
    from index.ingest.chunking import chunk_article, embedding_text

    spool = plan.spool
    if spool is None or not spool.count:
        return []
    embedder = get_embedder(settings)
    stored = job.start.upgrade.open_store(backend)  # an older index's chunks to copy
    batch = settings.embed_batch_size
    pending: list[tuple[Article, list[Chunk]]] = []
    new_ids: list[str] = []
    t0 = time.perf_counter()

    def embed_pending() -> None:
        texts = [embedding_text(c) for _, chunks in pending for c in chunks]
        vectors = np.asarray(embedder.get_text_embedding_batch(texts), dtype=np.float32)
        row = 0
        for art, chunks in pending:
            writer.add_embedded(art, chunks, vectors[row : row + len(chunks)])
            row += len(chunks)
        report.chunks_embedded += len(texts)
        pending.clear()

    for done, (art, stored_ids) in enumerate(spool, 1):
        entry = plan.entries[art.id]
        new_ids.append(art.id)
        if stored_ids is not None and stored is not None:
            records = stored.records(stored_ids)
            chunks = [records[c][0] for c in stored_ids]
            writer.add_embedded(art, chunks, np.stack([records[c][1] for c in stored_ids]))
        else:
            chunks = chunk_article(art, settings.chunk_tokens, settings.chunk_overlap)
            if chunks:
                pending.append((art, chunks))
            if sum(len(c) for _, c in pending) >= batch:
                embed_pending()
        entry.chunks, entry.segment = len(chunks), writer.segment
        rate = done / max(time.perf_counter() - t0, 1e-6)
        notify(BuildProgress("embed", done, spool.count, (spool.count - done) / rate))
    if pending:
        embed_pending()
    return new_ids
