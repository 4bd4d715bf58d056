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

    @app_commands.command(name="help", description=ls("cmd.help"))
    async def help(self, interaction: discord.Interaction) -> None:
        locale = interaction.locale
        name = self.bot.user.display_name if self.bot.user else "newsbot"
        embed = discord.Embed(
            title=t("help.title", locale),
            description=t("help.body", locale, name=name),
            colour=EMBED_COLOUR,
        )
        await interaction.response.send_message(
            embed=embed, ephemeral=True, allowed_mentions=discord.AllowedMentions.none()
        )


async def setup(bot: NewsBot) -> None:
    await bot.add_cog(Help(bot))
