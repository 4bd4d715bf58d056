"""Indexes written by older newsbots: every on-disk format there has been, how each one is
recognised, and what brings it up to date. The one module that knows old formats; the build
and the reader each call one function here (``for_build``, ``for_serving``).

What this code writes is defined where it is written (``manifest.FORMAT``,
``catalog.VERSION``); what was written before:

=================  ==========================================  =================================
on disk            how it is recognised                        what happens
=================  ==========================================  =================================
manifest format 1  ``"format": 1``: one Chroma collection per  the next ``newsbot index build``
(to 1 Dec 2026)    generation (``chroma/gen-NNNNNN``,          copies each unchanged article's
                   ``<prefix>_g<N>``), chunk ids per article   chunks *with their stored
                                                               vectors* into a segment (nothing
                                                               embedded again); the old
                                                               collections go after the commit.
                                                               Serving says to run the build.
catalog 1          a segment's catalog without the             the next build absorbs the
(1 Dec 2026)       ``chunks.vector`` column                    segment (vectors from the store,
                                                               tokens from its text). Serving
                                                               says to run the build.
catalog 2          no ``version`` in ``meta``, no romanised    served as is (names written in
(1-7 Dec 2026)     name key (index/names.py) in ``df``         another script miss its chunks);
                                                               the next build absorbs it and
                                                               adds the name keys.
catalog 3          ``meta.version`` (or, written 7-9 Dec       current
                   2026 without it, name keys in ``df``)
manifest format    ``"format"`` above ``manifest.FORMAT``      refused with a message: update
2 < n              (a newer newsbot)                           newsbot, or ``--full`` rebuilds
                                                               it; nothing is touched
damaged manifest   not JSON, not an object, fields missing     refused with a message; ``--full``
                                                               rebuilds; nothing is touched
=================  ==========================================  =================================

Not here, on purpose: the refusal's cached nulls (bot/answering/refusal.py, ``CACHE_VERSION``)
are derived data keyed by a digest — a mismatch means compute them again, never an upgrade;
the Discord bot's SQLite (bot/discord/store/) is the bot's own state, not the index, migrated
in place when opened (``index`` never imports ``bot``).

An upgrade is part of an ordinary build and as crash-safe: nothing old is changed before the
new manifest is committed, so a build killed half-way leaves the old index as it was.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from index.errors import IndexFormatError, NoIndexError
from index.store.catalog import VERSION as CATALOG_VERSION
from index.store.catalog import catalog_path
from index.store.manifest import FORMAT, Manifest, manifest_path

if TYPE_CHECKING:
    from index.store.backend import Backend
    from index.store.interfaces import VectorStore

log = logging.getLogger(__name__)

FORMAT_1 = 1  # one Chroma collection per generation, every chunk copied by each build
FORMAT_1_FOLDER = "gen-"  # chroma/gen-NNNNNN, one folder per generation
NAME_KEYS = ("\ue000", "\ue100")  # the range of index/names.py's key prefixes (catalog 3)

UPGRADE_BY_BUILD = (
    "The index was built by an older newsbot — run `newsbot index build` to upgrade it "
    "(the stored embeddings are reused, nothing is embedded again)."
)


@dataclass(frozen=True)
class Format1Index:
    """A format-1 index: its chunks are copied with their stored vectors, not re-embedded."""

    generation: int
    embedding_model: str
    chunk_ids: dict[str, tuple[str, list[str]]]  # article id -> (sha256, chunk ids)

    def open_store(self, backend: Backend) -> VectorStore:
        """The generation's single collection (read once, to copy its chunks)."""
        prefix = backend.settings.collection_prefix
        return backend.open_folder(
            f"{FORMAT_1_FOLDER}{self.generation:06d}", f"{prefix}_g{self.generation}"
        )

    def drop(self, backend: Backend) -> None:
        """Remove every format-1 collection (once the upgraded index is committed)."""
        backend.drop_folders(FORMAT_1_FOLDER, f"{backend.settings.collection_prefix}_g")


@dataclass
class Upgrade:
    """What the build has to bring up to date, besides the articles that changed."""

    format1: Format1Index | None = None
    stale: frozenset[int] = frozenset()  # segments whose catalogs predate CATALOG_VERSION
    reuse: bool = True  # False with --full: everything is embedded again, the old goes

    @property
    def pending(self) -> bool:
        return self.format1 is not None or bool(self.stale)

    @property
    def reusable(self) -> dict[str, tuple[str, list[str]]]:
        """Stored chunks by article id: (sha256, chunk ids) — copied when the text is the same."""
        return self.format1.chunk_ids if self.format1 and self.reuse else {}

    def open_store(self, backend: Backend) -> VectorStore | None:
        """The store holding the reusable chunks (None: nothing to copy)."""
        return self.format1.open_store(backend) if self.format1 and self.reuse else None

    def finish(self, backend: Backend) -> None:
        """After the commit: remove what the upgraded index no longer uses."""
        if self.format1 is not None:
            self.format1.drop(backend)


