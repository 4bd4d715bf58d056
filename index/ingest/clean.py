"""Strip boilerplate and conversion artifacts from article text.

`clean_text` runs small named rules in order, on plain-text articles (HTML goes through
trafilatura instead, see index/ingest/html.py). Each rule is general — it describes a kind of
noise that pages saved as text and converters leave (read-also links, newsletter boxes,
site disclaimers, romanization glued to Chinese characters, leftover UI labels), never a
particular file or outlet; the labels are each language's ordinary wording
(index/ingest/labels.py). Each rule has its own test in tests/index/test_clean.py.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from index.ingest.labels import (
    DISCLAIMER,
    NEWSLETTER,
    READ_ALSO,
    SEPARATOR,
    SIGN_UP,
    SOURCE,
    contains,
    starts_with,
)
from index.text import HAN_CHARS

Rule = Callable[[str], str]

# --- whitespace -------------------------------------------------------------------------

_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def normalize_whitespace(text: str) -> str:
    """NFC, one kind of newline, no invisible or control characters, single spaces
    (NBSP and other wide spaces included), no spaces at line ends, at most one blank line
    between paragraphs."""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFC", text))
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    text = _CONTROL.sub("", text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


_BULLET = re.compile(r"^(?:[•◦▪▫●○■□‣⁃∙・➢➤►▸]|[*+-](?=\s))\s*", re.MULTILINE)


def strip_bullets(text: str) -> str:
    """Drop the bullet glyph at the start of a list line; the line itself stays."""
    return _BULLET.sub("", text)


_SPACE_BEFORE_PUNCT = re.compile(r"(?<=\w) +([,.])(?=\s|$)", re.MULTILINE)


def fix_space_before_punctuation(text: str) -> str:
    """`Lind , the mayor ,` → `Lind, the mayor,` (HTML-to-text leftovers).
    Only commas and full stops: French puts a space before ; : ! ? on purpose."""
    return _SPACE_BEFORE_PUNCT.sub(r"\1", text)


# --- romanization glued to CJK ----------------------------------------------------------

_HAN = f"[{HAN_CHARS}]"
_ROMAN_IN_PARENS = re.compile(rf"(?<={_HAN})[(（]([a-zA-Z\u00c0-\u024f]{{1,7}}[1-6]?)[)）]")
_PINYIN_SYLLABLE = re.compile(r"^(?:zh|ch|sh|[bpmfdtnlgkhjqxrwyz])?[aeiouv]{1,3}(?:ng|n|r)?$")
_TONE_MARKED = re.compile(r"[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]")


def _is_romanization(word: str) -> bool:
    if word != word.lower():
        return False  # "(AI)", "(Igor)": an acronym or a name, kept
    base = "".join(c for c in unicodedata.normalize("NFD", word.replace("ü", "v")) if c.isascii())
    return bool(_PINYIN_SYLLABLE.match(base.rstrip("123456")))


def remove_glued_romanization(text: str) -> str:
    """`聯(lián)合創(chuàng)始人` → `聯合創始人`.

    Converters that annotate characters with pinyin leave one syllable in parentheses right
    after a Han character. A syllable with a tone mark is removed wherever it is glued; a
    toneless or numbered one only when the text already shows the pattern three times, so
    `第(a)項` in a lone legal list stays. Names and years in parentheses
    (`林美華(Lin Mei-hua)`, `(2023)`) never match: capitals, spaces, digits.
    """
    matches = [m for m in _ROMAN_IN_PARENS.finditer(text) if _is_romanization(m.group(1))]
    toned = sum(1 for m in matches if _TONE_MARKED.search(m.group(1)))
    if not matches:
        return text
    drop_all = toned >= 3

    def replace(m: re.Match[str]) -> str:
        word = m.group(1)
        if _is_romanization(word) and (drop_all or _TONE_MARKED.search(word)):
            return ""
        return m.group(0)

    return _ROMAN_IN_PARENS.sub(replace, text)


# --- link, newsletter and disclaimer boxes ----------------------------------------------
# The labels are the ordinary wording of each language (index/ingest/labels.py); the rules say
# what makes a labelled line a box rather than a sentence that starts with the same words.

_MAX_BOX_LINE = 250  # boxes are short; a long paragraph that starts alike is content
_MAX_SIGN_UP_LINE = 100  # "Sign up for our daily briefing", not a paragraph about sign-ups
_MAX_HEADER_LINE = 60  # "Our newsletters": a heading, not a sentence
_BOX_LINES = 3  # lines between a newsletter heading and its sign-up call
_READ_ALSO = starts_with(READ_ALSO)
_SIGN_UP = starts_with(SIGN_UP)
_NEWSLETTER = contains(NEWSLETTER)
_DISCLAIMER = starts_with(DISCLAIMER)
_SOURCE = starts_with(SOURCE)
_SEPARATOR = re.compile(SEPARATOR)
_SENTENCE_END = re.compile(r"[.!?。！？…؟।\"'»”’)）:：]$")


def _is_read_also(line: str) -> bool:
    """A read-also label, then a separator, or a headline (no sentence punctuation at the
    end), or the label in capitals: "Baca juga: …", "延伸閱讀 …", "READ MORE …" — but not
    "Read more books, he said."."""
    match = _READ_ALSO.match(line)
    if not match or len(line) > _MAX_BOX_LINE:
        return False
    label, rest = match.group(), line[match.end() :]
    return (
        bool(_SEPARATOR.match(rest))
        or not _SENTENCE_END.search(line)
        or (label.isupper() and len(label) > 3)
    )


def remove_read_also_lines(text: str) -> str:
    """Drop "read also" link lines ("Czytaj także: …", "Читайте также …", "延伸閱讀 …")."""
    return "\n".join(line for line in text.split("\n") if not _is_read_also(line))


def _is_sign_up(line: str) -> bool:
    return len(line) <= _MAX_SIGN_UP_LINE and bool(_SIGN_UP.match(line))


def _is_newsletter_header(line: str) -> bool:
    return (
        len(line) <= _MAX_HEADER_LINE
        and not _SENTENCE_END.search(line)
        and bool(_NEWSLETTER.search(line))
    )


def remove_newsletter_lines(text: str) -> str:
    """Drop sign-up calls ("Sign up …", "Zapisz się …", "Подпишитесь …") and whole
    newsletter boxes: a short heading naming a newsletter, a blurb of up to three lines,
    and the sign-up call that closes it. A heading with no sign-up call after it stays."""
    lines = text.split("\n")
    drop: set[int] = set()
    for i, line in enumerate(lines):
        if _is_sign_up(line):
            drop.add(i)
        elif _is_newsletter_header(line):
            seen = 0
            for j in range(i + 1, len(lines)):
                if not lines[j]:
                    continue
                seen += 1
                if seen > _BOX_LINES + 1 or len(lines[j]) > _MAX_BOX_LINE:
                    break
                if _is_sign_up(lines[j]):
                    drop.update(range(i, j + 1))
                    break
    return "\n".join(line for i, line in enumerate(lines) if i not in drop)


def _is_disclaimer(line: str) -> bool:
    match = _DISCLAIMER.match(line)
    if match is None:
        return False
    rest = line[match.end() :]
    return not rest or bool(_SEPARATOR.match(rest))


def remove_disclaimer(text: str) -> str:
    """Drop a site disclaimer paragraph ("Disclaimer: …", "免責聲明：…", "Zastrzeżenie: …").
    In text whose paragraphs are separated by blank lines, the lines that continue the
    paragraph go with it."""
    lines = text.split("\n")
    blank_separated = "" in lines
    out: list[str] = []
    dropping = False
    for line in lines:
        if _is_disclaimer(line):
            dropping = blank_separated
            continue
        if dropping and line:
            continue
        dropping = False
        out.append(line)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out))


# --- trailing labels ----------------------------------------------------------------------

_MAX_TRAILING = 5


def _is_trailing_label(line: str) -> bool:
    match = _SOURCE.match(line)
    if match and _SEPARATOR.match(line[match.end() :]) and len(line) <= 300:
        return True
    # A lone word or two with no sentence punctuation after the last paragraph is a UI
    # label or tag left by the page ("Tags", "Share", "Оригинал", "完").
    words = line.split()
    return 0 < len(words) <= 2 and len(line) <= 30 and not _SENTENCE_END.search(line)


def remove_trailing_labels(text: str) -> str:
    """Drop source labels ("Source: …", "Źródło: …") and lone label lines at the end."""
    lines = text.rstrip("\n").split("\n")
    removed = 0
    while len(lines) > 1 and removed < _MAX_TRAILING:
        if not lines[-1]:
            lines.pop()
            continue
        if not _is_trailing_label(lines[-1]):
            break
        lines.pop()
        removed += 1
    return "\n".join(lines)


RULES: list[Rule] = [
    normalize_whitespace,
    strip_bullets,
    fix_space_before_punctuation,
    remove_glued_romanization,
    remove_read_also_lines,
    remove_newsletter_lines,
    remove_disclaimer,
    remove_trailing_labels,
    normalize_whitespace,
]


def clean_text(text: str) -> str:
    """Apply every rule in order; the result has single spaces and paragraph breaks."""
    for rule in RULES:
        text = rule(text)
    return text
