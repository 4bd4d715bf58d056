"""From a question to messages in Discord, shared by /ask, the context menu, mentions and DMs.

`compute` runs entirely in the `answers` pool: the conversation history is read from SQLite
and counted in tokens there (a long thread costs tens of milliseconds), the engine answers,
the answer is stored. The senders split the answer within Discord's limits, never ping, put
the buttons under the last part, and open the answer's thread with one line on follow-ups.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import discord

from bot.answering.conversation import Conversation
from bot.answering.types import Answer
from bot.discord.errors import placeholder_filled
from bot.discord.i18n.translator import t
from bot.discord.ui.buttons import answer_view
from bot.discord.ui.formatting import NO_PINGS, clip, render_answer, safe_text

if TYPE_CHECKING:
    from bot.discord.app import NewsBot

log = logging.getLogger(__name__)
HISTORY_TURNS = 10
QUESTION_LIMIT = 1000


def readers_of(
    member: discord.Locale | str | None,
    server: Sequence[str] = (),
    server_locale: discord.Locale | str | None = None,
) -> list[str]:
    """The languages an asker reads, in order: their Discord locale (slash commands and
    menus carry it), the server's `/config languages`, the server's preferred locale."""
    from bot.answering.readers import reader_languages

    def code(locale: discord.Locale | str | None) -> list[str]:
        value = locale.value if isinstance(locale, discord.Locale) else locale
        return [value] if value else []

    codes, _ = reader_languages([*code(member), *server, *code(server_locale)])
    return codes


async def compute(
    bot: NewsBot,
    question: str,
    user_id: int,
    conversation_id: int | None,
    readers: Sequence[str] = (),
) -> tuple[Answer, str]:
    """History → engine.ask → stored answer id, all in one worker thread of `answers`."""
    store, engine, max_tokens = bot.feedback, bot.engine, bot.settings.history_tokens

    def work() -> tuple[Answer, str]:
        conversation = None
        if conversation_id is not None:
            turns = store.history(conversation_id, HISTORY_TURNS)
            if turns:
                conversation = Conversation.from_turns(turns, max_tokens=max_tokens)
        answer = engine.ask(question, conversation, readers)
        return answer, store.save_answer(answer, user_id, conversation_id)

    answer, answer_id = await bot.pools.run(bot.pools.answers, work)
    log.info(
        "answered (%s, %d citations) in %.0f ms",
        answer.mode,
        len(answer.citations),
        answer.timings_ms.get("total", 0.0),
    )
    return answer, answer_id


def question_header(question: str) -> str:
    return f"> {safe_text(clip(' '.join(question.split()), 300))}"


async def send_followups(
    interaction: discord.Interaction,
    answer: Answer,
    answer_id: str,
    *,
    header: str | None,
    ephemeral: bool = False,
) -> discord.Message | None:
    """The answer as follow-ups of a deferred interaction; returns the first message."""
    first: discord.Message | None = None
    parts = render_answer(answer, header=header)
    for i, part in enumerate(parts):
        sent = await interaction.followup.send(
            part.content or discord.utils.MISSING,
            embeds=part.embeds,
            file=part.file() or discord.utils.MISSING,
            view=answer_view(answer_id) if i == len(parts) - 1 else discord.utils.MISSING,
            allowed_mentions=NO_PINGS,
            ephemeral=ephemeral,
            wait=True,
        )
        placeholder_filled(interaction)
        first = first or sent
    return first


async def send_reply(
    message: discord.Message, answer: Answer, answer_id: str
) -> discord.Message | None:
    """The answer as a reply to `message` — a plain message if that one was deleted."""
    first: discord.Message | None = None
    parts = render_answer(answer)
    for i, part in enumerate(parts):
        kwargs: dict[str, Any] = {"embeds": part.embeds, "allowed_mentions": NO_PINGS}
        if (file := part.file()) is not None:
            kwargs["file"] = file
        if i == len(parts) - 1:
            kwargs["view"] = answer_view(answer_id)
        if first is None:
            kwargs["reference"] = message.to_reference(fail_if_not_exists=False)
            kwargs["mention_author"] = False
        sent = await message.channel.send(part.content or None, **kwargs)
        first = first or sent
    return first


async def reply_note(message: discord.Message, text: str, **kwargs: Any) -> None:
    """A short note replying to `message` (also when it was deleted meanwhile); never raises."""
    try:
        await message.channel.send(
            text,
            reference=message.to_reference(fail_if_not_exists=False),
            mention_author=False,
            allowed_mentions=NO_PINGS,
            **kwargs,
        )
    except discord.HTTPException as exc:
        log.warning("could not send a note: %s", exc)


async def open_thread(
    bot: NewsBot,
    channel: object,
    first: discord.Message,
    question: str,
    answer_id: str,
    locale: Any,
) -> discord.Thread | None:
    """Start the answer's thread from its first message (text channels only), link the
    answer to it, and say in one line how follow-ups work there."""
    if not isinstance(channel, discord.TextChannel):
        return None
    try:
        thread = await channel.create_thread(
            name=clip(" ".join(question.split()), 100) or "newsbot",
            message=discord.Object(id=first.id),
        )
    except discord.HTTPException as exc:
        log.warning("could not open a thread: %s", exc)
        return None
    await bot.pools.run(bot.pools.quick, bot.feedback.set_conversation, answer_id, thread.id)
    name = bot.user.display_name if bot.user else "newsbot"
    try:
        await thread.send(
            (
                t(
                    "💬 Ask follow-ups right here — I read this thread. 🧹 starts over.",
                    locale,
                    name=name,
                )
                if bot.settings.discord_message_content
                else t(
                    "💬 Follow-ups: mention me (@{name} …) or use /ask in this "
                    "thread. 🧹 starts over.",
                    locale,
                    name=name,
                )
            ),
            allowed_mentions=NO_PINGS,
        )
    except discord.HTTPException as exc:
        log.warning("could not post the thread's note: %s", exc)
    return thread
