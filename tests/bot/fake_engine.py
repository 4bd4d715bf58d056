"""A fake AnswerEngine (bot.answering.protocols), returning real Answer/Citation/
BuildReport objects with multilingual data (Indonesian, Traditional Chinese, Russian)."""

from __future__ import annotations

import threading
import time
from typing import Any

from bot.answering.conversation import Conversation
from bot.answering.types import Answer, Citation
from index.building.report import BuildProgress, BuildReport, IndexStatus, LanguageCount
from index.types import ArticleInfo, Passage

PASSAGE = Passage(  # one Indonesian passage, for the front ends' single-source answers
    article_id="001_e1b07ba1087159c9",
    chunk_id="001_e1b07ba1087159c9:0",
    title="Igor Babuschkin Tinggalkan xAI",
    language="id",
    text="Babuschkin meninggalkan xAI untuk meluncurkan firma modal ventura miliknya.",
    source="articles/001_e1b07ba1087159c9.txt",
    url=None,
    score=0.8312,
)

CITATIONS = [
    Citation(
        1,
        "001_e1b07ba1087159c9",
        "Igor Babuschkin keluar dari xAI",
        "id",
        "Indonesian",
        "articles/001_e1b07ba1087159c9.txt",
        None,
        "Babuschkin meninggalkan xAI untuk mendirikan Babuschkin Ventures, yang mendukung "
        "riset keamanan AI.",
    ),
    Citation(
        2,
        "004_5c1d",
        "xAI 聯合創辦人巴布施金宣布離職",
        "zh-Hant",
        "Chinese (Traditional)",
        "articles/004_5c1d.html",
        "https://example.com/tw/xai",
        "巴布施金表示，他將成立新的創投公司，專注於人工智慧安全研究。",
    ),
    Citation(
        3,
        "005_ru",
        "Сооснователь xAI покинул компанию",
        "ru",
        "Russian",
        "articles/005_ru.md",
        None,
        "Бабушкин заявил, что уходит, чтобы основать венчурный фонд Babuschkin Ventures.",
    ),
]


def make_answer(question: str, text: str | None = None, n_citations: int = 3) -> Answer:
    cites = [CITATIONS[i % 3] for i in range(n_citations)]
    cites = [
        Citation(
            i + 1,
            *(
                getattr(c, f)
                for f in (
                    "article_id",
                    "title",
                    "language",
                    "language_name",
                    "source",
                    "url",
                    "quote",
                )
            ),
        )
        for i, c in enumerate(cites)
    ]
    text = text or (
        "Igor Babuschkin left xAI to found Babuschkin Ventures, which supports AI safety "
        "research [1] [3]. He said the new firm would focus on AI safety [2]. @everyone"
    )
    passages = [
        Passage(
            c.article_id, f"{c.article_id}#0", c.title, c.language, c.quote, c.source, c.url, 0.8
        )
        for c in cites
    ]
    return Answer(
        question,
        text,
        "en",
        False,
        "extractive",
        cites,
        passages,
        {"retrieve": 12.0, "answer": 3.0, "total": 15.0},
    )


class FakeEngine:
    """Engine's methods with canned multilingual data; records what it was asked."""

    def __init__(
        self,
        delay: float = 0.0,
        answer_text: str | None = None,
        error: BaseException | None = None,
        n_citations: int = 3,
    ) -> None:
        self.delay, self.answer_text, self.error, self.n_citations = (
            delay,
            answer_text,
            error,
            n_citations,
        )
        self.calls: list[tuple[str, list[tuple[str, str]]]] = []
        self.readers: list[list[str]] = []  # the reader languages of each ask
        self.threads: set[str] = set()
        self.rebuild_started = threading.Event()
        self.rebuild_release = threading.Event()
        self.rebuild_release.set()
        self.warm_release = threading.Event()  # a test holds the warm-up by clearing it
        self.warm_release.set()
        self.warmed = self.calibrated = False

    def warm_up(self) -> None:
        self.warm_release.wait()
        self.warmed = True

    def calibrate(self) -> None:
        self.calibrated = True

    def search(self, query: str, k: int | None = None) -> list[Passage]:
        return make_answer(query, None, self.n_citations).passages[: k or 6]

    def ask(
        self, question: str, conversation: Conversation | None = None, readers: Any = ()
    ) -> Answer:
        self.threads.add(threading.current_thread().name)
        self.readers.append(list(readers))
        turns = [(t.question, t.answer) for t in conversation.turns] if conversation else []
        self.calls.append((question, turns))  # type: ignore[arg-type]
        if self.delay:
            time.sleep(self.delay)
        if self.error is not None:
            raise self.error
        answer = make_answer(question, self.answer_text, self.n_citations)
        if conversation is not None:  # the engine records the turn (AnswerEngine.ask)
            conversation.add(question, answer)
        return answer

    def articles(self) -> list[ArticleInfo]:
        return [
            ArticleInfo(
                f"{i:03d}_{c.article_id}",
                f"{c.title} #{i}",
                c.language,
                c.source,
                c.url,
                f"2025-08-{10 + i % 20:02d}",
                3,
            )
            for i, c in enumerate(CITATIONS * 9)
        ]

    def status(self) -> IndexStatus:
        langs = {
            "id": LanguageCount(3, 12),
            "zh-Hant": LanguageCount(1, 4),
            "ru": LanguageCount(1, 5),
        }
        return IndexStatus(
            5,
            21,
            langs,
            "intfloat/multilingual-e5-small",
            "2026-11-21T09:30:00+00:00",
            "/tmp/index",
        )

    def rebuild(self, full: bool = False, progress: Any = None) -> BuildReport:
        self.rebuild_started.set()
        for done in range(1, 6):
            if progress:
                progress(BuildProgress("embed", done, 5, eta_seconds=(5 - done) * 0.01))
            time.sleep(0.01)
        self.rebuild_release.wait(10)
        return BuildReport(
            added=2,
            updated=1,
            removed=0,
            unchanged=2,
            chunks_embedded=14,
            skipped=[{"source": "articles/broken.pdf", "reason": "unsupported file type"}],
            languages={"id": LanguageCount(3, 12), "ru": LanguageCount(1, 5)},
            seconds=0.07,
        )
