"""Questions in messages: @mentions (of the bot or of its managed role), DMs, replies, and —
when the operator enables the message-content intent — any message in the bot's threads.

Without that intent Discord sends the bot the text of DMs and of messages that mention it,
so those are what is read by default. A reply to one of the bot's messages with "ping" on
also counts as a mention for Discord; it is taken as a question only when it asks one
("thanks!" is not). In a thread, the thread's earlier questions and answers are the memory;
in DMs, the DM's are.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING

import discord
from discord.ext import commands

from bot.discord.errors import user_message
from bot.discord.i18n.translator import message_locale, t
from bot.discord.limits import Refusal
from bot.discord.ui import delivery
from bot.discord.ui.formatting import clip
from bot.question_input import asks_something

if TYPE_CHECKING:
    from bot.discord.app import NewsBot

log = logging.getLogger(__name__)
ANSWERED_TYPES = (discord.MessageType.default, discord.MessageType.reply)


class Messages(commands.Cog):
    def __init__(self, bot: NewsBot) -> None:
        self.bot = bot

    def question_in(self, message: discord.Message) -> str | None:
        """The question a message asks the bot, "" for a bare mention, None if it asks none."""
        me = self.bot.user
        if me is None or message.author.bot or message.type not in ANSWERED_TYPES:
            return None
        content = message.content or ""
        role = message.guild.self_role if message.guild is not None else None
        targets = [rf"<@!?{me.id}>"] + ([rf"<@&{role.id}>"] if role is not None else [])
        text = re.sub("|".join(targets), " ", content).strip()
        if message.guild is None:  # a DM: everything is for the bot
            return text
        if re.search(targets[0], content) or (role is not None and role in message.role_mentions):
            return text
        if me in message.mentions:  # Discord's reply-with-ping, no mention written
            return text if asks_something(text) else None
        if (
            self.bot.settings.discord_message_content
            and isinstance(message.channel, discord.Thread)
            and message.channel.owner_id == me.id
            and text
        ):
            return text
        return None

    @commands.Cog.listener("on_message")
    async def on_question(self, message: discord.Message) -> None:
        question = self.question_in(message)
        if question is None:
            return
        if message.guild is not None:
            config = self.bot.guild_config(message.guild.id)
            if not config.channel_allowed(message.channel):
                return
        try:
            await self.answer(message, question)
        except Exception as exc:  # noqa: BLE001 - never crash on a bad message
            await delivery.reply_note(message, user_message(exc, message_locale(message)))

    async def answer(self, message: discord.Message, question: str) -> None:
        bot, locale = self.bot, message_locale(message)
        if not question:
            name = bot.user.display_name if bot.user else "newsbot"
            await delivery.reply_note(
                message,
                t(
                    "Ask me a question after the mention, e.g. `@{name} what did the "
                    "report announce?`",
                    locale,
                    name=name,
                ),
            )
            return
        if not bot.engine_ready:  # no ephemeral messages outside interactions
            await delivery.reply_note(
                message,
                t("⏳ I'm starting up — please ask again in a few seconds.", locale),
                delete_after=15.0,
            )
            return
        question = clip(question, delivery.QUESTION_LIMIT)
        guild = message.guild
        in_dm = guild is None
        config = bot.guild_config(guild.id) if guild is not None else None
        scope: int | str
        if guild is None or config is None:
            cooldown, scope = bot.settings.discord_dm_cooldown_seconds, "dm"
        else:
            cooldown, scope = config.cooldown_seconds, guild.id
        ticket = bot.limiter.acquire(message.author.id, cooldown=cooldown, scope=scope)
        if isinstance(ticket, Refusal):  # no ephemeral messages outside interactions
            await delivery.reply_note(
                message, ticket.message(locale), delete_after=max(5.0, ticket.wait_seconds)
            )
            return
        in_thread = isinstance(message.channel, discord.Thread)
        try:
            async with message.channel.typing():
                conversation_id = message.channel.id if (in_thread or in_dm) else None
                readers = delivery.readers_of(
                    None,
                    config.reader_languages if config is not None else (),
                    guild.preferred_locale if guild is not None else None,
                )
                answer, answer_id = await delivery.compute(
                    bot, question, message.author.id, conversation_id, readers
                )
        finally:
            bot.limiter.release(ticket)
        first = await delivery.send_reply(message, answer, answer_id)
        if first is not None and not (in_thread or in_dm):
            await delivery.open_thread(bot, message.channel, first, question, answer_id, locale)


async def setup(bot: NewsBot) -> None:
    await bot.add_cog(Messages(bot))
