"""Text helpers both sides use: sentence boundaries (one splitter for index and bot).

Sentences come from sentencex (Wikimedia's segmenter: ~300 languages through fallback
chains, per-language abbreviation lists such as "Dr.", "ok.", "г.", CJK full stops), never
from a regular expression of our own. ``sentence_spans`` is lossless (the spans tile the
text), which chunking needs; ``split_sentences`` gives the stripped, non-empty sentences,
which evidence selection needs.
"""

from __future__ import annotations

import re
from functools import lru_cache

from sentencex import get_sentence_boundaries


@lru_cache(maxsize=64)
def _segmenter_language(language: str | None) -> str:
    """sentencex takes a base language code ("zh" for "zh-Hant"); "und" → English rules."""
    if not language or language == "und":
        return "en"
    return language.split("-")[0].lower()


def sentence_spans(text: str, language: str | None = None) -> list[tuple[int, int]]:
    """(start, end) of each sentence; consecutive spans cover the whole text."""
    if not text:
        return []
    spans: list[tuple[int, int]] = []
    pos = 0
    for item in get_sentence_boundaries(_segmenter_language(language), text):
        end = int(item["end_index"])
        if end > pos:
            spans.append((pos, end))
            pos = end
    if pos < len(text):
        spans.append((pos, len(text)))
    return spans


def split_sentences(text: str, language: str | None = None) -> list[str]:
    """The sentences of ``text``, stripped, blank ones dropped."""
    out = []
    for start, end in sentence_spans(text, language):
        sentence = text[start:end].strip()
        if sentence:
            out.append(sentence)
    return out


_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def has_han(text: str) -> bool:
    """Does ``text`` contain a Han (Chinese) character?"""
    return bool(_HAN.search(text))
