"""Questions: /ask, @mentions, follow-ups in the answer's thread, /reset.

Every answer opens a thread (or continues the one it was asked in). The thread's earlier
questions and answers (kept in the feedback SQLite by thread id) are the conversation
memory. Without the message-content intent Discord only sends the text of messages that
mention the bot, so a follow-up in a thread is `@newsbot …` or `/ask` inside the thread.
"""

from __future__ import annotations

import asyncio
import logging
import re
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.answering.conversation import Conversation
from bot.discord.errors import ChannelNotAllowed, user_message
from bot.discord.render import clip, render_answer, safe_text
from bot.discord.views import RESET_TEXT, answer_view
from bot.answering.types import Answer

if TYPE_CHECKING:
    from bot.discord.app import NewsBot

log = logging.getLogger(__name__)
NO_PINGS = discord.AllowedMentions.none()
QUESTION_LIMIT = 1000
HISTORY_TURNS = 10


def make_conversation(turns: list[tuple[str, str]], max_tokens: int) -> Conversation:
    """Conversation memory from a thread's (question, answer) turns, oldest first."""
    return Conversation.from_turns(turns, max_tokens=max_tokens)


class Ask(commands.Cog):
    def __init__(self, bot: NewsBot) -> None:
        self.bot = bot

    async def compute(
        self, question: str, user_id: int, conversation_id: int | None
    ) -> tuple[Answer, str]:
        """History → engine.ask → stored answer id; all blocking work in threads."""
        store = self.bot.feedback
        conversation = None
        if conversation_id is not None:
            turns = await asyncio.to_thread(store.history, conversation_id, HISTORY_TURNS)
            if turns:
                conversation = make_conversation(turns, self.bot.settings.history_tokens)
        answer = await asyncio.to_thread(self.bot.engine.ask, question, conversation)
        log.info(
            "answered (%s, %d citations) in %.0f ms",
            answer.mode,
            len(answer.citations),
            answer.timings_ms.get("total", 0.0),
        )
        answer_id = await asyncio.to_thread(store.save_answer, answer, user_id, conversation_id)
        return answer, answer_id

    async def open_thread(
        self, channel: object, message: discord.Message, question: str, answer_id: str
    ) -> discord.Thread | None:
        """Start the answer's thread from its first message (text channels only)."""
        if not isinstance(channel, discord.TextChannel):
            return None
        try:
            thread = await channel.create_thread(
                name=clip(question, 100) or "newsbot", message=discord.Object(id=message.id)
            )
        except discord.HTTPException as exc:
            log.warning("could not open a thread: %s", exc)
            return None
        await asyncio.to_thread(self.bot.feedback.set_conversation, answer_id, thread.id)
        return thread

    # /ask ---------------------------------------------------------------------------------
    @app_commands.command(name="ask", description="Ask a question about the news articles.")
    @app_commands.describe(question="Your question, in any language")
    async def ask(
        self,
        interaction: discord.Interaction,
        question: app_commands.Range[str, 1, QUESTION_LIMIT],
    ) -> None:
        if not self.bot.channel_allowed(interaction.channel):
            raise ChannelNotAllowed()
        refusal = self.bot.limiter.acquire(interaction.user.id)
        if refusal is not None:
            await interaction.response.send_message(
                refusal.message(), ephemeral=True, allowed_mentions=NO_PINGS
            )
            return
        try:
            await interaction.response.defer(thinking=True)
            in_thread = isinstance(interaction.channel, discord.Thread)
            conversation_id = interaction.channel_id if in_thread else None
            answer, answer_id = await self.compute(question, interaction.user.id, conversation_id)
        finally:
            self.bot.limiter.release()
        parts = render_answer(
            answer, header=f"> {safe_text(clip(' '.join(question.split()), 300))}"
        )
        first: discord.Message | None = None
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            sent = await interaction.followup.send(
                part.content or discord.utils.MISSING,
                embeds=part.embeds,
                file=part.file() or discord.utils.MISSING,
                view=answer_view(answer_id) if last else discord.utils.MISSING,
                allowed_mentions=NO_PINGS,
                wait=True,
            )
            first = first or sent
        if first is not None and not in_thread:
            await self.open_thread(interaction.channel, first, question, answer_id)

    # /reset -------------------------------------------------------------------------------
    @app_commands.command(name="reset", description="Start a new conversation in this thread.")
    async def reset(self, interaction: discord.Interaction) -> None:
        if not isinstance(interaction.channel, discord.Thread):
            text = "Each new /ask in a channel already starts a new conversation."
        else:
            await asyncio.to_thread(self.bot.feedback.reset, interaction.channel.id)
            text = RESET_TEXT
        await interaction.response.send_message(text, allowed_mentions=NO_PINGS)

    # @mentions ----------------------------------------------------------------------------
    def mention_question(self, message: discord.Message) -> str | None:
        """The question in a message that mentions the bot, else None."""
        me = self.bot.user
        if me is None or message.author.bot or me not in message.mentions:
            return None
        return re.sub(rf"<@!?{me.id}>", " ", message.content).strip()

    @commands.Cog.listener("on_message")
    async def on_mention(self, message: discord.Message) -> None:
        question = self.mention_question(message)
        if question is None or not self.bot.channel_allowed(message.channel):
            return
        try:
            await self.answer_mention(message, question)
        except Exception as exc:  # noqa: BLE001 - never crash on a bad message
            text = user_message(exc)
            try:
                await message.reply(text, mention_author=False, allowed_mentions=NO_PINGS)
            except discord.HTTPException:
                log.warning("could not reply to a message with an error note")

    async def answer_mention(self, message: discord.Message, question: str) -> None:
        if not question:
            await message.reply(
                "Ask me a question after the mention, e.g. `@newsbot why did the co-founder "
                "of xAI leave?`",
                mention_author=False,
                allowed_mentions=NO_PINGS,
            )
            return
        question = clip(question, QUESTION_LIMIT)
        refusal = self.bot.limiter.acquire(message.author.id)
        if refusal is not None:  # no ephemeral messages outside interactions: delete it later
            await message.reply(
                refusal.message(),
                mention_author=False,
                allowed_mentions=NO_PINGS,
                delete_after=max(5.0, refusal.wait_seconds),
            )
            return
        in_thread = isinstance(message.channel, discord.Thread)
        try:
            async with message.channel.typing():
                conversation_id = message.channel.id if in_thread else None
                answer, answer_id = await self.compute(question, message.author.id, conversation_id)
        finally:
            self.bot.limiter.release()
        parts = render_answer(answer)
        first: discord.Message | None = None
        for i, part in enumerate(parts):
            kwargs = {
                "embeds": part.embeds,
                "allowed_mentions": NO_PINGS,
                "file": part.file(),
                "view": answer_view(answer_id) if i == len(parts) - 1 else None,
            }
            kwargs = {k: v for k, v in kwargs.items() if v is not None}
            if first is None:
                sent = await message.reply(part.content or None, mention_author=False, **kwargs)
                first = sent
            else:
                await message.channel.send(part.content or None, **kwargs)
        if first is not None and not in_thread:
            await self.open_thread(message.channel, first, question, answer_id)


async def setup(bot: NewsBot) -> None:
    await bot.add_cog(Ask(bot))
