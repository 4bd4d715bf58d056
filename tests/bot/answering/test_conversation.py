"""Follow-up questions become standalone ones; history stays within its token budget."""

from __future__ import annotations

import threading

import pytest

from bot.answering.conversation import Conversation, entities, is_follow_up
from bot.answering.engine import Engine
from bot.answering.prompting import count_tokens
from bot.settings import Settings
from tests.bot.sample_passages import KeywordSearcher

SETTINGS = Settings(_env_file=None)  # type: ignore[call-arg]


@pytest.mark.parametrize(
    "question",
    [
        "and who inspired him?",
        "Why did she resign?",
        "Apa alasannya?",
        "Siapa yang menginspirasi dia untuk memulai firma itu?",
        "почему он ушёл из компании, где работал два года?",
        "他為什麼離開？",
        "这家公司在哪里？",
        "when?",
    ],
)
def test_follow_ups_are_detected(question: str) -> None:
    assert is_follow_up(question)


@pytest.mark.parametrize(
    "question",
    [
        "Why did the co-founder of xAI leave the company?",
        "Siapa yang menginspirasi Igor Babuschkin mendirikan Babuschkin Ventures?",
        "Почему Игорь Бабушкин ушёл из xAI после двух лет?",
        "巴布什金為什麼離開馬斯克創辦的人工智能公司xAI？",
    ],
)
def test_standalone_questions_are_left_alone(question: str) -> None:
    conv = Conversation.from_turns([("Who is Igor Babuschkin?", "A co-founder of xAI [1].")])
    assert conv.standalone(question) == question


def test_entities_take_names_latin_tokens_and_numbers() -> None:
    found = entities("巴布什金在2023年與Elon Musk共同創立xAI，Babuschkin Ventures")
    assert {"Elon Musk", "xAI", "2023"} <= set(found)
    assert "Elon" not in found, "a word of a whole name found is not listed again"
    assert "Бабушкин" in entities("Почему Бабушкин ушёл из xAI?")


def test_follow_up_carries_the_previous_entities() -> None:
    conv = Conversation.from_turns(
        [("Why did Igor Babuschkin leave xAI?", "He left to start Babuschkin Ventures [1].")]
    )
    rewritten = conv.standalone("and who inspired him?")
    assert rewritten.startswith("and who inspired him?")
    assert "Babuschkin" in rewritten and "xAI" in rewritten


def test_history_is_bounded_in_tokens() -> None:
    conv = Conversation(max_tokens=120)
    for i in range(20):
        conv.add(f"Question number {i} about xAI?", "An answer with some words in it [1]. " * 3)
    turns = conv.turns
    assert 1 <= len(turns) < 20
    assert turns[-1].question == "Question number 19 about xAI?"
    assert sum(count_tokens(t.question) + count_tokens(t.answer) for t in turns) <= 120
    conv.reset()
    assert conv.turns == []


def test_engine_carries_babuschkin_into_the_follow_up_search() -> None:
    searcher = KeywordSearcher()
    engine = Engine(SETTINGS, searcher=searcher)
    conv = Conversation(max_tokens=SETTINGS.history_tokens)
    first = engine.ask("Why did the co-founder of xAI leave?", conv)
    assert not first.refused and first.citations
    second = engine.ask("and who inspired him?", conv)
    query = searcher.queries[-1]
    assert query.startswith("and who inspired him? (") and "Babuschkin" in query
    assert "BigGo" not in query, "a name quoted once is not the subject"
    assert second.question == "and who inspired him?"
    assert {"retrieve", "answer", "total", "condense"} <= second.timings_ms.keys()
    assert [t.standalone for t in conv.turns] == [searcher.queries[0], query]


def test_engine_ask_is_thread_safe() -> None:
    engine = Engine(SETTINGS, searcher=KeywordSearcher())
    questions = [
        "Why did the co-founder of xAI leave?",
        "Siapa Mira Murati?",
        "巴布什金為什麼離開xAI？",
    ]
    results: dict[int, str] = {}

    def run(i: int) -> None:
        results[i] = engine.ask(questions[i % 3]).text

    threads = [threading.Thread(target=run, args=(i,)) for i in range(9)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for i in range(9):
        assert results[i] == results[i % 3]
