"""Start the bot: `newsbot discord [--sync] [--guild ID]`.

Commands are synced only when asked (`--sync`; with `--guild ID` to one guild, instantly,
for development). SIGTERM and SIGINT end a running rebuild's child process, then close the
gateway and HTTP session; worker threads are daemons, so the process exits within seconds
even with answers in flight (`docker stop`, systemd and Kubernetes wait 10–30 s).
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
from typing import Any

from bot.answering.protocols import AnswerEngine
from bot.discord.app import NewsBot
from bot.settings import Settings
from index.errors import ConfigError

log = logging.getLogger(__name__)

TOKEN_HELP = (
    "No Discord bot token. Create one at https://discord.com/developers/applications → your "
    "app → Bot → Reset Token, then set DISCORD_TOKEN in the environment or in .env."
)


def token_of(settings: Settings) -> str:
    token = settings.discord_token.get_secret_value().strip() if settings.discord_token else ""
    if not token:
        raise ConfigError(TOKEN_HELP)
    return token


def run(settings: Settings, sync: bool = False, guild_id: int | None = None) -> None:
    """Blocking: build the engine, connect, serve until SIGTERM/SIGINT. No token: a
    ConfigError (exit 4) saying where to get one, before anything is loaded."""
    token = token_of(settings)
    import aiohttp
    import discord

    from bot.answering.engine import Engine

    discord.http.Route.BASE = settings.discord_api_base.rstrip("/")
    if os.environ.get("NEWSBOT_DISCORD_ADMIN_ROLE"):
        log.warning(
            "NEWSBOT_DISCORD_ADMIN_ROLE (a role name) is no longer read: set "
            "NEWSBOT_DISCORD_ADMIN_ROLE_ID to the role's id, or use /config admin-role"
        )

    engine = Engine(settings)
    try:
        asyncio.run(serve(settings, engine, token, sync=sync, guild_id=guild_id))
    except discord.LoginFailure as exc:
        raise ConfigError(
            "Discord rejected the token. Reset it in the developer portal (your app → Bot → "
            "Reset Token) and update DISCORD_TOKEN."
        ) from exc
    except (OSError, aiohttp.ClientError, discord.GatewayNotFound) as exc:
        log.debug("connecting to Discord failed", exc_info=True)
        raise ConfigError(
            f"Could not reach Discord ({type(exc).__name__}). Check the network connection "
            "(and any proxy or firewall), then start the bot again."
        ) from exc


async def serve(
    settings: Settings,
    engine: AnswerEngine,
    token: str,
    *,
    sync: bool = False,
    guild_id: int | None = None,
    **bot_options: Any,
) -> None:
    """Run the bot on the current loop until it is closed (or a signal arrives)."""
    bot = NewsBot(settings, engine, sync=sync, sync_guild_id=guild_id, **bot_options)
    loop = asyncio.get_running_loop()
    installed: list[signal.Signals] = []
    for sig in (signal.SIGTERM, signal.SIGINT):
        try:
            loop.add_signal_handler(sig, _shutdown, bot, sig)
            installed.append(sig)
        except (NotImplementedError, RuntimeError, ValueError):  # Windows, or not main thread
            pass
    try:
        async with bot:
            await bot.start(token)
    finally:
        for sig in installed:
            loop.remove_signal_handler(sig)
        log.info("bot stopped")


def _shutdown(bot: NewsBot, sig: signal.Signals) -> None:
    if bot.shutting_down or bot.is_closed():
        log.info("%s received again: already shutting down", sig.name)
        return
    log.info("%s received: ending builds and closing the connection to Discord", sig.name)
    task = asyncio.get_running_loop().create_task(bot.close())
    _closing.add(task)
    task.add_done_callback(_closing.discard)


_closing: set[asyncio.Task[None]] = set()  # keeps the close task referenced until it ends
