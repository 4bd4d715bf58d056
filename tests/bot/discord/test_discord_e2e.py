"""End to end: the real bot, started by runner.serve as `newsbot discord` does, connects to
a fake Discord on a loopback port (REST + gateway), syncs its localised commands, answers a
mention, a mention of its managed role, an /ask and the message context menu, reports a
/reindex that outlives the interaction token, and shuts down cleanly on SIGTERM.
(test_discord_process_e2e.py runs `newsbot discord` as a process, with a real build child.)"""

from __future__ import annotations

import asyncio
import os
import signal

import discord
import pytest

from bot.discord import runner
from tests.bot.discord.fake_bot import bot_settings
from tests.bot.discord.fake_gateway import FakeDiscordServer
from tests.bot.discord.payloads import (
    BOT_ROLE_ID,
    BOT_USER,
    CHANNEL_ID,
    menu_payload,
    message_payload,
    slash_payload,
    user_payload,
)
from tests.bot.fake_engine import FakeEngine

pytestmark = [pytest.mark.asyncio, pytest.mark.slow]
MANAGE_GUILD = discord.Permissions(manage_guild=True, view_channel=True).value
TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4.fake.token-never-logged"


def thread_note_sent(requests) -> bool:
    """The last request of an answer: the line on follow-ups in its new thread."""
    return any(
        isinstance(r.json, dict) and "Follow-ups" in (r.json.get("content") or "") for r in requests
    )


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
        by_name = {c["name"]: c for c in server.fake.commands}
        assert set(by_name) == {
            "ask", "reset", "reindex", "sources", "about", "help", "config",
            "Ask newsbot about this message",
        }  # fmt: skip
        assert by_name["Ask newsbot about this message"]["type"] == 3
        assert len(by_name["ask"]["description_localizations"]) >= 5

        # a mention in a channel
        await server.dispatch(
            "MESSAGE_CREATE",
            message_payload(
                f"<@{BOT_USER['id']}> Mengapa Babuschkin keluar dari xAI?",
                author=user_payload(301234567890123456, "budi"),
                mentions=[BOT_USER],
            ),
        )
        await server.wait_for(thread_note_sent)
        assert any(r.path.endswith("/threads") for r in server.fake.requests)
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
        await server.wait_for(thread_note_sent)
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

        # a mention of the bot's managed role, as Discord's mention picker inserts it
        server.fake.requests.clear()
        await server.dispatch(
            "MESSAGE_CREATE",
            message_payload(
                f"<@&{BOT_ROLE_ID}> Siapa pendiri Babuschkin Ventures?",
                author=user_payload(301234567890123456, "budi"),
                mention_roles=[str(BOT_ROLE_ID)],
            ),
        )
        await server.wait_for(thread_note_sent)
        assert engine.calls[-1][0] == "Siapa pendiri Babuschkin Ventures?"

        # the message context menu
        server.fake.requests.clear()
        target = message_payload("xAI kehilangan salah satu pendirinya", author=user_payload(7))
        await server.dispatch(
            "INTERACTION_CREATE", menu_payload(target, "Ask newsbot about this message")
        )
        await server.wait_for(thread_note_sent)
        assert engine.calls[-1][0] == "xAI kehilangan salah satu pendirinya"

        # a /reindex that outlives its interaction token still reports, in the channel
        server.fake.requests.clear()
        server.fake.token_ttl = 0.3
        engine.rebuild_release.clear()
        await server.dispatch(
            "INTERACTION_CREATE",
            slash_payload("reindex", user_id=1, permissions=MANAGE_GUILD),
        )
        await asyncio.to_thread(engine.rebuild_started.wait, 10)
        await asyncio.sleep(0.5)
        engine.rebuild_release.set()
        await server.wait_for(
            lambda rs: any("Index rebuilt" in str((r.json or {}).get("content")) for r in rs
                           if isinstance(r.json, dict))
        )  # fmt: skip

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
