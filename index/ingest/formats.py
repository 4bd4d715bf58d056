"""Decoded text of one file → raw records (one per story), per file format.

.txt/.md: the title is the first line; .html: main text, title, date and author found by
trafilatura (index/ingest/html.py); .json: one object or a list of objects; .jsonl: one object
per line (streamed by index/ingest/jsonl.py, each line parsed here).
JSON fields (docs/cli.md, "Building the index"): id and text required; title, language|lang,
url, published|date, author|byline optional. Cleaning and language detection happen later,
in corpus.py. PARSERS maps each file suffix to its parser: the one table of formats.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from index.text import split_sentences
from index.types import SkippedFile, carry

TITLE_MAX_CHARS = 160


@dataclass
class RawRecord:
    id: str
    title: str
    text: str
    source: str
    language: str | None = None
    url: str | None = None
    published: str | None = None
    author: str | None = None
    # True when a page extractor already removed the page's boilerplate (HTML): only the
    # whitespace is normalised then; plain text goes through every rule of index/ingest/clean.py.
    extracted: bool = False


# --- plain text and markdown --------------------------------------------------------------

_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+|\s+#+\s*$")
_MD_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")
_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)


def parse_text(text: str, stem: str, source: str, markdown: bool = False) -> RawRecord:
    """Title = first non-empty line; a first line that is a whole paragraph stays in the body
    and lends its first sentence as the title."""
    meta: dict[str, str] = {}
    if markdown:
        text, meta = _front_matter(text.replace("\r\n", "\n"))
        text = _MD_EMPHASIS.sub(r"\2", _MD_LINK.sub(r"\1", _MD_IMAGE.sub(r"\1", text)))
    lines = text.splitlines()
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return RawRecord(stem, meta.get("title", ""), "", source)
    head = lines[first].strip()
    if markdown:
        lines = [_HEADING.sub("", line) for line in lines]
        head = _HEADING.sub("", head).strip()
    if len(head) > TITLE_MAX_CHARS:
        title, body = _shorten(head), lines[first:]
    else:
        title, body = head, lines[first + 1 :]
    title = meta.get("title") or title
    # Pages often repeat the headline under a byline; keep one copy (the title).
    body = [line for line in body if line.strip() != title]
    return RawRecord(
        id=stem,
        title=title,
        text="\n".join(body),
        source=source,
        language=meta.get("language") or meta.get("lang"),
        url=meta.get("url"),
        published=meta.get("published") or meta.get("date"),
    )


def _front_matter(text: str) -> tuple[str, dict[str, str]]:
    match = _FRONT_MATTER.match(text)
    if not match:
        return text, {}
    meta: dict[str, str] = {}
    for line in match.group(1).splitlines():
        key, sep, value = line.partition(":")
        if sep and value.strip():
            meta[key.strip().lower()] = value.strip().strip("\"'")
    return text[match.end() :], meta


def headline(text: str) -> str:
    """A title for a story that has none: its first sentence, cut to TITLE_MAX_CHARS."""
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return _shorten(first)


def _shorten(paragraph: str) -> str:
    sentences = split_sentences(paragraph)  # the language is not known yet: general rules
    sentence = sentences[0] if sentences else paragraph
    if len(sentence) <= TITLE_MAX_CHARS:
        return sentence
    cut = sentence[:TITLE_MAX_CHARS].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


# --- HTML ---------------------------------------------------------------------------------


def parse_html(html: str, stem: str, source: str) -> RawRecord:
    """A page → its story, through trafilatura (see index/ingest/html.py)."""
    from index.ingest.html import extract_story

    return carry(extract_story(html), RawRecord, id=stem, source=source, extracted=True)


# --- JSON and JSONL -------------------------------------------------------------------------


def _field(obj: dict[str, Any], *names: str) -> str | None:
    for name in names:
        value = obj.get(name)
        if value is not None and str(value).strip():
            return str(value).strip()
    return None


def record_from_json(obj: Any, source: str, default_id: str | None = None) -> RawRecord:
    """One JSON object → a record; ValueError with the reason when it is not an article."""
    if not isinstance(obj, dict):
        raise ValueError(f"not a JSON object but {type(obj).__name__}")
    rid = _field(obj, "id") or default_id
    if rid is None:
        raise ValueError("missing id")
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ValueError("missing text")
    return RawRecord(
        id=rid,
        title=_field(obj, "title") or "",
        text=text,
        source=source,
        language=_field(obj, "language", "lang"),
        url=_field(obj, "url"),
        published=_field(obj, "published", "date"),
        author=_field(obj, "author", "byline"),
    )


def parse_json(text: str, stem: str, source: str) -> tuple[list[RawRecord], list[SkippedFile]]:
    """A .json file: one article object (id defaults to the file name) or a list of them."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return [], [SkippedFile(source, f"invalid JSON: {exc}")]
    except RecursionError:
        return [], [SkippedFile(source, "invalid JSON: nested too deeply")]
    if isinstance(data, dict):
        try:
            return [record_from_json(data, source, default_id=stem)], []
        except ValueError as exc:
            return [], [SkippedFile(source, str(exc))]
    if not isinstance(data, list):
        return [], [SkippedFile(source, "JSON is neither an article object nor a list")]
    return _unique([(f"item {i}", obj) for i, obj in enumerate(data, 1)], source)


