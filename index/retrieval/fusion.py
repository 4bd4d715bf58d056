"""Scoring that removes the language bias of the multilingual embedder, in a form the vector
store's own ANN index can rank by; then the keyword term.

Measured on xquad-xling (benchmarks/retrieval_proto.py): with plain cosine, a Chinese or
Indonesian question prefers passages *of its own language* whatever they say. Embeddings
carry a language component shared by every text of that language; subtracting it is the
classic fix ("mean-centering per language"):

- a chunk vector ``p`` (unit) of language ``l`` is compared as ``p - s_l``, with
  ``s_l = λ_l · M_l``: ``M_l`` the mean of that language's *article* vectors (an article
  counts once however many chunks it has; an article vector is the normalised sum of its
  chunk vectors) and ``λ_l = n_l / (n_l + CENTER_PRIOR_ARTICLES)`` shrinking the correction
  when a language has few articles (the mean of one article is its topic, not its language);
- the query becomes ``q' = normalise(q - QUERY_CENTER · λ · G - QUERY_LANGUAGE_CENTER · λ_l ·
  (M_l - G))`` with ``G`` the mean over all articles and ``l`` the question's detected
  language (the second term only when the index holds articles in ``l``). Questions share a
  "query" component (removing 0.6 of ``G`` measured best; 0.25 and 1.0 each lost 1-3 points
  of recall@5 on some language), and a question in a language of the index still carries
  that language's own direction ``M_l - G``, which pulls it toward passages of its own
  language. Removing 0.75 of it raised recall@5 on the chunked xquad-xling index by 1-4
  points for ru/zh/id questions (0.5 and 1.0 gave about the same);
- the dense score is the cosine of ``p - s_l`` with ``q'``: ``(p · q' - o_l) / |p - s_l|``
  with the per-language offset ``o_l = s_l · q'``. No ANN index ranks by that division, but
  its numerator is an inner product of ``q'`` with ``p`` once each stored vector carries its
  language as one extra coordinate: stored ``[p, SLOT_SCALE · e_l]``, queried with
  ``[q', -o_1 / SLOT_SCALE, ..., -o_L / SLOT_SCALE]`` (``augment_chunks`` / ``augment_query``).
  Every stored vector has the same norm, so a cosine, inner-product or L2 store ranks
  exactly by the numerator, in one query whatever the number of languages; the candidates
  it returns are then re-scored exactly (``LanguageCentres.dense``). On xquad-xling the
  numerator alone lost up to 0.025 of recall@5 (en, id); re-scoring its top 30 gave
  today's exact figures in every language (benchmarks/retrieval_proto.py, docs/quality.md
  "Retrieval"). A question limited to some languages gets a prohibitive offset for the
  others (``EXCLUDED``), which the store applies like a filter;
- the fused ranking score adds ``KEYWORD_WEIGHT ×`` the keyword coverage (the share of the
  question's idf mass found in the chunk, see index/retrieval/keyword.py), so rare names and numbers
  break ties between semantically close chunks without overruling the embedder.

Global constants below; none is keyed to an evaluation set's ids.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence

import numpy as np

log = logging.getLogger(__name__)

CENTER_PRIOR_ARTICLES = 3.0  # shrinkage of the per-language mean (pseudo-count of articles)
QUERY_CENTER = 0.6  # share of the global mean removed from the query vector
QUERY_LANGUAGE_CENTER = 0.75  # share of the question language's own direction removed
KEYWORD_WEIGHT = 0.02  # weight of keyword coverage (0..1) next to the centered cosine
# Weight of the name match (0..1, index/names.py): the question's names found in the chunk in
# another script. On the dev half of eval/names right-first rose with it up to 0.15 (0.667
# without, 0.714 at 0.05, 0.881 at 0.15-0.5), but on the xquad-xling dev questions 0.15 cost
# English R@1 0.06 (names shared by many passages of one topic then outweigh the embedder);
# 0.05 keeps every language within 0.013 of the search without it (benchmarks/names.py).
NAME_WEIGHT = 0.05
# ... plus NAME_GATE_WEIGHT × its match for every candidate of the one article that holds the
# question's names best, when its best match is at least NAME_GATE_MIN and every other
# article's stays below NAME_GATE_RATIO of it. The whole article gets it, so the order of its
# own passages stays the embedder's: a name many passages of one topic share reorders
# nothing inside the article (what the flat weight did at 0.15). Set on the dev half of
# eval/names (right first 0.714 → 0.833); held-out test half 0.610 → 0.744, top five 0.915 →
# 0.927; xquad-xling dev over corpus_single (8 question languages, every second question,
# same index) recall@1 0.719 with and without it (benchmarks/names.py, docs/quality.md).
NAME_GATE_WEIGHT = 0.10
NAME_GATE_MIN = 0.3
NAME_GATE_RATIO = 0.9
EXCLUDED = 10.0  # offset of a language the question excludes: every p·q' - o_l in [-2, 2] beats it
# Weight of the language coordinate in stored vectors. Small, so the store's ANN graph is
# built almost only on content (languages are not pulled apart); the query side divides
# by it, so the score is exact whatever its value.
SLOT_SCALE = 0.1
# Calibration of the displayed score: raw e5 cosine of the best chunk mapped linearly to
# [0, 1]. multilingual-e5 cosines live in a narrow band; on xquad-xling the best chunk for an
# answerable question scores ~0.80-0.90 and the best chunk for a question whose passage was
# removed from the index ~0.76-0.82 (see the proto's --calibrate output).
COS_FLOOR = 0.72
COS_CEIL = 0.92


def normalise(x: np.ndarray) -> np.ndarray:
    norm = np.linalg.norm(x, axis=-1, keepdims=True)
    return x / np.maximum(norm, 1e-12)


def calibrate(cosine: np.ndarray | float) -> np.ndarray | float:
    """Raw cosine -> [0, 1] score, comparable across queries (see COS_FLOOR / COS_CEIL)."""
    return np.clip((np.asarray(cosine) - COS_FLOOR) / (COS_CEIL - COS_FLOOR), 0.0, 1.0)


def article_vector(chunk_vectors: np.ndarray) -> np.ndarray:
    """One unit vector per article: the normalised sum of its (unit) chunk vectors."""
    return normalise(normalise(np.asarray(chunk_vectors, dtype=np.float64)).sum(axis=0))


class LanguageCentres:
    """The per-language means of article vectors, and what search derives from them."""

    def __init__(
        self,
        sums: Mapping[str, Sequence[float] | np.ndarray],
        counts: Mapping[str, int],
        prior: float = CENTER_PRIOR_ARTICLES,
    ) -> None:
        langs = sorted(lang for lang, n in counts.items() if n > 0)
        self.languages = langs
        dim = len(next(iter(sums.values()))) if sums else 0
        total = sum(counts[lang] for lang in langs)
        overall = (
            np.sum([np.asarray(sums[lang], dtype=np.float64) for lang in langs], axis=0) / total
            if total
            else np.zeros(dim)
        )
        self.weight: dict[str, float] = {}
        self.shift: dict[str, np.ndarray] = {}  # s_l = λ_l · M_l
        self.direction: dict[str, np.ndarray] = {}  # λ_l · (M_l - G)
        for lang in langs:
            mean = np.asarray(sums[lang], dtype=np.float64) / counts[lang]
            lam = counts[lang] / (counts[lang] + prior)
            self.weight[lang] = lam
            self.shift[lang] = (lam * mean).astype(np.float32)
            self.direction[lang] = (lam * (mean - overall)).astype(np.float32)
        lam_all = total / (total + prior) if total else 0.0
        self.query_shift = (QUERY_CENTER * lam_all * overall).astype(np.float32)

    def query_vector(self, query: np.ndarray, language: str | None = None) -> np.ndarray:
        """The query with the shared query component and its language's direction removed."""
        q = normalise(np.asarray(query, dtype=np.float32)) - self.query_shift
        direction = self.direction.get(language or "")
        if direction is not None:
            q = q - QUERY_LANGUAGE_CENTER * direction
        return normalise(q).astype(np.float32)

    def offsets(
        self, query_vector: np.ndarray, only: Sequence[str] | None = None
    ) -> dict[str, float]:
        """o_l = s_l · q' for every language of the index (``EXCLUDED`` for a language not
        in ``only``, when given)."""
        return {
            lang: float(s @ query_vector) if not only or lang in only else EXCLUDED
            for lang, s in self.shift.items()
        }

    def dense(self, vectors: np.ndarray, languages: Sequence[str], qv: np.ndarray) -> np.ndarray:
        """The dense score: cosine of ``p - s_l`` with ``q'``, for chunk vectors ``p``."""
        dim = len(qv)
        p = normalise(np.asarray(vectors, dtype=np.float32)[:, :dim])
        zero = np.zeros(dim, dtype=np.float32)
        centred = normalise(p - np.stack([self.shift.get(lang, zero) for lang in languages]))
        return centred @ qv

    def centred_article(self, vector: np.ndarray, language: str) -> np.ndarray:
        """An article vector with its language's mean removed (near-duplicate detection)."""
        shift = self.shift.get(language)
        v = np.asarray(vector, dtype=np.float32)
        return normalise(v - shift if shift is not None else v)


