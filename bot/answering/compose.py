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
from bot.answering.refusal import NullScores
from bot.answering.types import Answer
from bot.settings import Settings
from index.language import question_language
from index.types import Passage

if TYPE_CHECKING:
    from llama_index.core.llms import LLM

log = logging.getLogger(__name__)

# Without a null distribution (no shipped off-topic questions), this score decides.
REFUSE_BELOW = 0.55


class Answerer:
    """Passages → Answer, composed once from its parts, as llama-index's query engine holds
    its response synthesizer: the settings, an optional LLM, the evidence scorer (`meaning`,
    the model's sentence similarity), the refusal statistics (`nulls`) and `related`, which
    fetches the passages of a near-duplicate article (see extractive_answer).

    An explicit `threshold` on the best passage's score replaces the refusal statistics
    (tests). The LLM path falls back to the extractive answer on any failure."""

    def __init__(
        self,
        settings: Settings,
        llm: LLM | None = None,
        *,
        related: Related | None = None,
        meaning: SentenceMeaning | None = None,
        nulls: NullScores | None = None,
        threshold: float | None = None,
    ) -> None:
        self.settings = settings
        self.llm = llm
        self.related = related
        self.meaning = meaning
        self.nulls = nulls
        self.threshold = threshold

    def too_weak(self, passages: list[Passage], language: str) -> bool:
        """No passages, or the best passage less than Settings.refuse_z standard deviations
        above what off-topic questions in the same language reach on this index
        (refusal.py). Without a null for the language, or with an explicit `threshold`, the
        best passage's score decides (REFUSE_BELOW by default)."""
        if not passages:
            return True
        if self.threshold is None and self.nulls is not None:
            answerable = self.nulls.answerable(passages, language, self.settings.refuse_z)
            if answerable is not None:
                return not answerable
        below = REFUSE_BELOW if self.threshold is None else self.threshold
        return max(p.score for p in passages) < below

    def answer(
        self,
        question: str,
        passages: list[Passage],
        *,
        standalone: str | None = None,
        language: str | None = None,
        readers: Sequence[str] = (),
    ) -> Answer:
        """The answer to `question` from `passages` (retrieved for `standalone`, if given).

        `standalone` is the question rewritten without conversation context; it is what the
        evidence is matched against. The answer is written in `language`, by default the
        question's. `readers`: further languages the asker reads, in order of preference (of
        two equally good sources, one in the question's language goes first, then these).
        """
        start = time.perf_counter()
        language = language or question_language(question, FALLBACK)
        answer = Answer(
            question=question, text="", language=language, refused=False,
            mode="extractive", passages=passages,
        )  # fmt: skip
        query = standalone or question
        if self.too_weak(passages, language):
            top = max((p.score for p in passages), default=None)
            log.info("refused: top score %s (threshold %s)", top, self.threshold)
            answer.refused = True
            answer.text = refusal_text(language, passages)
        elif self.llm is not None:
            self._written(self.llm, answer, query, readers)
        else:
            self._extractive(answer, query, readers)
        answer.timings_ms["answer"] = (time.perf_counter() - start) * 1000
        return answer

    def _written(self, llm: LLM, answer: Answer, query: str, readers: Sequence[str]) -> None:
        """The LLM's answer, or its refusal; the extractive answer when the LLM fails."""
        try:
            reply = llm_answer(llm, query, answer.language, answer.passages, self.settings)
        except LLMFailure as exc:
            log.warning("LLM answer failed (%s); extractive answer instead", exc)
            answer.notice = f"Extractive answer: {exc}."
            self._extractive(answer, query, readers)
            return
        answer.mode = "llm"
        answer.usage = reply.usage
        if reply.refused:
            answer.refused = True
            answer.text = refusal_text(answer.language, answer.passages)
        else:
            answer.text, answer.citations = reply.text, reply.citations

    def _extractive(self, answer: Answer, query: str, readers: Sequence[str]) -> None:
        """The extractive answer; a near-duplicate article it quotes joins answer.passages."""
        got = extractive_answer(
            query, answer.language, answer.passages, self.related, self.meaning, readers
        )
        answer.passages = [*answer.passages, *got.quoted]
        answer.short = got.short
        answer.text, answer.citations = got.text, got.citations
        if not got.stated:  # the story is covered, the asked fact is not: a refusal that
            answer.refused = True  # quotes the closest passages
            log.info("refused: no sentence gives the asked fact")
