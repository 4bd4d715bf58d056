"""What every `newsbot` command shares: settings with their path checks, JSON output, and
the mapping of errors to a message and an exit code (0 ok, 2 usage, 3 no index yet,
4 configuration)."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from index.errors import ConfigError, NewsbotError, NoIndexError, UsageError

if TYPE_CHECKING:
    from bot.settings import Settings

log = logging.getLogger("newsbot")

IndexDirOpt = Annotated[
    Path | None,
    typer.Option(
        "--index-dir", help="Index directory (default: NEWSBOT_INDEX_DIR or .newsbot/index)."
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON object for machines.")]


def settings_for(**overrides: Any) -> Settings:
    """Settings from env/.env with CLI overrides; logging configured once per command.

    The index folder is checked here, before anything is opened or created: a path that is
    (or runs through) a file is a usage error when given as --index-dir (exit 2) and a
    configuration error when it comes from NEWSBOT_INDEX_DIR or .env (exit 4)."""
    from pydantic import ValidationError

    from bot.settings import configure_logging, get_settings

    try:
        settings = get_settings(**overrides)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'settings'}: {err['msg']}"
            for err in exc.errors()
        )
        raise ConfigError(f"Invalid setting — {problems}. See .env.example.") from None
    configure_logging(settings.log_level)
    given = overrides.get("index_dir") is not None
    check_folder(settings.index_dir, "--index-dir" if given else "NEWSBOT_INDEX_DIR")
    _used["index_dir"] = (settings.index_dir, given)
    return settings


_used: dict[str, Any] = {}  # what the command ran with, for error messages


def check_folder(path: Path, source: str) -> None:
    """`path` is a folder or can become one (its first existing ancestor is a folder)."""
    existing = path
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if existing.is_dir():
        return
    what = "is a file" if existing == path else f"runs through the file {existing}"
    fix = (
        "give a folder (it is created if missing), e.g. --index-dir .newsbot/index"
        if source.startswith("--")
        else f"set {source} to a folder (it is created if missing), e.g. .newsbot/index"
    )
    error = UsageError if source.startswith("--") else ConfigError
    raise error(f"{source} {path} {what}, not a folder — {fix}.")


def no_index_message(exc: Exception) -> str:
    """ "No index yet", naming the exact command that builds the index this command used."""
    import shlex

    used = _used.get("index_dir")
    if used is None:
        return str(exc)
    index_dir, _ = used
    return (
        f"No index yet in {index_dir} — build it with: "
        f"newsbot index build --index-dir {shlex.quote(str(index_dir))}"
    )


def emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def check_articles(path: Path, given: bool) -> None:
    """Refuse a missing articles path before the build creates anything."""
    if path.exists():
        return
    if given:
        raise UsageError(
            f"--articles {path} does not exist — give a folder of articles or a JSONL export, "
            "e.g. newsbot index build --articles ./articles"
        )
    raise ConfigError(
        f"No articles at {path} (NEWSBOT_ARTICLES, default ./articles) — create the folder, "
        "or pass --articles PATH (a folder or a JSONL export)."
    )


def run_app(app: typer.Typer) -> None:
    """Run the CLI app: user-facing errors become a message and an exit code (DESIGN: 0 ok,
    2 usage, 3 no index, 4 configuration; 1 only for a bug, with a hint to debug it)."""
    try:
        code = app(standalone_mode=False)
    except NoIndexError as exc:
        fail(no_index_message(exc), exc.exit_code)
    except NewsbotError as exc:
        fail(str(exc), exc.exit_code)
    except OSError as exc:  # a path the settings point at cannot be used
        log.debug("file system error", exc_info=True)
        where = f" {exc.filename}" if exc.filename else ""
        fail(
            f"cannot use{where}: {exc.strerror or exc}. Check the path and its "
            "permissions (--index-dir, --articles, NEWSBOT_* settings).",
            4,
        )
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        typer.echo("interrupted", err=True)
        sys.exit(130)
    except Exception as exc:
        import click

        if isinstance(exc, click.ClickException):
            exc.show()
            sys.exit(2 if isinstance(exc, click.UsageError) else exc.exit_code)
        log.debug("unexpected failure", exc_info=True)
        fail(
            f"unexpected failure ({type(exc).__name__}: {exc}). "
            "Run again with NEWSBOT_LOG_LEVEL=DEBUG for the traceback.",
            1,
        )
    if code:  # a command returned an exit code (typer.Exit in non-standalone mode)
        sys.exit(code)


def fail(message: str, code: int) -> NoReturn:
    """`error: message` in red on stderr, then exit with `code`."""
    typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)
    sys.exit(code)
