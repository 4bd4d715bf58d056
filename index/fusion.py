"""Scoring that removes the language bias of the multilingual embedder, then fuses keywords.

Measured on xquad-xling (benchmarks/retrieval_proto.py): with plain cosine, a Chinese or
Indonesian question prefers passages *of its own language* whatever they say. Embeddings
carry a language component shared by every text of that language; subtracting it is the
classic fix ("mean-centering per language"):

- every chunk vector ``p`` of language ``l`` becomes ``normalise(p - λ_l · M_l)``, with
  ``M_l`` the mean of that language's *article* vectors (an article counts once however many
  chunks it has) and ``λ_l = n_l / (n_l + CENTER_PRIOR_ARTICLES)`` shrinking the correction
  when a language has few articles (the mean of one article is its topic, not its language);
- the query becomes ``normalise(q - QUERY_CENTER · λ · G - QUERY_LANGUAGE_CENTER · λ_l ·
  (M_l - G))`` with ``G`` the mean over all articles and ``l`` the question's detected
  language (the second term only when the index holds articles in ``l``). Questions share a
  "query" component (removing 0.6 of ``G`` measured best; 0.25 and 1.0 each lost 1-3 points
  of recall@5 on some language), and a question in a language of the index still carries
  that language's own direction ``M_l - G``, which pulls it toward passages of its own
  language whatever they say. Removing 0.75 of it raised recall@5 on the chunked
  xquad-xling index by 1-4 points for ru/zh/id questions (0.5 and 1.0 gave about the same;
  English questions, whose language has no articles there, are untouched by it);
- the fused ranking score adds ``KEYWORD_WEIGHT ×`` the keyword coverage (the share of the
  question's idf mass found in the chunk, see index/keyword.py), so rare names and numbers
  break ties between semantically close chunks without overruling the embedder.

Global constants below; none is keyed to an evaluation set's ids.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np

log = logging.getLogger(__name__)

CENTER_PRIOR_ARTICLES = 3.0  # shrinkage of the per-language mean (pseudo-count of articles)
QUERY_CENTER = 0.6  # share of the global mean removed from the query vector
QUERY_LANGUAGE_CENTER = 0.75  # share of the question language's own direction removed
KEYWORD_WEIGHT = 0.02  # weight of keyword coverage (0..1) next to the centered cosine
# Calibration of the displayed score: raw e5 cosine of the best chunk mapped linearly to
# [0, 1]. multilingual-e5 cosines live in a narrow band; on xquad-xling the best chunk for an
# answerable question scores ~0.80-0.90 and the best chunk for a question whose passage was
# removed from the index ~0.76-0.82 (see the proto's --calibrate output).
COS_FLOOR = 0.72
COS_CEIL = 0.92


def _normalise(x: np.ndarray) -> np.ndarray:
    norm = np.linalg.norm(x, axis=-1, keepdims=True)
    return x / np.maximum(norm, 1e-12)


def calibrate(cosine: np.ndarray | float) -> np.ndarray | float:
    """Raw cosine -> [0, 1] score, comparable across queries (see COS_FLOOR / COS_CEIL)."""
    return np.clip((np.asarray(cosine) - COS_FLOOR) / (COS_CEIL - COS_FLOOR), 0.0, 1.0)


class DenseSpace:
    """Chunk embeddings plus their language-centered copy; scores a query against both."""

    def __init__(
        self,
        vectors: np.ndarray,
        languages: Sequence[str],
        article_ids: Sequence[str],
        prior: float = CENTER_PRIOR_ARTICLES,
    ) -> None:
        self.raw = _normalise(np.asarray(vectors, dtype=np.float32))
        n, dim = self.raw.shape if self.raw.ndim == 2 else (0, 0)
        self.languages = np.asarray(languages)
        self.article_ids = list(article_ids)
        # one vector per article: the mean of its chunks
        self.articles = sorted(set(self.article_ids))
        row_of = {a: i for i, a in enumerate(self.articles)}
        owner = np.asarray([row_of[a] for a in self.article_ids], dtype=np.int64)
        art = np.zeros((len(self.articles), dim), dtype=np.float32)
        if n:
            np.add.at(art, owner, self.raw)
        self.article_raw = _normalise(art)
        art_lang: dict[str, str] = {}
        for a, lang in zip(self.article_ids, self.languages, strict=True):
            art_lang.setdefault(a, str(lang))
        self.article_language = [art_lang[a] for a in self.articles]

        shift = np.zeros((len(self.articles), dim), dtype=np.float32)
        self.language_weight: dict[str, float] = {}
        for lang in sorted(set(self.article_language)):
            rows = [i for i, la in enumerate(self.article_language) if la == lang]
            lam = len(rows) / (len(rows) + prior)
            self.language_weight[lang] = lam
            shift[rows] = lam * self.article_raw[rows].mean(axis=0)
        self.centered = _normalise(self.raw - shift[owner]) if n else self.raw
        self.article_centered = _normalise(self.article_raw - shift)
        total = len(self.articles)
        lam_all = total / (total + prior) if total else 0.0
        overall = self.article_raw.mean(axis=0) if total else np.zeros(dim, dtype=np.float32)
        self.query_shift = (QUERY_CENTER * lam_all * overall).astype(np.float32)
        # per language: λ_l · (M_l - G), the direction a question in that language carries
        self.language_direction: dict[str, np.ndarray] = {}
        for lang, lam in self.language_weight.items():
            rows = [i for i, la in enumerate(self.article_language) if la == lang]
            mean = self.article_raw[rows].mean(axis=0)
            self.language_direction[lang] = (lam * (mean - overall)).astype(np.float32)
        log.debug("language weights %s", self.language_weight)

    def __len__(self) -> int:
        return len(self.article_ids)

    def query_vector(self, query: np.ndarray, language: str | None = None) -> np.ndarray:
        """The query with the shared query component and its language's direction removed."""
        q = _normalise(np.asarray(query, dtype=np.float32)) - self.query_shift
        direction = self.language_direction.get(language or "")
        if direction is not None:
            q = q - QUERY_LANGUAGE_CENTER * direction
        return _normalise(q)

    def scores(
        self, query: np.ndarray, language: str | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """(raw cosine, language-centered cosine) of the query with every chunk;
        ``language`` is the question's language (``index.language.detect_language``)."""
        q = np.asarray(query, dtype=np.float32)
        if not len(self):
            empty = np.zeros(0, dtype=np.float32)
            return empty, empty
        raw = self.raw @ _normalise(q)
        centered = self.centered @ self.query_vector(q, language)
        return raw, centered


def fuse(centered: np.ndarray, coverage: np.ndarray) -> np.ndarray:
    """The ranking score: centered cosine plus a small keyword-coverage term."""
    return centered + KEYWORD_WEIGHT * coverage
