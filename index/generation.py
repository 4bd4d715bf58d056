"""Writing one generation of the index: copy what is unchanged, embed what is new, commit.

The manifest is replaced only after every chunk of the new generation is stored; a write
that fails (disk full, read-only folder, store error) drops the half-written generation and
leaves the previous one serving.
"""

from __future__ import annotations

import errno
import logging
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from index.errors import NewsbotError
from index.manifest import ArticleEntry, Manifest, SourceEntry, load_manifest, save_manifest
from index.report import BuildProgress, BuildReport
from index.settings import IndexSettings
from index.types import Article, Chunk

if TYPE_CHECKING:
    from index.store import Backend

log = logging.getLogger(__name__)

ProgressFn = Callable[[BuildProgress], None]


@dataclass
class Plan:
    """What the new generation holds, and what has to be embedded for it."""

    entries: dict[str, ArticleEntry] = field(default_factory=dict)
    sources: dict[str, SourceEntry] = field(default_factory=dict)
    to_embed: list[Article] = field(default_factory=list)
    keep_chunk_ids: list[str] = field(default_factory=list)
    skipped: list[dict[str, str]] = field(default_factory=list)


def write_generation(
    settings: IndexSettings,
    old: Manifest | None,
    base: Manifest | None,
    plan: Plan,
    model: str,
    report: BuildReport,
    notify: ProgressFn,
) -> None:
    from index.store import Backend

    backend = Backend(settings)
    index_dir = settings.resolved_index_dir()
    generation = (old.generation + 1) if old else 1
    live = {old.generation, old.generation - 1} if old else set()
    for stale in backend.generations():  # leftovers of killed builds
        if stale not in live and stale != generation:
            backend.drop(stale)
    try:
        _fill_generation(settings, base, plan, model, report, notify, backend, generation, old)
    except Exception as exc:
        _abandon(backend, generation, index_dir, exc)
    if old is not None:  # keep the previous generation for readers still on it
        for gen in backend.generations():
            if gen < old.generation:
                backend.drop(gen)


def _abandon(backend: Backend, generation: int, index_dir: Path, exc: Exception) -> None:
    """A write failed (disk full, read-only, store error): drop the half-written generation
    so its space is freed, and raise a NewsbotError saying so. The live index is untouched."""
    try:
        free = shutil.disk_usage(index_dir).free
    except OSError:
        free = -1
    committed = load_manifest(index_dir)
    if committed is None or committed.generation != generation:
        try:
            backend.drop(generation)
        except Exception:  # noqa: BLE001 - the original error matters more
            log.warning("could not drop the unfinished generation %d", generation, exc_info=True)
    if isinstance(exc, NewsbotError):
        raise exc
    log.error("writing index generation %d failed", generation, exc_info=exc)
    code = getattr(exc, "errno", None)
    text = str(exc).lower()
    if code in (errno.ENOSPC, errno.EDQUOT) or "disk is full" in text or 0 <= free < 8 << 20:
        reason = f"the disk is full ({free / 1024 / 1024:.1f} MB free)"
    elif code in (errno.EROFS, errno.EACCES, errno.EPERM) or "readonly" in text:
        reason = f"the folder is not writable ({getattr(exc, 'strerror', None) or exc})"
    else:
        reason = f"{type(exc).__name__}: {exc}"
    raise NewsbotError(
        f"Could not write the index in {index_dir}: {reason}. The previous index is still "
        "being served; fix that and run the build again."
    ) from exc


def _fill_generation(
    settings: IndexSettings,
    base: Manifest | None,
    plan: Plan,
    model: str,
    report: BuildReport,
    notify: ProgressFn,
    backend: Backend,
    generation: int,
    old: Manifest | None,
) -> None:
    """Write the new generation (copied and embedded chunks), then commit its manifest."""
    from index.chunking import chunk_article, embedding_text
    from index.embedding import get_embedder
    from index.store import add_chunks, copy_records

    index_dir = settings.resolved_index_dir()
    collection = backend.create(generation)

    if base is not None and plan.keep_chunk_ids:
        source = backend.open(base.generation)
        copied = 0
        for n in copy_records(source, collection, plan.keep_chunk_ids):
            copied += n
            notify(BuildProgress("copy", copied, len(plan.keep_chunk_ids)))

    chunks: list[Chunk] = []
    for art in plan.to_embed:
        mine = chunk_article(art, settings.chunk_tokens, settings.chunk_overlap)
        plan.entries[art.id].chunk_ids = [c.chunk_id for c in mine]
        chunks.extend(mine)
    embedder = get_embedder(settings)
    dim = old.dim if base is not None else 0
    batch = settings.embed_batch_size
    t0 = time.perf_counter()
    for start in range(0, len(chunks), batch):
        part = chunks[start : start + batch]
        vectors = embedder.get_text_embedding_batch([embedding_text(c) for c in part])
        dim = len(vectors[0]) if vectors else dim
        add_chunks(collection, part, vectors)
        report.chunks_embedded += len(part)
        done = start + len(part)
        rate = done / max(time.perf_counter() - t0, 1e-6)
        notify(BuildProgress("embed", done, len(chunks), (len(chunks) - done) / rate))

    notify(BuildProgress("commit", 0, 1))
    manifest = Manifest(
        generation=generation,
        collection=backend.collection_name(generation),
        embedding_model=model,
        dim=dim or (old.dim if old else 0),
        built_at=datetime.now(UTC).isoformat(timespec="seconds"),
        articles_root=str(settings.articles),
        articles=plan.entries,
        sources=plan.sources,
    )
    backend.close(generation)
    if base is not None:
        backend.close(base.generation)
    save_manifest(index_dir, manifest)  # the commit point
    notify(BuildProgress("commit", 1, 1))