class BadItem(ValueError):
    """A JSON item that is not an article; the message is the reason for the report."""


def parse_json_line(line: str) -> Any:
    """One JSONL line → its JSON value; BadItem with the reason when it is not JSON."""
    try:
        return json.loads(line)
    except json.JSONDecodeError as exc:
        raise BadItem(f"invalid JSON ({exc.msg})") from None
    except RecursionError:
        raise BadItem("invalid JSON (nested too deeply)") from None


def unique_records(
    items: Iterable[tuple[str, Any]], source: str
) -> Iterator[RawRecord | SkippedFile]:
    """Records from (where, JSON value or BadItem) pairs, as they come: an item that is not
    an article, or repeats an id already seen, is a SkippedFile "where: reason"."""
    seen: dict[str, str] = {}
    for where, obj in items:
        if isinstance(obj, BadItem):
            yield SkippedFile(source, f"{where}: {obj}")
            continue
        try:
            record = record_from_json(obj, source)
        except ValueError as exc:
            yield SkippedFile(source, f"{where}: {exc}")
            continue
        if record.id in seen:
            yield SkippedFile(
                source, f"{where}: duplicate id {record.id!r} (first on {seen[record.id]})"
            )
            continue
        seen[record.id] = where
        record.source = f"{source}#{record.id}"
        yield record


def _unique(items: list[tuple[str, Any]], source: str) -> tuple[list[RawRecord], list[SkippedFile]]:
    records: list[RawRecord] = []
    skipped: list[SkippedFile] = []
    for item in unique_records(items, source):
        if isinstance(item, SkippedFile):
            skipped.append(item)
        else:
            records.append(item)
    return records, skipped


# --- the formats by file suffix -----------------------------------------------------------

# A file's decoded text, its stem and its source → its records and the stories skipped.
TextParser = Callable[[str, str, str], tuple[list[RawRecord], list[SkippedFile]]]


def _streamed(text: str, stem: str, source: str) -> tuple[list[RawRecord], list[SkippedFile]]:
    raise TypeError(f"{source}: an export is streamed line by line, never parsed whole")


# An export's marker: corpus.py reads it line by line (index/ingest/jsonl.py, each line
# through unique_records), so its size limit applies to each line, not to the file.
STREAMED: TextParser = _streamed


def _one_story(parse: Callable[[str, str, str], RawRecord]) -> TextParser:
    return lambda text, stem, source: ([parse(text, stem, source)], [])


def _markdown(text: str, stem: str, source: str) -> RawRecord:
    return parse_text(text, stem, source, markdown=True)


# The article formats: adding one is adding its parser and a line here.
PARSERS: dict[str, TextParser] = {
    ".txt": _one_story(parse_text),
    ".md": _one_story(_markdown),
    ".markdown": _one_story(_markdown),
    ".html": _one_story(parse_html),
    ".htm": _one_story(parse_html),
    ".json": parse_json,
    ".jsonl": STREAMED,
}


def parser_of(path: Path) -> TextParser:
    """The parser of a file by its suffix; plain text for a file named outright whose
    suffix is not in PARSERS (NEWSBOT_ARTICLES pointing at one file)."""
    return PARSERS.get(path.suffix.lower(), PARSERS[".txt"])
