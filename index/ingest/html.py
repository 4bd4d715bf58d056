"""An HTML page → its story: main text, title, publication date, author, canonical URL.

The extraction is trafilatura's (a maintained news extractor: main-content detection with
readability and jusText as fallbacks, metadata from meta tags, JSON-LD and the page body),
run with ``favor_precision`` so breadcrumbs, photo captions, "read also" boxes, newsletter
sign-ups, bylines and footers stay out of the text and out of the title. It works on the
string it is given: nothing is fetched.

When trafilatura finds nothing (pages lxml cannot parse, e.g. nested past libxml2's depth
limit, or a page that is one bare line), the visible text is taken with the standard
library's parser instead, so an odd page is still read rather than skipped.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from html.parser import HTMLParser

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PageStory:
    title: str
    text: str
    published: str | None
    author: str | None
    url: str | None


def extract_story(html: str) -> PageStory:
    """The story of one page (text may be empty when the page holds none)."""
    story = _trafilatura(html)
    if story is not None and story.text.strip():
        return story
    fallback = _visible_text(html)
    if story is None:
        return fallback
    # Metadata may be found even when the body is not.
    return PageStory(
        title=story.title or fallback.title,
        text=fallback.text,
        published=story.published,
        author=story.author,
        url=story.url,
    )


def _trafilatura(html: str) -> PageStory | None:
    import trafilatura  # ~0.3 s to import: only builds that read HTML pay for it
    from trafilatura.settings import Document

    try:
        doc = trafilatura.bare_extraction(
            html,
            favor_precision=True,
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_links=False,
            with_metadata=True,
            date_extraction_params={"original_date": True, "extensive_search": True},
        )
    except Exception:  # noqa: BLE001 — a page trafilatura trips on falls back below
        log.debug("trafilatura failed", exc_info=True)
        return None
    if not isinstance(doc, Document):  # None: the page holds no story
        return None
    title = _one_line(doc.title or "")
    lines = [line.strip() for line in (doc.text or "").split("\n")]
    # trafilatura keeps the headline as the first line of the text: it is the title here.
    text = "\n".join(line for line in lines if line and line != title)
    return PageStory(
        title=title,
        text=text,
        published=doc.date or None,
        author=_one_line(doc.author or "") or None,
        url=doc.url or None,
    )


def _one_line(text: str) -> str:
    return " ".join(text.split())


# --- fallback: every visible line ---------------------------------------------------------

_SKIP_TAGS = {"script", "style", "noscript", "template", "svg", "head", "nav", "footer"}
_BLOCK_TAGS = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr",
    "section", "article", "blockquote", "pre", "table", "main", "hr", "dd", "dt",
}  # fmt: skip
_VOID_TAGS = {"br", "hr", "img", "meta", "link", "input", "source", "wbr", "area", "col"}


class _VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip_depth = 0
        self.title = ""
        self.h1 = ""
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")
        if tag in _VOID_TAGS:
            return
        if tag in _SKIP_TAGS:
            self.skip_depth += 1
        if tag == "title" or (tag == "h1" and not self.h1):
            self._in = tag

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS and self.skip_depth:
            self.skip_depth -= 1
        if tag == self._in:
            self._in = None
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._in == "title":
            self.title += data
        elif self._in == "h1":
            self.h1 += data
        elif not self.skip_depth:
            self.parts.append(data)


def _visible_text(html: str) -> PageStory:
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    lines = [re.sub(r"\s+", " ", line).strip() for line in "".join(parser.parts).split("\n")]
    title = _one_line(parser.h1) or _one_line(parser.title)
    text = "\n".join(line for line in lines if line and line != title)
    return PageStory(title=title, text=text, published=None, author=None, url=None)
