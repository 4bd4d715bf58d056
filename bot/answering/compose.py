"""Passages → Answer: refuse on weak evidence, else an LLM answer or the extractive one.

The LLM path falls back to the extractive answer on any failure (timeout, HTTP error,
garbage, no valid citation) and says why in Answer.notice.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

from bot.answering.extractive.compose import Related, extractive_answer, refusal_text
from bot.answering.llm import LLMFailure, llm_answer
from bot.answering.phrases import question_language
from bot.answering.extractive.sentences import question_names, sentence_terms, term_matches, word_key
from bot.settings import Settings
from bot.answering.types import Answer, Citation
from index.types import Passage

if TYPE_CHECKING:
    from llama_index.core.llms import LLM

log = logging.getLogger(__name__)

# Defaults of settings.refuse_below / refuse_below_with_name: the top passage score
# (index.search's calibrated 0..1 score) under which the articles are taken not to cover
# the question. Calibrated on eval/sample_questions.jsonl over the sample
# articles (25 answerable, 15 unanswerable; tests/bot/test_answer.py, slow tests):
#   answerable top scores 0.40-1.00 (0.52+ except one, whose name the passages share),
#   unanswerable 0.00-0.46 (the highest are Chinese/Indonesian questions: same-language bias).
REFUSE_BELOW = 0.55
# A distinctive name of the question (capitalised or Latin word, not the first one) found in
# the retrieved passages is evidence by itself: then only a much lower score refuses.
# (Unanswerable questions sharing a name — "2022", "Tesla" — scored under 0.04.)
REFUSE_BELOW_WITH_NAME = 0.25


def shared_names(question: str, passages: list[Passage]) -> list[str]:
    """Names of the question (Babuschkin, Бабушкина, xAI, H100) that the passages contain."""
    names = question_names(question)
    if not names:
        return []
    keys: set[str] = set()
    for p in passages:
        keys |= sentence_terms(p.text)
    return [n for n in names if term_matches(word_key(n), keys)]


def is_weak(
    question: str,
    passages: list[Passage],
    threshold: float | None = None,
    settings: Settings | None = None,
) -> bool:
    """Too weak to answer from: no passages, or the best scores under the threshold."""
    if not passages:
        return True
    top = max(p.score for p in passages)
    if threshold is not None:
        return top < threshold
    below = settings.refuse_below if settings else REFUSE_BELOW
    with_name = settings.refuse_below_with_name if settings else REFUSE_BELOW_WITH_NAME
    return top < (with_name if shared_names(question, passages) else below)


def _extractive(answer: Answer, query: str, related: Related | None) -> tuple[str, list[Citation]]:
    """The extractive answer; a near-duplicate article it quotes joins answer.passages."""
    quoted: list[Passage] = []
    reply = extractive_answer(query, answer.language, answer.passages, related, quoted)
    answer.passages = [*answer.passages, *quoted]
    return reply


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
) -> Answer:
    """The answer to `question` from `passages` (retrieved for `standalone`, if given).

    `standalone` is the question rewritten without conversation context; it is what the
    evidence is matched against. The answer is written in the language of `question`.
    `related` fetches the passages of near-duplicate articles (see extractive_answer).
    """
    start = time.perf_counter()
    language = language or question_language(question)
    query = standalone or question
    answer = Answer(
        question=question, text="", language=language, refused=False,
        mode="extractive", passages=passages,
    )  # fmt: skip
    if is_weak(query, passages, threshold, settings):
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
            answer.text, answer.citations = _extractive(answer, query, related)
        else:
            answer.mode = "llm"
            answer.usage = reply.usage
            if reply.refused:
                answer.refused = True
                answer.text = refusal_text(language, passages)
            else:
                answer.text, answer.citations = reply.text, reply.citations
    else:
        answer.text, answer.citations = _extractive(answer, query, related)
    answer.timings_ms["answer"] = (time.perf_counter() - start) * 1000
    return answer
