"""◀ / ▶ through a list of embeds (/sources): only the member who asked turns the pages,
and when the view times out its buttons are removed instead of failing on the next click."""

from __future__ import annotations

import logging
from typing import Any

import discord

from bot.discord.errors import report, tell
from bot.discord.i18n.translator import t

log = logging.getLogger(__name__)
PAGER_TIMEOUT = 300.0  # seconds; well inside the 15-minute life of the interaction token


class Pager(discord.ui.View):
    def __init__(
        self,
        pages: list[discord.Embed],
        interaction: discord.Interaction,
        timeout: float | None = None,
    ) -> None:
        super().__init__(timeout=PAGER_TIMEOUT if timeout is None else timeout)
        self.pages, self.index = pages, 0
        self.owner_id = interaction.user.id
        self.origin = interaction  # the /sources interaction whose message shows the pages
        self._sync_buttons()

    def _sync_buttons(self) -> None:
        self.previous.disabled = self.index == 0
        self.next.disabled = self.index >= len(self.pages) - 1

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id != self.owner_id:
            await tell(
                interaction, t("Run /sources yourself to browse the articles.", interaction.locale)
            )
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

    async def on_timeout(self) -> None:
        """Remove the buttons: the page stays readable, nothing is left that would fail."""
        try:
            await self.origin.edit_original_response(view=None)
        except discord.HTTPException as exc:  # the message was dismissed or deleted
            log.debug("could not remove the pager's buttons: %s", exc)

    async def on_error(
        self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item[Any]
    ) -> None:
        await report(interaction, error)
