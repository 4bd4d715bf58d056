"""Text rules of `newsbot eval`: when does an answer show a gold answer?

Both sides are normalised the same way — Unicode NFKC, case folded, Markdown emphasis
(`**bold**`, `__bold__`, backticks) removed, runs of whitespace made one space — and a gold
form must then occur as a whole word or words: "1" is not found in "1817", "four" not in
"fourteen". Han, Kana and Hangul are written without spaces between words (or glue
particles to them: 서울에서), so next to those characters any position counts. A hyphen
between letters joins a word (a match may not stop at "Lin Mei" of "Lin Mei-hua" or "Абу"
of "Абу-Бакр"); an apostrophe joins only after a one-letter word ("O" of "O'Brien"), so
suffixes stay apart ("Tesla" of "Tesla's", "2024" of Turkish "2024'te") and so does French
elision ("armée" of "l'armée").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

from index.text import is_cjk

_EMPHASIS = re.compile(r"\*\*|__|`")
_HYPHENS = "-\u2010\u2011"
_APOSTROPHES = "'\u2019"


def normalise(text: str) -> str:
    """NFKC, case folded, emphasis marks dropped, whitespace collapsed."""
    text = _EMPHASIS.sub("", unicodedata.normalize("NFKC", text))
    return " ".join(text.casefold().split())


def _word_char(ch: str) -> bool:
    """A letter or digit of a script that separates words (a boundary is needed)."""
    return ch.isalnum() and not is_cjk(ch)


def _joined_after(text: str, end: int) -> bool:
    """The word going on at text[end:] continues the one ending at end-1."""
    if end >= len(text) or not _word_char(text[end - 1]):
        return False
    nxt = text[end]
    if _word_char(nxt):
        return True
    if nxt in _HYPHENS:
        return end + 1 < len(text) and _word_char(text[end + 1])
    if nxt in _APOSTROPHES:  # "O'Brien": a one-letter word before an apostrophe
        return end == 1 or not _word_char(text[end - 2])
    return False


def _joined_before(text: str, start: int) -> bool:
    """The word starting at start continues one that began before it."""
    if start == 0 or not _word_char(text[start]):
        return False
    prev = text[start - 1]
    if _word_char(prev):
        return True
    return prev in _HYPHENS and start >= 2 and _word_char(text[start - 2])


def _bounded(haystack: str, start: int, end: int) -> bool:
    """The match haystack[start:end] does not cut a word at either end."""
    return not _joined_before(haystack, start) and not _joined_after(haystack, end)


def contains(haystack: str, needle: str) -> bool:
    """`needle` occurs in `haystack` as whole words, after normalising both."""
    hay, pin = normalise(haystack), normalise(needle)
    if not pin:
        return False
    start = hay.find(pin)
    while start >= 0:
        if _bounded(hay, start, start + len(pin)):
            return True
        start = hay.find(pin, start + 1)
    return False


def fact_present(fact: str | Sequence[str], text: str) -> bool:
    """A fact is a string or a list of alternative surface forms; any one found counts."""
    forms = [fact] if isinstance(fact, str) else list(fact)
    return any(contains(text, form) for form in forms)


def short_right(short: str | None, forms: Iterable[str]) -> bool | None:
    """Is the short answer line right? None when no short line was shown.

    Right when a gold form is contained in it ("Lin Mei-hua" in "Lin Mei-hua, the mayor")
    or it is contained in a gold form ("Ferrández" in "Diego Ferrández"), whole words only.
    """
    if short is None or not normalise(short):
        return None
    return any(contains(short, form) or contains(form, short) for form in forms if form)
