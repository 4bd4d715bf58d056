"""The LLM misbehaves — slow, erroring, garbage, only invented citations, empty, gone — and
every question still gets the extractive answer, with a one-line notice, within the
configured timeout. Driven through Engine.ask against a real local OpenAI-style server."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.answering.conversation import Conversation
from bot.answering.engine import Engine
from bot.discord.ui.formatting import render_answer
from bot.settings import Settings
from index.building.builder import build_index
from tests.fake_openai import FakeOpenAI
from tests.hardening.corpus import CLEAN, make_settings, write_files

QUESTION = (
    "How many kilometres of new bicycle lanes did the city council of Portland approve on Tuesday?"
)
TIMEOUT = 1.0
SLACK = 2.0  # thread start-up and a busy 2-core machine


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("llm")
    write_files(root / "articles", CLEAN)
    build_index(make_settings(root, root / "articles"))
    yield root


def settings_for(root: Path, url: str) -> Settings:
    return make_settings(
        root,
        root / "articles",
        llm="openai-like",
        llm_base_url=url,
        llm_model="fake",
        llm_timeout=TIMEOUT,
    )


def extractive(root: Path) -> tuple[str, list[str]]:
    answer = Engine(make_settings(root, root / "articles")).ask(QUESTION)
    assert not answer.refused, "the test question must be answerable"
    return answer.text, [c.article_id for c in answer.citations]


FAULTS = {
    "slow": {"text": "Forty kilometres [1].", "delay": 3 * TIMEOUT},
    "http 500": {"status": 500},
    "http 429": {"status": 429},
    "garbage": {"garbage": b"<html>502 Bad Gateway</html>"},
    "invented citations only": {"text": "Forty kilometres [7], says [9]."},
    "no citation": {"text": "Forty kilometres, approved on Tuesday."},
    "empty": {"text": ""},
}


@pytest.mark.parametrize("fault", list(FAULTS))
def test_llm_fault_falls_back_to_the_extractive_answer_in_time(index: Path, fault: str) -> None:
    expected = extractive(index)
    with FakeOpenAI() as server:
        server.reply("Forty kilometres [1].")  # warm-up: client built, tokenizer loaded
        server.reply(**FAULTS[fault])
        engine = Engine(settings_for(index, server.url))
        assert engine.ask(QUESTION).mode == "llm"
        started = time.perf_counter()
        answer = engine.ask(QUESTION)
        elapsed = time.perf_counter() - started
        assert len(server.requests) == 2, "the LLM was asked"
    assert elapsed < TIMEOUT + SLACK, f"{fault}: {elapsed:.2f} s"
    assert answer.mode == "extractive" and not answer.refused
    assert (answer.text, [c.article_id for c in answer.citations]) == expected
    assert answer.notice and answer.notice.startswith("Extractive answer:")
    assert "\n" not in answer.notice and len(answer.notice) < 120
    first = render_answer(answer)[0].content
    assert first.startswith("-# Extractive answer:")


def test_llm_server_gone_falls_back_and_follow_ups_still_work(index: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens here once closed
    engine = Engine(settings_for(index, f"http://127.0.0.1:{port}/v1"))
    conversation = Conversation()
    started = time.perf_counter()
    first = engine.ask(QUESTION, conversation)
    follow = engine.ask("And when will they be built?", conversation)
    assert time.perf_counter() - started < 2 * (TIMEOUT + SLACK)
    assert first.mode == "extractive" and "could not be reached" in (first.notice or "")
    assert follow.text.strip() and len(conversation.turns) == 2


def test_valid_llm_answer_keeps_only_real_citations(index: Path) -> None:
    with FakeOpenAI() as server:
        server.reply("The council approved forty kilometres [1], not eighty [4].")
        answer = Engine(settings_for(index, server.url)).ask(QUESTION)
    assert answer.mode == "llm" and answer.notice is None
    assert "[4]" not in answer.text and "[1]" in answer.text
    assert [c.article_id for c in answer.citations] == ["bikes"]
