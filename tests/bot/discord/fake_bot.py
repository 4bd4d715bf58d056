"""A real NewsBot wired to a fake Discord, built on the real discord.py classes.

`FakeDiscord` (tests/bot/discord/fake_rest.py) answers Discord's REST routes and records
every request in order. It serves both the in-process tests (a real `NewsBot` whose
`HTTPClient.request` and webhook adapter are routed to it, so real `discord.Interaction` /
`Message` objects are built from payloads) and the end-to-end tests
(tests/bot/discord/fake_gateway.py serves it over HTTP on loopback).
Payload builders are in payloads.py, the fake engine in tests/bot/fake_engine.py.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import discord
from discord.http import HTTPClient, Route
from discord.webhook.async_ import AsyncWebhookAdapter, async_context

from bot.settings import Settings, get_settings
from tests.bot.discord.fake_rest import FakeDiscord, FakeError
from tests.bot.discord.payloads import (
    ADMIN_ROLE_ID,
    APP_ID,
    BOT_USER,
    guild_payload,
)
from tests.bot.fake_engine import FakeEngine


# -- the fake REST API (tests/bot/discord/fake_rest.py) ------------------------------------
def _body_from(payload: Any, multipart: Any) -> tuple[Any, list[str]]:
    if payload is not None:
        return payload, []
    body, files = None, []
    for part in multipart or []:
        if part.get("name") == "payload_json":
            body = json.loads(part["value"])
        elif "filename" in part:
            files.append(part["filename"])
    return body, files


class CapturingHTTP(HTTPClient):
    """discord.py's HTTPClient with `request` answered by a FakeDiscord (no network)."""

    def __init__(self, fake: FakeDiscord) -> None:
        super().__init__(asyncio.get_running_loop())
        self.fake = fake
        self._HTTPClient__session = object()  # Interaction reads it; never used here
        self.token = "fake-token"

    async def close(self) -> None:
        """Nothing to close: no session was opened."""

    async def request(self, route: Route, *, files: Any = None, form: Any = None, **kw: Any) -> Any:
        await asyncio.sleep(0)
        body, names = _body_from(kw.get("json"), form)
        try:
            return self.fake.handle(route.method, route.url.removeprefix(Route.BASE), body, names)
        except FakeError as exc:
            raise exc.to_discord() from None


class CapturingAdapter(AsyncWebhookAdapter):
    """The webhook adapter interactions use (defer, followups, edits), routed to FakeDiscord."""

    def __init__(self, fake: FakeDiscord) -> None:
        super().__init__()
        self.fake = fake

    async def request(
        self,
        route: Route,
        session: Any,
        *,
        payload: Any = None,
        multipart: Any = None,
        files: Any = None,
        **kw: Any,
    ) -> Any:
        await asyncio.sleep(0)
        body, names = _body_from(payload, multipart)
        try:
            return self.fake.handle(route.method, route.url.removeprefix(Route.BASE), body, names)
        except FakeError as exc:
            raise exc.to_discord() from None


# -- a real NewsBot wired to the fake ---------------------------------------------------------
def bot_settings(tmp_path: Path, **overrides: Any) -> Settings:
    base = {
        "index_dir": tmp_path / "index",
        "feedback_db": tmp_path / "feedback.sqlite3",
        "discord_cooldown_seconds": 0.0,
        "discord_max_concurrent": 4,
        "discord_admin_role_id": ADMIN_ROLE_ID,
    }
    return get_settings(**{**base, **overrides})


async def make_bot(
    tmp_path: Path, engine: Any = None, *, started: bool = True, **overrides: Any
) -> tuple[Any, FakeDiscord]:
    """A NewsBot set up as at start-up (cogs, persistent buttons), talking to a FakeDiscord;
    with ``started``, its engine's warm-up has ended too."""
    from bot.discord.app import NewsBot

    fake = FakeDiscord()
    bot = NewsBot(bot_settings(tmp_path, **overrides), engine or FakeEngine())
    http = CapturingHTTP(fake)
    bot.http = http
    bot._connection.http = http
    bot.tree._http = http  # command sync
    async_context.set(CapturingAdapter(fake))
    await bot._async_setup_hook()
    bot._connection.user = discord.ClientUser(state=bot._connection, data=BOT_USER)
    bot._connection.application_id = APP_ID
    bot._connection._add_guild_from_data(guild_payload())
    await bot.setup_hook()
    if started:
        await bot.engine_started()
    return bot, fake


def _background(name: str) -> bool:
    """discord.py's own timers (a view's timeout, a note's `delete_after`), the warm-up."""
    return "timeout_task" in name or "delete.<locals>.delete" in name or "_warm_engine" in name


async def settle(timeout: float = 5.0) -> None:
    """Wait until every task spawned by the bot (handlers, button callbacks) has finished."""
    me = asyncio.current_task()
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        pending = [
            t
            for t in asyncio.all_tasks()
            if t is not me and not t.done() and not _background(t.get_coro().__qualname__)
        ]
        if not pending:
            return
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"tasks still running: {pending}")
        await asyncio.wait(pending, timeout=0.05)
