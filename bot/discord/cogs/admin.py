"""/reindex: rebuild the index from Discord, with live progress, one rebuild at a time.

Guarded twice: `default_permissions(manage_guild=True)` hides the command from most members,
and `is_admin` refuses at run time anyone a server admin let through. The build runs in a
child process the bot owns (ended on shutdown), waited for in the `rebuild` pool; questions
keep being answered from the current index meanwhile.

Progress and the report go to an ordinary channel message that the bot edits with its own
token — not to the interaction, whose token expires after 15 minutes while a rebuild of a
few hundred articles on a small machine takes longer. The public message never carries
exception text or server paths: failures are named by kind, details go to the log.
"""

from __future__ import annotations

import asyncio
import logging
import time
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.checks import is_admin
from bot.discord.errors import redact
from bot.discord.i18n.translator import ls, t
from bot.discord.ui.formatting import clip
from index.errors import BuildLockedError, ConfigError

if TYPE_CHECKING:
    from bot.discord.app import NewsBot
    from index.building.report import BuildProgress, BuildReport

log = logging.getLogger(__name__)
NO_PINGS = discord.AllowedMentions.none()
EDIT_INTERVAL = 2.0  # seconds between progress edits (Discord rate limits edits)


def progress_text(
    stage: str, done: int, total: int, eta: float | None, full: bool, locale: Any = None
) -> str:
    line = (
        t("⚙️ Full rebuild — {stage}", locale, stage=stage)
        if full
        else t("⚙️ Updating the index — {stage}", locale, stage=stage)
    )
    line += f": {done}/{total}" if total else "…"
    if eta is not None and eta > 0:
        left = f"{eta:.0f}"
        line += " " + t("(about {eta} s left)", locale, eta=left)
    return line


def report_text(report: BuildReport, locale: Any = None) -> str:
    """The build report as a message of at most 2,000 characters (file names, not paths)."""
    seconds = f"{report.seconds:.1f}"
    lines = [
        t(
            "✅ Index rebuilt in {seconds} s — added {added}, updated "
            "{updated}, removed {removed}, unchanged {unchanged}; {chunks} "
            "chunks embedded.",
            locale,
            seconds=seconds,
            added=report.added,
            updated=report.updated,
            removed=report.removed,
            unchanged=report.unchanged,
            chunks=report.chunks_embedded,
        )
    ]
    if report.languages:
        langs = ", ".join(f"{code}: {c.articles}" for code, c in sorted(report.languages.items()))
        lines.append(t("Languages: {languages}", locale, languages=langs))
    if report.skipped:
        lines.append(t("Skipped {count}:", locale, count=len(report.skipped)))
        for shown, item in enumerate(report.skipped):
            name = PurePath(str(item["source"])).name.replace("`", "ʼ")
            line = f"• `{clip(name, 120)}` — {clip(redact(str(item['reason'])), 200)}"
            if sum(len(s) + 1 for s in lines) + len(line) > 1900:
                lines.append(t("…and {count} more", locale, count=len(report.skipped) - shown))
                break
            lines.append(line)
    return "\n".join(lines)[:2000]


def failure_text(error: BaseException, stopping: bool, locale: Any = None) -> str:
    if stopping:
        return t(
            "⏹️ The rebuild was stopped because the bot is shutting down; "
            "the index being served is unchanged.",
            locale,
        )
    if isinstance(error, BuildLockedError):
        return "❌ " + t("A rebuild is already running.", locale)
    if isinstance(error, ConfigError):
        return "❌ " + t(
            "The bot's configuration needs attention — an admin should check its log.", locale
        )
    return t(
        "❌ The rebuild failed; the index being served is unchanged. The "
        "details are in the bot's log — run /reindex again once they are "
        "fixed.",
        locale,
    )


class StatusMessage:
    """The channel message showing a rebuild; re-posted if someone deleted it. Where the bot
    may not post, the admin gets the outcome privately (while the interaction lives)."""

    def __init__(self, interaction: discord.Interaction) -> None:
        self.interaction, self.message = interaction, None

    async def show(self, text: str, final: bool = False) -> None:
        if self.message is not None:
            try:
                await self.message.edit(content=text, allowed_mentions=NO_PINGS)
                return
            except discord.NotFound:  # deleted meanwhile: the next update posts it again
                self.message = None
            except discord.HTTPException as exc:
                log.warning("could not update the rebuild message: %s", exc)
                return
            if not final:
                return
        try:
            channel: Any = self.interaction.channel
            self.message = await channel.send(text, allowed_mentions=NO_PINGS)
            return
        except discord.HTTPException as exc:
            log.warning("could not post the rebuild message: %s", exc)
        if final:
            try:
                await self.interaction.followup.send(
                    text, ephemeral=True, allowed_mentions=NO_PINGS
                )
            except discord.HTTPException as exc:
                log.warning("could not tell the admin the rebuild's outcome: %s", exc)


class Admin(commands.Cog):
    def __init__(self, bot: NewsBot) -> None:
        self.bot = bot

    @app_commands.command(name="reindex", description=ls("Rebuild the article index (admins)."))
    @app_commands.describe(full=ls("Rebuild everything instead of only new or changed articles"))
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.guild_only()
    @app_commands.check(is_admin)
    async def reindex(self, interaction: discord.Interaction, full: bool = False) -> None:
        lock, locale = self.bot.rebuild_lock, interaction.locale
        if lock.locked():
            await interaction.response.send_message(
                t("A rebuild is already running.", locale),
                ephemeral=True,
                allowed_mentions=NO_PINGS,
            )
            return
        async with lock:
            await interaction.response.send_message(
                t(
                    "⚙️ Rebuild started — its progress and report are posted in this channel.",
                    locale,
                ),
                ephemeral=True,
                allowed_mentions=NO_PINGS,
            )
            public = interaction.guild_locale or locale
            status = StatusMessage(interaction)
            await status.show(progress_text("…", 0, 0, None, full, public))
            try:
                report = await self.run_build(status, full, public)
            except Exception as exc:  # noqa: BLE001 - named in the message, detailed in the log
                if self.bot.shutting_down:
                    log.info("rebuild stopped: the bot is shutting down")
                else:
                    log.error("rebuild from Discord failed", exc_info=exc)
                await status.show(failure_text(exc, self.bot.shutting_down, public), final=True)
                return
            await status.show(report_text(report, public), final=True)
            log.info("rebuild from Discord done: %s", report.to_json())

    async def run_build(self, status: StatusMessage, full: bool, locale: Any) -> BuildReport:
        """Wait for the build in the `rebuild` pool; its progress wakes an editor here."""
        loop = asyncio.get_running_loop()
        latest: list[BuildProgress] = []
        changed = asyncio.Event()

        def on_progress(progress: BuildProgress) -> None:  # in the rebuild pool's thread
            latest[:] = [progress]
            loop.call_soon_threadsafe(changed.set)

        async def editor() -> None:
            last_edit = 0.0
            while True:
                await changed.wait()
                await asyncio.sleep(max(0.0, last_edit + EDIT_INTERVAL - time.monotonic()))
                changed.clear()
                p = latest[0]
                await status.show(
                    progress_text(p.stage, p.done, p.total, p.eta_seconds, full, locale)
                )
                last_edit = time.monotonic()

        task = asyncio.create_task(editor())
        try:
            pools = self.bot.pools
            return await pools.run(pools.rebuild, self.bot.engine.rebuild, full, on_progress)
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)


async def setup(bot: NewsBot) -> None:
    await bot.add_cog(Admin(bot))
