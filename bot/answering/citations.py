"""Citation numbers: given in order of first use, and checked so no [n] is left without a source."""

from __future__ import annotations

import re
from collections.abc import Mapping

from bot.answering.types import Citation
from index.types import Passage

MAX_QUOTE_CHARS = 600  # a source's quote in the list of sources (the answer text has them whole)

# "[1]", "[1, 3]", "[1][2]" (each bracket handled on its own), "[ 2 ]"
_REF = re.compile(r"\[\s*(\d{1,3}(?:\s*[,;]\s*\d{1,3})*)\s*\]")
_SPACE_BEFORE_PUNCT = re.compile(r"[ \t]+([.,;:!?。，；：！？])")
_DOUBLE_SPACE = re.compile(r"[ \t]{2,}")


def short_quote(text: str, limit: int = MAX_QUOTE_CHARS) -> str:
    """`text` trimmed to about `limit` characters at a word boundary, with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    if space > limit * 0.6:
        cut = cut[:space]
    return cut.rstrip(" ,;:") + " …"


def citation_for(n: int, passage: Passage, quote: str) -> Citation:
    from index.language import language_name

    return Citation(
        n=n,
        article_id=passage.article_id,
        title=passage.title,
        language=passage.language,
        language_name=language_name(passage.language),
        source=passage.source,
        url=passage.url,
        quote=short_quote(quote),
    )


class CitationRegistry:
    """Hands out citation numbers from 1, one per article, in order of first use."""

    def __init__(self) -> None:
        self._by_article: dict[str, Citation] = {}

    def cite(self, passage: Passage, quote: str) -> int:
        known = self._by_article.get(passage.article_id)
        if known is not None:
            return known.n
        n = len(self._by_article) + 1
        self._by_article[passage.article_id] = citation_for(n, passage, quote)
        return n

    @property
    def citations(self) -> list[Citation]:
        return sorted(self._by_article.values(), key=lambda c: c.n)


def refs(numbers: list[int]) -> str:
    """ "[1][2]" for [1, 2] (duplicates dropped, order kept)."""
    return "".join(f"[{n}]" for n in dict.fromkeys(numbers))


def renumber_citations(text: str, valid: Mapping[int, object]) -> tuple[str, list[int]]:
    """Drop every [n] whose n is not in `valid`; renumber the rest 1, 2, … by first use.

    Returns the new text and the old numbers in their new order (old_order[i] is now i+1).
    """
    order: dict[int, int] = {}

    def replace(match: re.Match[str]) -> str:
        kept: list[int] = []
        for raw in re.split(r"\s*[,;]\s*", match.group(1)):
            old = int(raw)
            if old not in valid:
                continue
            if old not in order:
                order[old] = len(order) + 1
            if order[old] not in kept:
                kept.append(order[old])
        return refs(kept)

    new = _REF.sub(replace, text)
    new = _SPACE_BEFORE_PUNCT.sub(r"\1", new)
    new = "\n".join(_DOUBLE_SPACE.sub(" ", line).rstrip() for line in new.splitlines())
    return new.strip(), list(order)
