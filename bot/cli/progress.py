"""Progress bar and reports for `newsbot index build|status` and the REPL's `:reindex`.

The bar goes to stderr, only on a terminal and never under CI, so pipes and logs
stay clean. Reports are rich tables with language names, not bare codes.
"""

from __future__ import annotations

import io
import logging
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TextIO

from index.language import language_name

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

    from index.building.report import BuildProgress, BuildReport, IndexStatus, LanguageCount

log = logging.getLogger(__name__)

ProgressCallback = Callable[["BuildProgress"], None]

STAGE_LABELS = {
    "scan": "Scanning files",
    "read": "Reading articles",
    "embed": "Embedding chunks",
    "commit": "Saving index",
    "calibrate": "Calibrating refusal",
}


def progress_wanted(stream: TextIO | None = None) -> bool:
    """A bar only makes sense on an interactive terminal, and never in CI logs."""
    if os.environ.get("CI", "").strip().lower() in ("1", "true", "yes"):
        return False
    streams = [stream] if stream is not None else [sys.stdout, sys.stderr]
    return all(_isatty(s) for s in streams)


def _isatty(stream: TextIO | None) -> bool:
    try:
        return bool(stream is not None and stream.isatty())
    except (AttributeError, ValueError):
        return False


@contextmanager
def build_progress(enabled: bool = True) -> Iterator[ProgressCallback]:
    """Yield a callback for `build_index(progress=...)` that draws a bar with an ETA.

    When disabled, or when stdout/stderr is not a terminal, or CI=true, the callback
    does nothing (it still logs each stage change at DEBUG).
    """
    if not (enabled and progress_wanted()):
        yield _QuietProgress()
        return

    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    bar = Progress(
        SpinnerColumn(),
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("eta {task.fields[eta]}"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    with bar:
        yield _BarProgress(bar)


class _QuietProgress:
    def __init__(self) -> None:
        self.stage: str | None = None

    def __call__(self, event: BuildProgress) -> None:
        if event.stage != self.stage:
            self.stage = event.stage
            log.debug("build stage %s (%d/%d)", event.stage, event.done, event.total)


class _BarProgress:
    """One bar per stage; the build's own ETA when it gives one, else rich's estimate."""

    def __init__(self, bar: Any) -> None:
        self.bar = bar
        self.tasks: dict[str, Any] = {}

    def __call__(self, event: BuildProgress) -> None:
        task = self.tasks.get(event.stage)
        label = STAGE_LABELS.get(event.stage, event.stage.capitalize())
        if task is None:
            task = self.bar.add_task(label, total=max(event.total, 1), eta="-:--:--")
            self.tasks[event.stage] = task
        eta = 0.0 if event.total and event.done >= event.total else event.eta_seconds
        if eta is None:
            eta = self.bar.tasks[self._index(task)].time_remaining
        self.bar.update(
            task,
            completed=event.done,
            total=max(event.total, 1),
            eta=format_seconds(eta) if eta is not None else "-:--:--",
        )

    def _index(self, task_id: Any) -> int:
        return next(i for i, t in enumerate(self.bar.tasks) if t.id == task_id)


def format_seconds(seconds: float) -> str:
    seconds = max(0, int(round(seconds)))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}"


def _language_table(languages: dict[str, LanguageCount], title: str) -> RenderableType:
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    table.add_column("language")
    table.add_column("code", style="dim")
    table.add_column("articles", justify="right")
    table.add_column("chunks", justify="right")
    for code, count in sorted(languages.items(), key=lambda kv: (-kv[1].articles, kv[0])):
        table.add_row(language_name(code), code, str(count.articles), str(count.chunks))
    if not languages:
        table.add_row("(none)", "", "0", "0")
    return table


def build_report_renderables(report: BuildReport, settings: Any = None) -> list[RenderableType]:
    """What `newsbot index build` shows: counts, skipped files with reasons, languages, time."""
    from rich.text import Text

    parts: list[RenderableType] = []
    where = f" in {settings.resolved_index_dir()}" if settings is not None else ""
    summary = Text()
    summary.append(f"Index built{where} in {report.seconds:.1f} s\n", style="bold")
    summary.append(
        f"added {report.added} · updated {report.updated} · removed {report.removed} · "
        f"unchanged {report.unchanged} · skipped {len(report.skipped)} · "
        f"chunks embedded {report.chunks_embedded}"
    )
    parts.append(summary)
    if report.skipped:
        skipped = Text("Skipped:\n", style="yellow")
        for item in report.skipped:
            skipped.append(f"  {item.get('source', '?')}: {item.get('reason', '?')}\n")
        parts.append(skipped)
    parts.append(_language_table(report.languages, "Languages"))
    return parts


def status_renderables(status: IndexStatus) -> list[RenderableType]:
    """What `newsbot index status` shows."""
    from rich.text import Text

    head = Text()
    head.append(f"{status.articles} articles, {status.chunks} chunks\n", style="bold")
    head.append(f"embedding model: {status.embedding_model}\n")
    head.append(f"built at:        {status.built_at or 'never'}\n")
    head.append(f"index dir:       {status.index_dir}")
    return [head, _language_table(status.languages, "Languages")]


def _console(file: TextIO | None = None) -> Console:
    from rich.console import Console

    return Console(file=file, highlight=False)


def print_build_report(report: BuildReport, settings: Any = None) -> None:
    console = _console()
    for part in build_report_renderables(report, settings):
        console.print(part)


def print_status(status: IndexStatus) -> None:
    console = _console()
    for part in status_renderables(status):
        console.print(part)


def render_text(parts: list[RenderableType], width: int = 100) -> str:
    """Plain text of rich renderables, for callers that print through a callback (the REPL)."""
    from rich.console import Console

    buffer = io.StringIO()
    console = Console(file=buffer, width=width, force_terminal=False, color_system=None)
    for part in parts:
        console.print(part)
    return buffer.getvalue()
