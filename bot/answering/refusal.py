"""Deciding "the articles do not cover this" in the same way on any corpus and language.

An absolute score threshold cannot do it: how high the best passage scores for a question
nobody's articles answer depends on the index (its size, its languages) and on the
question's language (a Chinese question scores higher against Chinese articles whatever it
says). So each index is calibrated on itself: off-topic questions shipped with the package
(``data/offtopic.jsonl``: everyday questions no news answers, 40 per language, written for
this purpose) go through the real search, per question language, and their best scores are
the *null distribution* of that language on that index. A question is answered when its
best passage scores clearly above its language's null: above the null's mean plus
``NULL_Z`` standard deviations (and never below ``MIN_ABOVE_NULL_MAX`` under its maximum).

The nulls are computed on first use per (index generation, language) — 40 searches — and
kept in memory; the bot computes them for every shipped language at start-up.
"""

from __future__ import annotations

import json
import logging
import statistics
import threading
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from index.types import Passage

log = logging.getLogger(__name__)

DATA = Path(__file__).with_name("data") / "offtopic.jsonl"
# Set on the xquad-xling calibration split (newsbot eval --xquad … --split calib): the
# smallest z that refuses >= 85 % of removed-topic questions in every question language.
NULL_Z = 2.0
MIN_ABOVE_NULL_MAX = 0.0  # the question must beat the null's maximum minus this
FALLBACK_LANGUAGE = "en"

Search = Callable[[str, int], list[Passage]]


@lru_cache(maxsize=1)
def offtopic_questions() -> dict[str, list[str]]:
    """Shipped off-topic questions by language code."""
    by_lang: dict[str, list[str]] = {}
    if not DATA.exists():
        return by_lang
    for line in DATA.read_text(encoding="utf-8").splitlines():
        if line.strip():
            item = json.loads(line)
            by_lang.setdefault(item["lang"], []).append(item["q"])
    return by_lang


def null_language(language: str) -> str:
    """The shipped language whose questions stand for ``language``."""
    shipped = offtopic_questions()
    if language in shipped:
        return language
    base = language.split("-")[0]
    if base == "zh":
        return "zh-Hans" if "zh-Hans" in shipped else FALLBACK_LANGUAGE
    return base if base in shipped else FALLBACK_LANGUAGE


class NullScores:
    """Per (generation, language): the best passage score of each off-topic question."""

    def __init__(self, search: Search, generation: Callable[[], object]) -> None:
        self._search = search
        self._generation = generation
        self._cache: dict[tuple[object, str], list[float]] = {}
        self._lock = threading.Lock()

    def scores(self, language: str) -> list[float]:
        lang = null_language(language)
        key = (self._generation(), lang)
        with self._lock:
            cached = self._cache.get(key)
        if cached is not None:
            return cached
        questions = offtopic_questions().get(lang, [])
        scores = [max((p.score for p in self._search(q, 1)), default=0.0) for q in questions]
        with self._lock:
            self._cache = {k: v for k, v in self._cache.items() if k[0] == key[0]}
            self._cache[key] = scores
        log.info("refusal null for %s: %d questions, mean %.3f", lang, len(scores),
                 statistics.fmean(scores) if scores else 0.0)  # fmt: skip
        return scores

    def threshold(self, language: str) -> float | None:
        """The score a question's best passage must reach, or None without a null."""
        scores = self.scores(language)
        if len(scores) < 2:
            return None
        mean, sd = statistics.fmean(scores), statistics.pstdev(scores)
        return max(mean + NULL_Z * sd, max(scores) - MIN_ABOVE_NULL_MAX)

    def warm_up(self) -> None:
        for lang in offtopic_questions():
            self.scores(lang)
