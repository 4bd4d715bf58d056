"""Answer text is Markdown: article text inside it is escaped, the words that answer are bold.

Discord renders it as is; terminals show ``to_plain(text)``. Article text is untrusted, so
every Markdown control character in it is escaped before our own ``**`` marks go in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_SPECIAL = re.compile(r"([\\*_~`|>#\[\]()])")
_BOLD = re.compile(r"\*\*(.+?)\*\*", re.S)
_ESCAPED = re.compile(r"\\([\\*_~`|>#\[\]()])")


def escape(text: str) -> str:
    """Markdown control characters made literal."""
    return _SPECIAL.sub(r"\\\1", text)


def with_bold(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """``text`` escaped, with the (start, end) character spans in bold (overlaps merged)."""
    merged: list[list[int]] = []
    for start, end in sorted((s, e) for s, e in spans if 0 <= s < e <= len(text)):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out: list[str] = []
    pos = 0
    for start, end in merged:
        out.append(escape(text[pos:start]))
        inner = text[start:end].strip()
        lead = text[start:end][: len(text[start:end]) - len(text[start:end].lstrip())]
        out.append(f"{escape(lead)}**{escape(inner)}**" if inner else escape(text[start:end]))
        pos = end
    out.append(escape(text[pos:]))
    return "".join(out)


def bold(text: str) -> str:
    return f"**{escape(text)}**"


def to_plain(markdown: str) -> str:
    """Our Markdown back to plain text (bold marks dropped, escapes undone)."""
    return _ESCAPED.sub(r"\1", _BOLD.sub(r"\1", markdown))
