"""render (Discord limits), limits (cooldown, concurrency) and feedback (SQLite), directly."""

from __future__ import annotations

import string

import discord
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.discord.feedback import FeedbackStore
from bot.discord.limits import Limiter
from bot.discord.render import (
    EMBED_TOTAL_LIMIT,
    MESSAGE_LIMIT,
    full_quotes,
    language_label,
    render_answer,
    split_text,
)
from bot.answering.types import Citation
from tests.discord_fakes import make_answer


def check_part_limits(part) -> None:
    assert len(part.content) <= MESSAGE_LIMIT
    assert len(part.embeds) <= 10
    assert sum(len(e) for e in part.embeds) <= EMBED_TOTAL_LIMIT
    for e in part.embeds:
        data = e.to_dict()
        assert len(data.get("title", "")) <= 256 and len(data.get("description", "")) <= 4096
        assert len(data.get("fields", [])) <= 25
        for f in data.get("fields", []):
            assert len(f["name"]) <= 256 and 0 < len(f["value"]) <= 1024


@settings(max_examples=60, deadline=None)
@given(
    text=st.text(alphabet=string.ascii_letters + " .\n巴布施金Бабушкин", min_size=1, max_size=9000),
    title=st.text(min_size=1, max_size=600),
    quote=st.text(min_size=1, max_size=3000),
    n=st.integers(min_value=0, max_value=60),
)
def test_any_answer_renders_within_discord_limits(text, title, quote, n):
    answer = make_answer("q?", text if text.strip() else "x", n_citations=0)
    answer.citations = [
        Citation(i + 1, f"a{i}", title, "ru", "Russian", "f" * 300, None, quote) for i in range(n)
    ]
    parts = render_answer(answer)
    for part in parts:
        check_part_limits(part)
    assert sum(len(e.fields) for p in parts for e in p.embeds) == n
    for message in full_quotes(answer.citations):
        assert len(message) <= MESSAGE_LIMIT


def test_split_text_prefers_sentence_boundaries_and_keeps_everything():
    text = " ".join(f"Sentence {i} about Babuschkin." for i in range(200))
    pieces = split_text(text)
    assert all(len(p) <= MESSAGE_LIMIT for p in pieces)
    assert all(p.endswith(".") for p in pieces)
    assert " ".join(pieces) == text


def test_language_labels():
    assert language_label("id", "Indonesian") == "🇮🇩 Indonesian"
    assert language_label("zh-Hant", "Chinese (Traditional)") == "🇹🇼 Chinese (Traditional)"
    assert language_label("sw", "Swahili") == "Swahili (sw)"


def test_markdown_in_quotes_is_escaped():
    answer = make_answer("q?")
    answer.citations = [Citation(1, "a", "T", "en", "English", "a.txt", None, "**bold** __u__")]
    field = render_answer(answer)[0].embeds[0].fields[0]
    assert "\\*\\*bold\\*\\*" in field.value
    assert isinstance(render_answer(answer)[0].embeds[0], discord.Embed)


def test_limiter_cooldown_and_concurrency():
    now = [100.0]
    limiter = Limiter(cooldown_seconds=10, max_concurrent=2, clock=lambda: now[0])
    assert limiter.acquire(1) is None
    refusal = limiter.acquire(1)
    assert refusal.reason == "cooldown" and refusal.wait_seconds == 10
    assert "ask again in 10 s" in refusal.message()
    assert limiter.acquire(2) is None
    busy = limiter.acquire(3)
    assert busy.reason == "busy" and busy.wait_seconds >= 1
    now[0] += 3
    limiter.release()
    assert limiter.acquire(3) is None
    now[0] += 8
    assert limiter.acquire(1) is None or limiter.active == 2


def test_feedback_history_reset_and_persistence(tmp_path):
    path = tmp_path / "fb.sqlite3"
    store = FeedbackStore(path)
    first = store.save_answer(make_answer("Why did he leave?"), 42, conversation_id=7)
    store.save_answer(make_answer("Who funds it?"), 42, conversation_id=7)
    store.save_answer(make_answer("Elsewhere"), 42, conversation_id=8)
    assert [q for q, _ in store.history(7)] == ["Why did he leave?", "Who funds it?"]
    reopened = FeedbackStore(path)
    assert (
        reopened.user_hash(42) == store.user_hash(42) != FeedbackStore(tmp_path / "x").user_hash(42)
    )
    assert reopened.get_answer(first).citations[0].language_name == "Indonesian"
    reopened.reset(7)
    assert reopened.history(7) == [] and len(reopened.history(8)) == 1
    assert reopened.vote("ffffffffffffffff", 42, up=True) is False


def test_llm_fallback_notice_and_question_header_are_shown_above_the_answer():
    answer = make_answer("q?")
    answer.notice = "LLM unreachable — extractive answer"
    (part,) = render_answer(answer, header="> q?")
    assert part.content.startswith("> q?\n-# LLM unreachable — extractive answer\nIgor")
