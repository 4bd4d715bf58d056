"""The local catalog of one segment: an SQLite file written once by the build that wrote the
segment, then only read (opened ``immutable``, so a read-only index folder serves too).

It holds what the vector store is not good at:
- each chunk's keyword tokens (index/retrieval/keyword.py) in an FTS5 table — names and numbers are
  found by the inverted index, coverage is computed from the stored tokens — and the
  document frequency of every token (the idf of a question's words without a scan);
- each chunk's article, language and a float16 copy of its embedding: search re-scores the
  store's candidates exactly (index/retrieval/fusion.py) without a round trip per question to fetch
  vectors (768 bytes a chunk on disk; a `chroma run` server answered 3x slower with it);
- each article's vector (the normalised sum of its chunk vectors) and the numbers of its
  text: the inputs of the language centring (index/retrieval/fusion.py) and of near-duplicate
  detection (index/building/dedup.py), kept so a later build never fetches vectors to update them.

Texts and metadata of chunks live in the vector store only, and the full-precision vectors
(the ones copied when segments are merged).
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

VERSION = 3  # what CatalogWriter writes; the older versions are in index/store/upgrades.py

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;
CREATE TABLE chunks (row INTEGER PRIMARY KEY, chunk_id TEXT NOT NULL UNIQUE,
                     article_id TEXT NOT NULL, position INTEGER NOT NULL, language TEXT NOT NULL,
                     vector BLOB);
CREATE VIRTUAL TABLE terms USING fts5(tokens, tokenize="unicode61 remove_diacritics 0",
                                      detail=none);
CREATE TABLE df (token TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE articles (article_id TEXT NOT NULL UNIQUE, language TEXT NOT NULL,
                       vector BLOB NOT NULL, numbers TEXT NOT NULL);
"""


@dataclass(frozen=True)
class ChunkRow:
    chunk_id: str
    article_id: str
    position: int
    language: str
    tokens: str  # the chunk's distinct keyword tokens, space-separated
    vector: np.ndarray | None = None  # unit embedding, float16 on disk (re-scoring)


@dataclass(frozen=True)
class ArticleRow:
    article_id: str
    language: str
    vector: np.ndarray  # unit, stored as float16 (see ``stored_vector``)
    numbers: frozenset[str]


def stored_vector(vector: np.ndarray) -> np.ndarray:
    """An article vector as the catalog keeps it (float16: half the space; the language sums
    add and subtract these same rounded values, so they never drift)."""
    return np.asarray(vector, dtype=np.float16).astype(np.float32)


def _row(r: Sequence[Any]) -> ChunkRow:
    blob = r[5]
    vec = np.frombuffer(blob, dtype=np.float16).astype(np.float32) if blob else None
    return ChunkRow(str(r[0]), str(r[1]), int(r[2]), str(r[3]), str(r[4]), vec)


def catalog_path(index_dir: Path, segment: int) -> Path:
    return index_dir / "segments" / f"seg-{segment:06d}.sqlite"


