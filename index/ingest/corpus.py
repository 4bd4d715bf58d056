"""Read the articles: find the files, decode them, split them into stories, clean them,
and tag each story with its language.

    scan_sources(root, max_bytes)  → the readable files, each with a hash of its bytes
    iter_source(source_file)       → the Articles of one file, one at a time (SkippedFile
                                     for a story that cannot be read)
    read_source(source_file)       → the same as two lists
    iter_articles(root, max_bytes) / load_articles(root, max_bytes) → for a whole folder
                                     (or one JSONL export)

`max_bytes` (NEWSBOT_MAX_FILE_MB) limits one article: a file of one story, or one line of a
JSONL export. An export is read as a stream (index/ingest/jsonl.py), so its size is not limited
and memory stays bounded by one line. A file or JSONL line that cannot be read is skipped
with a reason; it never stops the build.
"""

from __future__ import annotations

import hashlib
import logging
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from index.ingest.clean import clean_text, normalize_whitespace
from index.ingest.decoding import DecodeError, decode_bytes
from index.ingest.formats import PARSERS, STREAMED, RawRecord, headline, parser_of, unique_records
from index.ingest.jsonl import NotJsonl, read_jsonl
from index.language import detect_language, normalize_code
from index.types import Article, SkippedFile

log = logging.getLogger(__name__)

_HASH_BLOCK = 1024 * 1024


@dataclass(frozen=True)
class SourceFile:
    """One article file: where it is, its name in reports, and a hash of its raw bytes."""

    path: Path
    source: str  # relative to the articles root (the file name when the root is a file)
    size: int
    sha256: str
    max_bytes: int  # the limit of one article, one line of an export (NEWSBOT_MAX_FILE_MB)


def scan_sources(root: Path, max_bytes: int) -> tuple[list[SourceFile], list[SkippedFile]]:
    """The article files under `root` (or `root` itself when it is one file), sorted by name.

    Hidden files and folders and files of other types are ignored; files over `max_bytes`,
    symlinks that lead outside `root`, and unreadable files are skipped with a reason.
    """
    root = Path(root).expanduser()
    if not root.exists():
        raise FileNotFoundError(f"articles not found: {root}")
    if root.is_file():
        one: list[SourceFile] = []
        bad: list[SkippedFile] = []
        _add(root, root.name, max_bytes, one, bad)
        return one, bad
    real_root = root.resolve()
    prefix = real_root.name or "articles"
    candidates: list[tuple[str, Path]] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in filenames:
            path = Path(dirpath, name)
            if name.startswith(".") or path.suffix.lower() not in PARSERS:
                continue
            # Named from the folder itself ("articles/001.txt"), as citations show it.
            candidates.append((f"{prefix}/{path.relative_to(root).as_posix()}", path))
    found: list[SourceFile] = []
    skipped: list[SkippedFile] = []
    for rel, path in sorted(candidates):
        if path.is_symlink():
            target = path.resolve()
            if not target.exists():
                skipped.append(SkippedFile(rel, "broken symlink"))
                continue
            if not target.is_relative_to(real_root):
                skipped.append(SkippedFile(rel, "symlink points outside the articles folder"))
                continue
        _add(path, rel, max_bytes, found, skipped)
    return found, skipped


def _add(
    path: Path, rel: str, max_bytes: int, found: list[SourceFile], skipped: list[SkippedFile]
) -> None:
    try:
        if parser_of(path) is STREAMED:
            size, digest = _hash_stream(path)
        else:
            data = _read_capped(path, max_bytes)
            size, digest = len(data), hashlib.sha256(data).hexdigest()
    except _Skip as exc:
        skipped.append(SkippedFile(rel, str(exc)))
        return
    except OSError as exc:
        skipped.append(SkippedFile(rel, f"cannot read: {exc.strerror or exc}"))
        return
    found.append(SourceFile(path, rel, size, digest, max_bytes))


def _hash_stream(path: Path) -> tuple[int, str]:
    """Size and sha256 of an export, read in blocks (never whole into memory)."""
    if not stat.S_ISREG(path.stat().st_mode):
        raise _Skip("not a regular file")
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as fh:
        while block := fh.read(_HASH_BLOCK):
            digest.update(block)
            size += len(block)
    return size, digest.hexdigest()


class _Skip(Exception):
    """The file is not read; the message is the reason for the report."""


def _read_capped(path: Path, max_bytes: int) -> bytes:
    """The file's bytes, refusing anything that is not a regular file or is over the cap.

    Checked with stat before opening, so a FIFO or device named like an article cannot
    hang the build and a huge file is never read into memory.
    """
    info = path.stat()
    if not stat.S_ISREG(info.st_mode):
        raise _Skip("not a regular file")
    if info.st_size > max_bytes:
        raise _Skip(_too_large(info.st_size, max_bytes))
    data = path.read_bytes()
    if len(data) > max_bytes:  # it grew since the stat
        raise _Skip(_too_large(len(data), max_bytes))
    return data


