"""Named permission checks, paired with `default_permissions` on the commands they guard."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord

from bot.discord.errors import NotAdmin

if TYPE_CHECKING:
    from bot.discord.app import NewsBot


def is_admin(interaction: discord.Interaction) -> bool:
    """Manage Server in this channel, or the server's admin role (matched by id, never by
    name: anyone who can create roles could create one with the same name); else NotAdmin.

    Checked at run time too: a server admin may have opened the command to everyone in
    Server Settings → Integrations, overriding `default_permissions`."""
    bot: NewsBot = interaction.client  # type: ignore[assignment]
    if interaction.permissions.manage_guild:
        return True
    role_id = bot.guild_config(interaction.guild_id).admin_role_id
    member = interaction.user
    if role_id and isinstance(member, discord.Member) and member.get_role(role_id):
        return True
    raise NotAdmin(role_id)
