"""Decoded text of one file → raw records (one per story), per file format.

.txt/.md: the title is the first line; .html: <h1> or <title>, body without scripts,
styles, navigation; .json: one object or a list of objects; .jsonl: one object per line.
JSON fields (README, "Building the index"): id and text required; title, language|lang, url, published|date
optional. Cleaning and language detection happen later, in corpus.py.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

from index.types import SkippedFile

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


# --- plain text and markdown --------------------------------------------------------------

_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+|\s+#+\s*$")
_MD_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")
_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)
_SENTENCE = re.compile(r"^(.+?[.!?。！？])(?:\s|$)")


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
    match = _SENTENCE.match(paragraph)
    sentence = match.group(1) if match else paragraph
    if len(sentence) <= TITLE_MAX_CHARS:
        return sentence
    cut = sentence[:TITLE_MAX_CHARS].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


# --- HTML ---------------------------------------------------------------------------------

_SKIP_TAGS = {
    "script", "style", "nav", "header", "footer", "aside", "form", "noscript", "svg",
    "iframe", "button", "template", "select", "figure",
}  # fmt: skip
_BLOCK_TAGS = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr",
    "section", "article", "blockquote", "pre", "table", "main", "hr", "dd", "dt",
}  # fmt: skip
_VOID_TAGS = {"br", "hr", "img", "meta", "link", "input", "source", "wbr", "area", "col"}


class _HTMLText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip_depth = 0
        self.title = ""
        self.h1 = ""
        self._in: str | None = None
        self._h1_done = False
        self.meta: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {k: v or "" for k, v in attrs}
        if tag == "meta":
            key = (attr.get("property") or attr.get("name") or "").lower()
            if key and attr.get("content"):
                self.meta.setdefault(key, attr["content"])
        elif tag == "link" and attr.get("rel", "").lower() == "canonical":
            self.meta.setdefault("canonical", attr.get("href", ""))
        if tag in _VOID_TAGS:
            if tag in _BLOCK_TAGS:
                self.parts.append("\n")
            return
        if tag in _SKIP_TAGS:
            self.skip_depth += 1
        elif tag == "title" or (tag == "h1" and not self._h1_done):
            self._in = tag  # an <h1> inside a skipped <header> still gives the title
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS and self.skip_depth:
            self.skip_depth -= 1
        if tag == self._in:
            self._h1_done = self._h1_done or tag == "h1"
            self._in = None
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._in == "title":
            self.title += data
            return
        if self._in == "h1":
            self.h1 += data
        if not self.skip_depth:
            self.parts.append(data)


def parse_html(html: str, stem: str, source: str) -> RawRecord:
    parser = _HTMLText()
    parser.feed(html)
    parser.close()
    body = "".join(parser.parts)
    lines = [re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in body.split("\n")]
    title = " ".join(parser.h1.split()) or " ".join(parser.title.split())
    title = title or parser.meta.get("og:title", "")
    if not title:
        title = next((line for line in lines if line), "")
    text = "\n".join(line for line in lines if line != title)
    if not text.strip():  # a page that is one paragraph: it is the story, not only its title
        text = "\n".join(line for line in lines if line)
    text = re.sub(r"\n{3,}", "\n\n", text)
    meta = parser.meta
    return RawRecord(
        id=stem,
        title=title,
        text=text,
        source=source,
        url=meta.get("og:url") or meta.get("canonical") or None,
        published=meta.get("article:published_time") or meta.get("date") or None,
    )


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


def parse_jsonl(text: str, source: str) -> tuple[list[RawRecord], list[SkippedFile]]:
    """A JSONL export: a broken line is reported as "line N: reason", the rest is read."""
    items: list[tuple[str, Any]] = []
    skipped: list[SkippedFile] = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            items.append((f"line {n}", json.loads(line)))
        except json.JSONDecodeError as exc:
            skipped.append(SkippedFile(source, f"line {n}: invalid JSON ({exc.msg})"))
        except RecursionError:
            skipped.append(SkippedFile(source, f"line {n}: invalid JSON (nested too deeply)"))
    records, bad = _unique(items, source)
    return records, skipped + bad


def _unique(items: list[tuple[str, Any]], source: str) -> tuple[list[RawRecord], list[SkippedFile]]:
    """Records from (where, object) pairs; the first of two records with one id wins."""
    records: list[RawRecord] = []
    skipped: list[SkippedFile] = []
    seen: dict[str, str] = {}
    for where, obj in items:
        try:
            record = record_from_json(obj, source)
        except ValueError as exc:
            skipped.append(SkippedFile(source, f"{where}: {exc}"))
            continue
        if record.id in seen:
            first = seen[record.id]
            reason = f"{where}: duplicate id {record.id!r} (first on {first})"
            skipped.append(SkippedFile(source, reason))
            continue
        seen[record.id] = where
        record.source = f"{source}#{record.id}"
        records.append(record)
    return records, skipped
