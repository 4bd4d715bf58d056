"""Chat memory: the turns of one conversation, bounded in tokens, and follow-up rewriting.

A follow-up ("and who inspired him?") becomes a standalone question before retrieval:
with an LLM through prompts/condense.txt, without one by a heuristic: a question with a
pronoun, a very short one, or one that names nothing of its own carries the previous
turn's entities (capitalised names, Latin tokens inside text of another script, numbers).
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

import regex

from bot.answering.extractive.kinds import name_spans
from bot.answering.extractive.terms import fold
from bot.answering.markdown import to_plain
from bot.answering.prompting import count_tokens
from bot.answering.types import Answer
from index.text import split_sentences

if TYPE_CHECKING:
    from llama_index.core.llms import LLM

log = logging.getLogger(__name__)

# Pronouns of the languages whose questions are often written without names; a question
# in any language that names nothing of its own is a follow-up as well (is_follow_up).
_PRONOUNS = regex.compile(
    r"(?<![\p{L}])(he|him|his|she|her|it|its|they|them|their|this|that|there"
    r"|dia|ia|mereka|beliau|tersebut|он|его|ему|ним|она|её|ее|ей|они|их|этот|эта|это"
    r"|він|вона|його|її|вони|їх|er|sie|ihm|ihn|il|elle|ils|elles|él|ella|ellos|ele|ela"
    r"|lui|lei|loro|on|ona|oni|jego|jej|onlar|o|anh|chị|họ|ông|bà)(?![\p{L}])"
    r"|他們|他们|她們|她们|它們|它们|他|她|它|這|这|那|此|其|彼|彼女|그는|그녀|그들",
    regex.IGNORECASE,
)
_CAPITALISED = regex.compile(r"(?<![\p{L}\p{N}])\p{Lu}[\p{L}\p{M}\p{N}'’\-]*")
_LATIN_IN_OTHER = regex.compile(r"[A-Za-z][A-Za-z0-9\-]+")
# Mixed case or all capitals inside a word (eBay, iPhone, NASA): a name wherever it stands.
_MIXED_CASE = regex.compile(r"(?<![\p{L}\p{N}])\p{L}+\p{Lu}[\p{L}\p{N}]*")
_NUMBER = regex.compile(r"\p{N}[\p{N}.,]*\p{N}|\p{N}")
_CITATION = regex.compile(r"\[\d+\]")
_SHORT_WORDS = 3


@dataclass
class Turn:
    question: str
    answer: str
    standalone: str


def entities(text: str, limit: int = 6) -> list[str]:
    """Names (capitalised words not opening a sentence), Latin tokens inside text of another
    script, and numbers — most frequent first."""
    text = to_plain(_CITATION.sub(" ", text))
    names = [span[2] for span in name_spans(text)]
    found: list[str] = list(names)
    words_of_names = {w for name in names for w in name.split()}
    singles: list[str] = []
    for sentence in split_sentences(text):
        for m in _CAPITALISED.finditer(sentence):
            if m.start() > 0 and len(m.group()) > 1:
                singles.append(m.group())
        singles += _MIXED_CASE.findall(sentence)
        if not sentence.isascii():
            singles += [w for w in _LATIN_IN_OTHER.findall(sentence) if any(c.isupper() for c in w)]
    found += [w for w in singles if w not in words_of_names]
    found += [n for n in _NUMBER.findall(text) if len(n) >= 2]
    counts = Counter(found)
    return [w for w, _ in counts.most_common(limit)]


def is_follow_up(question: str) -> bool:
    """A pronoun, a very short question, or a question that names nothing of its own."""
    q = question.strip()
    if _PRONOUNS.search(q):
        return True
    if len(regex.findall(r"[\p{L}\p{N}]+", q)) <= _SHORT_WORDS and q.isascii():
        return True
    return not entities(q)


def _agreed_entities(answer: str) -> list[str]:
    """Words of names (and numbers) found in at least two sentences of an answer — the
    story's subject, however the quotes around it are cut (a headline's run of capitals
    counts by its words)."""
    counts: Counter[str] = Counter()
    surface: dict[str, str] = {}
    pieces = [p for line in to_plain(answer).splitlines() for p in line.split(" … ")]
    for sentence in (s for piece in pieces for s in split_sentences(piece)):
        keys: dict[str, str] = {}
        for e in entities(sentence, limit=20):
            for word in e.split():
                if len(word) > 2:
                    keys.setdefault(fold(word), word)
        for key, word in keys.items():
            counts[key] += 1
            if key not in surface or (word.isascii() and not surface[key].isascii()):
                surface[key] = word
    return [surface[k] for k, n in counts.most_common(8) if n >= 2]


def _without_parenthesis(question: str) -> str:
    """A rewritten question minus the entities carried into it (they are re-derived)."""
    return str(regex.sub(r"\s*\([^()]*\)\s*$", "", question))


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

    def copy(self) -> Conversation:
        """The same turns in a new conversation (changing one leaves the other as it is)."""
        twin = type(self)(max_tokens=self.max_tokens)
        twin._turns = self.turns
        return twin

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
