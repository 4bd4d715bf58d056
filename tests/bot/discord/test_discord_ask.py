"""/ask (public and private) and the "Ask newsbot about this message" context menu, driven
through discord.py's real INTERACTION_CREATE parsing; what the bot sends is captured by
FakeDiscord, which also models how Discord shows a follow-up after a defer."""

from __future__ import annotations

import logging
import threading

import pytest

from bot.discord.ui.formatting import EMBED_TOTAL_LIMIT, MESSAGE_LIMIT
from index.errors import NoIndexError
from tests.bot.discord.fake_bot import make_bot, settle
from tests.bot.discord.payloads import (
    CHANNEL_ID,
    GUILD_ID,
    menu_payload,
    message_payload,
    slash_payload,
    thread_payload,
    user_payload,
)
from tests.bot.fake_engine import FakeEngine

pytestmark = pytest.mark.asyncio
QUESTION = "Why did the co-founder of xAI leave?"


def embed_chars(embed: dict) -> int:
    fields = embed.get("fields", [])
    return (
        len(embed.get("title", ""))
        + len(embed.get("description", ""))
        + sum(len(f["name"]) + len(f["value"]) for f in fields)
    )


async def ask(bot, fake, question: str = QUESTION, **kw) -> list:
    bot._connection.parse_interaction_create(slash_payload("ask", {"question": question}, **kw))
    await settle()
    return fake.requests


async def test_ask_defers_first_then_follows_up_with_answer_and_sources(newsbot, engine):
    bot, fake = newsbot
    requests = await ask(bot, fake)

    assert requests[0].path.endswith("/callback") and requests[0].json == {"type": 5}
    followup = requests[1]
    assert followup.path.startswith("/webhooks/")
    body = followup.json
    assert body["allowed_mentions"] == {"parse": []}
    assert QUESTION in body["content"] and "[1]" in body["content"]
    (embed,) = body["embeds"]
    assert embed["title"] == "Sources"
    names = [f["name"] for f in embed["fields"]]
    assert names[0].startswith("[1] Igor Babuschkin") and names[1].startswith("[2] xAI 聯合")
    values = "\n".join(f["value"] for f in embed["fields"])
    assert "🇮🇩 Indonesian" in values and "🇹🇼 Chinese (Traditional)" in values
    assert "🇷🇺 Russian" in values and "https://example.com/tw/xai" in values
    assert "Babuschkin meninggalkan xAI" in values  # quote in its original language
    assert embed_chars(embed) <= EMBED_TOTAL_LIMIT
    ids = [c["custom_id"] for row in body["components"] for c in row["components"]]
    assert [i.rsplit(":", 1)[0] for i in ids] == [
        "newsbot:vote:up",
        "newsbot:vote:down",
        "newsbot:sources",
        "newsbot:reset",
    ]
    # the answer opens a thread named after the question, with one line on follow-ups
    assert requests[2].path.endswith("/threads") and requests[2].json["name"] == QUESTION
    thread_id = requests[2].path.split("/")[-2]
    note = requests[3]
    assert note.path == f"/channels/{thread_id}/messages"
    assert note.json["content"].startswith("💬 Follow-ups: mention me (@Newsbot …)")
    assert engine.calls == [(QUESTION, [])]
    assert all(name != "MainThread" for name in engine.threads)  # engine ran off the loop


async def test_long_answer_is_split_within_message_limits(tmp_path):
    long_text = " ".join(f"Claim number {i} is supported by the articles [1]." for i in range(90))
    bot, fake = await make_bot(tmp_path, FakeEngine(answer_text=long_text, n_citations=30))
    await ask(bot, fake)
    sent = [r for r in fake.requests if r.path.startswith("/webhooks/")]
    assert len(sent) >= 3
    assert all(len(r.json.get("content", "")) <= MESSAGE_LIMIT for r in sent)
    text = " ".join(r.json.get("content", "") for r in sent)
    assert "Claim number 0 " in text and "Claim number 89 " in text
    embeds = [e for r in sent for e in r.json.get("embeds", [])]
    assert sum(len(e["fields"]) for e in embeds) == 30  # 25 + 5 in a second message
    for r in sent:
        assert sum(embed_chars(e) for e in r.json.get("embeds", [])) <= EMBED_TOTAL_LIMIT
        assert all(len(e["fields"]) <= 25 for e in r.json.get("embeds", []))
    assert sent[-1].json.get("components")  # the buttons sit under the last part
    await bot.close()


