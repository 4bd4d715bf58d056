"""Questions in messages, through discord.py's real MESSAGE_CREATE parsing: @mentions of the
bot or of its managed role, replies, DMs, follow-ups in threads, deleted questions."""

from __future__ import annotations

import pytest

from tests.bot.discord.fake_bot import make_bot, settle
from tests.bot.discord.payloads import (
    ALICE,
    BOT_ROLE_ID,
    BOT_USER,
    CHANNEL_ID,
    dm_message_payload,
    message_payload,
    thread_payload,
    user_payload,
)
from tests.bot.fake_engine import FakeEngine

pytestmark = pytest.mark.asyncio
QUESTION = "Why did the co-founder of xAI leave?"
ME = BOT_USER["id"]


def mention(content: str, channel_id: int = CHANNEL_ID, author_id: int = ALICE, **kw) -> dict:
    return message_payload(
        content, author=user_payload(author_id), channel_id=channel_id, mentions=[BOT_USER], **kw
    )


def posts(fake) -> list:
    return [r for r in fake.requests if r.method == "POST" and r.path.endswith("/messages")]


async def test_mention_is_answered_in_a_reply_and_opens_a_thread(newsbot, engine):
    bot, fake = newsbot
    bot._connection.parse_message_create(mention(f"<@{ME}> {QUESTION} @everyone"))
    await settle()
    reply, note = posts(fake)
    assert reply.path == f"/channels/{CHANNEL_ID}/messages"
    assert reply.json["allowed_mentions"] == {"parse": [], "replied_user": False}
    assert "message_reference" in reply.json and "[1]" in reply.json["content"]
    assert reply.json["embeds"][0]["title"] == "Sources"
    assert engine.calls == [(f"{QUESTION} @everyone", [])]
    assert any(r.path.endswith("/threads") for r in fake.requests)
    assert "Follow-ups: mention me" in note.json["content"]  # in the new thread


async def test_a_mention_of_the_bots_managed_role_is_answered(newsbot, engine):
    bot, fake = newsbot
    bot._connection.parse_message_create(
        message_payload(
            f"<@&{BOT_ROLE_ID}> {QUESTION}",
            author=user_payload(ALICE),
            mention_roles=[str(BOT_ROLE_ID)],
        )
    )
    await settle()
    assert engine.calls == [(QUESTION, [])]
    assert "[1]" in posts(fake)[0].json["content"]


async def test_a_question_deleted_before_the_answer_still_gets_it(tmp_path):
    engine = FakeEngine(delay=0.2)
    bot, fake = await make_bot(tmp_path, engine)
    payload = mention(f"<@{ME}> {QUESTION}")
    fake.deleted.add(payload["id"])  # the asker deleted it while the bot was thinking
    bot._connection.parse_message_create(payload)
    await settle()
    reply = posts(fake)[0]
    assert "[1]" in reply.json["content"]
    assert reply.json["message_reference"]["fail_if_not_exists"] is False
    await bot.close()


async def test_mention_in_the_thread_is_a_follow_up_with_history(newsbot, engine):
    bot, fake = newsbot
    bot._connection.parse_message_create(mention(f"<@{ME}> {QUESTION}"))
    await settle()
    thread_id = int(
        next(r for r in fake.requests if r.path.endswith("/threads")).path.split("/")[-2]
    )
    thread = thread_payload(thread_id, name=QUESTION)
    bot._connection.parse_thread_create({**thread, "newly_created": True})
    bot._connection.parse_message_create(mention(f"<@!{ME}> who funds it?", thread_id))
    await settle()
    assert engine.calls[-1][0] == "who funds it?"
    assert engine.calls[-1][1][0][0] == QUESTION
    assert posts(fake)[-1].path == f"/channels/{thread_id}/messages"  # answered in the thread


async def test_a_reply_with_ping_is_a_question_only_when_it_asks_one(newsbot, engine):
    bot, fake = newsbot
    answer_id = "950000000000012345"
    reply = {
        "message_reference": {"message_id": answer_id, "channel_id": str(CHANNEL_ID)},
        "type": 19,
    }
    # Discord puts the replied-to author (the bot) in `mentions`; the text has no mention
    bot._connection.parse_message_create(mention("thanks!", **reply))
    await settle()
    assert engine.calls == [] and fake.requests == []
    bot._connection.parse_message_create(mention("and who funds the new firm?", **reply))
    await settle()
    assert engine.calls == [("and who funds the new firm?", [])]


async def test_direct_messages_are_answered_with_their_own_cooldown(tmp_path):
    engine = FakeEngine()
    bot, fake = await make_bot(
        tmp_path, engine, discord_cooldown_seconds=0, discord_dm_cooldown_seconds=60
    )
    bot._connection.parse_message_create(dm_message_payload(QUESTION))
    await settle()
    (answer,) = posts(fake)
    assert "[1]" in answer.json["content"] and not any("/threads" in p for p in fake.paths())
    bot._connection.parse_message_create(dm_message_payload("and who funds it?"))
    await settle()
    assert "ask again in" in posts(fake)[-1].json["content"]  # the DM cooldown
    assert len(engine.calls) == 1
    # the DM cooldown does not spend the member's cooldown on the server
    bot._connection.parse_message_create(mention(f"<@{ME}> {QUESTION}"))
    await settle()
    assert len(engine.calls) == 2
    await bot.close()


async def test_a_dm_conversation_remembers_its_questions(tmp_path):
    engine = FakeEngine()
    bot, fake = await make_bot(tmp_path, engine, discord_dm_cooldown_seconds=0)
    bot._connection.parse_message_create(dm_message_payload(QUESTION))
    await settle()
    bot._connection.parse_message_create(dm_message_payload("who funds it?"))
    await settle()
    assert engine.calls[-1][1][0][0] == QUESTION
    await bot.close()


async def test_thread_messages_without_mention_need_the_message_content_intent(tmp_path):
    thread = thread_payload(960000000000000001, name=QUESTION)
    for enabled, expected in ((False, 0), (True, 1)):
        engine = FakeEngine()
        bot, fake = await make_bot(tmp_path, engine, discord_message_content=enabled)
        assert bot.intents.message_content is enabled
        bot._connection.parse_thread_create({**thread, "newly_created": True})
        bot._connection.parse_message_create(
            message_payload("who funds it?", channel_id=int(thread["id"]))
        )
        await settle()
        assert len(engine.calls) == expected
        await bot.close()


async def test_messages_without_a_mention_or_from_bots_are_ignored(newsbot, engine):
    bot, fake = newsbot
    bot._connection.parse_message_create(message_payload("hello everyone"))
    bot._connection.parse_message_create(
        message_payload(
            f"<@{ME}> hi",
            author=user_payload(5, "otherbot", bot=True),
            mentions=[BOT_USER],
        )
    )
    await settle()
    assert fake.requests == [] and engine.calls == []


async def test_bare_mention_gets_a_hint(newsbot, engine):
    bot, fake = newsbot
    bot._connection.parse_message_create(mention(f"<@{ME}>"))
    await settle()
    (hint,) = fake.requests
    assert "Ask me a question after the mention" in hint.json["content"]
    assert engine.calls == []


async def test_an_error_reply_survives_a_deleted_question(tmp_path):
    bot, fake = await make_bot(tmp_path, FakeEngine(error=RuntimeError("boom")))
    payload = mention(f"<@{ME}> {QUESTION}")
    fake.deleted.add(payload["id"])
    bot._connection.parse_message_create(payload)
    await settle()
    (note,) = posts(fake)
    assert note.json["content"].startswith("Sorry — something went wrong")
    await bot.close()