def augment_chunks(
    vectors: np.ndarray, languages: Sequence[str], slots: Sequence[str]
) -> np.ndarray:
    """Stored form of unit chunk vectors: ``[p, SLOT_SCALE · e_slot(language)]``."""
    base = normalise(np.asarray(vectors, dtype=np.float32))
    extra = np.zeros((len(base), len(slots)), dtype=np.float32)
    slot_of = {lang: i for i, lang in enumerate(slots)}
    for row, lang in enumerate(languages):
        extra[row, slot_of[lang]] = SLOT_SCALE
    return np.hstack([base, extra])


def augment_query(
    qv: np.ndarray, offsets: Mapping[str, float], slots: Sequence[str], excluded: bool = False
) -> np.ndarray:
    """Query form: its inner product with a stored chunk vector is ``p · q' - o_l``. A slot
    language missing from ``offsets`` gets 0, or ``EXCLUDED`` when ``excluded``."""
    missing = EXCLUDED if excluded else 0.0
    extra = [-offsets.get(lang, missing) / SLOT_SCALE for lang in slots]
    return np.concatenate([np.asarray(qv, dtype=np.float32), np.asarray(extra, np.float32)])


def stored_norm() -> float:
    """Norm of every stored (augmented) chunk vector."""
    return float(np.sqrt(1.0 + SLOT_SCALE**2))


