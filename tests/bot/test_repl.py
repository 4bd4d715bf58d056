"""The REPL, driven through its input and output callbacks, and once as a real process."""

from __future__ import annotations

import _thread
import json
import os
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.answering.conversation import Conversation
from bot.answering.types import Answer, Citation
from bot.repl import NO_INDEX, ChatSession, chat_loop
from index.building.report import BuildReport, LanguageCount
from index.errors import NoIndexError
from index.types import ArticleInfo
from tests.bot.fake_engine import PASSAGE
from tests.bot.fake_engine import FakeEngine as BaseFakeEngine

REPO = Path(__file__).resolve().parents[2]


class Script:
    """Feeds lines to the loop like a user would, then Ctrl-D (EOFError)."""

    def __init__(self, *lines: str) -> None:
        self.lines = list(lines)
        self.prompts = 0

    def __call__(self, prompt: str) -> str:
        self.prompts += 1
        if not self.lines:
            raise EOFError
        line = self.lines.pop(0)
        if isinstance(line, BaseException):
            raise line
        return line


class Out:
    def __init__(self) -> None:
        self.parts: list[str] = []

    def __call__(self, text: str) -> None:
        self.parts.append(text)

    @property
    def text(self) -> str:
        return "\n".join(self.parts)


BABUSCHKIN = PASSAGE


class FakeEngine(BaseFakeEngine):
    """Answers from one passage; the follow-up sees the conversation it was given."""

    def __init__(self, has_index: bool = True) -> None:
        super().__init__()
        self.has_index = has_index
        self.seen: list[tuple[str, int]] = []
        self.block: threading.Event | None = None
        self.started = threading.Event()
        self.rebuilt: list[bool] = []

    def ask(
        self, question: str, conversation: Conversation | None = None, readers: Any = ()
    ) -> Answer:
        if not self.has_index:
            raise NoIndexError()
        self.seen.append((question, len(conversation.turns) if conversation else 0))
        self.started.set()
        if self.block is not None:
            self.block.wait(5)
        answer = Answer(
            question=question,
            text="Babuschkin left xAI to start Babuschkin Ventures [1].",
            language="en",
            refused=False,
            mode="extractive",
            citations=[
                Citation(
                    n=1,
                    article_id=BABUSCHKIN.article_id,
                    title=BABUSCHKIN.title,
                    language="id",
                    language_name="Indonesian",
                    source=BABUSCHKIN.source,
                    url=None,
                    quote=BABUSCHKIN.text,
                )
            ],
            passages=[BABUSCHKIN],
            timings_ms={"retrieve": 1.0, "answer": 1.0, "total": 2.0},
        )
        if conversation is not None:  # the engine records the turn (AnswerEngine.ask)
            conversation.add(question, answer)
        return answer

    def articles(self) -> list[ArticleInfo]:
        if not self.has_index:
            raise NoIndexError()
        return [
            ArticleInfo(
                "001_e1b07ba1087159c9", BABUSCHKIN.title, "id", BABUSCHKIN.source, None, None, 3
            ),
            ArticleInfo(
                "003_b2df89abd91a5d5b", "Бабушкин", "ru", "articles/003.txt", None, None, 2
            ),
        ]

    def rebuild(self, full: bool = False, progress: object = None) -> BuildReport:
        self.rebuilt.append(full)
        self.has_index = True
        return BuildReport(added=5, languages={"id": LanguageCount(3, 9)}, seconds=1.5)


def run(engine: FakeEngine, *lines: str) -> tuple[str, Conversation]:
    out = Out()
    conversation = Conversation()
    session = chat_loop(ChatSession(engine, out, conversation), Script(*lines))
    return out.text, session.conversation


def test_answer_shows_text_then_numbered_sources_with_quotes() -> None:
    text, _ = run(FakeEngine(), "Why did the co-founder of xAI leave?")
    assert "Babuschkin left xAI to start Babuschkin Ventures [1]." in text
    assert (
        "[1] Igor Babuschkin Tinggalkan xAI — Indonesian — articles/001_e1b07ba1087159c9.txt"
        in text
    )
    assert "\n    “Babuschkin meninggalkan xAI" in text


def test_follow_up_goes_through_one_conversation() -> None:
    engine = FakeEngine()
    _, conversation = run(engine, "Why did the co-founder of xAI leave?", "and who inspired him?")
    assert engine.seen == [
        ("Why did the co-founder of xAI leave?", 0),
        ("and who inspired him?", 1),
    ]
    assert [t.question for t in conversation.turns] == [
        "Why did the co-founder of xAI leave?",
        "and who inspired him?",
    ]


def test_reset_forgets_the_conversation() -> None:
    engine = FakeEngine()
    text, conversation = run(engine, "first question", ":reset", "second question")
    assert "Conversation cleared." in text
    assert engine.seen[-1] == ("second question", 0)
    assert len(conversation.turns) == 1


def test_help_lists_every_command() -> None:
    text, _ = run(FakeEngine(), ":help")
    for command in (":sources", ":reset", ":reindex", ":json", ":quit", "Ctrl-C"):
        assert command in text


def test_sources_lists_articles_with_language_names() -> None:
    text, _ = run(FakeEngine(), ":sources")
    assert "2 articles in 2 languages" in text
    assert "Igor Babuschkin Tinggalkan xAI — Indonesian" in text
    assert "Бабушкин — Russian" in text


