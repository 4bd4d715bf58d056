"""Incremental, crash-safe (re)build of the index.

Unchanged source files are not read again, unchanged articles are not touched: their chunks
stay in the segment that holds them (index/generation.py writes one new segment with what
changed, index/compaction.py decides which small segments it absorbs). The new generation
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
from typing import Any

from index.errors import BuildLockedError, ModelMismatchError, NewsbotError
from index.generation import ProgressFn, collect_garbage, storage_error, write_generation
from index.manifest import (
    ArticleEntry,
    Manifest,
    load_legacy,
    load_manifest,
)
from index.plan import make_plan
from index.report import (
    ArticleInfo,
    BuildProgress,
    BuildReport,
    IndexStatus,
    LanguageCount,
)
from index.settings import IndexSettings

__all__ = [
    "ArticleInfo",
    "BuildProgress",
    "BuildReport",
    "IndexStatus",
    "LanguageCount",
    "build_in_child_process",
    "build_index",
    "index_status",
    "list_articles",
]

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


def _tally(report: BuildReport, entries: dict[str, ArticleEntry]) -> None:
    report.languages = {}
    for entry in entries.values():
        lang = report.languages.setdefault(entry.language, LanguageCount())
        lang.articles += 1
        lang.chunks += entry.chunks


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
        old = load_manifest(index_dir)
        legacy = load_legacy(index_dir) if old is None else None
        model = embedder_id(settings)
        built_with = old.embedding_model if old else legacy.embedding_model if legacy else model
        if built_with != model and not full:
            raise ModelMismatchError(
                f"The index was built with {built_with}; {model} is configured now. "
                "Run `newsbot index build --full` to re-embed everything with it."
            )
        base = None if full else old
        try:
            plan = make_plan(settings, base, report, notify, None if full else legacy)
        except OSError as exc:  # the spool could not be written: disk full, read-only
            raise storage_error(index_dir, exc) from exc
        try:
            changed = plan.spool.count > 0 or report.removed > 0 or legacy is not None  # type: ignore[union-attr]
            if old is not None and not full and not changed:
                _tally(report, plan.entries)
                from index.compaction import referenced
                from index.store import Backend

                collect_garbage(Backend(settings), referenced(old))  # a killed build's leftovers
                report.seconds = time.perf_counter() - started
                return report
            write_generation(settings, old, base, plan, model, report, notify, legacy)
        finally:
            plan.spool.close()  # type: ignore[union-attr]
        _tally(report, plan.entries)
    report.seconds = time.perf_counter() - started
    log.info("build done: %s", report.to_json())
    return report


def index_status(settings: IndexSettings) -> IndexStatus:
    """What the live index holds (read from the manifest; opens no database)."""
    from index.errors import NoIndexError

    index_dir = settings.resolved_index_dir()
    manifest = load_manifest(index_dir)
    if manifest is None:
        raise NoIndexError()
    languages: dict[str, LanguageCount] = {}
    for entry in manifest.articles.values():
        lang = languages.setdefault(entry.language, LanguageCount())
        lang.articles += 1
        lang.chunks += entry.chunks
    return IndexStatus(
        articles=len(manifest.articles),
        chunks=manifest.chunk_count,
        languages=languages,
        embedding_model=manifest.embedding_model,
        built_at=manifest.built_at,
        index_dir=str(index_dir),
    )


def list_articles(settings: IndexSettings) -> list[ArticleInfo]:
    """The indexed articles, sorted by id (for /sources and :sources)."""
    from index.errors import NoIndexError

    manifest = load_manifest(settings.resolved_index_dir())
    if manifest is None:
        raise NoIndexError()
    return articles_of(manifest)


def articles_of(manifest: Manifest) -> list[ArticleInfo]:
    """The articles a manifest lists, sorted by id."""
    return [
        ArticleInfo(
            id=aid,
            title=e.title,
            language=e.language,
            source=e.source,
            url=e.url,
            published=e.published,
            chunks=e.chunks,
        )
        for aid, e in sorted(manifest.articles.items())
    ]


def child_main() -> None:
    """Entry of the build child process: settings in on stdin, pickled events out on a pipe."""
    import pickle
    import sys

    out = os.fdopen(int(sys.argv[1]), "wb")

    def send(kind: str, payload: Any) -> None:
        pickle.dump((kind, payload), out)
        out.flush()

    settings, full = pickle.load(sys.stdin.buffer)
    logging.basicConfig(
        level=getattr(logging, str(settings.log_level).upper(), logging.WARNING),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    try:
        report = build_index(settings, full=full, progress=lambda p: send("progress", p))
    except NewsbotError as exc:
        send("error", exc)
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, then the child ends
        log.exception("build failed")
        send("error", NewsbotError(f"The build failed ({type(exc).__name__}: {exc})."))
    else:
        send("done", report)


def build_in_child_process(
    settings: IndexSettings, full: bool = False, progress: ProgressFn | None = None
) -> BuildReport:
    """`build_index` in a separate process, for long-running front ends (bot, REPL).

    The serving process keeps its interpreter to itself: no GIL contention with reading and
    chunking, no first-time imports, a model instance of the build's own. If the child dies,
    or the caller is interrupted (the child is then killed), the served index is unchanged —
    the build is crash-safe — and the next build completes the job.
    """
    import pickle
    import subprocess
    import sys

    read_fd, write_fd = os.pipe()
    child = subprocess.Popen(
        [sys.executable, "-c", "from index.build import child_main; child_main()", str(write_fd)],
        stdin=subprocess.PIPE,
        pass_fds=(write_fd,),
    )
    os.close(write_fd)
    try:
        assert child.stdin is not None
        child.stdin.write(pickle.dumps((settings, full)))
        child.stdin.close()
        with os.fdopen(read_fd, "rb") as events:
            while True:
                try:
                    kind, payload = pickle.load(events)
                except EOFError:
                    break
                if kind == "progress":
                    if progress is not None:
                        progress(payload)
                elif kind == "error":
                    raise payload
                else:
                    return payload
        code = child.wait()
        raise NewsbotError(
            f"The build process ended unexpectedly (exit code {code}); the index being "
            "served is unchanged. Run the build again."
        )
    finally:
        if child.poll() is None:
            child.kill()
        child.wait()
