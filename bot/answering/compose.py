"""Passages → Answer: refuse on weak evidence, else an LLM answer or the extractive one.

The LLM path falls back to the extractive answer on any failure (timeout, HTTP error,
garbage, no valid citation) and says why in Answer.notice.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

from bot.answering.extractive.compose import Related, extractive_answer, refusal_text
from bot.answering.extractive.semantic import SentenceMeaning
from bot.answering.llm import LLMFailure, llm_answer
from bot.answering.phrases import FALLBACK
from bot.answering.refusal import NULL_Z, NullScores
from bot.answering.types import Answer, Citation
from bot.settings import Settings
from index.language import question_language
from index.types import Passage

if TYPE_CHECKING:
    from llama_index.core.llms import LLM

log = logging.getLogger(__name__)

# Without a null distribution (no shipped off-topic questions), this score decides.
REFUSE_BELOW = 0.55


def is_weak(
    passages: list[Passage],
    language: str,
    nulls: NullScores | None = None,
    threshold: float | None = None,
    least_z: float = NULL_Z,
) -> bool:
    """Too weak to answer from: no passages, or the best passage less than `least_z` standard
    deviations above what off-topic questions in the same language reach on this index
    (refusal.py; Settings.refuse_z). An explicit ``threshold`` (tests, evaluation) or,
    without a null, REFUSE_BELOW decides on the best passage's score instead."""
    if not passages:
        return True
    if threshold is None and nulls is not None:
        answerable = nulls.answerable(passages, language, least_z)
        if answerable is not None:
            return not answerable
    return max(p.score for p in passages) < (REFUSE_BELOW if threshold is None else threshold)


def _extractive(
    answer: Answer,
    query: str,
    related: Related | None,
    meaning: SentenceMeaning | None,
    readers: Sequence[str] = (),
) -> tuple[str, list[Citation]]:
    """The extractive answer; a near-duplicate article it quotes joins answer.passages."""
    got = extractive_answer(query, answer.language, answer.passages, related, meaning, readers)
    answer.passages = [*answer.passages, *got.quoted]
    answer.short = got.short
    return got.text, got.citations


def answer_question(
    question: str,
    passages: list[Passage],
    settings: Settings,
    llm: LLM | None = None,
    *,
    standalone: str | None = None,
    language: str | None = None,
    threshold: float | None = None,
    related: Related | None = None,
    meaning: SentenceMeaning | None = None,
    nulls: NullScores | None = None,
    readers: Sequence[str] = (),
) -> Answer:
    """The answer to `question` from `passages` (retrieved for `standalone`, if given).

    `standalone` is the question rewritten without conversation context; it is what the
    evidence is matched against. The answer is written in the language of `question`.
    `related` fetches the passages of near-duplicate articles (see extractive_answer).
    `readers`: further languages the asker reads, in order of preference (of two equally
    good sources, one in the question's language goes first, then one in these).
    """
    start = time.perf_counter()
    language = language or question_language(question, FALLBACK)
    query = standalone or question
    answer = Answer(
        question=question, text="", language=language, refused=False,
        mode="extractive", passages=passages,
    )  # fmt: skip
    if is_weak(passages, language, nulls, threshold, settings.refuse_z):
        top = max((p.score for p in passages), default=None)
        log.info("refused: top score %s (threshold %s)", top, threshold)
        answer.refused = True
        answer.text = refusal_text(language, passages)
    elif llm is not None:
        try:
            reply = llm_answer(llm, query, language, passages, settings)
        except LLMFailure as exc:
            log.warning("LLM answer failed (%s); extractive answer instead", exc)
            answer.notice = f"Extractive answer: {exc}."
            answer.text, answer.citations = _extractive(answer, query, related, meaning, readers)
        else:
            answer.mode = "llm"
            answer.usage = reply.usage
            if reply.refused:
                answer.refused = True
                answer.text = refusal_text(language, passages)
            else:
                answer.text, answer.citations = reply.text, reply.citations
    else:
        answer.text, answer.citations = _extractive(answer, query, related, meaning, readers)
    answer.timings_ms["answer"] = (time.perf_counter() - start) * 1000
    return answer
