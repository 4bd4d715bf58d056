"""One place that turns an error into a short, kind sentence for the user, in their language.

Known errors get a sentence chosen by their type; anything else gets an apology and its
traceback goes to the log only. Exception text never reaches chat as it is: our own
errors' text (written for users) is shown only privately and without server paths.
Sending the note never raises.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.i18n.translator import interaction_locale, t
from bot.discord.ui.formatting import NO_PINGS
from index.errors import BuildLockedError, ConfigError, NewsbotError, NoIndexError

log = logging.getLogger(__name__)

# An absolute path (POSIX, ~/…, or a Windows drive) — shown as its last part only.
_PATH = re.compile(r"(?:(?<![\w.:/])(?:~|/)|\b[A-Za-z]:\\)[^\s'\"`,;()<>]*[/\\][^\s'\"`,;()<>]*")


class NotAdmin(app_commands.CheckFailure):
    """The member may not run an admin command (runtime check, not only default permissions)."""

    def __init__(self, role_id: int | None) -> None:
        super().__init__("not an admin")
        self.role_id = role_id


class ChannelNotAllowed(app_commands.CheckFailure):
    def __init__(self) -> None:
        super().__init__("channel not allowed")


class StartingUp(app_commands.CheckFailure):
    """The engine is still loading (the bot connects first): ask again in a few seconds."""

    def __init__(self) -> None:
        super().__init__("starting up")


def redact(text: str) -> str:
    """`text` with every absolute path reduced to its file or folder name."""
    return _PATH.sub(lambda m: re.split(r"[/\\]", m[0].rstrip("/\\"))[-1] or "…", text)


def user_message(error: BaseException, locale: Any = None) -> str:
    """The sentence to show for an error (and log the traceback when it is unexpected)."""
    if isinstance(error, app_commands.CommandInvokeError | commands.CommandInvokeError):
        error = error.original
    if isinstance(error, NoIndexError):
        return t("No index yet — an admin can run /reindex.", locale)
    if isinstance(error, BuildLockedError):
        return t("A rebuild is already running.", locale)
    if isinstance(error, ConfigError):
        log.error("configuration problem: %s", error)
        return t("The bot's configuration needs attention — an admin should check its log.", locale)
    if isinstance(error, NotAdmin):
        if error.role_id:
            role = f"<@&{error.role_id}>"
            return t(
                "Only members with **Manage Server** or the {role} role can do this.",
                locale,
                role=role,
            )
        return t("Only members with **Manage Server** can do this.", locale)
    if isinstance(error, ChannelNotAllowed):
        return t("I only answer in the channels an admin chose — try one of those.", locale)
    if isinstance(error, StartingUp):
        return t("⏳ I'm starting up — please ask again in a few seconds.", locale)
    if isinstance(error, app_commands.CommandOnCooldown):
        return t(
            "⏳ Slow down a little — you can ask again in {wait} s.",
            locale,
            wait=max(1, round(error.retry_after)),
        )
    if isinstance(error, app_commands.CheckFailure):
        return t("You can't use this command here.", locale)
    if isinstance(error, NewsbotError):
        log.info("user-facing error: %s", error)
        return redact(str(error))[:1000]
    log.error("unexpected error", exc_info=(type(error), error, error.__traceback__))
    return t(
        "Sorry — something went wrong on my side. It has been logged; please try again later.",
        locale,
    )


_public_placeholders: set[int] = set()  # interactions deferred publicly, nothing sent yet


async def defer_public(interaction: discord.Interaction) -> None:
    """Defer with a public "thinking…" placeholder that an error note may have to remove."""
    await interaction.response.defer(thinking=True)
    _public_placeholders.add(interaction.id)


def placeholder_filled(interaction: discord.Interaction) -> None:
    """The first public follow-up replaced the placeholder: errors no longer touch it."""
    _public_placeholders.discard(interaction.id)


async def tell(interaction: discord.Interaction, text: str) -> None:
    """Send `text` privately, whether or not the interaction was answered already.

    After a public defer the first follow-up replaces the public "thinking…" message and
    Discord ignores its ephemeral flag, so that placeholder is deleted first."""
    try:
        if not interaction.response.is_done():
            await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_PINGS)
            return
        if interaction.id in _public_placeholders:
            _public_placeholders.discard(interaction.id)
            try:
                await interaction.delete_original_response()
            except discord.HTTPException as exc:
                log.debug("could not delete the thinking message: %s", exc)
        await interaction.followup.send(text, ephemeral=True, allowed_mentions=NO_PINGS)
    except discord.HTTPException as exc:  # expired token, deleted channel, …
        log.warning("could not tell the user about an error: %s", exc)


async def report(interaction: discord.Interaction, error: BaseException) -> None:
    """Map the error to a sentence in the member's language and send it; never raises."""
    try:
        await tell(interaction, user_message(error, interaction_locale(interaction)))
    except Exception:  # noqa: BLE001 - the last line of defence must not raise
        log.exception("error while reporting an error")


async def on_app_command_error(
    interaction: discord.Interaction, error: app_commands.AppCommandError
) -> None:
    """CommandTree.on_error: every slash-command failure ends here."""
    await report(interaction, error)
