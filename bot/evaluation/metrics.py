"""Arithmetic of `newsbot eval`: per-question outcomes in, per-language figures out.

Retrieval is judged per article: a retrieved passage is a hit when its article_id is
one of the question's gold articles. Ranks count passages as search returned them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

RECALL_KS = (1, 5, 10)
MRR_K = 10


@dataclass
class Outcome:
    """What happened to one question; gold is only read here, after the fact."""

    id: str
    language: str
    gold: frozenset[str]
    answerable: bool
    retrieved: list[str] | None = None  # article ids of the ranked passages
    search_ms: float | None = None
    baseline: list[str] | None = None
    baseline_ms: float | None = None
    refused: bool | None = None
    cited: list[str] | None = None  # article ids of the answer's citations
    facts_found: int = 0
    facts_total: int = 0
    short: str | None = None  # the answer's short line, when one was shown
    short_right: bool | None = None  # None: no short line, or no gold facts to judge it by
    kind: str | None = None
    short_asked: bool = False  # a who / when / how-many question (a short line may answer it)
    # Is the asked fact quoted in the question's language? None when no gold article in
    # that language holds it (then no answer could); see readable_shown.
    readable: bool | None = None
    ask_ms: float | None = None
    error: str | None = None


def first_hit_rank(retrieved: Sequence[str], gold: Iterable[str]) -> int | None:
    """1-based rank of the first passage from a gold article, None if there is none."""
    gold_set = set(gold)
    for rank, article_id in enumerate(retrieved, 1):
        if article_id in gold_set:
            return rank
    return None


def recall_at(retrieved: Sequence[str], gold: Iterable[str], k: int) -> float:
    rank = first_hit_rank(retrieved[:k], gold)
    return 1.0 if rank is not None else 0.0


def reciprocal_rank(retrieved: Sequence[str], gold: Iterable[str], k: int = MRR_K) -> float:
    rank = first_hit_rank(retrieved[:k], gold)
    return 1.0 / rank if rank is not None else 0.0


def percentile(values: Sequence[float], q: float) -> float | None:
    """Linear-interpolated percentile (q in 0..100), None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100.0
    low, high = math.floor(pos), math.ceil(pos)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


def retrieval_figures(ranked: list[tuple[list[str], frozenset[str]]]) -> dict[str, Any]:
    """recall@1/5/10 and MRR@10 over (retrieved, gold) pairs."""
    data: dict[str, Any] = {"n": len(ranked)}
    for k in RECALL_KS:
        data[f"recall@{k}"] = _mean([recall_at(r, g, k) for r, g in ranked])
    data[f"mrr@{MRR_K}"] = _mean([reciprocal_rank(r, g) for r, g in ranked])
    return data


@dataclass
class Figures:
    """Every figure of one group of questions (a language, or all)."""

    n: int
    search: dict[str, Any] = field(default_factory=dict)
    baseline: dict[str, Any] | None = None
    answers: dict[str, Any] = field(default_factory=dict)
    latency_ms: dict[str, float | None] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "n": self.n,
            "search": _rounded(self.search),
            "answers": _rounded(self.answers),
            "latency_ms": _rounded(self.latency_ms),
        }
        if self.baseline is not None:
            data["baseline"] = _rounded(self.baseline)
        return data


def _rounded(data: dict[str, Any]) -> dict[str, Any]:
    return {k: round(v, 4) if isinstance(v, float) else v for k, v in data.items()}


def summarise(outcomes: list[Outcome]) -> Figures:
    """Figures of one group. Retrieval counts only answerable questions with gold."""
    judged = [o for o in outcomes if o.answerable and o.gold]
    figures = Figures(n=len(outcomes))
    figures.search = retrieval_figures(
        [(o.retrieved, o.gold) for o in judged if o.retrieved is not None]
    )
    with_baseline = [(o.baseline, o.gold) for o in judged if o.baseline is not None]
    if with_baseline:
        figures.baseline = retrieval_figures(with_baseline)

    asked = [o for o in outcomes if o.refused is not None]
    if asked:
        figures.answers = answer_figures(asked)
    for name in ("search", "baseline", "ask"):
        values = [v for o in outcomes if (v := getattr(o, f"{name}_ms")) is not None]
        figures.latency_ms[f"{name}_p50"] = percentile(values, 50)
        figures.latency_ms[f"{name}_p95"] = percentile(values, 95)
    return figures


