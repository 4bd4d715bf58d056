"""Buttons under an answer, and the reason form behind 👎.

The buttons are persistent: their custom_id carries the answer id
("newsbot:vote:up:<answer_id>"), they are registered once at start-up
(cogs/buttons.py calls `bot.add_dynamic_items`), and they read the answer from SQLite, so
they keep working after a restart. Their SQLite work runs in the bot's `quick` pool, which
answers and rebuilds never occupy, so a click is acknowledged at once however busy the bot is.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any, Self

import discord

from bot.discord.errors import report, tell
from bot.discord.i18n.translator import t
from bot.discord.ui.formatting import full_quotes

if TYPE_CHECKING:
    from bot.discord.app import NewsBot

ANSWER_ID = r"(?P<answer_id>[0-9a-f]{16})"


def _bot(interaction: discord.Interaction) -> NewsBot:
    return interaction.client  # type: ignore[return-value]


def button(
    action: str,
    answer_id: str,
    emoji: str,
    label: str | None = None,
    style: discord.ButtonStyle = discord.ButtonStyle.secondary,
) -> discord.ui.Button[Any]:
    """The Discord button of `action` on one answer: custom_id "newsbot:<action>:<id>"."""
    return discord.ui.Button(
        label=label, emoji=emoji, style=style, custom_id=f"newsbot:{action}:{answer_id}"
    )


Click = Callable[[Any, discord.Interaction, "NewsBot"], Coroutine[Any, Any, None]]


def guarded(act: Click) -> Callable[[Any, discord.Interaction], Coroutine[Any, Any, None]]:
    """A button's callback, given the bot; any failure becomes a kind private reply and a
    log line — a bad click must never crash the bot."""

    @functools.wraps(act)
    async def callback(self: Any, interaction: discord.Interaction) -> None:
        try:
            await act(self, interaction, _bot(interaction))
        except Exception as exc:  # noqa: BLE001
            await report(interaction, exc)

    return callback


class VoteButton(
    discord.ui.DynamicItem[discord.ui.Button],
    template=rf"newsbot:vote:(?P<dir>up|down):{ANSWER_ID}",
):
    def __init__(self, answer_id: str, up: bool) -> None:
        action, emoji = ("vote:up", "👍") if up else ("vote:down", "👎")
        super().__init__(button(action, answer_id, emoji))
        self.answer_id, self.up = answer_id, up

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> VoteButton:
        return cls(match["answer_id"], match["dir"] == "up")

    @guarded
    async def callback(self, interaction: discord.Interaction, bot: NewsBot) -> None:
        locale = interaction.locale
        if not self.up:  # the form is the acknowledgement; the vote is stored meanwhile
            await interaction.response.send_modal(ReasonForm(self.answer_id, locale))
        known = await bot.pools.run(
            bot.pools.quick, bot.feedback.vote, self.answer_id, interaction.user.id, self.up
        )
        if self.up:
            await tell(
                interaction,
                t("Thanks for the feedback!", locale)
                if known
                else t("I no longer have that answer.", locale),
            )


class ReasonForm(discord.ui.Modal):
    """👎's form: what was wrong (optional), stored with the vote."""

    def __init__(self, answer_id: str, locale: Any) -> None:
        super().__init__(title=t("What was wrong with this answer?", locale)[:45], timeout=600)
        self.answer_id, self.locale = answer_id, locale
        self.reason: discord.ui.TextInput[ReasonForm] = discord.ui.TextInput(
            label=t("Your note (optional)", locale)[:45],
            placeholder=t("A wrong fact, a missing source, the wrong language…", locale)[:100],
            style=discord.TextStyle.paragraph,
            required=False,
            max_length=1000,
        )
        self.add_item(self.reason)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        bot = _bot(interaction)
        known = await bot.pools.run(
            bot.pools.quick,
            bot.feedback.vote,
            self.answer_id,
            interaction.user.id,
            False,
            self.reason.value,
        )
        await tell(
            interaction,
            t("Thanks for the feedback!", self.locale)
            if known
            else t("I no longer have that answer.", self.locale),
        )

    # discord.ui.Modal's own signature, which mypy finds at odds with its base class's
    async def on_error(  # type: ignore[override]
        self, interaction: discord.Interaction, error: Exception, /
    ) -> None:
        await report(interaction, error)


class ByAnswerId:
    """A button rebuilt from its custom_id by the answer id alone (first base, before
    discord.ui.DynamicItem, whose from_custom_id this is)."""

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> Self:
        return cls(match["answer_id"])  # type: ignore[call-arg]  # subclasses take answer_id


class SourcesButton(
    ByAnswerId,
    discord.ui.DynamicItem[discord.ui.Button],
    template=rf"newsbot:sources:{ANSWER_ID}",
):
    def __init__(self, answer_id: str) -> None:
        style = discord.ButtonStyle.primary
        super().__init__(button("sources", answer_id, "📚", label="Sources", style=style))
        self.answer_id = answer_id

    @guarded
    async def callback(self, interaction: discord.Interaction, bot: NewsBot) -> None:
        stored = await bot.pools.run(bot.pools.quick, bot.feedback.get_answer, self.answer_id)
        if stored is None:
            await tell(
                interaction, t("I no longer have the sources of that answer.", interaction.locale)
            )
            return
        for text in full_quotes(stored.citations):
            await tell(interaction, text)


class NewConversationButton(
    ByAnswerId,
    discord.ui.DynamicItem[discord.ui.Button],
    template=rf"newsbot:reset:{ANSWER_ID}",
):
    def __init__(self, answer_id: str) -> None:
        super().__init__(button("reset", answer_id, "🧹", label="New conversation"))
        self.answer_id = answer_id

    @guarded
    async def callback(self, interaction: discord.Interaction, bot: NewsBot) -> None:
        stored = await bot.pools.run(bot.pools.quick, bot.feedback.get_answer, self.answer_id)
        if stored is None or stored.conversation_id is None:
            await tell(
                interaction,
                t("Nothing to forget — ask a new question any time.", interaction.locale),
            )
            return
        await bot.pools.run(bot.pools.quick, bot.feedback.reset, stored.conversation_id)
        await tell(
            interaction,
            t(
                "🧹 New conversation — I've forgotten the earlier questions of this thread.",
                interaction.locale,
            ),
        )


PERSISTENT_ITEMS: tuple[type[discord.ui.DynamicItem[Any]], ...] = (
    VoteButton,
    SourcesButton,
    NewConversationButton,
)


def answer_view(answer_id: str) -> discord.ui.View:
    """👍 👎 📚 Sources 🧹 New conversation, under an answer."""
    view = discord.ui.View(timeout=None)
    view.add_item(VoteButton(answer_id, up=True))
    view.add_item(VoteButton(answer_id, up=False))
    view.add_item(SourcesButton(answer_id))
    view.add_item(NewConversationButton(answer_id))
    return view
