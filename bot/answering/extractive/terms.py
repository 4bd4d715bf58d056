"""Matching keys for lexical overlap between a question and a sentence, in any language.

- Unicode NFKC, case-folded; Traditional Chinese folded to Simplified (OpenCC) so the two
  scripts match each other.
- Scripts written without spaces (Han, kana, Hangul, Thai, Lao, Khmer, Myanmar) become
  overlapping character bigrams — the classic CJK indexing scheme, no dictionary to load.
- Other words: numbers and capitalised words (names) are kept whole, accents folded, so a
  name or a figure matches across languages ("Ferrández" ~ "Ferrandez"); other words are
  stemmed with the Snowball stemmer of the text's language (PyStemmer) when it has one.

Nothing here is a word list: weights come from IDF over the candidate sentences
(``idf_weights``), so the story's common words count for little on any corpus.
"""

from __future__ import annotations

import math
import unicodedata
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import regex

from index.text import has_han

# Runs of a script written without spaces, then words (letters, marks, digits; inner - ' .).
_NO_SPACE = r"\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}ー"
_TOKEN = regex.compile(
    rf"[{_NO_SPACE}]+|[\p{{L}}\p{{M}}\p{{N}}]+(?:['’\-.,][\p{{L}}\p{{M}}\p{{N}}]+)*"
)
_DIGIT = regex.compile(r"\p{N}")
_SPACELESS = regex.compile(rf"[{_NO_SPACE}]")

# Snowball stemmers (PyStemmer) by ISO 639-1 code.
_STEMMERS = {
    "ar": "arabic", "ca": "catalan", "cs": "czech", "da": "danish", "de": "german",
    "el": "greek", "en": "english", "es": "spanish", "et": "estonian", "eu": "basque",
    "fa": "persian", "fi": "finnish", "fr": "french", "ga": "irish", "hi": "hindi",
    "hu": "hungarian", "hy": "armenian", "id": "indonesian", "it": "italian",
    "lt": "lithuanian", "ms": "indonesian", "ne": "nepali", "nl": "dutch", "no": "norwegian",
    "nb": "norwegian", "pl": "polish", "pt": "portuguese", "ro": "romanian", "ru": "russian",
    "sr": "serbian", "sv": "swedish", "ta": "tamil", "tr": "turkish", "uk": "russian",
    "yi": "yiddish",
}  # fmt: skip


@lru_cache(maxsize=64)
def _stemmer(language: str) -> Any:
    name = _STEMMERS.get((language or "").split("-")[0].lower())
    if name is None:
        return None
    import Stemmer

    return Stemmer.Stemmer(name)


@lru_cache(maxsize=1)
def _t2s() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


def fold(word: str) -> str:
    """Case-folded, accents removed (NFKD without combining marks) — for names and numbers."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _bigrams(run: str) -> list[str]:
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


@lru_cache(maxsize=8192)
def terms(text: str, language: str = "und") -> tuple[str, ...]:
    """The matching keys of ``text`` written in ``language`` (see the module docstring)."""
    text = unicodedata.normalize("NFKC", text)
    if has_han(text):
        text = _t2s().convert(text)
    stemmer = _stemmer(language)
    out: list[str] = []
    for match in _TOKEN.finditer(text):
        word = match.group()
        if _SPACELESS.match(word):
            out.extend(_bigrams(word.casefold()))
        elif _DIGIT.search(word):
            out.append(fold(word).replace(",", "").rstrip("."))
        elif word[0].isupper() or stemmer is None:
            out.append(fold(word))
        else:
            out.append(stemmer.stemWord(word.casefold()))
    return tuple(out)


def idf_weights(documents: Iterable[Iterable[str]]) -> dict[str, float]:
    """Smoothed IDF of each key over the documents (the candidate sentences of a question)."""
    docs = [set(d) for d in documents]
    df: Counter[str] = Counter()
    for d in docs:
        df.update(d)
    n = len(docs)
    return {t: math.log((n + 1) / (c + 0.5)) for t, c in df.items()}


def overlap(
    question: tuple[str, ...],
    sentence: set[str],
    idf: dict[str, float],
    reachable: set[str] | None = None,
) -> float:
    """Share of the question's IDF mass found in the sentence (0..1). Keys unknown to the
    pool (found in no candidate) are left out: they cannot tell the candidates apart.

    With ``reachable`` (the keys that sentences of this sentence's language hold at all —
    English words never occur in Chinese), the share is half against the whole question,
    half against what that language can match, so a translation is not ranked down for
    being in another language."""
    keys = {q for q in question if q in idf}
    total = sum(idf[q] for q in keys)
    if total <= 0:
        return 0.0
    got = sum(idf[q] for q in keys if q in sentence)
    if reachable is None:
        return got / total
    reach = sum(idf[q] for q in keys & reachable)
    return (got / total + (got / reach if reach > 0 else 0.0)) / 2
