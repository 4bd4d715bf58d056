"""`newsbot index build|status`: build the index, or show what it holds."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bot.cli.support import IndexDirOpt, JsonOpt, check_articles, emit_json, settings_for

index_app = typer.Typer(
    help="Build the index or show its status.\n\nExamples:\n\n"
    "  newsbot index build --articles ~/exports/news.jsonl\n\n"
    "  newsbot index build --full --json\n\n"
    "  newsbot index status",
    no_args_is_help=True,
)


@index_app.command("build")
def index_build(
    articles: Annotated[
        Path | None,
        typer.Option(
            "--articles", help="Folder of articles or a JSONL export (default: articles/)."
        ),
    ] = None,
    index_dir: IndexDirOpt = None,
    full: Annotated[bool, typer.Option("--full", help="Rebuild from scratch.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Index the articles; only new or changed articles are embedded."""
    from bot.cli.progress import build_progress
    from bot.indexing import build

    settings = settings_for(articles=articles, index_dir=index_dir)
    check_articles(settings.articles, given=articles is not None)
    with build_progress(enabled=not as_json) as progress:
        report = build(settings, full=full, progress=progress)
    if as_json:
        emit_json(report.to_json())
    else:
        from bot.cli.progress import print_build_report

        print_build_report(report, settings)


@index_app.command("status")
def index_status_cmd(index_dir: IndexDirOpt = None, as_json: JsonOpt = False) -> None:
    """Articles and chunks per language, model, last build time, location."""
    from index.building.builder import index_status

    settings = settings_for(index_dir=index_dir)
    status = index_status(settings)
    if as_json:
        emit_json(status.to_json())
    else:
        from bot.cli.progress import print_status

        print_status(status)
