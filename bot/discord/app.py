"""The bot: an AutoShardedBot holding the engine, stores, pools and limits; cogs do the rest.

Intents are the defaults without message content: mentions of the bot, DMs and the bot's
own messages still arrive with their text, which is all newsbot reads — unless the operator
enables the privileged intent (NEWSBOT_DISCORD_MESSAGE_CONTENT) to answer every message in
the bot's threads.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import discord
from discord.ext import commands

from bot import build_process
from bot.answering.protocols import AnswerEngine
from bot.discord.errors import on_app_command_error
from bot.discord.executors import Pools
from bot.discord.i18n.translator import Translator
from bot.discord.limits import Limiter
from bot.discord.store.feedback import FeedbackStore
from bot.discord.store.guild_config import GuildConfig, GuildConfigStore
from bot.settings import Settings

log = logging.getLogger(__name__)

COGS = (
    "bot.discord.cogs.ask",
    "bot.discord.cogs.buttons",
    "bot.discord.cogs.messages",
    "bot.discord.cogs.admin",
    "bot.discord.cogs.config",
    "bot.discord.cogs.info",
    "bot.discord.cogs.help",
)
SHUTDOWN_GRACE_SECONDS = 5.0  # a build child gets this long to end after SIGTERM


def bot_intents(message_content: bool = False) -> discord.Intents:
    intents = discord.Intents.default()
    intents.message_content = message_content  # privileged; mentions and DMs arrive anyway
    intents.members = False
    intents.presences = False
    return intents


class NewsBot(commands.AutoShardedBot):
    def __init__(
        self,
        settings: Settings,
        engine: AnswerEngine,
        *,
        sync: bool = False,
        sync_guild_id: int | None = None,
        **options: Any,
    ) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            help_command=None,
            intents=bot_intents(settings.discord_message_content),
            allowed_mentions=discord.AllowedMentions.none(),
            **options,
        )
        self.settings = settings
        self.engine = engine
        self.feedback = FeedbackStore(settings.feedback_db)
        self.guild_configs = GuildConfigStore(
            settings.feedback_db,
            GuildConfig(
                frozenset(settings.discord_allowed_channels),
                settings.discord_admin_role_id,
                settings.discord_cooldown_seconds,
            ),
        )
        self.limiter = Limiter(settings.discord_cooldown_seconds, settings.discord_max_concurrent)
        self.pools = Pools(answers=settings.discord_max_concurrent)
        self.rebuild_lock = asyncio.Lock()
        self.shutting_down = False
        self.engine_ready = False
        self._warming: asyncio.Task[None] | None = None
        self.sync_on_start = sync
        self.sync_guild_id = sync_guild_id
        self.tree.error(on_app_command_error)

    def guild_config(self, guild_id: int | None) -> GuildConfig:
        """This server's settings (its /config over the operator's defaults); no I/O."""
        return self.guild_configs.get(guild_id)

    async def setup_hook(self) -> None:
        # The engine loads in a worker while the bot connects: until it is ready, questions
        # get a short "starting up" note (the event loop never waits for it).
        self._warming = asyncio.create_task(self._warm_engine(), name="engine-warm-up")
        await self.pools.run(self.pools.quick, self.guild_configs.load)
        await self.tree.set_translator(Translator())
        for name in COGS:
            await self.load_extension(name)
        if self.sync_on_start:
            await self.sync_commands(self.sync_guild_id)

    async def _warm_engine(self) -> None:
        started = time.perf_counter()
        try:
            await self.pools.run(self.pools.lookups, self.engine.warm_up)
        except Exception:  # the bot still answers; the first question reports the problem
            log.exception("engine warm-up failed")
        self.engine_ready = True
        log.info("engine ready in %.1f s", time.perf_counter() - started)
        try:  # an index built by an older version has no refusal statistics yet
            await self.pools.run(self.pools.lookups, self.engine.calibrate)
        except Exception:
            log.exception("refusal calibration failed")

    async def engine_started(self) -> None:
        """Wait until the start-up warm-up (and the refusal calibration after it) ended."""
        if self._warming is not None:
            await asyncio.shield(self._warming)

    async def sync_commands(self, guild_id: int | None = None) -> list[str]:
        """Push the commands to Discord: one guild (instant) or globally (up to 1 h)."""
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
        """No prefix commands: questions are handled by the messages cog's listener."""

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

    async def close(self) -> None:
        """End the rebuild child first (its waiting thread then returns), let the /reindex
        handler post that it stopped, then close the connection and stop the pools."""
        if not self.shutting_down:
            self.shutting_down = True
            if self._warming is not None:  # its worker thread is a daemon: nobody waits
                self._warming.cancel()
            ended = await asyncio.to_thread(build_process.terminate_all, SHUTDOWN_GRACE_SECONDS)
            if ended:
                log.info("ended %d running build(s)", ended)
                try:
                    async with asyncio.timeout(SHUTDOWN_GRACE_SECONDS):
                        async with self.rebuild_lock:
                            pass
                except TimeoutError:
                    log.warning("the /reindex handler did not finish in time")
        await super().close()
        self.pools.shutdown()
