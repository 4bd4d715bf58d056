"""render (Discord limits), limits (cooldown, concurrency) and feedback (SQLite), directly."""

from __future__ import annotations

import string

import discord
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.answering.types import Citation
from bot.discord.errors import redact
from bot.discord.limits import Limiter, Ticket
from bot.discord.store.feedback import FeedbackStore
from bot.discord.ui.formatting import (
    EMBED_TOTAL_LIMIT,
    MESSAGE_LIMIT,
    full_quotes,
    language_label,
    render_answer,
    sources_embed,
    split_text,
)
from bot.question_input import asks_something
from tests.bot.fake_engine import make_answer


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
    first = limiter.acquire(1)
    assert isinstance(first, Ticket)
    refusal = limiter.acquire(1)
    assert refusal.reason == "cooldown" and refusal.wait_seconds == 10
    assert "ask again in 10 s" in refusal.message()
    assert isinstance(limiter.acquire(2), Ticket)
    busy = limiter.acquire(3)
    assert busy.reason == "busy" and busy.wait_seconds >= 1
    now[0] += 3
    limiter.release(first)
    assert isinstance(limiter.acquire(3), Ticket)
    # cooldowns are per scope: a DM does not spend the server's
    assert isinstance(limiter.acquire(1, scope="dm"), Ticket) or limiter.active == 2


def test_limiter_release_records_the_answers_own_duration():
    now = [0.0]
    limiter = Limiter(cooldown_seconds=0, max_concurrent=4, clock=lambda: now[0])
    slow = limiter.acquire(1)  # starts at 0 s
    now[0] = 5.0
    quick = limiter.acquire(2)  # starts at 5 s
    now[0] = 6.0
    limiter.release(quick)  # took 1 s — not the 6 s since the oldest start
    assert limiter.typical_seconds() == 1.0
    now[0] = 20.0
    limiter.release(slow)
    limiter.release(slow)  # a second release changes nothing
    assert sorted(limiter._durations) == [1.0, 20.0] and limiter.active == 0


def test_sources_embed_of_25_long_citations_stays_under_6000_characters():
    for title_length in (100, 200, 300, 600):
        citations = [
            Citation(
                i + 1, "a", "T" * title_length, "ru", "Russian", "articles/" + "x" * 300,
                "https://example.com/" + "p" * 150, "q " * 500,
            )
            for i in range(25)
        ]  # fmt: skip
        embed = sources_embed(citations)
        assert len(embed) <= EMBED_TOTAL_LIMIT and len(embed.fields) == 25


def test_redact_keeps_only_the_last_part_of_paths():
    text = "Cannot write /srv/secret/index/gen-7: disk full; see C:\\Users\\ops\\log.txt or ~/x/y"
    assert redact(text) == "Cannot write gen-7: disk full; see log.txt or y"
    assert redact("added 3 articles (2/5 done)") == "added 3 articles (2/5 done)"


def test_a_reply_asks_something_only_with_a_question_mark_of_any_script():
    for text in ("who funds it?", "誰出資？", "لماذا غادر؟", "¿por qué?", "Γιατί\u037e"):
        assert asks_something(text), text
    for text in ("thanks!", "спасибо", "ok 👍", ""):
        assert not asks_something(text), text


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


def test_feedback_from_before_reasons_is_migrated_and_keeps_its_votes(tmp_path):
    import sqlite3

    path = tmp_path / "old.sqlite3"
    old = sqlite3.connect(path)
    old.executescript(
        "CREATE TABLE answers (answer_id TEXT PRIMARY KEY, created_at REAL NOT NULL, "
        "conversation_id INTEGER, question TEXT NOT NULL, answer TEXT NOT NULL, "
        "citations_json TEXT NOT NULL, mode TEXT NOT NULL, user_hash TEXT NOT NULL);"
        "CREATE TABLE votes (answer_id TEXT NOT NULL, user_hash TEXT NOT NULL, "
        "vote INTEGER NOT NULL, created_at REAL NOT NULL, PRIMARY KEY (answer_id, user_hash));"
        "INSERT INTO answers VALUES ('a', 1, NULL, 'q', 'x', '[]', 'extractive', 'h');"
        "INSERT INTO votes VALUES ('a', 'h', 1, 1);"
    )
    old.commit()
    old.close()
    store = FeedbackStore(path)
    assert store.vote("a", 7, up=False, reason="wrong person") is True
    rows = sqlite3.connect(path).execute("SELECT vote, reason FROM feedback").fetchall()
    assert sorted(rows, key=str) == sorted([(1, None), (-1, "wrong person")], key=str)
