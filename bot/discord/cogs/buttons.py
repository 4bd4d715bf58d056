"""The buttons under answers (👍 👎 📚 🧹), registered once at start-up so that they keep
working on answers sent before a restart (their state is in SQLite, see ui/buttons.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.discord.ui.buttons import PERSISTENT_ITEMS

if TYPE_CHECKING:
    from bot.discord.app import NewsBot


async def setup(bot: NewsBot) -> None:
    bot.add_dynamic_items(*PERSISTENT_ITEMS)
