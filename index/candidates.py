"""Candidate chunks for one question, from every segment of the live generation.

- **dense**: each segment's collection is asked, through llama-index's ``VectorStoreQuery``,
  for its nearest chunks to the language-corrected query (index/fusion.py: the store ranks
  by ``p·q' - o_l``, one query per segment whatever the languages), which are then re-scored
  exactly from their stored vectors;
- **keyword**: each segment's catalog (index/catalog.py, SQLite FTS5) gives the chunks that
  hold the question's *rarest* tokens (names, numbers): the inverted index reads at most
  ``KEYWORD_POSTINGS`` postings, so a question made of common words costs nothing. Those not
  already found by the store get their dense score from their stored vectors.

Every candidate then carries its dense score and its keyword coverage (from the tokens the
catalog stores), which index/search.py fuses and diversifies. Older versions of an article
that a segment still holds (until compaction) are dropped here.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from index.fusion import augment_query
from index.keyword import coverage, query_weights, tokenize
from index.reader import IndexReader, OpenSegment
from index.types import Chunk

log = logging.getLogger(__name__)

# At most this many postings are read from the keyword index per question (rarest tokens
# first). Not a quality constant: a latency bound (a name occurs in few chunks).
KEYWORD_POSTINGS = 2000
KEYWORD_EXTRA = 10  # keyword-only candidates added per question (best coverage first)


@dataclass
class Candidate:
    segment: int
    chunk: Chunk
    dense: float  # (p - s_l)·q'
    coverage: float = 0.0
    vector: np.ndarray | None = None  # the stored (augmented) vector


def dense_candidates(
    reader: IndexReader, qv: np.ndarray, n: int, languages: Sequence[str] | None
) -> tuple[list[Candidate], bool]:
    """The store's `n` best live chunks per segment, re-scored exactly from their vectors;
    True when a segment may hold more."""
    centres = reader.centres
    offsets = centres.offsets(qv, only=languages)
    out: list[Candidate] = []
    more = False
    live = reader.manifest.live_rows()
    for seg in reader.segments():
        seg_id = seg.entry.id
        if not live.get(seg_id):
            continue
        q = augment_query(qv, offsets, seg.entry.languages, excluded=bool(languages))
        # dead rows (older versions) may take places among the nearest: ask for more
        dead_share = 1.0 - live[seg_id] / max(seg.entry.rows, 1)
        want = min(seg.entry.rows, int(n / max(1.0 - dead_share, 0.25)) + 1)
        hits = seg.store.query(q, want)
        more = more or (len(hits) == want < seg.entry.rows)
        hits = [
            h
            for h in hits
            if reader.is_live(seg_id, h.chunk.article_id)
            and (not languages or h.chunk.language in languages)
        ]
        vectors = seg.store.vectors([h.chunk.chunk_id for h in hits])
        hits = [h for h in hits if h.chunk.chunk_id in vectors]
        if not hits:
            continue
        stored = np.stack([vectors[h.chunk.chunk_id] for h in hits])
        dense = centres.dense(stored, [h.chunk.language for h in hits], qv)
        out.extend(
            Candidate(seg_id, h.chunk, float(d), vector=v)
            for h, d, v in zip(hits, dense, stored, strict=True)
        )
    return out, more


def keyword_weights(
    reader: IndexReader, query: str
) -> tuple[list[str], dict[str, float], dict[str, int]]:
    """The question's tokens, their idf weights (index-wide document frequencies) and dfs."""
    tokens = tokenize(query)
    if not tokens:
        return [], {}, {}
    unique = list(dict.fromkeys(tokens))
    df: dict[str, int] = {}
    total = 0
    for seg in reader.segments():
        total += seg.catalog.rows
        for tok, n in seg.catalog.df(unique).items():
            df[tok] = df.get(tok, 0) + n
    return unique, query_weights(unique, df, total), df


def add_coverage(
    reader: IndexReader, candidates: list[Candidate], weights: dict[str, float]
) -> None:
    if not weights:
        return
    by_segment: dict[int, list[Candidate]] = {}
    for c in candidates:
        by_segment.setdefault(c.segment, []).append(c)
    for seg_id, group in by_segment.items():
        rows = reader.segment(seg_id).catalog.chunks([c.chunk.chunk_id for c in group])
        for c in group:
            row = rows.get(c.chunk.chunk_id)
            c.coverage = coverage(weights, row.tokens.split()) if row else 0.0


def keyword_candidates(
    reader: IndexReader,
    unique: list[str],
    weights: dict[str, float],
    df: dict[str, int],
    known: set[str],
    qv: np.ndarray,
    languages: Sequence[str] | None,
) -> list[Candidate]:
    """Chunks holding the question's rarest tokens that the store's query did not return."""
    rare: list[str] = []
    budget = 0
    for tok in sorted((t for t in unique if t in weights), key=lambda t: df[t]):
        if budget + df[tok] > KEYWORD_POSTINGS:
            break
        rare.append(tok)
        budget += df[tok]
    if not rare:
        return []
    found: list[tuple[float, OpenSegment, str, str]] = []
    for seg in reader.segments():
        for row in seg.catalog.match(rare, KEYWORD_POSTINGS):
            if row.chunk_id in known or not reader.is_live(seg.entry.id, row.article_id):
                continue
            if languages and row.language not in languages:
                continue
            found.append((coverage(weights, row.tokens.split()), seg, row.chunk_id, row.article_id))
    found.sort(key=lambda f: (-f[0], f[2]))
    picked = found[:KEYWORD_EXTRA]
    out: list[Candidate] = []
    for seg_id in {f[1].entry.id for f in picked}:
        seg = reader.segment(seg_id)
        ids = [f[2] for f in picked if f[1].entry.id == seg_id]
        records = seg.store.records(ids)
        for cov, _, cid, _ in (f for f in picked if f[1].entry.id == seg_id):
            if cid not in records:
                continue
            chunk, vector = records[cid]
            out.append(Candidate(seg_id, chunk, 0.0, cov, vector))
    if out:
        dense = reader.centres.dense(
            np.stack([c.vector for c in out]), [c.chunk.language for c in out], qv
        )
        for c, d in zip(out, dense, strict=True):
            c.dense = float(d)
    return out


def raw_cosines(reader: IndexReader, chosen: list[Candidate], q: np.ndarray) -> list[float]:
    """Plain cosine of the question with each chosen chunk (the displayed score)."""
    dims = len(q)
    need: dict[int, list[str]] = {}
    for c in chosen:
        if c.vector is None:
            need.setdefault(c.segment, []).append(c.chunk.chunk_id)
    fetched: dict[str, np.ndarray] = {}
    for seg_id, ids in need.items():
        fetched.update(reader.segment(seg_id).store.vectors(ids))
    qn = np.asarray(q, dtype=np.float32) / max(float(np.linalg.norm(q)), 1e-12)
    out = []
    for c in chosen:
        vec = c.vector if c.vector is not None else fetched.get(c.chunk.chunk_id)
        if vec is None:
            out.append(0.0)
            continue
        p = np.asarray(vec[:dims], dtype=np.float32)
        out.append(float(p @ qn / max(float(np.linalg.norm(p)), 1e-12)))
    return out
