"""Scoring that removes the language bias of the multilingual embedder, then fuses keywords.

Measured on xquad-xling (benchmarks/retrieval_proto.py): with plain cosine, a Chinese or
Indonesian question prefers passages *of its own language* whatever they say. Embeddings
carry a language component shared by every text of that language; subtracting it is the
classic fix ("mean-centering per language"):

- every chunk vector ``p`` of language ``l`` becomes ``normalise(p - λ_l · M_l)``, with
  ``M_l`` the mean of that language's *article* vectors (an article counts once however many
  chunks it has) and ``λ_l = n_l / (n_l + CENTER_PRIOR_ARTICLES)`` shrinking the correction
  when a language has few articles (the mean of one article is its topic, not its language);
- the query becomes ``normalise(q - QUERY_CENTER · λ · G)`` with ``G`` the mean over all
  articles: questions share a "query" component too, half of it removed measured best
  (0 and 1 both lost 1-3 points of recall@5 on some language);
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
QUERY_CENTER = 0.5  # share of the global mean removed from the query vector
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
        self.query_shift = (
            QUERY_CENTER * lam_all * self.article_raw.mean(axis=0) if total else np.zeros(dim)
        ).astype(np.float32)
        log.debug("language weights %s", self.language_weight)

    def __len__(self) -> int:
        return len(self.article_ids)

    def scores(self, query: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(raw cosine, language-centered cosine) of the query with every chunk."""
        q = np.asarray(query, dtype=np.float32)
        if not len(self):
            empty = np.zeros(0, dtype=np.float32)
            return empty, empty
        raw = self.raw @ _normalise(q)
        centered = self.centered @ _normalise(q - self.query_shift)
        return raw, centered


def fuse(centered: np.ndarray, coverage: np.ndarray) -> np.ndarray:
    """The ranking score: centered cosine plus a small keyword-coverage term."""
    return centered + KEYWORD_WEIGHT * coverage
