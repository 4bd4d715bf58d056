"""The bot: an AutoShardedBot holding the engine, feedback store and limits; cogs do the rest.

Intents are the defaults without message content: mentions of the bot, DMs and the bot's
own messages still arrive with their text, which is all newsbot reads.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any, Protocol

import discord
from discord.ext import commands

from bot.discord.errors import on_app_command_error
from bot.discord.feedback import FeedbackStore
from bot.discord.limits import Limiter
from bot.discord.views import PERSISTENT_ITEMS
from bot.settings import Settings
from bot.answering.types import Answer

log = logging.getLogger(__name__)

COGS = ("bot.discord.cogs.ask", "bot.discord.cogs.admin", "bot.discord.cogs.info")


class EngineLike(Protocol):
    """What the bot needs from bot.answering.engine.Engine (all blocking; call with asyncio.to_thread)."""

    def ask(self, question: str, conversation: Any = None) -> Answer: ...
    def articles(self) -> list[Any]: ...
    def status(self) -> Any: ...
    def rebuild(self, full: bool = False, progress: Any = None) -> Any: ...


def bot_intents() -> discord.Intents:
    intents = discord.Intents.default()
    intents.message_content = False  # privileged; mentions arrive with content anyway
    intents.members = False
    intents.presences = False
    return intents


class NewsBot(commands.AutoShardedBot):
    def __init__(
        self,
        settings: Settings,
        engine: EngineLike,
        *,
        sync: bool = False,
        sync_guild_id: int | None = None,
        **options: Any,
    ) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            help_command=None,
            intents=bot_intents(),
            allowed_mentions=discord.AllowedMentions.none(),
            **options,
        )
        self.settings = settings
        self.engine = engine
        self.feedback = FeedbackStore(settings.feedback_db)
        self.limiter = Limiter(settings.discord_cooldown_seconds, settings.discord_max_concurrent)
        self.rebuild_lock = asyncio.Lock()
        self.sync_on_start = sync
        self.sync_guild_id = sync_guild_id
        self.tree.on_error = on_app_command_error

    async def setup_hook(self) -> None:
        warm_up = getattr(self.engine, "warm_up", None)
        if callable(warm_up):
            started = time.perf_counter()
            try:
                await asyncio.to_thread(warm_up)
            except Exception:  # the bot still starts; the first question reports the problem
                log.exception("engine warm-up failed")
            log.info("engine warmed up in %.1f s", time.perf_counter() - started)
        for name in COGS:
            await self.load_extension(name)
        self.add_dynamic_items(*PERSISTENT_ITEMS)
        if self.sync_on_start:
            await self.sync_commands(self.sync_guild_id)

    async def sync_commands(self, guild_id: int | None = None) -> list[str]:
        """Push the slash commands to Discord: one guild (instant) or globally (up to 1 h)."""
        if guild_id is not None:
            guild = discord.Object(id=guild_id)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
            where = f"guild {guild_id}"
        else:
            synced = await self.tree.sync()
            where = "all guilds (global; may take up to an hour to appear)"
        names = [c.name for c in synced]
        log.info("synced %d commands to %s: %s", len(names), where, ", ".join(names))
        return names

    async def on_message(self, message: discord.Message) -> None:
        """No prefix commands: mentions are questions, handled by the ask cog's listener."""

    async def on_ready(self) -> None:
        user = self.user
        log.info(
            "connected as %s (%s) to %d guilds, %d shard(s)",
            user,
            user.id if user else "?",
            len(self.guilds),
            self.shard_count or 1,
        )

    async def on_error(self, event_method: str, /, *args: Any, **kwargs: Any) -> None:
        log.exception("error in event %s", event_method)

    def channel_allowed(self, channel: Any) -> bool:
        """settings.discord_allowed_channels (empty = all); a thread counts as its parent."""
        allowed = self.settings.discord_allowed_channels
        if not allowed:
            return True
        ids = {getattr(channel, "id", None), getattr(channel, "parent_id", None)}
        return any(i in allowed for i in ids if i is not None)
