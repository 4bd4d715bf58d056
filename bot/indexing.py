"""A build, as every front end runs it: the index build, then the refusal's statistics.

`index.building.builder.build_index` brings the index in line with the articles; the statistics
the refusal needs (bot/answering/refusal.py: how the shipped off-topic questions score on
this index, per language) belong to the generation it wrote, so they are computed here, in
the same process, and kept in the index folder. Start-up, `/reindex` and the first question
then only read them.

The off-topic questions (40 per language) are embedded once per model, in batches on the
build's threads, and kept in the cache folder (``offtopic-vectors-….npy``); then they are
searched like any question: the nulls are exactly what the serving engine would compute,
for a few seconds of each build (720 searches) instead of ~40 searches per language at
start-up.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from index.building.report import BuildProgress, BuildReport
    from index.protocols import QueryEncoder
    from index.settings import IndexSettings

log = logging.getLogger(__name__)

ProgressFn = Callable[["BuildProgress"], None]


def build(
    settings: IndexSettings, full: bool = False, progress: ProgressFn | None = None
) -> BuildReport:
    """`build_index`, then the refusal's statistics for the generation it serves."""
    from index.building.builder import build_index

    report = build_index(settings, full=full, progress=progress)
    calibrate(settings, progress)
    return report


class PreparedQueries:
    """A QueryEncoder that answers known questions from vectors embedded in one batch."""

    def __init__(self, encoder: QueryEncoder, vectors: dict[str, list[float]]) -> None:
        self._encoder = encoder
        self._vectors = vectors

    def get_query_embedding(self, query: str) -> list[float]:
        vector = self._vectors.get(query)
        return vector if vector is not None else self._encoder.get_query_embedding(query)


def _batch_embedded(settings: IndexSettings, questions: list[str]) -> PreparedQueries:
    """The questions' vectors: from the cache folder when this model embedded them before
    (they depend on the model and the shipped questions only), else in one batch."""
    import numpy as np

    from bot.answering.refusal import data_fingerprint
    from index.embedding import embed_questions, embedder_id, get_query_encoder
    from index.files import cache_dir, replace_atomically

    digest = hashlib.sha256(
        "\n".join([embedder_id(settings), data_fingerprint(), *questions]).encode("utf-8")
    ).hexdigest()[:16]
    path = cache_dir() / f"offtopic-vectors-{digest}.npy"
    try:
        vectors = np.load(path, allow_pickle=False)
        if vectors.shape[0] != len(questions):
            raise ValueError("stale")
    except (OSError, ValueError, EOFError):  # none yet, or damaged: embed them again
        vectors = np.asarray(embed_questions(settings, questions), dtype=np.float32)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            replace_atomically(path, lambda fh: np.save(fh, vectors, allow_pickle=False))
        except OSError as exc:
            log.info("calibration vectors not cached (%s)", exc)
    return PreparedQueries(
        get_query_encoder(settings),
        {q: v.tolist() for q, v in zip(questions, vectors, strict=True)},
    )


def calibrate(settings: IndexSettings, progress: ProgressFn | None = None) -> None:
    """Compute and keep the refusal's nulls of every shipped language on the served index
    (nothing when there is no index: the next build does it)."""
    from bot.answering.refusal import NullScores, kept_in_index, offtopic_questions
    from index.building.report import BuildProgress
    from index.errors import NewsbotError
    from index.retrieval.search import Searcher

    started = time.perf_counter()
    by_lang = offtopic_questions()
    try:
        searcher = Searcher(
            settings, embedder=_batch_embedded(settings, [q for qs in by_lang.values() for q in qs])
        )
        nulls = NullScores(
            lambda query, k: searcher.search(query, k=k),
            searcher.generation,
            kept_in_index(settings, lambda: searcher),
        )
        nulls.warm_up(
            None if progress is None else lambda i, n: progress(BuildProgress("calibrate", i, n))
        )
    except NewsbotError as exc:
        log.info("refusal calibration skipped: %s", exc)
        return
    log.info(
        "refusal statistics for %d languages in %.1f s", len(by_lang), time.perf_counter() - started
    )
