"""Incremental, crash-safe (re)build of the index.

Unchanged source files are not read again, unchanged articles are not touched: their chunks
stay in the segment that holds them (index/building/generation.py writes one new segment with what
changed, index/building/compaction.py decides which small segments it absorbs). The new generation
becomes live only when the manifest is replaced (atomically) at the end; a build killed
before that leaves the previous generation serving, and the next build cleans up and
completes.
"""

from __future__ import annotations

import fcntl
import logging
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from index.building.generation import (
    GenerationJob,
    ProgressFn,
    collect_garbage,
    storage_error,
    write_generation,
)
from index.building.plan import make_plan
from index.building.report import BuildReport, IndexStatus, language_counts
from index.errors import BuildLockedError, ModelMismatchError, NewsbotError
from index.settings import IndexSettings
from index.store.upgrades import for_build, for_serving
from index.types import ArticleInfo

log = logging.getLogger(__name__)

LOCK_FILE = "build.lock"


@contextmanager
def build_lock(index_dir: Path) -> Iterator[None]:
    """One build at a time per index directory (released by the OS if the build dies)."""
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(index_dir / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise NewsbotError(
            f"Cannot write to the index folder {index_dir} ({exc.strerror or exc}). Make it "
            "writable or point NEWSBOT_INDEX_DIR (--index-dir) at a writable folder; the "
            "current index was not changed."
        ) from exc
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "?"
            raise BuildLockedError(
                f"Another build of {index_dir} is running (pid {holder}); "
                "wait for it to finish, then run the build again."
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield
    finally:
        os.close(fd)


def build_index(
    settings: IndexSettings, full: bool = False, progress: ProgressFn | None = None
) -> BuildReport:
    """Bring the index in line with the articles; embed only what is new or changed."""
    from index.embedding import embedder_id

    started = time.perf_counter()
    notify: ProgressFn = progress or (lambda _p: None)
    index_dir = settings.resolved_index_dir()
    report = BuildReport()
    with build_lock(index_dir):
        start = for_build(index_dir, full)  # an older index: what to upgrade
        old, upgrade = start.old, start.upgrade
        model = embedder_id(settings)
        built_with = start.embedding_model or model
        if built_with != model and not full:
            raise ModelMismatchError(
                f"The index was built with {built_with}; {model} is configured now. "
                "Run `newsbot index build --full` to re-embed everything with it."
            )
        base = None if full else old
        try:
            plan = make_plan(settings, base, report, notify, upgrade.reusable)
        except OSError as exc:  # the spool could not be written: disk full, read-only
            raise storage_error(index_dir, exc) from exc
        try:
            changed = plan.spool.count > 0 or report.removed > 0 or upgrade.pending  # type: ignore[union-attr]
            if old is not None and not full and not changed:
                report.languages = language_counts(plan.entries.values())
                from index.building.compaction import referenced
                from index.store.backend import Backend

                collect_garbage(Backend(settings), referenced(old))  # a killed build's leftovers
                report.seconds = time.perf_counter() - started
                return report
            write_generation(GenerationJob(settings, start, base, plan, model, report, notify))
        finally:
            plan.spool.close()  # type: ignore[union-attr]
        report.languages = language_counts(plan.entries.values())
    report.seconds = time.perf_counter() - started
    log.info("build done: %s", report.to_json())
    return report


def index_status(settings: IndexSettings) -> IndexStatus:
    """What the live index holds (read from the manifest and the catalogs' versions; opens
    no store)."""
    index_dir = settings.resolved_index_dir()
    manifest = for_serving(index_dir)
    return IndexStatus(
        articles=len(manifest.articles),
        chunks=manifest.chunk_count,
        languages=language_counts(manifest.articles.values()),
        embedding_model=manifest.embedding_model,
        built_at=manifest.built_at,
        index_dir=str(index_dir),
    )


def list_articles(settings: IndexSettings) -> list[ArticleInfo]:
    """The indexed articles, sorted by id (for /sources and :sources)."""
    return for_serving(settings.resolved_index_dir()).article_infos()
