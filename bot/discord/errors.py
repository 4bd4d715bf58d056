"""One place that turns an error into a short, kind sentence for the user.

Known errors (their text is written for users) are shown as they are; anything else gets an
apology and its traceback goes to the log only. Sending the note never raises.
"""

from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.ext import commands

from index.errors import BuildLockedError, ConfigError, NewsbotError, NoIndexError

log = logging.getLogger(__name__)

APOLOGY = "Sorry — something went wrong on my side. It has been logged; please try again later."


class NotAdmin(app_commands.CheckFailure):
    """The member may not run an admin command (runtime check, not only default permissions)."""

    def __init__(self, role: str | None) -> None:
        who = "members with **Manage Server**"
        if role:
            who += f" or the **{discord.utils.escape_markdown(role)}** role"
        super().__init__(f"Only {who} can do this.")


class ChannelNotAllowed(app_commands.CheckFailure):
    def __init__(self) -> None:
        super().__init__("I only answer in the channels an admin chose — try one of those.")


def user_message(error: BaseException) -> str:
    """The sentence to show for an error (and log the traceback when it is unexpected)."""
    if isinstance(error, app_commands.CommandInvokeError | commands.CommandInvokeError):
        error = error.original
    if isinstance(error, NoIndexError):
        return "No index yet — an admin can run /reindex."
    if isinstance(error, BuildLockedError):
        return "A rebuild is already running."
    if isinstance(error, ConfigError):
        log.error("configuration problem: %s", error)
        return "The bot's configuration needs attention — an admin should check its log."
    if isinstance(error, NotAdmin | ChannelNotAllowed):
        return str(error)
    if isinstance(error, app_commands.CommandOnCooldown):
        return f"⏳ You can use this again in {error.retry_after:.0f} s."
    if isinstance(error, app_commands.CheckFailure):
        return "You can't use this command here."
    if isinstance(error, NewsbotError):
        return str(error)
    log.error("unexpected error", exc_info=(type(error), error, error.__traceback__))
    return APOLOGY


async def tell(interaction: discord.Interaction, text: str) -> None:
    """Send `text` privately, whether or not the interaction was answered already."""
    none = discord.AllowedMentions.none()
    try:
        if interaction.response.is_done():
            await interaction.followup.send(text, ephemeral=True, allowed_mentions=none)
        else:
            await interaction.response.send_message(text, ephemeral=True, allowed_mentions=none)
    except discord.HTTPException as exc:  # expired token, deleted channel, …
        log.warning("could not tell the user about an error: %s", exc)


async def report(interaction: discord.Interaction, error: BaseException) -> None:
    """Map the error to a sentence and send it; never raises."""
    try:
        await tell(interaction, user_message(error))
    except Exception:  # noqa: BLE001 - the last line of defence must not raise
        log.exception("error while reporting an error")


async def on_app_command_error(
    interaction: discord.Interaction, error: app_commands.AppCommandError
) -> None:
    """CommandTree.on_error: every slash-command failure ends here."""
    await report(interaction, error)
