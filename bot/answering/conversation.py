"""Chat memory: the turns of one conversation, bounded in tokens, and follow-up rewriting.

A follow-up ("and who inspired him?") becomes a standalone question before retrieval:
with an LLM through prompts/condense.txt, without one by a heuristic that spots pronouns
and very short questions and carries the previous turn's entities (capitalised names,
Latin tokens inside Chinese or Russian text, numbers) into the question.
"""

from __future__ import annotations

import logging
import re
import threading
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.answering.prompting import count_tokens
from bot.answering.extractive.sentences import STOPWORDS, word_key
from bot.answering.types import Answer

if TYPE_CHECKING:
    from llama_index.core.llms import LLM

log = logging.getLogger(__name__)

_PRONOUNS_LATIN = re.compile(
    r"(?<![^\W_])(he|him|his|she|her|hers|it|its|they|them|their|this|that|these|those|there"
    r"|dia|ia|mereka|beliau|itu|tersebut)(?![^\W_])|[^\W_]+nya(?![^\W_])",
    re.IGNORECASE,
)
_PRONOUNS_CYRILLIC = re.compile(
    r"(?<![^\W_])(он|его|него|ему|нему|им|ним|она|её|ее|неё|нее|ей|ней|они|их|них|им|этот|эта"
    r"|это|эти|там|тот|та|те)(?![^\W_])",
    re.IGNORECASE,
)
_PRONOUNS_CJK = re.compile(r"他們|他们|她們|她们|它們|它们|他|她|它|這|这|那|此|其")
_CJK = re.compile(r"[\u3400-\u9fff]")
_ENTITY_LATIN = re.compile(
    r"(?<![A-Za-z0-9_-])(?:[A-Z][A-Za-z0-9-]*[A-Za-z0-9]|[a-z]+[A-Z][A-Za-z0-9-]*)"
)
_ENTITY_CYRILLIC = re.compile(r"(?<![А-Яа-яЁё-])[А-ЯЁ][а-яё]+(?:-[А-ЯЁа-яё]+)?")
_NUMBER = re.compile(r"\d[\d.,]*\d|\d")
_CITATION = re.compile(r"\[\d+\]")
_SHORT_WORDS = 4
_SHORT_CJK = 6

_SENTENCE_STARTERS = frozenset(
    [
        "The",
        "A",
        "An",
        "And",
        "But",
        "What",
        "Who",
        "Why",
        "When",
        "Where",
        "How",
        "Which",
        "Did",
        "Does",
        "Do",
        "Is",
        "Are",
        "Was",
        "Were",
        "Can",
        "In",
        "On",
        "At",
        "For",
        "Of",
        "To",
        "From",
        "By",
        "With",
        "According",
        "Max",
        "Menurut",
        "Apa",
        "Siapa",
        "Mengapa",
        "Kenapa",
        "Kapan",
        "Bagaimana",
        "Berapa",
        "Dan",
        "Di",
        "Dalam",
        "Yang",
        "Artikel",
        "The",
        "Evidence",
        "I",
    ]
)


@dataclass
class Turn:
    question: str
    answer: str
    standalone: str


def is_follow_up(question: str) -> bool:
    """Pronouns (he/him/dia/он/他/这 …) or a very short question suggest a follow-up."""
    q = question.strip()
    if _CJK.search(q):
        cjk_len = len(_CJK.findall(q))
        return bool(_PRONOUNS_CJK.search(q)) or cjk_len <= _SHORT_CJK
    words = re.findall(r"[^\W_]+", q)
    if len(words) <= _SHORT_WORDS:
        return True
    return bool(_PRONOUNS_LATIN.search(q) or _PRONOUNS_CYRILLIC.search(q))


def entities(text: str, limit: int = 6) -> list[str]:
    """Capitalised names, Latin tokens in Chinese/Russian text and numbers, most frequent first."""
    text = _CITATION.sub(" ", text)
    found: list[str] = []
    for match in _ENTITY_LATIN.finditer(text):
        word = match.group(0)
        start = match.start()
        sentence_start = start == 0 or text[max(0, start - 2) : start].strip() in (
            "",
            ".",
            "“",
            "•",
        )
        if (
            word in _SENTENCE_STARTERS
            or word.lower() in STOPWORDS
            or (sentence_start and word.istitle() and len(word) < 4)
        ):
            continue
        found.append(word)
    found += [w for w in _ENTITY_CYRILLIC.findall(text) if w.lower() not in STOPWORDS]
    found += [n for n in _NUMBER.findall(text) if len(n) >= 2]
    counts = Counter(found)
    return [w for w, _ in counts.most_common(limit)]


