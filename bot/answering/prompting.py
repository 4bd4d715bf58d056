"""Prompt files (prompts/*.txt) rendered with named variables, and the token budget.

A missing or unexpected variable is an error. Article text is wrapped in <article> tags as
untrusted data; a closing or opening tag inside the text is escaped so it cannot end the
block early. Tokens are counted with tiktoken cl100k_base through llama-index's tokenizer
helper, which points TIKTOKEN_CACHE_DIR at the copy bundled in llama-index-core (offline).
"""

from __future__ import annotations

import html
import logging
import os
import re
import string
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from index.errors import ConfigError
from index.ingest.chunking import count_tokens
from index.text import split_sentences
from index.types import Passage

log = logging.getLogger(__name__)

PROMPTS_DIR = Path(__file__).resolve().parents[2] / "prompts"
_TAG = re.compile(r"<(\s*/?\s*article)", re.IGNORECASE)


class PromptError(ConfigError):
    """A prompt file is missing or its variables do not match what the code gives it."""


def prompt_dir() -> Path:
    return Path(os.environ.get("NEWSBOT_PROMPTS_DIR", PROMPTS_DIR))


def prompt_variables(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@lru_cache(maxsize=32)
def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def load_prompt(name: str) -> str:
    path = prompt_dir() / f"{name}.txt"
    if not path.is_file():
        raise PromptError(f"Prompt file {path} is missing — restore it from the repository.")
    return _read(path)


def render(name: str, **values: object) -> str:
    """prompts/<name>.txt with every {variable} filled; missing or extra ones are errors."""
    template = load_prompt(name)
    wanted = prompt_variables(template)
    missing = wanted - values.keys()
    extra = values.keys() - wanted
    if missing or extra:
        raise PromptError(
            f"Prompt {name}.txt: missing variables {sorted(missing)}, "
            f"unexpected {sorted(extra)} — fix the file or the code that renders it."
        )
    return template.format(**values)


def escape_untrusted(text: str) -> str:
    """Neutralise <article> / </article> inside untrusted text."""
    return _TAG.sub(r"&lt;\1", text)


@dataclass
class Source:
    """One numbered article in a prompt: its passages merged in reading order."""

    n: int
    passage: Passage  # the best-ranked passage of the article (for the citation)
    text: str


def group_sources(passages: list[Passage]) -> list[Source]:
    """One source per article, in rank order, its passages' text joined by position."""
    by_article: dict[str, list[Passage]] = {}
    for p in passages:
        by_article.setdefault(p.article_id, []).append(p)
    sources = []
    for n, group in enumerate(by_article.values(), start=1):
        ordered = sorted(group, key=lambda p: p.position)
        sources.append(Source(n=n, passage=group[0], text="\n…\n".join(p.text for p in ordered)))
    return sources


def article_block(source: Source, text: str | None = None) -> str:
    p = source.passage
    return render(
        "article",
        n=source.n,
        language=html.escape(p.language, quote=True),
        title=html.escape(p.title, quote=True),
        text=escape_untrusted(source.text if text is None else text),
    ).strip()


def fit_sources(sources: list[Source], budget: int) -> tuple[str, list[Source]]:
    """Article blocks that fit in `budget` tokens, best first; the last one may be cut short.

    Returns the joined blocks and the sources that made it in (at least one, cut to fit).
    """
    blocks: list[str] = []
    kept: list[Source] = []
    used = 0
    for source in sources:
        block = article_block(source)
        cost = count_tokens(block) + 1
        if used + cost <= budget:
            blocks.append(block)
            kept.append(source)
            used += cost
            continue
        remaining = budget - used
        if remaining < 60:
            break
        cut = _cut_to(source, remaining)
        if cut is not None:
            blocks.append(cut)
            kept.append(source)
        break
    log.debug("prompt context: %d sources, %d tokens budget", len(kept), budget)
    return "\n\n".join(blocks), kept


def _cut_to(source: Source, budget: int) -> str | None:
    """The source's block holding as many whole sentences as fit in `budget` tokens."""
    sentences = split_sentences(source.text, source.passage.language)
    best = None
    lo, hi = 1, len(sentences)
    while lo <= hi:
        mid = (lo + hi) // 2
        block = article_block(source, " ".join(sentences[:mid]))
        if count_tokens(block) + 1 <= budget:
            best, lo = block, mid + 1
        else:
            hi = mid - 1
    return best
