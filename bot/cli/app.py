"""`newsbot` command line. Heavy imports happen inside commands so `--help` is instant."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from bot.cli.index_commands import index_app
from bot.cli.support import IndexDirOpt, JsonOpt, emit_json, run_app, settings_for

if TYPE_CHECKING:
    from bot.answering.protocols import AnswerEngine
    from bot.settings import Settings

app = typer.Typer(
    name="newsbot",
    help=(
        "Answer questions about multilingual news articles, citing each article and its "
        "language.\n\nExamples:\n\n"
        "  newsbot index build                 # index ./articles (only changes are embedded)\n\n"
        "  newsbot ask 'Who announced the merger, and when?'\n\n"
        "  newsbot search 'solar subsidies' -k 3 --json\n\n"
        "  newsbot repl                        # chat with follow-up questions"
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="markdown",
    pretty_exceptions_enable=False,
)
app.add_typer(index_app, name="index")

# --- search, ask, repl, eval (helper "cli") ---------------------------------------------

KOpt = Annotated[
    int | None, typer.Option("-k", "--top-k", min=1, max=50, help="Passages to return.")
]
JsonlOpt = Annotated[
    bool,
    typer.Option(
        "--jsonl", help='Batch: read {"id", "question"} lines on stdin, write one per line.'
    ),
]


def open_engine(settings: Settings) -> AnswerEngine:
    """The one place the CLI builds the answer engine (imports llama-index/chroma lazily)."""
    from bot.answering.engine import Engine

    return Engine(settings)


@app.command("search")
def search_cmd(
    query: Annotated[str | None, typer.Argument(help="What to look for, in any language.")] = None,
    k: KOpt = None,
    as_json: JsonOpt = False,
    jsonl: JsonlOpt = False,
    index_dir: IndexDirOpt = None,
) -> None:
    """Ranked passages for a query, across languages (no answer written).

    Examples:

      newsbot search 'solar subsidies'

      newsbot search '太阳能 补贴' -k 3 --json

      echo '{"id": 1, "question": "Who founded the company?"}' | newsbot search --jsonl
    """
    from bot.cli.batch import answer_batch, single_question

    text = single_question(query, jsonl, "search")
    engine = open_engine(settings_for(index_dir=index_dir))

    def result(q: str) -> dict[str, Any]:
        return {"query": q, "passages": [p.to_json() for p in engine.search(q, k=k)]}

    if text is None:
        answer_batch(result)
    elif as_json:
        emit_json(result(text))
    else:
        from bot.cli.plain_text import format_passages

        typer.echo(format_passages(text, engine.search(text, k=k)))


@app.command("ask")
def ask_cmd(
    question: Annotated[str | None, typer.Argument(help="A question, in any language.")] = None,
    as_json: JsonOpt = False,
    jsonl: JsonlOpt = False,
    index_dir: IndexDirOpt = None,
) -> None:
    """Answer a question from the articles, citing each article and its language.

    Examples:

      newsbot ask 'Who announced the merger, and when?'

      newsbot ask 'Почему глава компании ушёл в отставку?' --json

      printf '{"id": "q1", "question": "Who founded the company?"}\\n' | newsbot ask --jsonl
    """
    from bot.cli.batch import answer_batch, single_question

    text = single_question(question, jsonl, "ask")
    engine = open_engine(settings_for(index_dir=index_dir))
    if text is None:
        answer_batch(lambda q: engine.ask(q).to_json())
    elif as_json:
        emit_json(engine.ask(text).to_json())
    else:
        from bot.cli.plain_text import format_answer

        typer.echo(format_answer(engine.ask(text)))


@app.command("repl")
def repl_cmd(index_dir: IndexDirOpt = None) -> None:
    """Chat with the articles; follow-up questions understand the conversation.

    Commands inside: :help :sources :reset :reindex :json :quit (Ctrl-C cancels a
    question, Ctrl-D exits).

    Examples:

      newsbot repl

      newsbot repl --index-dir /tmp/news-index
    """
    from bot.repl import run_repl

    run_repl(settings_for(index_dir=index_dir))


@app.command("eval")
def eval_cmd(  # noqa: PLR0913 — typer: a command's options are its parameters
    questions: Annotated[
        Path | None,
        typer.Option("--questions", help="Questions file (xquad-xling or simple JSONL)."),
    ] = None,
    as_json: JsonOpt = False,
    baseline: Annotated[
        bool, typer.Option("--baseline", help="Also run the plain llama-index retriever.")
    ] = False,
    articles: Annotated[
        Path | None, typer.Option("--articles", help="Build the index from these first.")
    ] = None,
    index_dir: IndexDirOpt = None,
    no_ask: Annotated[
        bool, typer.Option("--no-ask", help="Retrieval metrics only (skip answers).")
    ] = False,
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit", min=1, help="Only the first N questions (with --xquad: N per language)."
        ),
    ] = None,
    xquad: Annotated[
        Path | None,
        typer.Option(
            "--xquad",
            help="Run the xquad-xling answer protocol on this folder: every sixth article "
            "taken out of the index must be refused, the rest answered (builds its own index "
            "in --index-dir or a temporary folder).",
        ),
    ] = None,
    split: Annotated[
        str,
        typer.Option(
            "--split",
            help="With --xquad: calib (tune on these), holdout (report these) or all.",
        ),
    ] = "calib",
) -> None:
    """Quality and latency report: recall@1/5/10, MRR@10, answered, first citation, gold
    answer shown, short-line precision, off-topic refused, p50/p95.

    Examples:

      newsbot eval                                  # eval/sample_questions.jsonl, sample index

      newsbot eval --questions eval/news/questions.jsonl --articles eval/news/articles.jsonl
      --index-dir /tmp/news-index

      newsbot eval --xquad ../shared/eval/xquad-xling --split holdout --json

      newsbot eval --xquad ../shared/eval/xquad-xling --split calib --limit 40
      --index-dir /tmp/xquad-index                  # reused: later runs embed nothing
    """
    if xquad is None:
        from bot.evaluation.evaluate import EvalOptions, run_eval_command

        options = EvalOptions(
            questions=questions,
            limit=limit,
            build=articles is not None,
            ask=not no_ask,
            baseline=baseline,
            as_json=as_json,
        )
        run_eval_command(settings_for(articles=articles, index_dir=index_dir), options)
        return
    from bot.evaluation.xquad import SPLITS
    from bot.evaluation.xquad_run import XquadOptions, run_xquad_command
    from index.errors import UsageError

    if questions is not None or articles is not None or baseline:
        raise UsageError(
            "--xquad brings its own questions and articles: drop --questions, "
            "--articles and --baseline."
        )
    if split not in SPLITS:
        raise UsageError(f"--split {split}: use one of {', '.join(SPLITS)}.")
    protocol = XquadOptions(
        xquad, split, index_dir=index_dir, limit=limit, ask=not no_ask, as_json=as_json
    )
    run_xquad_command(settings_for(), protocol)


@app.command("discord")
def discord_cmd(
    sync: Annotated[
        bool, typer.Option("--sync", help="Register the slash commands with Discord first.")
    ] = False,
    guild: Annotated[
        int | None,
        typer.Option("--guild", help="Sync to this guild only (instant; for development)."),
    ] = None,
    index_dir: IndexDirOpt = None,
) -> None:
    """Run the Discord bot (token from DISCORD_TOKEN in the environment or .env).

    Sync the slash commands once after installing or changing them, not on every start.

    Examples:

      newsbot discord --sync --guild 123456789012345678   # dev server, instant

      newsbot discord --sync                              # every server (up to an hour)

      newsbot discord
    """
    from bot.discord.runner import run

    settings = settings_for(index_dir=index_dir)
    run(settings, sync=sync, guild_id=guild if guild is not None else settings.discord_guild_id)


def main() -> None:
    """Console entry point: user-facing errors become a message and an exit code."""
    run_app(app)


if __name__ == "__main__":
    main()