def answer_figures(asked: list[Outcome]) -> dict[str, Any]:
    """What the answers were worth. Over answerable questions with gold, a refusal counts
    as a miss for every figure but `first_citation_right_when_answered`; short-line
    precision is over the short lines shown for answerable questions with gold facts."""
    answerable = [o for o in asked if o.answerable and o.gold]
    answered = [o for o in answerable if not o.refused]
    first_right = [o for o in answered if o.cited and o.cited[0] in o.gold]
    any_right = [o for o in answered if set(o.cited or ()) & o.gold]
    scored = [o for o in answerable if o.facts_total]
    shown = [o.facts_found / o.facts_total if not o.refused else 0.0 for o in scored]
    shorts = [o for o in scored if not o.refused and o.short is not None]
    unanswerable = [o for o in asked if not o.answerable]
    refused = [o for o in asked if o.refused]
    refused_right = sum(1 for o in unanswerable if o.refused)
    return {
        "asked": len(asked),
        "answerable": len(answerable),
        "answered": _ratio(len(answered), len(answerable)),
        "first_citation_right": _ratio(len(first_right), len(answerable)),
        "first_citation_right_when_answered": _ratio(len(first_right), len(answered)),
        "citation_accuracy": _ratio(len(any_right), len(answerable)),
        "gold_scored": len(scored),
        "gold_shown": _mean(shown),
        "short_shown": _ratio(len(shorts), sum(1 for o in scored if not o.refused)),
        "short_n": len(shorts),
        "short_shown_asked": _ratio(
            sum(1 for o in shorts if o.short_asked),
            sum(1 for o in scored if not o.refused and o.short_asked),
        ),
        "short_precision": _ratio(sum(1 for o in shorts if o.short_right), len(shorts)),
        # answerable questions whose fact a gold article gives in the question's language:
        # the share answered with a quote in that language that holds it (issue 19)
        "readable_n": sum(1 for o in answerable if o.readable is not None),
        "readable_shown": _ratio(
            sum(1 for o in answerable if o.readable and not o.refused),
            sum(1 for o in answerable if o.readable is not None),
        ),
        "offtopic": len(unanswerable),
        "offtopic_refused": _ratio(refused_right, len(unanswerable)),
        "refusal_precision": _ratio(refused_right, len(refused)),
        "refusal_recall": _ratio(refused_right, len(unanswerable)),
        "key_facts": _mean([o.facts_found / o.facts_total for o in asked if o.facts_total]),
    }


def by_kind(outcomes: list[Outcome]) -> dict[str, dict[str, Any]]:
    """Answer figures per question kind (who, when, …), for files that give kinds."""
    groups: dict[str, list[Outcome]] = {}
    for o in outcomes:
        if o.kind and o.refused is not None:
            groups.setdefault(o.kind, []).append(o)
    return {kind: _rounded(answer_figures(items)) for kind, items in sorted(groups.items())}


def by_language(outcomes: list[Outcome]) -> dict[str, Figures]:
    """Figures per question language, plus "all"."""
    groups: dict[str, list[Outcome]] = {}
    for o in outcomes:
        groups.setdefault(o.language, []).append(o)
    result = {lang: summarise(items) for lang, items in sorted(groups.items())}
    result["all"] = summarise(outcomes)
    return result


@dataclass
class EvalRun:
    questions_file: str
    index_dir: str
    outcomes: list[Outcome] = field(default_factory=list)
    gold_in_index: float | None = None  # share of answerable questions whose gold is indexed
    protocol: dict[str, Any] | None = None  # how the index and questions were made, if known

    def to_json(self) -> dict[str, Any]:
        groups = by_language(self.outcomes)
        return {
            **({"protocol": self.protocol} if self.protocol else {}),
            "questions_file": self.questions_file,
            "index_dir": self.index_dir,
            "questions": len(self.outcomes),
            "gold_in_index": self.gold_in_index,
            "languages": {lang: f.to_json() for lang, f in groups.items() if lang != "all"},
            "all": groups["all"].to_json(),
            "kinds": by_kind(self.outcomes),
            "errors": [{"id": o.id, "error": o.error} for o in self.outcomes if o.error],
        }
