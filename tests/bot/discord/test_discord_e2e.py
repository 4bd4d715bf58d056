"""End to end: the real bot, started by runner.serve as `newsbot discord` does, connects to
a fake Discord on a loopback port (REST + gateway), gets a mention and an /ask interaction,
and replies; SIGTERM then shuts it down cleanly."""

from __future__ import annotations

import asyncio
import os
import signal

import discord
import pytest

from bot.discord import runner
from tests.bot.discord.fake_gateway import FakeDiscordServer
from tests.discord_fakes import (
    BOT_USER,
    CHANNEL_ID,
    FakeEngine,
    bot_settings,
    message_payload,
    slash_payload,
    user_payload,
)

pytestmark = [pytest.mark.asyncio, pytest.mark.slow]
TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4.fake.token-never-logged"


async def test_real_bot_against_a_fake_discord(tmp_path, monkeypatch, caplog):
    server = FakeDiscordServer()
    await server.start()
    monkeypatch.setattr(discord.http.Route, "BASE", server.api_base)
    engine = FakeEngine()
    settings = bot_settings(tmp_path, discord_token=TOKEN)
    caplog.set_level("DEBUG")
    serving = asyncio.create_task(
        runner.serve(settings, engine, runner.token_of(settings), sync=True)
    )
    try:
        async with asyncio.timeout(15):
            await server.identified.wait()
        intents = discord.Intents._from_value(server.identify["intents"])
        assert not intents.message_content and intents.guild_messages
        await server.wait_for(lambda rs: any(r.method == "PUT" for r in rs))  # --sync
        assert {c["name"] for c in server.fake.commands} == {
            "ask",
            "reset",
            "reindex",
            "sources",
            "about",
        }

        # a mention in a channel
        await server.dispatch(
            "MESSAGE_CREATE",
            message_payload(
                f"<@{BOT_USER['id']}> Mengapa Babuschkin keluar dari xAI?",
                author=user_payload(301234567890123456, "budi"),
                mentions=[BOT_USER],
            ),
        )
        await server.wait_for(lambda rs: any(r.path.endswith("/threads") for r in rs))
        reply = next(
            r for r in server.fake.requests if r.path == f"/channels/{CHANNEL_ID}/messages"
        )
        assert "[1]" in reply.json["content"] and reply.json["allowed_mentions"]["parse"] == []
        assert reply.json["embeds"][0]["fields"][0]["name"].startswith("[1] ")

        # an /ask interaction
        server.fake.requests.clear()
        await server.dispatch(
            "INTERACTION_CREATE", slash_payload("ask", {"question": "Кто такой Бабушкин?"})
        )
        await server.wait_for(lambda rs: any(r.path.endswith("/threads") for r in rs))
        paths = [r.path for r in server.fake.requests]
        assert paths[0].endswith("/callback") and server.fake.requests[0].json == {"type": 5}
        followup = server.fake.requests[1]
        assert (
            followup.path.startswith("/webhooks/")
            and "Кто такой Бабушкин?" in followup.json["content"]
        )
        assert [q for q, _ in engine.calls] == [
            "Mengapa Babuschkin keluar dari xAI?",
            "Кто такой Бабушкин?",
        ]

        # graceful shutdown on SIGTERM (the handler runner.serve installed)
        os.kill(os.getpid(), signal.SIGTERM)
        async with asyncio.timeout(10):
            await serving
    finally:
        if not serving.done():
            serving.cancel()
            await asyncio.gather(serving, return_exceptions=True)
        await server.stop()
    assert TOKEN not in caplog.text  # never logged, even at DEBUG
    assert "bot stopped" in caplog.text
