"""/ask, the "Ask newsbot about this message" context menu, and /reset.

Every public answer opens a thread (or continues the one it was asked in); the thread's
earlier questions and answers (kept in SQLite by thread id) are the conversation memory.
`private` answers are ephemeral: no thread, nothing in the channel.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.errors import ChannelNotAllowed, StartingUp, defer_public
from bot.discord.i18n.translator import ls, t
from bot.discord.limits import Refusal
from bot.discord.ui import delivery
from bot.discord.ui.formatting import clip

if TYPE_CHECKING:
    from bot.discord.app import NewsBot

log = logging.getLogger(__name__)
NO_PINGS = discord.AllowedMentions.none()
QUESTION_LIMIT = delivery.QUESTION_LIMIT


class Ask(commands.Cog):
    def __init__(self, bot: NewsBot) -> None:
        self.bot = bot
        self.menu = app_commands.ContextMenu(
            name=ls("Ask newsbot about this message"), callback=self.about_message
        )

    async def cog_load(self) -> None:
        self.bot.tree.add_command(self.menu)

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command(self.menu.name, type=self.menu.type)

    # /ask ---------------------------------------------------------------------------------
    @app_commands.command(name="ask", description=ls("Ask a question about the news articles."))
    @app_commands.describe(
        question=ls("Your question, in any language"),
        private=ls("Only you see the answer (no thread is opened)"),
    )
    async def ask(
        self,
        interaction: discord.Interaction,
        question: app_commands.Range[str, 1, QUESTION_LIMIT],
        private: bool = False,
    ) -> None:
        await self.answer_interaction(interaction, question, private=private)

    # context menu -------------------------------------------------------------------------
    async def about_message(
        self, interaction: discord.Interaction, message: discord.Message
    ) -> None:
        """The message's text is the question (Discord includes it for message commands,
        without the message-content intent); the answer links back to it."""
        text = " ".join((message.content or "").split())
        if not text:
            text = " ".join(" ".join(e.description or "" for e in message.embeds).split())
        if not text:
            await interaction.response.send_message(
                t("That message has no text I can read.", interaction.locale),
                ephemeral=True,
                allowed_mentions=NO_PINGS,
            )
            return
        question = clip(text, QUESTION_LIMIT)
        header = f"{delivery.question_header(question)}\n-# ↪ {message.jump_url}"
        await self.answer_interaction(interaction, question, header=header)

    # shared -------------------------------------------------------------------------------
    async def answer_interaction(
        self,
        interaction: discord.Interaction,
        question: str,
        *,
        private: bool = False,
        header: str | None = None,
    ) -> None:
        bot = self.bot
        config = bot.guild_config(interaction.guild_id)
        if interaction.guild_id is not None and not config.channel_allowed(interaction.channel):
            raise ChannelNotAllowed()
        if not bot.engine_ready:
            raise StartingUp()
        in_dm = interaction.guild_id is None
        ticket = bot.limiter.acquire(
            interaction.user.id,
            cooldown=bot.settings.discord_dm_cooldown_seconds if in_dm else config.cooldown_seconds,
            scope=interaction.guild_id or "dm",
        )
        if isinstance(ticket, Refusal):
            await interaction.response.send_message(
                ticket.message(interaction.locale), ephemeral=True, allowed_mentions=NO_PINGS
            )
            return
        try:
            if private:
                await interaction.response.defer(ephemeral=True, thinking=True)
            else:
                await defer_public(interaction)
            in_thread = isinstance(interaction.channel, discord.Thread)
            conversation_id = interaction.channel_id if (in_thread or in_dm) else None
            readers = delivery.readers_of(
                interaction.locale, config.reader_languages, interaction.guild_locale
            )
            answer, answer_id = await delivery.compute(
                bot, question, interaction.user.id, conversation_id, readers
            )
        finally:
            bot.limiter.release(ticket)
        first = await delivery.send_followups(
            interaction,
            answer,
            answer_id,
            header=header or delivery.question_header(question),
            ephemeral=private,
        )
        if first is not None and not (private or in_thread):
            await delivery.open_thread(
                bot, interaction.channel, first, question, answer_id, interaction.locale
            )

    # /reset -------------------------------------------------------------------------------
    @app_commands.command(name="reset", description=ls("Start a new conversation in this thread."))
    async def reset(self, interaction: discord.Interaction) -> None:
        channel = interaction.channel
        if isinstance(channel, discord.Thread | discord.DMChannel):
            await self.bot.pools.run(self.bot.pools.quick, self.bot.feedback.reset, channel.id)
            text = t(
                "🧹 New conversation — I've forgotten the earlier questions of this thread.",
                interaction.locale,
            )
        else:
            text = t(
                "Each new /ask in a channel already starts a new conversation.", interaction.locale
            )
        await interaction.response.send_message(text, allowed_mentions=NO_PINGS)


async def setup(bot: NewsBot) -> None:
    await bot.add_cog(Ask(bot))
