"""Read the articles: find the files, decode them, split them into stories, clean them,
and tag each story with its language.

    scan_sources(root, max_bytes)  → the readable files, each with a hash of its bytes
    read_source(source_file)       → the Articles in one file
    load_articles(root, max_bytes) → both, for the whole folder (or one JSONL export)

A file or JSONL line that cannot be read is skipped with a reason (SkippedFile); it never
stops the build.
"""

from __future__ import annotations

import hashlib
import logging
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from index.clean import clean_text, normalize_whitespace
from index.decoding import DecodeError, decode_bytes
from index.formats import (
    RawRecord,
    headline,
    parse_html,
    parse_json,
    parse_jsonl,
    parse_text,
)
from index.language import detect_language, normalize_code
from index.types import Article, SkippedFile

log = logging.getLogger(__name__)

SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm", ".json", ".jsonl"}


@dataclass(frozen=True)
class SourceFile:
    """One article file: where it is, its name in reports, and a hash of its raw bytes."""

    path: Path
    source: str  # relative to the articles root (the file name when the root is a file)
    size: int
    sha256: str


def scan_sources(root: Path, max_bytes: int) -> tuple[list[SourceFile], list[SkippedFile]]:
    """The article files under `root` (or `root` itself when it is one file), sorted by name.

    Hidden files and folders and files of other types are ignored; files over `max_bytes`,
    symlinks that lead outside `root`, and unreadable files are skipped with a reason.
    """
    root = Path(root).expanduser()
    if not root.exists():
        raise FileNotFoundError(f"articles not found: {root}")
    if root.is_file():
        found, skipped = [], []
        _add(root, root.name, max_bytes, found, skipped)
        return found, skipped
    real_root = root.resolve()
    prefix = real_root.name or "articles"
    candidates: list[tuple[str, Path]] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in filenames:
            path = Path(dirpath, name)
            if name.startswith(".") or path.suffix.lower() not in SUFFIXES:
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
        data = _read_capped(path, max_bytes)
    except _Skip as exc:
        skipped.append(SkippedFile(rel, str(exc)))
        return
    except OSError as exc:
        skipped.append(SkippedFile(rel, f"cannot read: {exc.strerror or exc}"))
        return
    found.append(SourceFile(path, rel, len(data), hashlib.sha256(data).hexdigest()))


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
        raise _Skip(f"too large: {_mb(info.st_size)} (limit {_mb(max_bytes)})")
    data = path.read_bytes()
    if len(data) > max_bytes:  # it grew since the stat
        raise _Skip(f"too large: {_mb(len(data))} (limit {_mb(max_bytes)})")
    return data


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


def read_source(sf: SourceFile) -> tuple[list[Article], list[SkippedFile]]:
    """Decode, parse, clean and tag the stories of one file."""
    try:
        data = _read_capped(sf.path, max(sf.size, 1) * 2 + 1024)
    except _Skip as exc:
        return [], [SkippedFile(sf.source, str(exc))]
    except OSError as exc:
        return [], [SkippedFile(sf.source, f"cannot read: {exc.strerror or exc}")]
    try:
        text, encoding = decode_bytes(data)
    except DecodeError as exc:
        return [], [SkippedFile(sf.source, str(exc))]
    log.debug("%s decoded as %s", sf.source, encoding)
    try:
        records, skipped = _parse(text, sf)
    except Exception as exc:  # noqa: BLE001 — one odd file never stops a build
        log.debug("parsing %s failed", sf.source, exc_info=True)
        return [], [SkippedFile(sf.source, f"could not parse: {exc}")]
    articles: list[Article] = []
    for record in records:
        article = to_article(record)
        if article is None:
            where = record.source if record.source != sf.source else sf.source
            skipped.append(SkippedFile(where, "no text left after cleaning"))
        else:
            articles.append(article)
    return articles, skipped


def _parse(text: str, sf: SourceFile) -> tuple[list[RawRecord], list[SkippedFile]]:
    suffix = sf.path.suffix.lower()
    stem = sf.path.stem
    if suffix == ".jsonl":
        return parse_jsonl(text, sf.source)
    if suffix == ".json":
        return parse_json(text, stem, sf.source)
    if suffix in (".html", ".htm"):
        return [parse_html(text, stem, sf.source)], []
    return [parse_text(text, stem, sf.source, markdown=suffix in (".md", ".markdown"))], []


def to_article(record: RawRecord) -> Article | None:
    """Clean a record and tag its language (a declared language wins); None when empty.

    Text a page extractor already cleaned (HTML) only has its whitespace normalised: the
    line rules of index/clean.py are for plain text, whose structure is lost."""
    clean = normalize_whitespace if record.extracted else clean_text
    text = clean(record.text)
    if not text:
        return None
    title = clean(record.title).replace("\n", " ") or headline(text)
    if record.language:
        language = normalize_code(record.language, text)
    else:
        language = detect_language(f"{title}\n{text}")
    return Article(
        id=record.id,
        title=title,
        text=text,
        language=language,
        source=record.source,
        url=record.url,
        published=record.published,
        sha256=content_hash(
            title, text, language, record.url, record.published, record.source, record.author
        ),
        author=record.author,
    )


def content_hash(
    title: str,
    text: str,
    language: str,
    url: str | None,
    published: str | None,
    source: str = "",
    author: str | None = None,
) -> str:
    """sha256 of what the index stores of an article: equal hash, nothing to re-embed.

    The source is part of it: a moved or renamed file is stored again, so citations never
    name a path that no longer exists."""
    digest = hashlib.sha256()
    for part in (title, text, language, url or "", published or "", source):
        digest.update(part.encode("utf-8"))
        digest.update(b"\x00")
    if author:  # only when present, so articles without a byline keep their old hash
        digest.update(author.encode("utf-8"))
    return digest.hexdigest()


def load_articles(root: Path, max_bytes: int) -> tuple[list[Article], list[SkippedFile]]:
    """Every article under `root`; an id already read is skipped as a duplicate."""
    files, skipped = scan_sources(root, max_bytes)
    articles: list[Article] = []
    seen: dict[str, str] = {}
    for sf in files:
        found, bad = read_source(sf)
        skipped.extend(bad)
        for article in found:
            if article.id in seen:
                reason = f"duplicate id {article.id!r} (already read from {seen[article.id]})"
                skipped.append(SkippedFile(article.source, reason))
                continue
            seen[article.id] = article.source
            articles.append(article)
    return articles, skipped
