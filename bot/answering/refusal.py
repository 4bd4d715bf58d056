"""Deciding "the articles do not cover this" in the same way on any corpus and language.

An absolute score threshold cannot do it: how high the best passage scores for a question
nobody's articles answer depends on the index (its size, its languages) and on the
question's language (a Chinese question scores higher against Chinese articles whatever it
says). So each index is calibrated on itself: off-topic questions shipped with the package
(``bot/locales/<code>/offtopic.txt``: everyday questions no news answers, 40 per language,
written for this purpose) go through the real search, per question language, and their best
scores are the *null distribution* of that language on that index. A question is answered when its
best passage scores clearly above its language's null: the mean of two z-scores — the
calibrated raw score and the language-bias-corrected relevance the search ranks by (which
carries no same-language bias at all) — must reach ``NULL_Z``.

The nulls are part of the build: when a build writes a generation it runs the shipped
questions through the new index (``calibrate`` in bot/indexing.py; the questions are embedded
in one batch) and keeps the nulls in the index folder (``refusal-nulls.json``, keyed by the
generation's manifest, the retriever, the shipped questions and ``CACHE_VERSION``). Start-up,
``/reindex`` and the first question then only read that file. An index built by an older
version has none: the bot computes them once in the background after start-up (40 searches
per language), and a question whose language is not done yet computes its own first.
"""

from __future__ import annotations

import hashlib
import json
import logging
import statistics
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from bot.locales import Registry, registry
from index.files import replace_atomically
from index.types import Passage

if TYPE_CHECKING:
    from index.protocols import Retriever
    from index.settings import IndexSettings

log = logging.getLogger(__name__)

# The order the off-topic questions were shipped in before they moved into the language
# folders (one offtopic.jsonl): the calibration embeds them in this order and its caches are
# keyed on their text in this order, so keeping it keeps every cached vector and null (and
# every figure) as it was. Languages added since follow, by code.
SHIPPED_ORDER = (
    "en", "zh-Hans", "zh-Hant", "ja", "ko", "ru", "uk", "id", "de", "fr", "es", "pt", "it",
    "ar", "hi", "vi", "tr", "pl",
)  # fmt: skip
# Set on the xquad-xling calibration split (newsbot eval --xquad … --split calib, the
# balanced best of answered/0.95 and refused/0.85 over en/ru/zh-Hans/zh-Hant/id): a question
# is answered when the mean of its two z-scores against its language's null reaches NULL_Z.
# The default of Settings.refuse_z (NEWSBOT_REFUSE_Z), which is what the answers use.
NULL_Z = 1.2
RELEVANCE_SHARE = 0.5  # weight of the bias-corrected relevance's z (the rest: the raw score's)
FALLBACK_LANGUAGE = "en"
CACHE_FILE = "refusal-nulls.json"
# Bump when the search's scores or this module's statistics change meaning: cached nulls
# of an older version are then recomputed.
CACHE_VERSION = 1

Search = Callable[[str, int], list[Passage]]
# The folder that keeps the nulls on disk and the key of the generation served now (None:
# no cache, e.g. no index yet).
Store = Callable[[], tuple[Path, str] | None]


def _top(passages: list[Passage]) -> tuple[float, float | None]:
    """(best calibrated score, best bias-corrected relevance) of a result list."""
    score = max((p.score for p in passages), default=0.0)
    rel = [p.relevance for p in passages if p.relevance is not None]
    return score, (max(rel) if rel else None)


def offtopic_questions() -> dict[str, list[str]]:
    """Off-topic questions by language code (each language folder's offtopic.txt)."""
    return _offtopic_questions(registry())


@lru_cache(maxsize=2)
def _offtopic_questions(languages: Registry) -> dict[str, list[str]]:
    rank = {code: i for i, code in enumerate(SHIPPED_ORDER)}
    codes = sorted(languages, key=lambda code: (rank.get(code, len(rank)), code))
    return {code: list(languages[code].offtopic) for code in codes if languages[code].offtopic}


def null_language(language: str) -> str:
    """The shipped language whose questions stand for ``language``."""
    shipped = offtopic_questions()
    if language in shipped:
        return language
    base = language.split("-")[0]
    if base == "zh":
        return "zh-Hans" if "zh-Hans" in shipped else FALLBACK_LANGUAGE
    return base if base in shipped else FALLBACK_LANGUAGE


@dataclass(frozen=True)
class Null:
    """Mean and standard deviation of the off-topic questions' best score and relevance."""

    score: tuple[float, float]
    relevance: tuple[float, float] | None

    def z(self, passages: list[Passage]) -> float:
        score, rel = _top(passages)
        z_score = (score - self.score[0]) / max(self.score[1], 1e-6)
        if rel is None or self.relevance is None:
            return z_score
        z_rel = (rel - self.relevance[0]) / max(self.relevance[1], 1e-6)
        return RELEVANCE_SHARE * z_rel + (1 - RELEVANCE_SHARE) * z_score


def _moments(values: list[float]) -> tuple[float, float]:
    return statistics.fmean(values), statistics.pstdev(values)


@lru_cache(maxsize=1)
def data_fingerprint() -> str:
    """What the nulls depend on besides the index: the off-topic questions and CACHE_VERSION.
    The questions are hashed as the one offtopic.jsonl they were shipped in before
    (``{"lang": …, "q": …}`` a line), so moving them into the language folders kept the
    nulls and vectors cached by earlier versions valid."""
    lines = [
        json.dumps({"lang": lang, "q": q}, ensure_ascii=False) + "\n"
        for lang, questions in offtopic_questions().items()
        for q in questions
    ]
    digest = hashlib.sha256("".join(lines).encode("utf-8"))
    digest.update(str(CACHE_VERSION).encode())
    return digest.hexdigest()[:16]


