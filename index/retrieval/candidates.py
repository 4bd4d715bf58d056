"""Candidate chunks for one question, from every segment of the live generation.

- **dense**: each segment's collection is asked, through llama-index's ``VectorStoreQuery``,
  for its nearest chunks to the language-corrected query (index/retrieval/fusion.py: the store ranks
  by ``p·q' - o_l``, one query per segment whatever the languages);
- **keyword**: each segment's catalog (index/store/catalog.py, SQLite FTS5) gives the chunks that
  hold the question's *rarest* tokens (names, numbers): the inverted index reads at most
  ``KEYWORD_POSTINGS`` postings, so a question made of common words costs nothing; the
  ``KEYWORD_EXTRA`` best of those the store did not return join the candidates. The
  question's names, romanised (index/names.py), are looked up the same way, so a name
  written in another script than the article's still brings its chunks in.

Each candidate's article, language, keyword tokens and vector (a float16 copy) come from
the catalog, from which its exact dense score and its raw cosine are computed. Older
versions of an article that a segment still holds (until compaction) are dropped here.
Text and metadata are fetched from the store for the passages returned only.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from index.names import NameQuery, name_parts
from index.retrieval.fusion import augment_query
from index.retrieval.keyword import coverage, query_weights, tokenize
from index.retrieval.reader import IndexReader, OpenSegment
from index.store.catalog import ChunkRow

log = logging.getLogger(__name__)

# At most this many postings are read from the keyword index per question (rarest tokens
# first). Not a quality constant: a latency bound (a name occurs in few chunks).
KEYWORD_POSTINGS = 2000
KEYWORD_EXTRA = 10  # keyword-only candidates added per question (best coverage first)


@dataclass
class Candidate:
    segment: int
    row: ChunkRow
    dense: float = 0.0  # cosine of p - s_l with q' (index/retrieval/fusion.py)
    raw: float = 0.0  # plain cosine of p with the question
    coverage: float = 0.0
    names: float = 0.0  # share of the question's name weight held (index/names.py)


@dataclass
class Keywords:
    tokens: list[str]  # distinct question tokens found in the index
    weights: dict[str, float]  # token -> share of the question's idf mass
    df: dict[str, int]
    names: NameQuery | None = None  # the question's names, romanised (index/names.py)


@dataclass(frozen=True)
class Probe:
    """One question as every segment is asked it."""

    qv: np.ndarray  # the language-corrected query (index/retrieval/fusion.py)
    q: np.ndarray  # the question's plain embedding
    offsets: dict[str, float]  # per indexed language: its bias along qv
    kw: Keywords
    rare: list[str]  # the tokens whose postings are read (_rare)
    languages: Sequence[str] | None  # only chunks in these, when given


def keywords(reader: IndexReader, query: str) -> Keywords:
    """The question's tokens and name keys with index-wide document frequencies (summed
    over segments)."""
    words = list(dict.fromkeys(tokenize(query)))
    parts = name_parts(query, query=True)
    keys = sorted({k for part in parts for k in part.keys})
    unique = words + keys
    df: dict[str, int] = {}
    total = 0
    for seg in reader.segments():
        total += seg.catalog.rows
        for tok, n in seg.catalog.df(unique).items() if unique else ():
            df[tok] = df.get(tok, 0) + n
    weights = query_weights(words, df, total)
    names = NameQuery.build(parts, df, total)
    return Keywords([t for t in words if t in weights], weights, df, names)


def gather(
    reader: IndexReader,
    qv: np.ndarray,
    q: np.ndarray,
    kw: Keywords,
    n: int,
    languages: Sequence[str] | None,
) -> tuple[list[Candidate], bool]:
    """Dense and keyword candidates, scored; True when a segment may hold more dense ones.
    Segments are asked concurrently (each costs store round trips, mostly waiting)."""
    offsets = reader.centres.offsets(qv, only=languages)
    probe = Probe(qv, q, offsets, kw, _rare(kw), languages)
    live = reader.live_rows
    segments = [seg for seg in reader.segments() if live.get(seg.entry.id)]

    def one(seg: OpenSegment) -> tuple[list[Candidate], bool]:
        return _from_segment(reader, seg, live[seg.entry.id], probe, n)

    if len(segments) > 1:
        results = list(_pool().map(one, segments))
    else:
        results = [one(seg) for seg in segments]
    return [c for found, _ in results for c in found], any(more for _, more in results)


def _from_segment(
    reader: IndexReader, seg: OpenSegment, live: int, probe: Probe, n: int
) -> tuple[list[Candidate], bool]:
    """The segment's `n` nearest live chunks (and its keyword ones), scored; True when it
    may hold more dense ones."""
    seg_id = seg.entry.id
    languages = probe.languages
    query = augment_query(probe.qv, probe.offsets, seg.entry.languages, excluded=bool(languages))
    # dead rows (older versions) may take places among the nearest: ask for more
    dead_share = 1.0 - live / max(seg.entry.rows, 1)
    want = min(seg.entry.rows, int(n / max(1.0 - dead_share, 0.25)) + 1)
    hits = seg.store.query(query, want)
    more = len(hits) == want < seg.entry.rows
    rows = seg.catalog.chunks([cid for cid, _ in hits])
    found = [rows[cid] for cid, _ in hits if cid in rows]
    found += _keyword_rows(seg, probe.rare, probe.kw, {r.chunk_id for r in found})
    mine = [
        Candidate(seg_id, r)
        for r in found
        if reader.is_live(seg_id, r.article_id) and (not languages or r.language in languages)
    ]
    missing = [c.row.chunk_id for c in mine if c.row.vector is None]
    fetched = seg.store.vectors(missing) if missing else {}  # catalogs always have them today
    vectors = {c.row.chunk_id: c.row.vector for c in mine if c.row.vector is not None}
    vectors.update(fetched)
    mine = [c for c in mine if c.row.chunk_id in vectors]
    if mine:
        stored = np.stack([vectors[c.row.chunk_id] for c in mine])
        dense = reader.centres.dense(stored, [c.row.language for c in mine], probe.qv)
        raw = _cosines(stored, probe.q)
        for c, d, r in zip(mine, dense, raw, strict=True):
            c.dense, c.raw = float(d), float(r)
            tokens = c.row.tokens.split()
            c.coverage = coverage(probe.kw.weights, tokens)
            c.names = probe.kw.names.score(tokens) if probe.kw.names else 0.0
    return mine, more


@functools.lru_cache(maxsize=1)
def _pool() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=4, thread_name_prefix="segments")


def _rare(kw: Keywords) -> list[str]:
    """The question's rarest tokens and name keys, within the postings budget."""
    rare: list[str] = []
    budget = 0
    names = [k for k in (kw.names.keys if kw.names else {}) if kw.df.get(k, 0) > 0]
    for tok in sorted([*kw.tokens, *names], key=lambda t: (kw.df[t], t)):
        if budget + kw.df[tok] > KEYWORD_POSTINGS:
            break
        rare.append(tok)
        budget += kw.df[tok]
    return rare


def _keyword_rows(
    seg: OpenSegment, rare: list[str], kw: Keywords, known: set[str]
) -> list[ChunkRow]:
    """The segment's chunks holding most of the question's rare-token weight (not `known`)."""
    if not rare:
        return []
    catalog = seg.catalog
    weights = {**(kw.names.keys if kw.names else {}), **kw.weights}
    score: dict[int, float] = {}
    for tok in rare:
        for row in catalog.rows_with(tok, KEYWORD_POSTINGS):
            score[row] = score.get(row, 0.0) + weights[tok]
    best = sorted(score, key=lambda r: (-score[r], r))[: KEYWORD_EXTRA + len(known)]
    rows = catalog.rows_by_id(best)
    picked = [rows[r] for r in best if r in rows and rows[r].chunk_id not in known]
    return picked[:KEYWORD_EXTRA]


def _cosines(stored: np.ndarray, q: np.ndarray) -> np.ndarray:
    dim = len(q)
    p = stored[:, :dim]
    p = p / np.maximum(np.linalg.norm(p, axis=1, keepdims=True), 1e-12)
    return p @ (q / max(float(np.linalg.norm(q)), 1e-12))