async def test_huge_answer_is_attached_as_a_file(tmp_path):
    huge = "Babuschkin Ventures. " * 1000  # 21,000 characters
    bot, fake = await make_bot(tmp_path, FakeEngine(answer_text=huge))
    await ask(bot, fake)
    (sent,) = [r for r in fake.requests if r.path.startswith("/webhooks/")]
    assert sent.files == ["answer.md"]
    assert len(sent.json["content"]) <= MESSAGE_LIMIT
    await bot.close()


async def test_cooldown_refusal_is_an_ephemeral_note_with_the_wait(tmp_path):
    engine = FakeEngine()
    bot, fake = await make_bot(tmp_path, engine, discord_cooldown_seconds=30)
    await ask(bot, fake)
    fake.requests.clear()
    await ask(bot, fake, "And what about Babuschkin Ventures?")
    (refusal,) = fake.requests
    assert refusal.path.endswith("/callback")
    assert refusal.json["type"] == 4 and refusal.json["data"]["flags"] == 64  # ephemeral
    assert "ask again in 30 s" in refusal.json["data"]["content"]
    assert len(engine.calls) == 1
    # another user is not affected by alice's cooldown
    fake.requests.clear()
    await ask(bot, fake, user_id=222)
    assert fake.requests[0].json == {"type": 5}
    await bot.close()


async def test_global_concurrency_limit_refuses_with_a_wait_time(tmp_path):
    bot, fake = await make_bot(tmp_path, FakeEngine(), discord_max_concurrent=1)
    bot.limiter.acquire(999)  # one answer already being computed
    await ask(bot, fake)
    (refusal,) = fake.requests
    assert refusal.json["data"]["flags"] == 64
    assert "try again in about" in refusal.json["data"]["content"]
    await bot.close()


async def test_no_index_gives_the_friendly_sentence_privately(tmp_path):
    bot, fake = await make_bot(tmp_path, FakeEngine(error=NoIndexError()))
    await ask(bot, fake)
    note = fake.requests[-1]
    assert note.json["content"] == "No index yet — an admin can run /reindex."
    assert note.json["allowed_mentions"] == {"parse": []}
    # after the public "thinking…" the note would replace it in public: it is removed first
    assert "DELETE" in fake.paths()[-2] and fake.paths()[-2].endswith("/messages/@original")
    shown = fake.messages[max(fake.messages)]
    assert shown["content"] == note.json["content"] and shown["flags"] == 64  # only alice sees it
    assert bot.limiter.active == 0  # the slot was released
    await bot.close()


async def test_unexpected_error_apologises_and_logs_the_traceback(tmp_path, caplog):
    bot, fake = await make_bot(tmp_path, FakeEngine(error=RuntimeError("chroma exploded")))
    with caplog.at_level(logging.ERROR):
        await ask(bot, fake)
    note = fake.requests[-1].json
    assert note["content"].startswith("Sorry — something went wrong")
    assert "chroma" not in note["content"] and "Traceback" not in note["content"]
    assert fake.messages[max(fake.messages)]["flags"] == 64
    assert any(r.exc_info and "chroma exploded" in str(r.exc_info[1]) for r in caplog.records)
    # the bot keeps answering afterwards
    bot.engine.error = None
    fake.requests.clear()
    await ask(bot, fake, user_id=222)
    assert "[1]" in fake.requests[1].json["content"]
    await bot.close()


async def test_channel_outside_the_allowed_list_is_refused(tmp_path):
    bot, fake = await make_bot(tmp_path, FakeEngine(), discord_allowed_channels=[123])
    await ask(bot, fake)
    (note,) = fake.requests
    assert (
        note.json["data"]["flags"] == 64
        and "channels an admin chose" in note.json["data"]["content"]
    )
    assert bot.engine.calls == []
    await bot.close()