def _load_cached(folder: Path, key: str) -> dict[str, Null | None]:
    """The nulls kept for ``key`` ({} when there are none, or the file is stale or damaged)."""
    try:
        data = json.loads((folder / CACHE_FILE).read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("key") != key:
            return {}
        out: dict[str, Null | None] = {}
        for lang, item in data["nulls"].items():
            if item is None:
                out[lang] = None
                continue
            score, rel = item["score"], item["relevance"]
            out[lang] = Null((score[0], score[1]), (rel[0], rel[1]) if rel else None)
        return out
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
        return {}


def _save_cached(folder: Path, key: str, nulls: dict[str, Null | None]) -> None:
    """Write the nulls for ``key`` atomically; a read-only index folder is not an error."""
    data = {
        "key": key,
        "nulls": {
            lang: None if n is None else {"score": list(n.score), "relevance": n.relevance}
            for lang, n in nulls.items()
        },
    }
    try:
        payload = json.dumps(data).encode("utf-8")
        replace_atomically(folder / CACHE_FILE, lambda fh: fh.write(payload))
    except (OSError, TypeError, ValueError) as exc:
        log.info("refusal nulls not kept on disk (%s)", exc)


def kept_in_index(settings: IndexSettings, searcher: Callable[[], Retriever]) -> Store:
    """Where a served index keeps its nulls (its folder), and the key of the generation
    served now: its number and its manifest's write time and size (a rebuild from scratch
    may reuse a number, never the same manifest), the retriever that scores (another one —
    the benchmarks' plain llama-index retriever — scores differently) and the shipped
    questions."""

    def store() -> tuple[Path, str] | None:
        from index.store.manifest import manifest_path

        folder = settings.resolved_index_dir()
        try:
            stat = manifest_path(folder).stat()
        except OSError:
            return None
        scoring = searcher()
        scorer = f"{type(scoring).__module__}.{type(scoring).__qualname__}"
        key = ":".join(
            [str(scoring.generation()), str(stat.st_mtime_ns), str(stat.st_size), scorer,
             data_fingerprint()]
        )  # fmt: skip
        return folder, key

    return store


class NullScores:
    """Per (generation, language): how the off-topic questions score on this index."""

    def __init__(
        self, search: Search, generation: Callable[[], object], store: Store | None = None
    ) -> None:
        self._search = search
        self._generation = generation
        self._store = store
        self._cache: dict[tuple[object, str], Null | None] = {}
        self._lock = threading.Lock()
        # One computation at a time: a question waits for the background calibration's
        # current language rather than running the same 40 searches beside it.
        self._computing = threading.Lock()

    def _remember(self, generation: object, nulls: dict[str, Null | None]) -> None:
        with self._lock:
            self._cache = {k: v for k, v in self._cache.items() if k[0] == generation}
            self._cache.update({(generation, lang): null for lang, null in nulls.items()})

    def _cached(self, key: tuple[object, str]) -> tuple[bool, Null | None]:
        with self._lock:
            return key in self._cache, self._cache.get(key)

    def null(self, language: str) -> Null | None:
        lang = null_language(language)
        key = (self._generation(), lang)
        found, null = self._cached(key)
        if found:
            return null
        with self._computing:
            found, null = self._cached(key)
            if found:
                return null
            where = self._store() if self._store else None
            kept = _load_cached(*where) if where else {}
            if lang in kept:
                null = kept[lang]
            else:
                null = self._compute(lang)
                if where:
                    kept = {**_load_cached(*where), lang: null}
                    _save_cached(*where, kept)
            self._remember(key[0], {**kept, lang: null})
        log.info("refusal null for %s on generation %s: %s", lang, key[0], null)
        return null

    def load_kept(self) -> int:
        """Take the nulls kept in the index folder into memory (no searches); how many."""
        where = self._store() if self._store else None
        kept = _load_cached(*where) if where else {}
        if kept:
            self._remember(self._generation(), kept)
        return len(kept)

    def _compute(self, lang: str) -> Null | None:
        tops = [_top(self._search(q, 1)) for q in offtopic_questions().get(lang, [])]
        if len(tops) < 2:
            return None
        rel = [r for _, r in tops if r is not None]
        return Null(
            _moments([s for s, _ in tops]), _moments(rel) if len(rel) == len(tops) else None
        )

    def z(self, passages: list[Passage], language: str) -> float | None:
        """How far above this index's off-topic questions the passages score (None: no null)."""
        null = self.null(language)
        return None if null is None or not passages else null.z(passages)

    def answerable(
        self, passages: list[Passage], language: str, least_z: float = NULL_Z
    ) -> bool | None:
        """Whether the passages reach `least_z` (Settings.refuse_z; None: no null)."""
        z = self.z(passages, language)
        return None if z is None else z >= least_z

    def warm_up(self, progress: Callable[[int, int], None] | None = None) -> None:
        """The null of every shipped language; ``progress(done, total)`` before each one
        and at the end."""
        langs = list(offtopic_questions())
        for i, lang in enumerate(langs):
            if progress is not None:
                progress(i, len(langs))
            self.null(lang)
        if progress is not None:
            progress(len(langs), len(langs))