def _agreed_entities(answer: str) -> list[str]:
    """Entities named on at least two lines of an answer (Бабушкин counts as Babuschkin);
    the Latin spelling is kept when there is one."""
    counts: Counter[str] = Counter()
    surface: dict[str, str] = {}
    for line in answer.splitlines():
        keys = {}
        for e in entities(line, limit=20):
            keys.setdefault(word_key(e), e)
        for key, e in keys.items():
            counts[key] += 1
            if key not in surface or (e.isascii() and not surface[key].isascii()):
                surface[key] = e
    return [surface[k] for k, n in counts.most_common(8) if n >= 2]


def _without_parenthesis(question: str) -> str:
    """A rewritten question minus the entities carried into it (they are re-derived)."""
    return re.sub(r"\s*\([^()]*\)\s*$", "", question)


class Conversation:
    """The turns of one conversation, oldest dropped first to stay within `max_tokens`."""

    def __init__(self, max_tokens: int = 800) -> None:
        self.max_tokens = max_tokens
        self._turns: list[Turn] = []
        self._lock = threading.Lock()

    @classmethod
    def from_turns(cls, turns: list[tuple[str, str]], max_tokens: int = 800) -> Conversation:
        conv = cls(max_tokens=max_tokens)
        for question, answer in turns:
            conv.add(question, answer)
        return conv

    @property
    def turns(self) -> list[Turn]:
        with self._lock:
            return list(self._turns)

    def add(self, question: str, answer: Answer | str, standalone: str | None = None) -> None:
        text = answer.text if isinstance(answer, Answer) else answer
        if isinstance(answer, Answer) and answer.refused:
            text = ""  # a refusal carries no entities worth resolving pronouns to
        with self._lock:
            self._turns.append(Turn(question, text, standalone or question))
            while len(self._turns) > 1 and self._tokens() > self.max_tokens:
                self._turns.pop(0)
            if self._turns and self._tokens() > self.max_tokens:
                last = self._turns[-1]  # one huge turn: keep the question, trim the answer
                budget = max(0, self.max_tokens - count_tokens(last.question) * 2)
                self._turns[-1] = Turn(last.question, last.answer[: budget * 2], last.standalone)

    def reset(self) -> None:
        with self._lock:
            self._turns.clear()

    def _tokens(self) -> int:
        return sum(count_tokens(t.question) + count_tokens(t.answer) for t in self._turns)

    def history_text(self) -> str:
        return "\n".join(f"User: {t.question}\nAssistant: {t.answer}" for t in self.turns)

    def standalone(self, question: str, llm: LLM | None = None) -> str:
        """`question` rewritten to stand on its own (unchanged when it already does)."""
        turns = self.turns
        if not turns:
            return question
        if llm is not None:
            from bot.answering.llm import LLMFailure, condense_question

            try:
                rewritten = condense_question(llm, self.history_text(), question)
                log.info("condensed %r -> %r", question, rewritten)
                return rewritten
            except LLMFailure as exc:
                log.warning("condense failed (%s); heuristic rewrite", exc)
        return self._heuristic(question, turns[-1])

    @staticmethod
    def _heuristic(question: str, last: Turn) -> str:
        if not is_follow_up(question):
            return question
        # The previous question's entities, then what the answer's quotes agree on
        # (named at least twice: the story's subject, not a passing mention).
        carried = entities(_without_parenthesis(last.standalone))
        carried += _agreed_entities(last.answer)
        mentioned = question.lower()
        extra = [e for e in dict.fromkeys(carried) if e.lower() not in mentioned][:4]
        if not extra:
            return question
        rewritten = f"{question.rstrip()} ({', '.join(extra)})"
        log.info("follow-up %r -> %r", question, rewritten)
        return rewritten