class CatalogWriter:
    """Fills a new catalog; `finish` writes the document frequencies and syncs it to disk."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)  # the leftover of a killed build
        self.path = path
        self._db = sqlite3.connect(path)
        self._db.executescript(
            "PRAGMA page_size=2048; PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + SCHEMA
        )
        self._df: Counter[str] = Counter()
        self._rows = 0

    def add_chunks(self, rows: Iterable[ChunkRow]) -> None:
        for r in rows:
            self._rows += 1
            vec = None if r.vector is None else np.asarray(r.vector, np.float16).tobytes()
            self._db.execute(
                "INSERT INTO chunks VALUES (?, ?, ?, ?, ?, ?)",
                (self._rows, r.chunk_id, r.article_id, r.position, r.language, vec),
            )
            self._db.execute(
                "INSERT INTO terms (rowid, tokens) VALUES (?, ?)", (self._rows, r.tokens)
            )
            self._df.update(set(r.tokens.split()))

    def add_articles(self, rows: Iterable[ArticleRow]) -> None:
        self._db.executemany(
            "INSERT OR REPLACE INTO articles VALUES (?, ?, ?, ?)",
            (
                (a.article_id, a.language, np.asarray(a.vector, np.float16).tobytes(),
                 " ".join(sorted(a.numbers)))
                for a in rows
            ),
        )  # fmt: skip

    def finish(self) -> None:
        db = self._db
        db.executemany("INSERT INTO df VALUES (?, ?)", self._df.items())
        db.execute("INSERT INTO meta VALUES ('rows', ?)", (str(self._rows),))
        db.execute("INSERT INTO meta VALUES ('version', ?)", (str(VERSION),))
        db.execute("CREATE INDEX chunks_article ON chunks (article_id, position)")
        db.commit()
        db.execute("INSERT INTO terms (terms) VALUES ('optimize')")
        db.commit()
        db.close()
        fd = os.open(self.path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

    def abort(self) -> None:
        self._db.close()


class Catalog:
    """One committed segment's catalog, read-only; safe to share between threads."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db = sqlite3.connect(
            f"file:{path}?mode=ro&immutable=1", uri=True, check_same_thread=False
        )
        self._lock = threading.Lock()
        self.rows = int(self._one("SELECT value FROM meta WHERE key = 'rows'") or 0)

    def _one(self, sql: str, args: Sequence[object] = ()) -> Any:  # one SQLite value
        with self._lock:
            row = self._db.execute(sql, args).fetchone()
        return row[0] if row else None

    def _all(self, sql: str, args: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._db.execute(sql, args).fetchall()

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # -- keywords ------------------------------------------------------------------------
    def df(self, tokens: Sequence[str]) -> dict[str, int]:
        if not tokens:
            return {}
        marks = ",".join("?" * len(tokens))
        return dict(self._all(f"SELECT token, n FROM df WHERE token IN ({marks})", tokens))

    def chunks(self, chunk_ids: Sequence[str]) -> dict[str, ChunkRow]:
        """Rows (with tokens) of the given chunks that this segment holds."""
        out: dict[str, ChunkRow] = {}
        for start in range(0, len(chunk_ids), 500):
            part = chunk_ids[start : start + 500]
            marks = ",".join("?" * len(part))
            for row in self._all(
                "SELECT c.chunk_id, c.article_id, c.position, c.language, t.tokens, c.vector "
                f"FROM chunks c JOIN terms t ON t.rowid = c.row WHERE c.chunk_id IN ({marks})",
                part,
            ):
                out[row[0]] = _row(row)
        return out

    def rows_with(self, token: str, limit: int) -> list[int]:
        """Rows (ids within this catalog) of the chunks holding `token`, at most `limit`."""
        expr = '"' + token.replace('"', '""') + '"'
        return [
            r[0]
            for r in self._all("SELECT rowid FROM terms WHERE terms MATCH ? LIMIT ?", (expr, limit))
        ]

    def rows_by_id(self, rows: Sequence[int]) -> dict[int, ChunkRow]:
        """Chunk rows (with tokens) by row id."""
        out: dict[int, ChunkRow] = {}
        for start in range(0, len(rows), 500):
            part = list(rows[start : start + 500])
            marks = ",".join("?" * len(part))
            for row in self._all(
                "SELECT c.row, c.chunk_id, c.article_id, c.position, c.language, t.tokens, "
                f"c.vector FROM chunks c JOIN terms t ON t.rowid = c.row WHERE c.row IN ({marks})",
                part,
            ):
                out[row[0]] = _row(row[1:])
        return out

    def bm25(self, tokens: Sequence[str], limit: int) -> list[tuple[str, str, float]]:
        """(chunk id, article id, BM25 score) of the best chunks by SQLite's FTS5 BM25."""
        if not tokens:
            return []
        expr = " OR ".join('"' + t.replace('"', '""') + '"' for t in dict.fromkeys(tokens))
        rows = self._all(
            "SELECT c.chunk_id, c.article_id, -bm25(terms) AS s FROM terms t "
            "JOIN chunks c ON c.row = t.rowid WHERE terms MATCH ? ORDER BY bm25(terms) LIMIT ?",
            (expr, limit),
        )
        return [(str(a), str(b), float(s)) for a, b, s in rows]

    # -- articles --------------------------------------------------------------------------
    def articles(self, article_ids: Sequence[str]) -> dict[str, ArticleRow]:
        out: dict[str, ArticleRow] = {}
        for start in range(0, len(article_ids), 500):
            part = article_ids[start : start + 500]
            marks = ",".join("?" * len(part))
            for aid, lang, blob, nums in self._all(
                f"SELECT article_id, language, vector, numbers FROM articles "
                f"WHERE article_id IN ({marks})",
                part,
            ):
                vec = np.frombuffer(blob, dtype=np.float16).astype(np.float32)
                out[aid] = ArticleRow(aid, lang, vec, frozenset(nums.split()))
        return out

    def chunk_rows_of(self, article_ids: Sequence[str]) -> list[ChunkRow]:
        """Every chunk row of the given articles, by article and position (for copying)."""
        out: list[ChunkRow] = []
        for start in range(0, len(article_ids), 500):
            part = article_ids[start : start + 500]
            marks = ",".join("?" * len(part))
            out.extend(
                ChunkRow(*r)
                for r in self._all(
                    "SELECT c.chunk_id, c.article_id, c.position, c.language, t.tokens "
                    "FROM chunks c JOIN terms t ON t.rowid = c.row "
                    f"WHERE c.article_id IN ({marks}) ORDER BY c.article_id, c.position",
                    part,
                )
            )
        return out
