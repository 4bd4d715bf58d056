"""A JSONL export read as a stream: one line in memory at a time, whatever the file size.

``NEWSBOT_MAX_FILE_MB`` limits one article, so it limits one line here: a longer line is
skipped with a reason (without being held in memory) and the rest of the export is read.

The encoding is decided once from the start of the file (byte-order mark, UTF-16 without
one, else index/ingest/decoding.py's detection on the first complete lines); each line is then
decoded on its own, and a line that does not decode is detected again by itself, so one
bad line never costs the export.
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from index.ingest.decoding import DecodeError, decode_bytes
from index.ingest.formats import BadItem, parse_json_line

_HEAD_BYTES = 256 * 1024  # enough lines to judge the encoding
_DRAIN_BYTES = 1024 * 1024  # an over-long line is skipped in pieces of this size
_WIDE = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class NotJsonl(ValueError):
    """The file as a whole cannot be read (empty, binary); the message is the reason."""


def read_jsonl(path: Path, max_line_bytes: int) -> Iterator[tuple[int, Any]]:
    """(line number, JSON value or BadItem) for every non-blank line, in order.

    Raises NotJsonl before the first item when the file is empty or binary."""
    with open(path, "rb") as fh:
        head = fh.read(_HEAD_BYTES)
        fh.seek(0)
        wide = _wide_encoding(head)
        if wide:
            yield from _wide_lines(fh, wide, max_line_bytes)
            return
        encoding = _encoding(head)
        if head.startswith(codecs.BOM_UTF8):
            fh.seek(len(codecs.BOM_UTF8))
        for n, raw in enumerate(_byte_lines(fh, max_line_bytes), 1):
            if isinstance(raw, int):
                yield n, BadItem(f"too large: {_mb(raw)} (limit {_mb(max_line_bytes)} per article)")
                continue
            if not raw.strip():
                continue
            try:
                line = _decode(raw, encoding)
            except DecodeError as exc:
                yield n, BadItem(str(exc))
                continue
            yield n, _parsed(line)


def _parsed(line: str) -> Any:
    try:
        return parse_json_line(line)
    except BadItem as exc:
        return exc


def _wide_encoding(head: bytes) -> str | None:
    for bom, encoding in _WIDE:
        if head.startswith(bom):
            return encoding
    if b"\x00" in head:
        try:
            _, encoding = decode_bytes(head[: len(head) - len(head) % 4])
        except DecodeError as exc:
            raise NotJsonl(str(exc)) from exc
        return encoding
    return None


def _encoding(head: bytes) -> str:
    """The export's encoding from its first lines. A head that no encoding reads whole is
    taken as UTF-8: each line is then judged on its own."""
    if not head.strip():
        raise NotJsonl("empty file")
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8"
    cut = head.rfind(b"\n") if len(head) == _HEAD_BYTES else len(head)
    try:
        _, encoding = decode_bytes(head[: cut if cut > 0 else len(head)])
    except DecodeError as exc:
        if str(exc).startswith(("binary", "empty")):
            raise NotJsonl(str(exc)) from exc
        return "utf-8"
    return encoding


def _decode(raw: bytes, encoding: str) -> str:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError:
        return decode_bytes(raw)[0]  # this line alone: cut character, other code page


def _byte_lines(fh: io.BufferedReader, limit: int) -> Iterator[bytes | int]:
    """Lines as bytes; an over-long line is read through and yields its size instead."""
    while True:
        line = fh.readline(limit + 1)
        if not line:
            return
        if len(line) <= limit or (len(line) == limit + 1 and line.endswith(b"\n")):
            yield line
            continue
        size = len(line)
        while not line.endswith(b"\n"):
            line = fh.readline(_DRAIN_BYTES)
            if not line:
                break
            size += len(line)
        yield size


def _wide_lines(fh: io.BufferedReader, encoding: str, limit: int) -> Iterator[tuple[int, Any]]:
    """UTF-16/32 exports: lines through a decoding reader, limited in characters."""
    text = io.TextIOWrapper(fh, encoding=encoding, errors="replace", newline=None)
    n = 0
    while True:
        line = text.readline(limit + 1)
        if not line:
            return
        n += 1
        if len(line) > limit and not line.endswith("\n"):
            size = len(line)
            while line and not line.endswith("\n"):
                line = text.readline(_DRAIN_BYTES)
                size += len(line)
            yield n, BadItem(f"too large: {size:,} characters (limit {_mb(limit)} per article)")
            continue
        if line.strip():
            yield n, _parsed(line.lstrip("\ufeff"))


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB"
