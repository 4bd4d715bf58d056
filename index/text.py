"""Text helpers both sides use: writing systems (one CJK/Han test) and sentences (one splitter).

Scripts: ``script_of(ch)`` names the writing system of a letter; ``is_cjk(ch)`` is true for
Han, Kana and Hangul; ``has_cjk(text)`` / ``has_han(text)`` ask it of a whole text. The
character classes (``HAN_CHARS``, ``CJK_CHARS``) and compiled patterns (``HAN``, ``CJK``) are
defined here once, for regular expressions elsewhere.

Sentences come from sentencex (Wikimedia's segmenter: ~300 languages through fallback
chains, per-language abbreviation lists such as "Dr.", "г.", CJK full stops, ؟ and ।). Three
general rules are added on top, where sentencex splits too eagerly:

- a line break always ends a sentence (a headline or a byline has no full stop);
- a sentence never starts with a lowercase letter ("т. е. давно", "3. sırada"), nor with
  a digit right after a short lowercase word ("ок. 5 лет", "ca. 5 km");
- a "sentence" that is one short token ("M.", "TP.", "3.") belongs to the next one, and a
  Japanese quote closed by 」 goes on when the quotative particle follows (「…。」と語った).

``sentence_spans`` is lossless (the spans tile the text, line breaks included), which
chunking needs; ``split_sentences`` gives the stripped, non-empty sentences.
"""

from __future__ import annotations

import re
from functools import lru_cache

from sentencex import get_sentence_boundaries

# --- writing systems ----------------------------------------------------------------------

HAN_CHARS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"
# Kana without the middle dot ・ (U+30FB), which Chinese text uses between names too.
KANA_CHARS = "\u3040-\u309f\u30a0-\u30fa\u30fc-\u30ff\u31f0-\u31ff\uff66-\uff9d"
HANGUL_CHARS = "\uac00-\ud7af\u1100-\u11ff\u3130-\u318f"
CJK_CHARS = HAN_CHARS + KANA_CHARS + HANGUL_CHARS
HAN = re.compile(f"[{HAN_CHARS}]")
CJK = re.compile(f"[{CJK_CHARS}]")

# (first, last, script) for the scripts past Latin-1 that language detection tells apart.
_RANGES: tuple[tuple[int, int, str], ...] = (
    (0x0400, 0x052F, "cyrillic"),
    (0x0370, 0x03FF, "greek"),
    (0x1F00, 0x1FFF, "greek"),
    (0x0590, 0x05FF, "hebrew"),
    (0x0600, 0x06FF, "arabic"),
    (0x0750, 0x077F, "arabic"),
    (0xFB50, 0xFEFF, "arabic"),
    (0x0900, 0x097F, "devanagari"),
    (0x0980, 0x09FF, "bengali"),
    (0x0B80, 0x0BFF, "tamil"),
    (0x0E00, 0x0E7F, "thai"),
    (0x0E80, 0x0EFF, "lao"),
    (0x1000, 0x109F, "myanmar"),
    (0x1780, 0x17FF, "khmer"),
    (0x0530, 0x058F, "armenian"),
    (0x10A0, 0x10FF, "georgian"),
)


@lru_cache(maxsize=65536)
def script_of(ch: str) -> str | None:
    """The writing system of one character: "latin", "han", "kana", "hangul", "cyrillic",
    … ("other" for letters of scripts not listed); None for digits, punctuation, spaces."""
    if HAN.match(ch):
        return "han"
    if re.match(f"[{KANA_CHARS}]", ch):
        return "kana"
    if re.match(f"[{HANGUL_CHARS}]", ch):
        return "hangul"
    if not ch.isalpha():
        return None
    cp = ord(ch)
    if cp <= 0x024F or 0x1E00 <= cp <= 0x1EFF:
        return "latin"
    for first, last, script in _RANGES:
        if first <= cp <= last:
            return script
    return "other"


def is_cjk(ch: str) -> bool:
    """True for one Han, Kana or Hangul character."""
    return script_of(ch) in ("han", "kana", "hangul")


def has_cjk(text: str) -> bool:
    """True when the text holds any Han, Kana or Hangul character."""
    return CJK.search(text) is not None


def has_han(text: str) -> bool:
    """True when the text holds any Han ideograph (Chinese characters, Japanese kanji)."""
    return HAN.search(text) is not None


# --- sentences ----------------------------------------------------------------------------

_LINE = re.compile(r"[^\n]*\n|[^\n]+")
_SHORT_WORD_STOP = re.compile(r"(?:^|\s)[^\W\d_]{1,3}\.\s*$")  # "ок. ", "ca. ", "тыс. "
_LONE_TOKEN = re.compile(r"^\s*\w{1,3}\.\s*$")  # "M. ", "TP. ", "3. "
_QUOTE_CLOSED = re.compile(r"[」』]\s*$")
_QUOTATIVE = ("と", "って")


@lru_cache(maxsize=64)
def _segmenter_language(language: str | None) -> str:
    """sentencex takes a base language code ("zh" for "zh-Hant"); "und" → English rules."""
    if not language or language == "und":
        return "en"
    return language.split("-")[0].lower()


def _joins(before: str, after: str) -> bool:
    """Whether sentencex's boundary between ``before`` and ``after`` is not a real one."""
    head = after.lstrip()
    if not head:
        return True
    first = head[0]
    if first.islower():
        return True
    if first.isdigit() and _SHORT_WORD_STOP.search(before):
        return before.rstrip()[-2].islower()
    if _LONE_TOKEN.match(before):
        return True
    return bool(_QUOTE_CLOSED.search(before)) and head.startswith(_QUOTATIVE)


def _line_spans(line: str, offset: int, language: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    pos = 0
    for item in get_sentence_boundaries(language, line):
        end = int(item["end_index"])
        if end <= pos:
            continue
        if spans and _joins(line[spans[-1][0] - offset : pos], line[pos:end]):
            spans[-1] = (spans[-1][0], offset + end)
        else:
            spans.append((offset + pos, offset + end))
        pos = end
    if pos < len(line):
        if spans and not line[pos:].strip():
            spans[-1] = (spans[-1][0], offset + len(line))
        else:
            spans.append((offset + pos, offset + len(line)))
    return spans


def sentence_spans(text: str, language: str | None = None) -> list[tuple[int, int]]:
    """(start, end) of each sentence; consecutive spans cover the whole text.

    A span keeps its trailing spaces and line break, so ``"".join`` of the pieces is the
    text again."""
    lang = _segmenter_language(language)
    spans: list[tuple[int, int]] = []
    for match in _LINE.finditer(text):
        spans.extend(_line_spans(match.group(), match.start(), lang))
    return spans


def split_sentences(text: str, language: str | None = None) -> list[str]:
    """The sentences of ``text``, stripped, blank ones dropped."""
    out = []
    for start, end in sentence_spans(text, language):
        sentence = text[start:end].strip()
        if sentence:
            out.append(sentence)
    return out
