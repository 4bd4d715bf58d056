"""The only module that builds an LLM (llama-index classes) and talks to it.

`build_llm(settings)` returns a llama-index LLM for NEWSBOT_LLM, from `BACKENDS` (name →
factory; a new backend is one `@backend(name)` function plus its name in Settings.llm).
`llm_answer` asks it for a cited answer and checks the reply: every [n] must name a source
we gave it, at least one must remain, and a reply of NOT_IN_ARTICLES is a refusal.
Any failure raises LLMFailure with a one-line reason, and the caller falls back to the
extractive answer. Keys are SecretStr and are only unwrapped when the client is built.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.answering.citations import citation_for, renumber_citations
from bot.answering.extractive.evidence import best_per_article, score_evidence
from bot.answering.prompting import count_tokens, fit_sources, group_sources, render
from bot.answering.types import Citation
from bot.settings import Settings
from index.errors import ConfigError
from index.language import language_name
from index.types import Passage

if TYPE_CHECKING:
    from llama_index.core.llms import LLM

log = logging.getLogger(__name__)

NOT_COVERED = "NOT_IN_ARTICLES"


class LLMFailure(Exception):
    """The LLM could not give a usable answer; the message is the one-line reason."""


@dataclass
class LLMReply:
    text: str
    citations: list[Citation]
    usage: dict[str, int]
    refused: bool = False


LLMFactory = Callable[[Settings, "str | None"], "LLM"]
BACKENDS: dict[str, LLMFactory] = {}  # NEWSBOT_LLM name → factory(settings, api key)


def backend(name: str) -> Callable[[LLMFactory], LLMFactory]:
    """Register a factory for NEWSBOT_LLM=`name` (add the name to Settings.llm too)."""

    def register(factory: LLMFactory) -> LLMFactory:
        BACKENDS[name] = factory
        return factory

    return register


def build_llm(settings: Settings) -> LLM:
    """A llama-index LLM for settings.llm (raises ConfigError when it cannot be built)."""
    factory = BACKENDS.get(settings.llm)
    if factory is None:
        raise ConfigError(
            f"NEWSBOT_LLM={settings.llm!r} builds no LLM (use {', '.join(sorted(BACKENDS))})."
        )
    key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else None
    return factory(settings, key)


@backend("openai")
def _openai(settings: Settings, key: str | None) -> LLM:
    from llama_index.llms.openai import OpenAI

    if not key:
        raise ConfigError("NEWSBOT_LLM=openai needs an API key: set NEWSBOT_LLM_API_KEY.")
    return OpenAI(
        model=settings.llm_model or "gpt-4o-mini",
        api_key=key,
        api_base=settings.llm_base_url,
        **_openai_options(settings),
    )


@backend("openai-like")
def _openai_like(settings: Settings, key: str | None) -> LLM:
    from llama_index.llms.openai_like import OpenAILike

    if not settings.llm_base_url or not settings.llm_model:
        raise ConfigError(
            "NEWSBOT_LLM=openai-like needs NEWSBOT_LLM_BASE_URL "
            "(e.g. http://localhost:8000/v1) and NEWSBOT_LLM_MODEL."
        )
    return OpenAILike(
        model=settings.llm_model,
        api_base=settings.llm_base_url,
        api_key=key or "not-needed",
        is_chat_model=True,
        context_window=max(4096, settings.llm_context_tokens + settings.llm_max_tokens + 800),
        **_openai_options(settings),
    )


def _openai_options(settings: Settings) -> dict[str, Any]:
    """What both OpenAI clients share: no retries (the extractive answer is the fallback)."""
    return {
        "max_tokens": settings.llm_max_tokens,
        "temperature": 0.1,
        "timeout": settings.llm_timeout,
        "max_retries": 0,
    }


@backend("ollama")
def _ollama(settings: Settings, key: str | None) -> LLM:
    try:
        from llama_index.llms.ollama import Ollama
    except ImportError as exc:
        raise ConfigError(
            "NEWSBOT_LLM=ollama needs the Ollama extra: pip install 'newsbot[ollama]'."
        ) from exc
    llm: LLM = Ollama(  # an optional extra: untyped when it is not installed
        model=settings.llm_model or "llama3.1",
        base_url=settings.llm_base_url or "http://localhost:11434",
        request_timeout=settings.llm_timeout,
    )
    return llm


def _chat(llm: LLM, system: str, user: str) -> tuple[str, dict[str, int]]:
    from llama_index.core.llms import ChatMessage, MessageRole

    messages = [
        ChatMessage(role=MessageRole.SYSTEM, content=system),
        ChatMessage(role=MessageRole.USER, content=user),
    ]
    log.debug("LLM prompt:\n%s\n---\n%s", system, user)
    try:
        response = llm.chat(messages)
    except Exception as exc:  # provider errors of every kind end in the fallback
        raise LLMFailure(_reason(exc)) from exc
    text = response.message.content if response.message else None
    if not isinstance(text, str) or not text.strip():
        raise LLMFailure("the LLM returned an empty reply")
    usage = {
        k: int(v)
        for k, v in (response.additional_kwargs or {}).items()
        if k in ("prompt_tokens", "completion_tokens", "total_tokens") and v is not None
    }
    if "prompt_tokens" not in usage or "completion_tokens" not in usage:
        usage = {
            "prompt_tokens": count_tokens(system) + count_tokens(user),
            "completion_tokens": count_tokens(text),
        }
    usage["total_tokens"] = usage["prompt_tokens"] + usage["completion_tokens"]
    return text.strip(), usage


def _reason(exc: BaseException) -> str:
    name = type(exc).__name__
    if "Timeout" in name or isinstance(exc, TimeoutError):
        return "the LLM did not answer in time"
    status = getattr(exc, "status_code", None)
    if status:
        return f"the LLM server returned HTTP {status}"
    if "Connection" in name:
        return "the LLM server could not be reached"
    return f"the LLM request failed ({name})"


def llm_answer(
    llm: LLM, question: str, language: str, passages: list[Passage], settings: Settings
) -> LLMReply:
    """A cited answer written by the LLM, checked; raises LLMFailure when unusable."""
    context, sources = fit_sources(group_sources(passages), settings.llm_context_tokens)
    if not sources:
        raise LLMFailure("no article fits the LLM context budget")
    lang_name = language_name(language)
    system = render("system", language_name=lang_name, max_sentences=6)
    user = render("answer", sources=context, question=question, language_name=lang_name)
    text, usage = _chat(llm, system, user)
    if NOT_COVERED in text and len(text) < len(NOT_COVERED) + 40:
        return LLMReply(text="", citations=[], usage=usage, refused=True)
    by_n = {s.n: s for s in sources}
    text, order = renumber_citations(text, by_n)
    if not order:
        raise LLMFailure("the LLM reply cited no source")
    cited = {by_n[old].passage.article_id for old in order}
    best = best_per_article(
        score_evidence(question, language, [p for p in passages if p.article_id in cited])
    )
    citations = []
    for new, old in enumerate(order, start=1):
        source = by_n[old]
        ev = best.get(source.passage.article_id)
        citations.append(citation_for(new, source.passage, ev.sentence if ev else source.text))
    return LLMReply(text=text, citations=citations, usage=usage)


def condense_question(llm: LLM, history: str, question: str) -> str:
    """The follow-up rewritten as a standalone question (raises LLMFailure)."""
    prompt = render("condense", history=history, question=question)
    text, _ = _chat(llm, render("condense_system"), prompt)
    line = text.strip().splitlines()[0].strip().strip('"')
    if not line or len(line) > 4 * len(question) + 300:
        raise LLMFailure("the LLM gave no usable standalone question")
    return line
