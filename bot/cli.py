"""`newsbot` command line. Heavy imports happen inside commands so `--help` is instant."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from index.errors import NewsbotError

app = typer.Typer(
    name="newsbot",
    help=(
        "Answer questions about multilingual news articles, citing each article and its "
        "language.\n\nExamples:\n\n"
        "  newsbot index build                 # index ./articles (only changes are embedded)\n\n"
        "  newsbot ask 'Why did the co-founder of xAI leave?'\n\n"
        "  newsbot search 'Babuschkin Ventures' -k 3 --json\n\n"
        "  newsbot repl                        # chat with follow-up questions"
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="markdown",
)
index_app = typer.Typer(
    help="Build the index or show its status.\n\nExamples:\n\n"
    "  newsbot index build --articles ~/exports/news.jsonl\n\n"
    "  newsbot index build --full --json\n\n"
    "  newsbot index status",
    no_args_is_help=True,
)
app.add_typer(index_app, name="index")

IndexDirOpt = Annotated[
    Path | None,
    typer.Option("--index-dir", help="Index directory (default: NEWSBOT_INDEX_DIR or .newsbot/index)."),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON object for machines.")]

log = logging.getLogger("newsbot")


def settings_for(**overrides: Any):  # noqa: ANN201 - returns bot.settings.Settings
    from pydantic import ValidationError

    from bot.settings import get_settings

    try:
        settings = get_settings(**overrides)
    except ValidationError as exc:
        raise typer.BadParameter(f"invalid setting: {exc}") from exc
    logging.basicConfig(
        level=getattr(logging, settings.log_level.upper(), logging.WARNING),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    return settings


def emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
    sys.stdout.flush()


@index_app.command("build")
def index_build(
    articles: Annotated[
        Path | None,
        typer.Option("--articles", help="Folder of articles or a JSONL export (default: articles/)."),
    ] = None,
    index_dir: IndexDirOpt = None,
    full: Annotated[bool, typer.Option("--full", help="Rebuild from scratch.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Index the articles; only new or changed articles are embedded."""
    from index.build import build_index
    from bot.progress import build_progress

    settings = settings_for(articles=articles, index_dir=index_dir)
    with build_progress(enabled=not as_json) as progress:
        report = build_index(settings, full=full, progress=progress)
    if as_json:
        emit_json(report.to_json())
    else:
        from bot.progress import print_build_report

        print_build_report(report, settings)


@index_app.command("status")
def index_status_cmd(index_dir: IndexDirOpt = None, as_json: JsonOpt = False) -> None:
    """Articles and chunks per language, model, last build time, location."""
    from index.build import index_status

    settings = settings_for(index_dir=index_dir)
    status = index_status(settings)
    if as_json:
        emit_json(status.to_json())
    else:
        from bot.progress import print_status

        print_status(status)


def main() -> None:
    """Console entry point: user-facing errors become a message and an exit code."""
    try:
        app(standalone_mode=False)
    except NewsbotError as exc:
        typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
        sys.exit(exc.exit_code)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        typer.echo("interrupted", err=True)
        sys.exit(130)
    except Exception as exc:  # click usage errors
        import click

        if isinstance(exc, click.ClickException):
            exc.show()
            sys.exit(2 if isinstance(exc, click.UsageError) else exc.exit_code)
        raise


if __name__ == "__main__":
    main()
