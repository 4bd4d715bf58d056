"""/sources (the indexed articles, paginated) and /about (index size, models, last build)."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.i18n.translator import ls
from bot.discord.ui.formatting import EMBED_COLOUR, clip, language_label, safe_text, safe_url
from bot.discord.ui.pager import Pager
from index.language import language_name

if TYPE_CHECKING:
    from bot.discord.app import NewsBot
    from bot.settings import Settings
    from index.building.report import IndexStatus

log = logging.getLogger(__name__)
NO_PINGS = discord.AllowedMentions.none()
PER_PAGE = 10


def article_pages(articles: list[Any]) -> list[discord.Embed]:
    """Embeds of ≤ 10 articles each: flag + title, language, date, file or link."""
    if not articles:
        return [discord.Embed(title="Indexed articles", description="No articles indexed yet.")]
    ordered = sorted(articles, key=lambda a: (a.published or "", a.title), reverse=True)
    pages = []
    total_pages = (len(ordered) + PER_PAGE - 1) // PER_PAGE
    for start in range(0, len(ordered), PER_PAGE):
        lines = []
        for a in ordered[start : start + PER_PAGE]:
            url = safe_url(a.url)
            where = f"[link]({url})" if url else f"`{clip(a.source.replace('`', 'ʼ'), 80)}`"
            date = f" · {a.published[:10]}" if a.published else ""
            title = safe_text(discord.utils.escape_markdown(clip(" ".join(a.title.split()), 150)))
            lines.append(
                f"**{title}**\n{language_label(a.language, language_name(a.language))}"
                f"{date} · {where}"
            )
        embed = discord.Embed(
            title=f"Indexed articles ({len(ordered)})",
            description="\n\n".join(lines)[:4096],
            colour=EMBED_COLOUR,
        )
        embed.set_footer(text=f"Page {start // PER_PAGE + 1}/{total_pages}")
        pages.append(embed)
    return pages


def about_embed(status: IndexStatus, settings: Settings) -> discord.Embed:
    embed = discord.Embed(title="About newsbot", colour=EMBED_COLOUR)
    embed.description = (
        "Answers questions about news articles in many languages and cites each article "
        "and its language. Ask with `/ask` or by mentioning me."
    )
    langs = "\n".join(
        f"{language_label(code, language_name(code))}: {c.articles} articles, {c.chunks} chunks"
        for code, c in sorted(status.languages.items(), key=lambda kv: -kv[1].articles)
    )
    embed.add_field(
        name=f"Index: {status.articles} articles, {status.chunks} chunks",
        value=clip(langs or "empty", 1024),
        inline=False,
    )
    llm = f"{settings.llm} · {settings.llm_model}" if settings.llm != "none" else "none"
    embed.add_field(name="Embedding model", value=clip(status.embedding_model, 1024))
    embed.add_field(name="Answers", value="written by an LLM" if llm != "none" else "extractive")
    embed.add_field(name="LLM", value=clip(llm, 1024))
    built = "never"
    if status.built_at:
        try:
            built = discord.utils.format_dt(datetime.fromisoformat(status.built_at), "R")
        except ValueError:
            built = status.built_at
    embed.add_field(name="Last build", value=built)
    return embed


class Info(commands.Cog):
    def __init__(self, bot: NewsBot) -> None:
        self.bot = bot

    @app_commands.command(name="sources", description=ls("List the indexed articles."))
    async def sources(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        pools = self.bot.pools
        articles = await pools.run(pools.lookups, self.bot.engine.articles)
        pages = article_pages(articles)
        view = Pager(pages, interaction) if len(pages) > 1 else discord.utils.MISSING
        await interaction.followup.send(
            embed=pages[0], view=view, ephemeral=True, allowed_mentions=NO_PINGS
        )

    @app_commands.command(
        name="about", description=ls("Index size per language, models, last build.")
    )
    async def about(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        status = await self.bot.pools.run(self.bot.pools.lookups, self.bot.engine.status)
        await interaction.followup.send(
            embed=about_embed(status, self.bot.settings), ephemeral=True, allowed_mentions=NO_PINGS
        )


async def setup(bot: NewsBot) -> None:
    await bot.add_cog(Info(bot))
