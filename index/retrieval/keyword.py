"""Keyword retrieval that works across scripts: names and numbers matter in news.

Tokenisation, the same for chunks and queries:

- Unicode NFKC, then case-folded; Traditional Chinese converted to Simplified (OpenCC
  ``t2s``) so a zh-Hant question matches a zh-Hans article and vice versa.
- Han runs become overlapping character bigrams (the single character for one-character
  runs), the classic CJK indexing scheme: no dictionary to load (jieba takes ~2 s to start)
  and transliterated names such as 施密特 (Schmidt) match whatever a word segmenter would do.
- Latin, Cyrillic and other letter/digit runs become words; Cyrillic words are cut to their
  first ``CYRILLIC_PREFIX`` letters, a crude but effective stemmer for Russian inflection
  (Соколова / Соколову / Соколов all become ``сокол``). Latin words are kept whole:
  names must match exactly. Numbers are tokens (``2023``, ``14``): they match in every
  language.

Two scores per chunk: BM25 (Lucene variant, for keyword-only ranking) and *coverage*, the
share of the query's idf mass found in the chunk (0..1, comparable across queries; this is
what fusion uses, see index/retrieval/fusion.py).

The index that serves questions is persisted per segment (index/store/catalog.py: SQLite FTS5 plus
document frequencies); ``query_weights`` and ``coverage`` below compute the same coverage
from it. ``KeywordIndex`` is the same thing in memory, for small fixed sets of texts.
"""

from __future__ import annotations

import logging
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any

import numpy as np

from index.text import HAN_CHARS

log = logging.getLogger(__name__)

CYRILLIC_PREFIX = 5  # letters kept of a Cyrillic word (Russian stemming by prefix)
MIN_IDF_MASS = 3.0  # a query made of one or two common tokens gets only partial coverage
BM25_K1 = 1.2
BM25_B = 0.75
_HAN = HAN_CHARS
_TOKEN = re.compile(rf"[{_HAN}]+|[^\W_{_HAN}]+")
_IS_HAN = re.compile(rf"[{_HAN}]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
# Function words of the question languages; IDF alone does not silence them in a small index.
_STOP_WORDS = """a an and are as at be by did do does for from had has have he her his how in is it
    its of on or she that the their this to was were what when where which who whom whose
    why will with yang dan di ke dari untuk dengan pada adalah ini itu apa siapa kapan
    mengapa bagaimana berapa oleh dalam и в во на с со по за из к о об что как кто когда
    где почему какой какая какие каком это был была были"""
_STOP = frozenset(_STOP_WORDS.split())


@lru_cache(maxsize=1)
def _t2s() -> Any:
    import opencc  # lazily: only when Han text is seen

    return opencc.OpenCC("t2s")


def tokenize(text: str) -> list[str]:
    """Turn text in any language into keyword tokens (see the module docstring)."""
    text = unicodedata.normalize("NFKC", text).casefold()
    if _IS_HAN.search(text):
        text = _t2s().convert(text)
    tokens: list[str] = []
    for match in _TOKEN.finditer(text):
        word = match.group()
        if _IS_HAN.match(word):
            if len(word) == 1:
                tokens.append(word)
            else:
                tokens.extend(word[i : i + 2] for i in range(len(word) - 1))
        elif word in _STOP:
            continue
        elif _CYRILLIC.match(word):
            tokens.append(word[:CYRILLIC_PREFIX])
        else:
            tokens.append(word)
    return tokens


def idf(df: int, n: int) -> float:
    """Lucene's BM25 idf of a token found in `df` of `n` texts."""
    return math.log(1 + (n - df + 0.5) / (df + 0.5))


def query_weights(tokens: Sequence[str], df: Mapping[str, int], n: int) -> dict[str, float]:
    """Each distinct query token present in the index -> its share of the query's idf mass."""
    terms = {t: idf(df[t], n) for t in dict.fromkeys(tokens) if df.get(t, 0) > 0}
    mass = max(sum(terms.values()), MIN_IDF_MASS)
    return {t: w / mass for t, w in terms.items()}


def coverage(weights: Mapping[str, float], tokens: Iterable[str]) -> float:
    """Share (0..1) of the query's idf mass present in a text given as its tokens."""
    present = set(tokens)
    return float(sum(w for t, w in weights.items() if t in present))


class KeywordIndex:
    """An in-memory inverted index over a fixed list of texts; rows are list positions."""

    def __init__(self, texts: Sequence[str]) -> None:
        self.size = len(texts)
        docs = [Counter(tokenize(t)) for t in texts]
        lengths = np.asarray([sum(d.values()) for d in docs], dtype=np.float32)
        self._avg_len = float(lengths.mean()) if self.size else 1.0
        self._norm = BM25_K1 * (1 - BM25_B + BM25_B * lengths / max(self._avg_len, 1e-9))
        postings: dict[str, tuple[list[int], list[int]]] = {}
        for row, doc in enumerate(docs):
            for tok, tf in doc.items():
                rows, tfs = postings.setdefault(tok, ([], []))
                rows.append(row)
                tfs.append(tf)
        self._postings = {
            t: (np.asarray(r, dtype=np.int64), np.asarray(f, dtype=np.float32))
            for t, (r, f) in postings.items()
        }

    def idf(self, token: str) -> float:
        return idf(len(self._postings[token][0]) if token in self._postings else 0, self.size)

    def _query_terms(self, query: str) -> list[tuple[str, float]]:
        terms = dict.fromkeys(tokenize(query))  # unique, in order
        return [(t, self.idf(t)) for t in terms if t in self._postings]

    def bm25(self, query: str) -> np.ndarray:
        """BM25 score of every text (0 where no token matches)."""
        out = np.zeros(self.size, dtype=np.float32)
        for tok, idf in self._query_terms(query):
            rows, tfs = self._postings[tok]
            out[rows] += idf * tfs * (BM25_K1 + 1) / (tfs + self._norm[rows])
        return out

    def coverage(self, query: str) -> np.ndarray:
        """Share (0..1) of the query's idf mass present in each text."""
        out = np.zeros(self.size, dtype=np.float32)
        terms = self._query_terms(query)
        mass = max(sum(idf for _, idf in terms), MIN_IDF_MASS)
        for tok, idf in terms:
            out[self._postings[tok][0]] += idf / mass
        return out

    def search(self, query: str, k: int) -> list[tuple[int, float]]:
        """The best ``k`` rows by BM25 with a positive score, best first."""
        scores = self.bm25(query)
        order = np.argsort(-scores, kind="stable")[:k]
        return [(int(i), float(scores[i])) for i in order if scores[i] > 0]
