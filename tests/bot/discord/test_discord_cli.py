"""`newsbot discord` without a token, and the bot's start-up settings."""

from __future__ import annotations

import os
import subprocess
import sys

import discord
import pytest
from discord.ext import commands

from tests.bot.discord.fake_bot import make_bot


def test_discord_command_without_a_token_exits_4_and_says_where_to_get_one(tmp_path):
    env = {k: v for k, v in os.environ.items() if "DISCORD" not in k}
    proc = subprocess.run(
        [sys.executable, "-c", "from bot.cli.app import main; main()", "discord"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 4
    assert "discord.com/developers/applications" in proc.stderr
    assert "Reset Token" in proc.stderr and "DISCORD_TOKEN" in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.asyncio
async def test_bot_is_sharded_never_pings_and_needs_no_privileged_intent(tmp_path):
    bot, _ = await make_bot(tmp_path)
    assert isinstance(bot, commands.AutoShardedBot)
    assert bot.allowed_mentions.to_dict() == discord.AllowedMentions.none().to_dict()
    assert not bot.intents.message_content and not bot.intents.members
    assert not bot.intents.presences
    names = {c.name for c in bot.tree.get_commands()}
    assert names == {
        "ask", "reset", "reindex", "sources", "about", "help", "config",
        "Ask newsbot about this message",
    }  # fmt: skip
    await bot.close()
