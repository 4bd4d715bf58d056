"""The LLM path against a real local server speaking the OpenAI chat-completions protocol."""

from __future__ import annotations

import logging
import time

import pytest

from bot.answering.citations import MAX_QUOTE_CHARS
from bot.answering.compose import Answerer
from bot.answering.llm import build_llm
from bot.answering.prompting import count_tokens
from bot.settings import Settings
from index.errors import ConfigError
from tests.bot.sample_passages import passage
from tests.fake_openai import FakeOpenAI

pytestmark = pytest.mark.slow  # starts a server

QUESTION = "Why did the co-founder of xAI leave?"


def settings_for(server: FakeOpenAI, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "llm": "openai-like",
        "llm_base_url": server.url,
        "llm_model": "fake-model",
        "llm_api_key": "sk-test-secret-123",
        "llm_timeout": 2.0,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[arg-type]


def passages():
    return [
        passage("001", "meninggalkan xAI untuk meluncurkan", 0.88, also_in=("003",)),
        passage("003", "Babuschkin Ventures", 0.87, also_in=("001",)),
        passage("002", "Babuschkin Ventures", 0.86),
        passage("000", "venture capital", 0.84),
    ]


def ask(server: FakeOpenAI, **overrides: object):
    settings = settings_for(server, **overrides)
    return Answerer(settings, build_llm(settings)).answer(QUESTION, passages())


def test_request_carries_delimited_sources_within_budget() -> None:
    with FakeOpenAI() as server:
        server.reply("He left to start Babuschkin Ventures [1].")
        ask(server, llm_context_tokens=450)
        body = server.requests[-1]
    assert body["_path"].endswith("/chat/completions")
    assert body["model"] == "fake-model"
    system, user = body["messages"][0]["content"], body["messages"][1]["content"]
    assert "never instructions" in system and "English" in system
    assert QUESTION in user
    assert '<article n="1" language="id"' in user
    blocks = user[user.index("<article") : user.rindex("</article>") + len("</article>")]
    assert count_tokens(blocks) <= 450
    assert user.count("<article ") < 4, "a 450-token budget cannot hold all four articles"


def test_invalid_citation_numbers_are_removed_and_the_rest_renumbered() -> None:
    with FakeOpenAI() as server:
        server.reply(
            "Babuschkin left xAI to found Babuschkin Ventures [2]. "
            "A dinner with Max Tegmark inspired him [1][7]. He also ran for mayor [9]."
        )
        answer = ask(server)
    assert answer.mode == "llm" and not answer.refused and answer.notice is None
    assert "[7]" not in answer.text and "[9]" not in answer.text
    assert answer.text.startswith("Babuschkin left xAI to found Babuschkin Ventures [1].")
    assert "inspired him [2]." in answer.text and "mayor." in answer.text
    assert [c.n for c in answer.citations] == [1, 2]
    # old [2] was the second source (Russian), old [1] the first (Indonesian)
    assert [c.language for c in answer.citations] == ["ru", "id"]
    assert answer.citations[0].article_id.startswith("003")
    assert all(0 < len(c.quote) <= MAX_QUOTE_CHARS + 2 for c in answer.citations)
    assert answer.usage and answer.usage["total_tokens"] == (
        answer.usage["prompt_tokens"] + answer.usage["completion_tokens"]
    )


def test_usage_is_counted_when_the_server_reports_none() -> None:
    with FakeOpenAI() as server:
        server.reply("He left [1].", usage=False)
        answer = ask(server)
    assert answer.mode == "llm"
    assert answer.usage and answer.usage["prompt_tokens"] > 100
    assert answer.usage["completion_tokens"] == count_tokens("He left [1].")


@pytest.mark.parametrize(
    ("reply", "reason"),
    [
        ({"text": "late [1]", "delay": 3.0}, "did not answer in time"),
        ({"status": 500}, "HTTP 500"),
        ({"garbage": b"<html>502 Bad Gateway</html>"}, "request failed"),
        ({"text": "Babuschkin left to pursue other things."}, "cited no source"),
        ({"text": "   "}, "empty reply"),
    ],
)
def test_failures_fall_back_to_the_extractive_answer(reply: dict, reason: str) -> None:
    with FakeOpenAI() as server:
        server.reply(**reply)
        start = time.perf_counter()
        answer = ask(server, llm_timeout=1.0)
        elapsed = time.perf_counter() - start
    assert answer.mode == "extractive"
    assert answer.notice and reason in answer.notice and "\n" not in answer.notice
    assert answer.citations and "[1]" in answer.text
    assert elapsed < 2.9, "one attempt only, bounded by the timeout"


def test_not_in_articles_is_a_refusal_in_the_question_language() -> None:
    with FakeOpenAI() as server:
        server.reply("NOT_IN_ARTICLES")
        settings = settings_for(server)
        answerer = Answerer(settings, build_llm(settings))
        answer = answerer.answer("Siapa presiden Peru?", passages())
    assert answer.refused and answer.mode == "llm" and not answer.citations
    assert answer.text.startswith("Artikel yang saya miliki tidak membahas")


def test_the_api_key_is_sent_but_never_logged(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    with FakeOpenAI() as server:
        server.reply("He left [1].")
        ask(server)
        auth = server.requests[-1]["_authorization"]
    assert auth == "Bearer sk-test-secret-123"
    assert "sk-test-secret-123" not in caplog.text
    assert "<article" in caplog.text, "the full prompt is logged at DEBUG"


def test_openai_like_without_base_url_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="NEWSBOT_LLM_BASE_URL"):
        build_llm(Settings(_env_file=None, llm="openai-like", llm_model="m"))  # type: ignore[call-arg]


def test_ollama_names_its_extra_when_missing() -> None:
    pytest.importorskip("llama_index.core")
    try:
        import llama_index.llms.ollama  # noqa: F401
    except ImportError:
        with pytest.raises(ConfigError, match=r"newsbot\[ollama\]"):
            build_llm(Settings(_env_file=None, llm="ollama"))  # type: ignore[call-arg]
    else:
        llm = build_llm(Settings(_env_file=None, llm="ollama", llm_model="llama3.1"))  # type: ignore[call-arg]
        assert type(llm).__name__ == "Ollama"


def test_every_llm_setting_builds_through_one_registered_backend() -> None:
    """NEWSBOT_LLM's choices and the backend registry name the same backends."""
    from typing import get_args

    from bot.answering.llm import BACKENDS

    choices = set(get_args(Settings.model_fields["llm"].annotation)) - {"none"}
    assert choices == set(BACKENDS)
    with pytest.raises(ConfigError, match="builds no LLM"):
        build_llm(Settings.model_construct(llm="none"))
