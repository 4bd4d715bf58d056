"""Start-up: the bot connects while its engine loads in a worker, and says "starting up"
(privately for slash commands, as a short-lived reply to a mention) until it is ready."""

from __future__ import annotations

import asyncio

import pytest

from tests.bot.discord.fake_bot import make_bot, settle
from tests.bot.discord.payloads import BOT_USER, message_payload, slash_payload
from tests.bot.fake_engine import FakeEngine

pytestmark = pytest.mark.asyncio
QUESTION = "Why did the co-founder of xAI leave?"


async def test_setup_does_not_wait_for_the_engine_and_questions_hear_it_is_starting(tmp_path):
    engine = FakeEngine()
    engine.warm_release.clear()  # the model is still loading
    bot, fake = await make_bot(tmp_path, engine, started=False)
    try:
        assert not bot.engine_ready and not engine.warmed

        bot._connection.parse_interaction_create(slash_payload("ask", {"question": QUESTION}))
        await settle()
        (reply,) = fake.requests
        assert reply.path.endswith("/callback")
        assert reply.json["type"] == 4 and reply.json["data"]["flags"] == 64  # ephemeral
        assert "starting up" in reply.json["data"]["content"]
        assert engine.calls == []  # nothing reached the engine

        mention = message_payload(f"<@{BOT_USER['id']}> {QUESTION}", mentions=[BOT_USER])
        bot._connection.parse_message_create(mention)
        await settle()
        note = fake.requests[-1]
        assert "starting up" in note.json["content"]
        assert note.json["allowed_mentions"]["parse"] == []  # no pings

        engine.warm_release.set()
        await asyncio.wait_for(bot.engine_started(), 10)
        assert bot.engine_ready and engine.warmed and engine.calibrated
        before = len(fake.requests)
        bot._connection.parse_interaction_create(slash_payload("ask", {"question": QUESTION}))
        await settle()
        assert [q for q, _ in engine.calls] == [QUESTION]
        assert any("[1]" in (r.json or {}).get("content", "") for r in fake.requests[before:])
    finally:
        engine.warm_release.set()
        await bot.close()


async def test_a_failed_warm_up_still_lets_questions_through(tmp_path, caplog):
    engine = FakeEngine()

    def broken() -> None:
        raise RuntimeError("model file damaged")

    engine.warm_up = broken  # type: ignore[method-assign]
    bot, fake = await make_bot(tmp_path, engine)
    try:
        assert bot.engine_ready  # the first question reports whatever is wrong
        assert "engine warm-up failed" in caplog.text
    finally:
        await bot.close()


async def test_closing_while_the_engine_loads_does_not_wait_for_it(tmp_path):
    engine = FakeEngine()
    engine.warm_release.clear()
    bot, _ = await make_bot(tmp_path, engine, started=False)
    try:
        await asyncio.wait_for(bot.close(), 5)
        assert bot.is_closed()
    finally:
        engine.warm_release.set()
