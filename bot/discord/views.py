"""Buttons. Those under an answer are persistent: their custom_id carries the answer id
("newsbot:vote:up:<answer_id>"), they are registered once at start-up with
`bot.add_dynamic_items`, and they read the answer from SQLite, so they keep working after
a restart. The /sources pager is an ordinary, short-lived view.
"""

from __future__ import annotations

import asyncio
import logging
import re
from typing import TYPE_CHECKING, Any

import discord

from bot.discord.errors import report, tell
from bot.discord.render import full_quotes

if TYPE_CHECKING:
    from bot.discord.app import NewsBot

log = logging.getLogger(__name__)
NO_PINGS = discord.AllowedMentions.none()
ANSWER_ID = r"(?P<answer_id>[0-9a-f]{16})"


def _bot(interaction: discord.Interaction) -> NewsBot:
    return interaction.client  # type: ignore[return-value]


class VoteButton(
    discord.ui.DynamicItem[discord.ui.Button],
    template=rf"newsbot:vote:(?P<dir>up|down):{ANSWER_ID}",
):
    def __init__(self, answer_id: str, up: bool) -> None:
        super().__init__(
            discord.ui.Button(
                emoji="👍" if up else "👎",
                style=discord.ButtonStyle.secondary,
                custom_id=f"newsbot:vote:{'up' if up else 'down'}:{answer_id}",
            )
        )
        self.answer_id, self.up = answer_id, up

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]
    ) -> VoteButton:
        return cls(match["answer_id"], match["dir"] == "up")

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            store = _bot(interaction).feedback
            known = await asyncio.to_thread(
                store.vote, self.answer_id, interaction.user.id, self.up
            )
            text = "Thanks for the feedback!" if known else "I no longer have that answer."
            await tell(interaction, text)
        except Exception as exc:  # noqa: BLE001 - a bad click must never crash the bot
            await report(interaction, exc)


class SourcesButton(
    discord.ui.DynamicItem[discord.ui.Button], template=rf"newsbot:sources:{ANSWER_ID}"
):
    def __init__(self, answer_id: str) -> None:
        super().__init__(
            discord.ui.Button(
                label="Sources",
                emoji="📚",
                style=discord.ButtonStyle.primary,
                custom_id=f"newsbot:sources:{answer_id}",
            )
        )
        self.answer_id = answer_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]
    ) -> SourcesButton:
        return cls(match["answer_id"])

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            stored = await asyncio.to_thread(_bot(interaction).feedback.get_answer, self.answer_id)
            if stored is None:
                await tell(interaction, "I no longer have the sources of that answer.")
                return
            for text in full_quotes(stored.citations):
                await tell(interaction, text)
        except Exception as exc:  # noqa: BLE001
            await report(interaction, exc)


class NewConversationButton(
    discord.ui.DynamicItem[discord.ui.Button], template=rf"newsbot:reset:{ANSWER_ID}"
):
    def __init__(self, answer_id: str) -> None:
        super().__init__(
            discord.ui.Button(
                label="New conversation",
                emoji="🧹",
                style=discord.ButtonStyle.secondary,
                custom_id=f"newsbot:reset:{answer_id}",
            )
        )
        self.answer_id = answer_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]
    ) -> NewConversationButton:
        return cls(match["answer_id"])

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            store = _bot(interaction).feedback
            stored = await asyncio.to_thread(store.get_answer, self.answer_id)
            if stored is None or stored.conversation_id is None:
                await tell(interaction, "Nothing to forget — ask a new question any time.")
                return
            await asyncio.to_thread(store.reset, stored.conversation_id)
            await tell(interaction, RESET_TEXT)
        except Exception as exc:  # noqa: BLE001
            await report(interaction, exc)


RESET_TEXT = "🧹 New conversation — I've forgotten the earlier questions of this thread."
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


class Pager(discord.ui.View):
    """◀ / ▶ through a list of embeds; only the person who asked can turn the pages."""

    def __init__(self, pages: list[discord.Embed], owner_id: int, timeout: float = 300) -> None:
        super().__init__(timeout=timeout)
        self.pages, self.owner_id, self.index = pages, owner_id, 0
        self._sync_buttons()

    def _sync_buttons(self) -> None:
        self.previous.disabled = self.index == 0
        self.next.disabled = self.index >= len(self.pages) - 1

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id != self.owner_id:
            await tell(interaction, "Run /sources yourself to browse the articles.")
            return False
        return True

    async def _show(self, interaction: discord.Interaction, delta: int) -> None:
        self.index = max(0, min(len(self.pages) - 1, self.index + delta))
        self._sync_buttons()
        await interaction.response.edit_message(embed=self.pages[self.index], view=self)

    @discord.ui.button(emoji="◀", style=discord.ButtonStyle.secondary)
    async def previous(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await self._show(interaction, -1)

    @discord.ui.button(emoji="▶", style=discord.ButtonStyle.secondary)
    async def next(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await self._show(interaction, +1)

    async def on_error(
        self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item[Any]
    ) -> None:
        await report(interaction, error)