@dataclass
class BuildStart:
    """What a build starts from: the live manifest (current format) and what to upgrade."""

    old: Manifest | None
    upgrade: Upgrade = field(default_factory=Upgrade)

    @property
    def generation(self) -> int:
        """The highest generation written so far (the new one is one more)."""
        legacy = self.upgrade.format1
        return max(self.old.generation if self.old else 0, legacy.generation if legacy else 0)

    @property
    def embedding_model(self) -> str | None:
        legacy = self.upgrade.format1
        return self.old.embedding_model if self.old else legacy.embedding_model if legacy else None


def _read(index_dir: Path) -> dict[str, Any] | None:
    """The manifest's JSON object, or None when there is no manifest."""
    path = manifest_path(index_dir)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _damaged(path, exc) from exc
    if not isinstance(data, dict):
        raise _damaged(path, TypeError("not a JSON object"))
    return data


def _damaged(path: Path, exc: BaseException) -> IndexFormatError:
    return IndexFormatError(
        f"The index manifest {path} cannot be read ({exc}). Nothing was changed; run "
        "`newsbot index build --full` to build the index again from the articles."
    )


def _parse(index_dir: Path, data: dict[str, Any]) -> Manifest | Format1Index:
    """The manifest as the current format, or a format-1 index to upgrade."""
    fmt = data.get("format")
    try:
        if fmt == FORMAT:
            return Manifest.from_json(data)
        if fmt == FORMAT_1:
            return Format1Index(
                generation=int(data["generation"]),
                embedding_model=str(data["embedding_model"]),
                chunk_ids={
                    aid: (str(a.get("sha256", "")), [str(c) for c in a.get("chunk_ids", [])])
                    for aid, a in data.get("articles", {}).items()
                },
            )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise _damaged(manifest_path(index_dir), exc) from exc
    if isinstance(fmt, int) and fmt > FORMAT:
        raise IndexFormatError(
            f"The index in {index_dir} was written by a newer newsbot (format {fmt}; this one "
            f"reads format {FORMAT}). Nothing was changed; update newsbot, or run "
            "`newsbot index build --full` to build it again for this version."
        )
    raise _damaged(manifest_path(index_dir), ValueError(f"unknown format {fmt!r}"))


def catalog_version(path: Path) -> int:
    """Which catalog version wrote the segment catalog at ``path`` (see the table above)."""
    db = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
    try:
        row = db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
        if row is not None:
            return int(row[0])
        columns = {r[1] for r in db.execute("PRAGMA table_info(chunks)")}
        if "vector" not in columns:
            return 1
        names = db.execute(
            "SELECT 1 FROM df WHERE token >= ? AND token < ? LIMIT 1", NAME_KEYS
        ).fetchone()
        return CATALOG_VERSION if names is not None else 2
    finally:
        db.close()


def stale_segments(index_dir: Path, segments: Sequence[int]) -> frozenset[int]:
    """The segments whose catalogs an older newsbot wrote (a missing one is left to the
    store's own error)."""
    stale = set()
    for seg in segments:
        path = catalog_path(index_dir, seg)
        if path.exists() and catalog_version(path) < CATALOG_VERSION:
            stale.add(seg)
    return frozenset(stale)


def for_build(index_dir: Path, full: bool) -> BuildStart:
    """What a build starts from. An index in the current format comes back as it is, with
    its old segments to upgrade; a format-1 index as the chunks to copy; with ``full`` the
    build starts afresh whatever is there. A newer or damaged index raises IndexFormatError
    (and a build without ``--full`` changes nothing)."""
    try:
        data = _read(index_dir)
        found = None if data is None else _parse(index_dir, data)
    except IndexFormatError:
        if full:
            log.warning("the index could not be read; --full builds it again from the articles")
            return BuildStart(None)
        raise
    if isinstance(found, Format1Index):
        return BuildStart(None, Upgrade(format1=found, reuse=not full))
    if found is None or full:
        return BuildStart(found)
    stale = stale_segments(index_dir, [s.id for s in found.segments])
    if stale:
        log.info("catalogs of segments %s are of an older version: upgraded now", sorted(stale))
    return BuildStart(found, Upgrade(stale=stale))


def for_serving(index_dir: Path) -> Manifest:
    """The live manifest, if this newsbot can serve it; else NoIndexError or
    IndexFormatError, with what to run."""
    data = _read(index_dir)
    found = None if data is None else _parse(index_dir, data)
    if found is None:
        raise NoIndexError()
    if isinstance(found, Format1Index):
        raise NoIndexError(UPGRADE_BY_BUILD)
    unservable = [
        s.id for s in found.segments if catalog_path(index_dir, s.id).exists()
        and catalog_version(catalog_path(index_dir, s.id)) < 2
    ]  # fmt: skip
    if unservable:
        raise NoIndexError(UPGRADE_BY_BUILD)
    return found
