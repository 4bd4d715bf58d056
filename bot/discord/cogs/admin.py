"""/reindex: rebuild the index from Discord, with live progress, one rebuild at a time.

Guarded twice: `default_permissions(manage_guild=True)` hides the command from most members,
and a runtime check (Manage Server or the role named in settings) refuses anyone a server
admin let through by overriding the default. Questions keep being answered from the current
index meanwhile: the build runs in a worker thread and the index swaps only when it commits.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.errors import NotAdmin, user_message
from bot.discord.render import clip

if TYPE_CHECKING:
    from bot.discord.app import NewsBot

log = logging.getLogger(__name__)
NO_PINGS = discord.AllowedMentions.none()
EDIT_INTERVAL = 2.0  # seconds between progress edits (Discord rate limits edits)


def is_admin(interaction: discord.Interaction) -> bool:
    """Manage Server in this channel, or the admin role from settings; else NotAdmin."""
    bot: NewsBot = interaction.client  # type: ignore[assignment]
    role = bot.settings.discord_admin_role
    if interaction.permissions.manage_guild:
        return True
    roles = getattr(interaction.user, "roles", [])
    if role and any(r.name == role for r in roles):
        return True
    raise NotAdmin(role)


def progress_text(stage: str, done: int, total: int, eta: float | None, full: bool) -> str:
    kind = "Full rebuild" if full else "Updating the index"
    line = f"⚙️ {kind} — {stage}: {done}/{total}" if total else f"⚙️ {kind} — {stage}…"
    if eta is not None and eta > 0:
        line += f" (about {eta:.0f} s left)"
    return line


def report_text(report: Any) -> str:
    """The build report as a message of at most 2,000 characters."""
    lines = [
        f"✅ Index rebuilt in {report.seconds:.1f} s — added {report.added}, updated "
        f"{report.updated}, removed {report.removed}, unchanged {report.unchanged}; "
        f"{report.chunks_embedded} chunks embedded."
    ]
    if report.languages:
        langs = ", ".join(
            f"{code}: {c.articles} articles" for code, c in sorted(report.languages.items())
        )
        lines.append(f"Languages: {langs}")
    if report.skipped:
        lines.append(f"Skipped {len(report.skipped)}:")
        for item in report.skipped:
            line = f"• `{clip(item['source'], 120)}` — {clip(item['reason'], 200)}"
            if sum(len(s) + 1 for s in lines) + len(line) > 1900:
                lines.append(f"…and {len(report.skipped) - (len(lines) - 3)} more")
                break
            lines.append(line)
    return "\n".join(lines)[:2000]


class Admin(commands.Cog):
    def __init__(self, bot: NewsBot) -> None:
        self.bot = bot

    @app_commands.command(name="reindex", description="Rebuild the article index (admins).")
    @app_commands.describe(full="Rebuild everything instead of only new or changed articles")
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.guild_only()
    @app_commands.check(is_admin)
    async def reindex(self, interaction: discord.Interaction, full: bool = False) -> None:
        lock = self.bot.rebuild_lock
        if lock.locked():
            await interaction.response.send_message(
                "A rebuild is already running.", ephemeral=True, allowed_mentions=NO_PINGS
            )
            return
        async with lock:
            await interaction.response.defer(thinking=True)
            await interaction.edit_original_response(
                content=progress_text("starting", 0, 0, None, full)
            )
            try:
                report = await self.run_build(interaction, full)
            except Exception as exc:  # noqa: BLE001 - shown in the progress message
                await interaction.edit_original_response(content=f"❌ {user_message(exc)}")
                return
            await interaction.edit_original_response(content=report_text(report))
            log.info("rebuild from Discord done: %s", report.to_json())

    async def run_build(self, interaction: discord.Interaction, full: bool) -> Any:
        """Build in a thread; the worker's progress callbacks wake an editor on the loop."""
        loop = asyncio.get_running_loop()
        latest: list[Any] = []
        changed = asyncio.Event()

        def on_progress(progress: Any) -> None:  # runs in the build thread
            latest[:] = [progress]
            loop.call_soon_threadsafe(changed.set)

        async def editor() -> None:
            last_edit = 0.0
            while True:
                await changed.wait()
                await asyncio.sleep(max(0.0, last_edit + EDIT_INTERVAL - time.monotonic()))
                changed.clear()
                p = latest[0]
                text = progress_text(p.stage, p.done, p.total, p.eta_seconds, full)
                try:
                    await interaction.edit_original_response(content=text)
                except discord.HTTPException as exc:
                    log.warning("progress edit failed: %s", exc)
                last_edit = time.monotonic()

        task = asyncio.create_task(editor())
        try:
            return await asyncio.to_thread(self.bot.engine.rebuild, full, on_progress)
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)


async def setup(bot: NewsBot) -> None:
    await bot.add_cog(Admin(bot))
