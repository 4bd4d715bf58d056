"""/help: how to ask, in the member's language (private)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.i18n.translator import ls, t
from bot.discord.ui.formatting import EMBED_COLOUR

if TYPE_CHECKING:
    from bot.discord.app import NewsBot


class Help(commands.Cog):
    def __init__(self, bot: NewsBot) -> None:
        self.bot = bot

    @app_commands.command(name="help", description=ls("How to ask newsbot and what it can do."))
    async def help(self, interaction: discord.Interaction) -> None:
        locale = interaction.locale
        name = self.bot.user.display_name if self.bot.user else "newsbot"
        embed = discord.Embed(
            title=t("Asking newsbot", locale),
            description=t(
                "I answer questions about a collection of news articles in many "
                "languages and cite each article and its language [1].\n\n"
                "• `/ask` — ask in any language (`private` to see it alone)\n"
                "• `@{name} …` — the same, as a reply; in the answer's thread, "
                "follow-ups\n"
                "• right-click a message → **Apps → Ask newsbot about this "
                "message**\n"
                "• in DMs — just write your question\n"
                "• 👍 / 👎 — tell us how the answer was; 📚 the full quotes; 🧹 or "
                "`/reset` — start over\n"
                "• `/sources` — the indexed articles · `/about` — index and "
                "models\n"
                "• Sources in your language come first among equally good ones: "
                "your Discord language, then the server's `/config languages`",
                locale,
                name=name,
            ),
            colour=EMBED_COLOUR,
        )
        await interaction.response.send_message(
            embed=embed, ephemeral=True, allowed_mentions=discord.AllowedMentions.none()
        )


async def setup(bot: NewsBot) -> None:
    await bot.add_cog(Help(bot))