def test_json_toggle_prints_the_ask_json_object() -> None:
    text, _ = run(FakeEngine(), ":json", "Why did he leave?", ":json", "again?")
    assert "JSON output on." in text and "JSON output off." in text
    start = text.index("{")
    obj, _ = json.JSONDecoder().raw_decode(text[start:])
    assert set(obj) >= {"question", "answer", "language", "refused", "mode", "citations"}
    assert obj["citations"][0]["language_name"] == "Indonesian"
    assert obj["passages"][0] == {
        "article_id": BABUSCHKIN.article_id,
        "chunk_id": BABUSCHKIN.chunk_id,
        "language": "id",
        "score": 0.8312,
    }
    after_off = text[text.index("JSON output off.") :]
    assert "[1] Igor Babuschkin Tinggalkan xAI — Indonesian" in after_off


def test_no_index_message_then_reindex_builds_it() -> None:
    engine = FakeEngine(has_index=False)
    text, _ = run(engine, "Why did he leave?", ":reindex", "Why did he leave?")
    assert text.count(NO_INDEX) == 2  # greeting and the first question
    assert "type :reindex or run `newsbot index build`" in NO_INDEX
    assert engine.rebuilt == [False]
    assert "Indonesian" in text  # the build report
    assert "Babuschkin Ventures [1]" in text


def test_reindex_full() -> None:
    engine = FakeEngine()
    run(engine, ":reindex full")
    assert engine.rebuilt == [True]


def test_quit_stops_reading_and_unknown_commands_are_explained() -> None:
    script = Script(":nope", ":quit", "never read")
    out = Out()
    chat_loop(ChatSession(FakeEngine(), out, Conversation()), script)
    assert "Unknown command :nope — type :help" in out.text
    assert script.lines == ["never read"]


def test_empty_and_huge_questions_are_explained_not_asked() -> None:
    engine = FakeEngine()
    text, _ = run(engine, "   ", "x" * 2001)
    assert "too long (2001 characters, max 2000)" in text
    assert engine.seen == []


def test_ctrl_c_at_the_prompt_keeps_the_loop_going() -> None:
    engine = FakeEngine()
    text, _ = run(engine, KeyboardInterrupt(), "still here?")  # type: ignore[arg-type]
    assert engine.seen == [("still here?", 0)]


def test_ctrl_c_cancels_the_question_and_returns_to_the_prompt() -> None:
    engine = FakeEngine()
    engine.block = threading.Event()

    def press_ctrl_c() -> None:
        engine.started.wait(5)
        _thread.interrupt_main()  # what SIGINT does to the main thread

    presser = threading.Thread(target=press_ctrl_c)
    presser.start()
    out = Out()
    conversation = Conversation()
    script = Script("a slow question", ":sources")
    session = chat_loop(ChatSession(engine, out, conversation), script)
    presser.join()
    engine.block.set()
    assert "(cancelled)" in out.text
    assert "2 articles in 2 languages" in out.text  # back at the prompt afterwards
    assert session.conversation.turns == []  # a cancelled question is not remembered


@pytest.fixture
def no_index_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    env = dict(os.environ)
    env.update(
        NEWSBOT_INDEX_DIR=str(tmp_path / "index"),
        NEWSBOT_ARTICLES=str(REPO / "articles"),
        NEWSBOT_EMBEDDING="hash",
        CI="true",
        HOME=str(tmp_path),
    )
    yield env


def test_real_repl_process_under_pexpect(no_index_env: dict[str, str]) -> None:
    """The installed `newsbot repl` on a pseudo-terminal: no index, :reindex, Ctrl-C, Ctrl-D."""
    pexpect = pytest.importorskip("pexpect")
    prompt = ">"  # prompt_toolkit draws "> " with cursor moves, so match its first character
    child = pexpect.spawn(
        str(Path(sys.executable).with_name("newsbot")),
        ["repl"],
        env=no_index_env,
        cwd=str(REPO),
        encoding="utf-8",
        timeout=60,
        dimensions=(40, 120),
    )
    try:
        child.expect_exact("No index yet — type :reindex")
        child.expect_exact(prompt)
        child.sendline(":help")
        child.expect_exact(":quit")
        child.expect_exact(prompt)
        child.send("half a question")
        child.sendcontrol("c")  # Ctrl-C at the prompt drops the line, the REPL stays
        child.expect_exact(prompt)
        child.sendline(":json")
        child.expect_exact("JSON output on.")
        child.expect_exact(prompt)
        child.sendline("Why did Babuschkin leave xAI?")
        child.expect_exact("No index yet — type :reindex")
        child.expect_exact(prompt)
        child.sendline(":reindex")  # builds the missing index; the same engine then uses it
        child.expect_exact("added 5")
        child.expect_exact(prompt)
        child.sendline(":sources")
        child.expect_exact("5 articles in 3 languages")
        child.expect_exact(prompt)
        child.sendcontrol("d")  # Ctrl-D: leave
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 0
    assert (Path(no_index_env["NEWSBOT_INDEX_DIR"]) / "repl_history").read_text().count(":json")


def test_real_engine_follow_up_sources_and_reindex(tmp_path: Path) -> None:
    """The loop over the real Engine and Conversation, on a hash-embedded sample index."""
    from bot.answering.engine import Engine
    from bot.settings import Settings
    from index.building.builder import build_index

    settings = Settings(
        articles=REPO / "articles", index_dir=tmp_path / "index", embedding="hash", llm="none"
    )
    build_index(settings)
    out = Out()
    session = chat_loop(
        ChatSession(Engine(settings), out, Conversation(max_tokens=settings.history_tokens)),
        Script(
            ":sources",
            "Why did the co-founder of xAI leave?",
            "and who inspired him?",
            ":reindex",
        ),
    )
    assert "5 articles in 3 languages" in out.text
    assert "— Chinese (Traditional) —" in out.text and "— Russian —" in out.text
    first, second = session.conversation.turns
    assert second.question == "and who inspired him?"
    assert "xAI" in second.standalone  # the follow-up was resolved from the first turn
    assert "unchanged 5" in out.text and "chunks embedded 0" in out.text