def _too_large(size: int, max_bytes: int) -> str:
    return (
        f"too large: {_mb(size)} (limit {_mb(max_bytes)} per article; raise "
        "NEWSBOT_MAX_FILE_MB, or export many articles as JSONL, which is read line by line)"
    )


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


def iter_source(sf: SourceFile) -> Iterator[Article | SkippedFile]:
    """The stories of one file, cleaned and tagged, one at a time; a story that cannot be
    read comes as a SkippedFile with the reason, in its place."""
    parse = parser_of(sf.path)
    if parse is STREAMED:
        yield from _iter_export(sf)
        return
    try:
        data = _read_capped(sf.path, max(sf.size, 1) * 2 + 1024)
    except _Skip as exc:
        yield SkippedFile(sf.source, str(exc))
        return
    except OSError as exc:
        yield SkippedFile(sf.source, f"cannot read: {exc.strerror or exc}")
        return
    try:
        text, encoding = decode_bytes(data)
    except DecodeError as exc:
        yield SkippedFile(sf.source, str(exc))
        return
    log.debug("%s decoded as %s", sf.source, encoding)
    try:
        records, skipped = parse(text, sf.path.stem, sf.source)
    except Exception as exc:  # noqa: BLE001 — one odd file never stops a build
        log.debug("parsing %s failed", sf.source, exc_info=True)
        yield SkippedFile(sf.source, f"could not parse: {exc}")
        return
    yield from skipped
    for record in records:
        yield _article_or_skip(record, sf)


def _iter_export(sf: SourceFile) -> Iterator[Article | SkippedFile]:
    lines = ((f"line {n}", obj) for n, obj in read_jsonl(sf.path, sf.max_bytes))
    try:
        for item in unique_records(lines, sf.source):
            yield item if isinstance(item, SkippedFile) else _article_or_skip(item, sf)
    except NotJsonl as exc:
        yield SkippedFile(sf.source, str(exc))
    except OSError as exc:
        yield SkippedFile(sf.source, f"cannot read: {exc.strerror or exc}")


def _article_or_skip(record: RawRecord, sf: SourceFile) -> Article | SkippedFile:
    article = to_article(record)
    if article is None:
        return SkippedFile(record.source or sf.source, "no text left after cleaning")
    return article


def read_source(sf: SourceFile) -> tuple[list[Article], list[SkippedFile]]:
    """Decode, parse, clean and tag the stories of one file (``iter_source`` as lists)."""
    return _split(iter_source(sf))


def _split(items: Iterator[Article | SkippedFile]) -> tuple[list[Article], list[SkippedFile]]:
    articles: list[Article] = []
    skipped: list[SkippedFile] = []
    for item in items:
        if isinstance(item, SkippedFile):
            skipped.append(item)
        else:
            articles.append(item)
    return articles, skipped


def to_article(record: RawRecord) -> Article | None:
    """Clean a record and tag its language (a declared language wins); None when empty.

    Text a page extractor already cleaned (HTML) only has its whitespace normalised: the
    line rules of index/ingest/clean.py are for plain text, whose structure is lost."""
    clean = normalize_whitespace if record.extracted else clean_text
    text = clean(record.text)
    if not text:
        return None
    title = clean(record.title).replace("\n", " ") or headline(text)
    if record.language:
        language = normalize_code(record.language, text)
    else:
        language = detect_language(f"{title}\n{text}")
    article = Article(
        id=record.id,
        title=title,
        text=text,
        language=language,
        source=record.source,
        url=record.url,
        published=record.published,
        author=record.author,
    )
    return replace(article, sha256=content_hash(article))


def content_hash(article: Article) -> str:
    """sha256 of what the index stores of an article (all but its id and this hash): equal
    hash, nothing to re-embed.

    The source is part of it: a moved or renamed file is stored again, so citations never
    name a path that no longer exists."""
    digest = hashlib.sha256()
    a = article
    for part in (a.title, a.text, a.language, a.url or "", a.published or "", a.source):
        digest.update(part.encode("utf-8"))
        digest.update(b"\x00")
    if a.author:  # only when present, so articles without a byline keep their old hash
        digest.update(a.author.encode("utf-8"))
    return digest.hexdigest()


def iter_articles(root: Path, max_bytes: int) -> Iterator[Article | SkippedFile]:
    """Every article under `root`, one at a time; an id already read is skipped as a
    duplicate. Files that cannot be read come first, as SkippedFile."""
    files, skipped = scan_sources(root, max_bytes)
    yield from skipped
    seen: dict[str, str] = {}
    for sf in files:
        for item in iter_source(sf):
            if isinstance(item, SkippedFile):
                yield item
            elif item.id in seen:
                reason = f"duplicate id {item.id!r} (already read from {seen[item.id]})"
                yield SkippedFile(item.source, reason)
            else:
                seen[item.id] = item.source
                yield item


def load_articles(root: Path, max_bytes: int) -> tuple[list[Article], list[SkippedFile]]:
    """``iter_articles`` as two lists."""
    return _split(iter_articles(root, max_bytes))
