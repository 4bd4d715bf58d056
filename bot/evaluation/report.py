"""How `newsbot eval` looks to a person: rich tables per question language."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from bot.evaluation.metrics import MRR_K, RECALL_KS, by_kind, by_language
from index.language import language_name

if TYPE_CHECKING:
    from rich.console import RenderableType
    from rich.table import Table

    from bot.evaluation.metrics import EvalRun, Figures


def _fmt(value: Any, digits: int = 2) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def _ms(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}"


def _retrieval_table(title: str, groups: dict[str, Figures], which: str) -> Table:
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    table.add_column("lang")
    for col in ("n", *(f"R@{k}" for k in RECALL_KS), f"MRR@{MRR_K}", "p50 ms", "p95 ms"):
        table.add_column(col, justify="right")
    for i, (lang, fig) in enumerate(groups.items()):
        data = fig.search if which == "search" else (fig.baseline or {})
        metrics = [data.get(f"recall@{k}") for k in RECALL_KS] + [data.get(f"mrr@{MRR_K}")]
        table.add_row(
            lang,
            str(data.get("n", 0)),
            *(_fmt(m) for m in metrics),
            _ms(fig.latency_ms.get(f"{which}_p50")),
            _ms(fig.latency_ms.get(f"{which}_p95")),
            end_section=i == len(groups) - 2,
        )
    return table


ANSWER_COLUMNS = (
    # (header, key in Figures.answers) — see metrics.answer_figures for each definition
    ("asked", "asked"),
    ("ans-\nwered", "answered"),
    ("1st\ncite", "first_citation_right"),
    ("gold\nshown", "gold_shown"),
    ("short\nshown", "short_shown"),
    ("short\nasked", "short_shown_asked"),
    ("short\nP", "short_precision"),
    ("own\nlang", "readable_shown"),
    ("off-\ntopic", "offtopic"),
    ("re-\nfused", "offtopic_refused"),
)


def _answers_table(
    title: str, first: str, rows: dict[str, tuple[dict[str, Any], dict[str, Any]]]
) -> Table:
    """One row per group: (answer figures, latency figures); the last row is the total."""
    from rich import box
    from rich.table import Table

    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, padding=(0, 0))
    table.add_column(first, no_wrap=True)
    for header, _ in ANSWER_COLUMNS:
        table.add_column(header, justify="right", no_wrap=True)
    table.add_column("p50\nms", justify="right", no_wrap=True)
    table.add_column("p95\nms", justify="right", no_wrap=True)
    for i, (name, (a, lat)) in enumerate(rows.items()):
        table.add_row(
            name,
            *(_fmt(a.get(key)) for _, key in ANSWER_COLUMNS),
            _ms(lat.get("ask_p50")),
            _ms(lat.get("ask_p95")),
            end_section=i == len(rows) - 2,
        )
    return table


ANSWER_NOTE = (
    "answered, 1st cite (first citation is a gold article), gold shown (a gold answer in the "
    "answer or its quotes): over answerable questions, a refusal counts as a miss; short P: "
    "right short lines / short lines shown; short asked: answered who / when / how-many "
    "questions with a short line; own lang: of the questions whose fact a gold article gives in "
    "the question's language, those answered with a quote in that language holding it; "
    "refused: off-topic questions refused."
)


def _protocol_note(protocol: dict[str, Any]) -> str:
    removed = protocol.get("removed_articles") or []
    limit = protocol.get("limit_per_language")
    return (
        f"\n{protocol.get('protocol')} split {protocol.get('split')}: "
        f"{protocol.get('articles')} articles, {len(removed)} taken out of the index "
        f"({', '.join(removed)}); {protocol.get('indexed_passages')} passages indexed; "
        f"{protocol.get('questions_asked')} of {protocol.get('questions_in_split')} questions"
        + (f" (at most {limit} per language)" if limit else "")
    )


def report_renderables(run: EvalRun) -> list[RenderableType]:
    """Retrieval per question language, the baseline beside it, answers, then notes."""
    from rich.text import Text

    groups = by_language(run.outcomes)
    parts: list[RenderableType] = []
    if any(f.search.get("n") for f in groups.values()) or not any(
        f.answers for f in groups.values()
    ):
        parts.append(_retrieval_table("Retrieval (article-level hits)", groups, "search"))
    if any(f.baseline for f in groups.values()):
        parts.append(
            _retrieval_table("Baseline: plain llama-index vector retriever", groups, "baseline")
        )
    if any(f.answers for f in groups.values()):
        rows = {lang: (f.answers, f.latency_ms) for lang, f in groups.items()}
        parts.append(_answers_table("Answers", "lang", rows))
        kinds = by_kind(run.outcomes)
        if kinds:
            every = groups["all"]
            kind_rows: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
                k: (a, {}) for k, a in kinds.items()
            }
            kind_rows["all"] = (every.answers, every.latency_ms)
            parts.append(_answers_table("Answers per question kind", "kind", kind_rows))
        parts.append(Text(ANSWER_NOTE, style="dim"))

    names = " · ".join(f"{code} {language_name(code)}" for code in groups if code != "all")
    foot = Text(f"{names}\n{len(run.outcomes)} questions from {run.questions_file}; ")
    foot.append(f"index {run.index_dir}")
    if run.protocol:
        foot.append(_protocol_note(run.protocol))
    if run.gold_in_index is not None and run.gold_in_index < 1.0:
        foot.append(
            f"\nwarning: only {run.gold_in_index:.0%} of the questions have their gold article "
            "in this index",
            style="yellow",
        )
    errors = [o for o in run.outcomes if o.error]
    if errors:
        foot.append(f"\n{len(errors)} question(s) failed, e.g. {errors[0].id}: {errors[0].error}")
    parts.append(foot)
    return parts


def print_report(run: EvalRun) -> None:
    from rich.console import Console

    console = Console(highlight=False)
    for part in report_renderables(run):
        console.print(part)


@contextmanager
def progress_counter(total: int, enabled: bool = True) -> Iterator[Callable[[], None]]:
    """A `questions done` bar on a terminal (stderr); a no-op otherwise."""
    from bot.cli.progress import progress_wanted

    if not (enabled and progress_wanted()):
        yield lambda: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    bar = Progress(
        "questions",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    with bar:
        task = bar.add_task("questions", total=total)
        yield lambda: bar.advance(task)