async def test_ask_inside_the_thread_uses_its_history(newsbot, engine):
    bot, fake = newsbot
    await ask(bot, fake)
    thread_id = int(fake.requests[2].path.split("/")[-2])
    thread = thread_payload(thread_id, name=QUESTION)
    await ask(bot, fake, "Who funds it?", channel=thread)
    question, turns = engine.calls[-1]
    assert question == "Who funds it?"
    assert turns and turns[0][0] == QUESTION and "Babuschkin Ventures" in turns[0][1]
    assert not fake.requests[-1].path.endswith("/threads")  # no thread inside a thread


async def test_notes_are_in_the_members_language(tmp_path):
    bot, fake = await make_bot(tmp_path, FakeEngine(), discord_cooldown_seconds=30)
    await ask(bot, fake, locale="id")
    fake.requests.clear()
    await ask(bot, fake, "Lagi?", locale="id")
    (refusal,) = fake.requests
    assert refusal.json["data"]["content"].startswith("⏳ Pelan-pelan")
    fake.requests.clear()
    await ask(bot, fake, "И ещё?", locale="ru", user_id=555)
    await ask(bot, fake, "И ещё раз?", locale="ru", user_id=555)
    assert "спросить снова можно через" in fake.requests[-1].json["data"]["content"]
    await bot.close()


async def test_private_ask_is_ephemeral_and_opens_no_thread(newsbot, engine):
    bot, fake = newsbot
    bot._connection.parse_interaction_create(
        slash_payload("ask", {"question": QUESTION, "private": True})
    )
    await settle()
    assert fake.requests[0].json == {"type": 5, "data": {"flags": 64}}
    answer = fake.requests[1]
    assert answer.json["flags"] == 64 and "[1]" in answer.json["content"]
    assert not any(r.path.endswith("/threads") for r in fake.requests)
    assert engine.calls == [(QUESTION, [])]


async def test_conversation_history_is_counted_off_the_event_loop(newsbot, monkeypatch):
    from bot.answering.conversation import Conversation

    bot, fake = newsbot
    threads: list[str] = []
    real = Conversation.from_turns.__func__

    def spy(cls, turns, max_tokens):
        threads.append(threading.current_thread().name)
        return real(cls, turns, max_tokens=max_tokens)

    monkeypatch.setattr(Conversation, "from_turns", classmethod(spy))
    await ask(bot, fake)
    thread_id = int(fake.requests[2].path.split("/")[-2])
    await ask(bot, fake, "Who funds it?", channel=thread_payload(thread_id))
    assert threads and "MainThread" not in threads


async def test_context_menu_asks_about_the_target_message(newsbot, engine):
    bot, fake = newsbot
    target = message_payload(
        "Babuschkin Ventures akan mendukung riset keamanan AI",
        author=user_payload(42, "budi"),
    )
    bot._connection.parse_interaction_create(menu_payload(target, "Ask newsbot about this message"))
    await settle()
    assert engine.calls == [("Babuschkin Ventures akan mendukung riset keamanan AI", [])]
    assert fake.requests[0].json == {"type": 5}
    body = fake.requests[1].json
    assert body["content"].startswith("> Babuschkin Ventures akan mendukung")
    assert f"/channels/{GUILD_ID}/{CHANNEL_ID}/{target['id']}" in body["content"]  # jump link
    assert body["allowed_mentions"] == {"parse": []}
    assert any(r.path.endswith("/threads") for r in fake.requests)


async def test_context_menu_on_a_message_without_text_says_so(newsbot, engine):
    bot, fake = newsbot
    target = message_payload("", author=user_payload(42, "budi"))
    bot._connection.parse_interaction_create(menu_payload(target, "Ask newsbot about this message"))
    await settle()
    (note,) = fake.requests
    assert note.json["data"]["content"] == "That message has no text I can read."
    assert note.json["data"]["flags"] == 64 and engine.calls == []
