"""`newsbot eval --xquad DIR`: the xquad-xling answer protocol, end to end.

The split's passages are written as a JSONL export, indexed by the product's own build
(`index.building.builder.build_index`) into --index-dir or a temporary folder, and every
question in every language goes through `Engine.ask` (and `Engine.search`, for recall) exactly as
`newsbot ask` would. Scoring happens afterwards (`metrics.answer_figures`).
"""

from __future__ import annotations

import json
import logging
import tempfile
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.evaluation.evaluate import QuestionRunner, article_sources, warm_up
from bot.evaluation.metrics import EvalRun
from bot.evaluation.xquad import Protocol, Split, limit_per_language, load_set, plan, write_export
from index.errors import UsageError

log = logging.getLogger(__name__)

# The export's file name is the articles' `source`, part of their content hash: it stays
# the same across runs so a reused --index-dir embeds only what a split changes.
EXPORT_NAME = "xquad-xling.jsonl"


def protocol_summary(protocol: Protocol, asked: int, limit: int | None) -> dict[str, Any]:
    return {
        "protocol": "xquad-xling",
        "split": protocol.split,
        "articles": len(protocol.articles),
        "removed_articles": protocol.removed,
        "indexed_passages": len(protocol.indexed),
        "questions_in_split": len(protocol.questions),
        "questions_asked": asked,
        "limit_per_language": limit,
    }


def _check_index_dir(settings: Any) -> None:
    """Refuse to rebuild somebody's real index with the xquad passages."""
    from index.building.builder import list_articles
    from index.errors import NoIndexError

    try:
        sources = {a.source.split("#", 1)[0] for a in list_articles(settings)}  # file#record
    except NoIndexError:
        return
    foreign = sorted(sources - {EXPORT_NAME})
    if foreign:
        raise UsageError(
            f"{settings.resolved_index_dir()} holds another index (articles from "
            f"{', '.join(foreign[:3])}); give --index-dir an empty folder or one an earlier "
            "`newsbot eval --xquad` made, or leave it out for a temporary one."
        )


@dataclass(frozen=True)
class XquadOptions:
    """What `newsbot eval --xquad` was asked for."""

    folder: Path  # the xquad-xling folder
    split: Split
    index_dir: Path | None = None  # where its index is built; a temporary folder when None
    limit: int | None = None  # questions per language
    ask: bool = True  # ask as well as search (answer figures)
    as_json: bool = False  # JSON on stdout instead of a table and progress bars


def run_xquad_command(settings: Any, options: XquadOptions) -> EvalRun:
    """Build the split's index, ask every question, print a table or JSON."""
    from bot.answering.engine import Engine
    from bot.cli.progress import build_progress
    from bot.evaluation.report import print_report, progress_counter
    from index.building.builder import build_index

    folder, as_json, limit = options.folder, options.as_json, options.limit
    protocol = plan(load_set(folder), options.split)
    questions = limit_per_language(protocol.questions, limit)
    with ExitStack() as stack:
        work = Path(
            stack.enter_context(
                tempfile.TemporaryDirectory(prefix="newsbot-xquad-", ignore_cleanup_errors=True)
            )
        )
        export = write_export(protocol.indexed, work / EXPORT_NAME)
        target = options.index_dir if options.index_dir is not None else work / "index"
        local = settings.model_copy(update={"articles": export, "index_dir": target})
        _check_index_dir(local)
        with build_progress(enabled=not as_json) as progress:
            report = build_index(local, progress=progress)
        log.info("xquad index: %s", report.to_json())
        engine = Engine(local)
        warm_up(engine, ask=options.ask)
        run = EvalRun(questions_file=str(folder), index_dir=str(local.resolved_index_dir()))
        run.gold_in_index = 1.0  # by construction: the index is built from the protocol
        run.protocol = protocol_summary(protocol, len(questions), limit)
        with progress_counter(len(questions), enabled=not as_json) as tick:
            sources = article_sources(local) if options.ask else None
            runner = QuestionRunner(engine, ask=options.ask, sources=sources)
            run.outcomes = runner.run(questions, on_done=lambda _: tick())
    if as_json:
        print(json.dumps(run.to_json(), ensure_ascii=False))
    else:
        print_report(run)
    return run
