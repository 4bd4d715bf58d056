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
    role = (
        f"<@&{config.admin_role_id}>"
        if config.admin_role_id
        else t("none (Manage Server only)", locale)
    )
    embed = discord.Embed(
        title=t("newsbot on this server", locale), colour=discord.Colour.blurple()
    )
    embed.add_field(
        name=t("Channels it answers in", locale),
        value=channels[:1024] or t("every channel", locale),
        inline=False,
    )
    embed.add_field(name=t("Admin role", locale), value=role)
    embed.add_field(name=t("Cooldown per member", locale), value=f"{config.cooldown_seconds:g} s")
    languages = ", ".join(config.reader_languages) or t("each member's own", locale)
    embed.add_field(name=t("Readers' languages", locale), value=languages, inline=False)
    return embed


@app_commands.default_permissions(manage_guild=True)
@app_commands.guild_only()
class Config(
    commands.GroupCog,
    group_name="config",
    group_description=ls("newsbot's settings for this server (admins)."),
):
    def __init__(self, bot: NewsBot) -> None:
        self.bot = bot
        super().__init__()

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        return is_admin(interaction)

    async def _saved(self, interaction: discord.Interaction, config: GuildConfig) -> None:
        await interaction.response.send_message(
            t("✅ Saved.", interaction.locale),
            embed=config_embed(config, interaction.locale),
            ephemeral=True,
            allowed_mentions=NO_PINGS,
        )

    def _guild(self, interaction: discord.Interaction) -> int:
        assert interaction.guild_id is not None  # guild_only
        return interaction.guild_id

    @app_commands.command(name="show", description=ls("Show this server's settings."))
    async def show(self, interaction: discord.Interaction) -> None:
        config = self.bot.guild_config(interaction.guild_id)
        await interaction.response.send_message(
            embed=config_embed(config, interaction.locale),
            ephemeral=True,
            allowed_mentions=NO_PINGS,
        )

    @app_commands.command(name="channel", description=ls("Allow or stop answers in a channel."))
    @app_commands.describe(
        channel=ls("The channel"), allow=ls("Answer there (true) or not (false)")
    )
    async def channel(
        self, interaction: discord.Interaction, channel: discord.TextChannel, allow: bool
    ) -> None:
        store = self.bot.guild_configs
        config = await self.bot.pools.run(
            self.bot.pools.quick, store.set_channel, self._guild(interaction), channel.id, allow
        )
        await self._saved(interaction, config)

    @app_commands.command(
        name="admin-role",
        description=ls("Role that may /reindex and /config besides Manage Server."),
    )
    @app_commands.describe(role=ls("The role (leave empty to remove it)"))
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

    @app_commands.command(
        name="cooldown", description=ls("Seconds each member waits between questions.")
    )
    @app_commands.describe(seconds=ls("Seconds, 0 to 3600"))
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

    @app_commands.command(
        name="languages",
        description=ls("Languages this server's readers read, in order (e.g. en, de)"),
    )
    @app_commands.describe(codes=ls("Language codes separated by commas; empty to clear"))
    async def languages(self, interaction: discord.Interaction, codes: str = "") -> None:
        found, unknown = reader_languages(codes.replace(";", ",").replace(" ", ",").split(","))
        if unknown:
            await interaction.response.send_message(
                t(
                    "Unknown language code(s): {codes}. Use codes like en, de, zh-Hant.",
                    interaction.locale,
                    codes=", ".join(unknown)[:200],
                ),
                ephemeral=True,
                allowed_mentions=NO_PINGS,
            )
            return
        store = self.bot.guild_configs
        config = await self.bot.pools.run(
            self.bot.pools.quick, store.set_reader_languages, self._guild(interaction), found
        )
        await self._saved(interaction, config)

    @app_commands.command(
        name="reset", description=ls("Go back to the defaults from the bot's configuration.")
    )
    async def reset(self, interaction: discord.Interaction) -> None:
        store = self.bot.guild_configs
        config = await self.bot.pools.run(
            self.bot.pools.quick, store.reset, self._guild(interaction)
        )
        await self._saved(interaction, config)


async def setup(bot: NewsBot) -> None:
    await bot.add_cog(Config(bot))
