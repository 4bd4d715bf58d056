"""/config: the server's own settings — channels the bot answers in, admin role, cooldown,
the readers' languages.

Admins only (Manage Server, or the admin role, checked at run time). Stored in SQLite
(bot.discord.store.guild_config); what a server never changed follows the operator's `.env`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.answering.readers import reader_languages
from bot.discord.checks import is_admin
from bot.discord.i18n.translator import ls, t
from bot.discord.store.guild_config import GuildConfig
from bot.discord.ui.formatting import NO_PINGS

if TYPE_CHECKING:
    from bot.discord.app import NewsBot

MAX_COOLDOWN = 3600


def config_embed(config: GuildConfig, locale: Any) -> discord.Embed:
    channels = " ".join(f"<#{c}>" for c in sorted(config.allowed_channels))
    role = f"<@&{config.admin_role_id}>" if config.admin_role_id else t("config.no_role", locale)
    embed = discord.Embed(title=t("config.title", locale), colour=discord.Colour.blurple())
    embed.add_field(
        name=t("config.channels", locale),
        value=channels[:1024] or t("config.all_channels", locale),
        inline=False,
    )
    embed.add_field(name=t("config.admin_role", locale), value=role)
    embed.add_field(name=t("config.cooldown", locale), value=f"{config.cooldown_seconds:g} s")
    languages = ", ".join(config.reader_languages) or t("config.no_languages", locale)
    embed.add_field(name=t("config.languages", locale), value=languages, inline=False)
    return embed


@app_commands.default_permissions(manage_guild=True)
@app_commands.guild_only()
class Config(commands.GroupCog, group_name="config", group_description=ls("cmd.config")):
    def __init__(self, bot: NewsBot) -> None:
        self.bot = bot
        super().__init__()

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        return is_admin(interaction)

    async def _saved(self, interaction: discord.Interaction, config: GuildConfig) -> None:
        await interaction.response.send_message(
            t("config.saved", interaction.locale),
            embed=config_embed(config, interaction.locale),
            ephemeral=True,
            allowed_mentions=NO_PINGS,
        )

    def _guild(self, interaction: discord.Interaction) -> int:
        assert interaction.guild_id is not None  # guild_only
        return interaction.guild_id

    @app_commands.command(name="show", description=ls("cmd.config.show"))
    async def show(self, interaction: discord.Interaction) -> None:
        config = self.bot.guild_config(interaction.guild_id)
        await interaction.response.send_message(
            embed=config_embed(config, interaction.locale),
            ephemeral=True,
            allowed_mentions=NO_PINGS,
        )

    @app_commands.command(name="channel", description=ls("cmd.config.channel"))
    @app_commands.describe(
        channel=ls("cmd.config.channel.channel"), allow=ls("cmd.config.channel.allow")
    )
    async def channel(
        self, interaction: discord.Interaction, channel: discord.TextChannel, allow: bool
    ) -> None:
        store = self.bot.guild_configs
        config = await self.bot.pools.run(
            self.bot.pools.quick, store.set_channel, self._guild(interaction), channel.id, allow
        )
        await self._saved(interaction, config)

    @app_commands.command(name="admin-role", description=ls("cmd.config.admin_role"))
    @app_commands.describe(role=ls("cmd.config.admin_role.role"))
    async def admin_role(
        self, interaction: discord.Interaction, role: discord.Role | None = None
    ) -> None:
        store = self.bot.guild_configs
        config = await self.bot.pools.run(
            self.bot.pools.quick,
            store.set_admin_role,
            self._guild(interaction),
            role.id if role else None,
        )
        await self._saved(interaction, config)

    @app_commands.command(name="cooldown", description=ls("cmd.config.cooldown"))
    @app_commands.describe(seconds=ls("cmd.config.cooldown.seconds"))
    async def cooldown(
        self,
        interaction: discord.Interaction,
        seconds: app_commands.Range[float, 0, MAX_COOLDOWN],
    ) -> None:
        store = self.bot.guild_configs
        config = await self.bot.pools.run(
            self.bot.pools.quick, store.set_cooldown, self._guild(interaction), seconds
        )
        await self._saved(interaction, config)

    @app_commands.command(name="languages", description=ls("cmd.config.languages"))
    @app_commands.describe(codes=ls("cmd.config.languages.codes"))
    async def languages(self, interaction: discord.Interaction, codes: str = "") -> None:
        found, unknown = reader_languages(codes.replace(";", ",").replace(" ", ",").split(","))
        if unknown:
            await interaction.response.send_message(
                t("config.bad_languages", interaction.locale, codes=", ".join(unknown)[:200]),
                ephemeral=True,
                allowed_mentions=NO_PINGS,
            )
            return
        store = self.bot.guild_configs
        config = await self.bot.pools.run(
            self.bot.pools.quick, store.set_reader_languages, self._guild(interaction), found
        )
        await self._saved(interaction, config)

    @app_commands.command(name="reset", description=ls("cmd.config.reset"))
    async def reset(self, interaction: discord.Interaction) -> None:
        store = self.bot.guild_configs
        config = await self.bot.pools.run(
            self.bot.pools.quick, store.reset, self._guild(interaction)
        )
        await self._saved(interaction, config)


async def setup(bot: NewsBot) -> None:
    await bot.add_cog(Config(bot))