def fuse(
    dense: Sequence[float] | np.ndarray,
    coverage: Sequence[float] | np.ndarray,
    names: Sequence[float] | np.ndarray | None = None,
    articles: Sequence[str] | None = None,
) -> np.ndarray:
    """The ranking score: dense score plus small keyword-coverage and name-match terms, and
    the name gate (NAME_GATE_WEIGHT) when ``articles`` (each candidate's) are given."""
    fused = np.asarray(dense) + KEYWORD_WEIGHT * np.asarray(coverage)
    if names is None:
        return fused
    fused = fused + NAME_WEIGHT * np.asarray(names)
    if articles is not None:
        fused = fused + NAME_GATE_WEIGHT * name_gate(names, articles)
    return fused


def name_gate(names: Sequence[float] | np.ndarray, articles: Sequence[str]) -> np.ndarray:
    """Per candidate: the name match of the one article that alone holds the question's
    names (its best match, for each of its candidates), 0 for every other candidate; all 0
    when no article stands out so (NAME_GATE_MIN, NAME_GATE_RATIO)."""
    best: dict[str, float] = {}
    for article, score in zip(articles, names, strict=True):
        best[article] = max(best.get(article, 0.0), float(score))
    out = np.zeros(len(articles), dtype=np.float64)
    if not best:
        return out
    ranked = sorted(best.values(), reverse=True)
    top = ranked[0]
    if top < NAME_GATE_MIN or (len(ranked) > 1 and ranked[1] >= NAME_GATE_RATIO * top):
        return out
    winner = next(a for a, v in best.items() if v == top)
    out[[i for i, a in enumerate(articles) if a == winner]] = top
    return out
