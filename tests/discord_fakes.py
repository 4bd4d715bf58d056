"""Discord fakes built on the real discord.py classes.

`FakeDiscord` answers Discord's REST routes and records every request in order. It serves
both the in-process tests (a real `NewsBot` whose `HTTPClient.request` and webhook adapter
are routed to it, so real `discord.Interaction`/`Message` objects are built from payloads)
and the end-to-end test (tests/bot/discord/fake_gateway.py serves it over HTTP).
Payload builders and the fake engine live next to the tests (tests/bot/discord/payloads.py,
fake_engine.py) and are re-exported here.
"""

from __future__ import annotations

import asyncio
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import discord
from discord.http import HTTPClient, Route
from discord.webhook.async_ import AsyncWebhookAdapter, async_context

from bot.settings import Settings, get_settings
from tests.bot.discord.fake_engine import CITATIONS, FakeEngine, make_answer
from tests.bot.discord.payloads import (
    ADMIN_ROLE_ID,
    ALICE,
    APP_ID,
    BOT_ID,
    BOT_USER,
    CHANNEL_ID,
    GUILD_ID,
    component_payload,
    guild_payload,
    member_payload,
    message_payload,
    slash_payload,
    snowflake,
    text_channel_payload,
    thread_payload,
    user_payload,
)

__all__ = [
    "ADMIN_ROLE_ID", "ALICE", "APP_ID", "BOT_ID", "BOT_USER", "CHANNEL_ID", "CITATIONS",
    "GUILD_ID", "CapturingAdapter", "CapturingHTTP", "FakeDiscord", "FakeEngine", "Request",
    "bot_settings", "component_payload", "guild_payload", "make_answer", "make_bot",
    "member_payload", "message_payload", "settle", "slash_payload", "snowflake",
    "text_channel_payload", "thread_payload", "user_payload",
]  # fmt: skip


# -- the fake REST API ------------------------------------------------------------------------
@dataclass
class Request:
    method: str
    path: str
    json: Any = None
    files: list[str] = field(default_factory=list)


class FakeDiscord:
    """Discord's REST routes that newsbot uses, answering like Discord and recording calls."""

    def __init__(self) -> None:
        self.requests: list[Request] = []
        self.commands: list[dict[str, Any]] = []
        self.messages: dict[str, dict[str, Any]] = {}
        self.gateway_url = "ws://127.0.0.1:1/"

    def handle(self, method: str, path: str, body: Any, files: list[str] | None = None) -> Any:
        path = path.split("?")[0]
        self.requests.append(Request(method, path, body, files or []))
        if path == "/users/@me":
            return BOT_USER
        if path == "/oauth2/applications/@me":
            return {
                "id": str(APP_ID),
                "name": "newsbot",
                "description": "",
                "icon": None,
                "bot_public": True,
                "bot_require_code_grant": False,
                "owner": BOT_USER,
                "verify_key": "0" * 64,
                "flags": 0,
                "summary": "",
            }
        if path == "/gateway/bot":
            return {
                "url": self.gateway_url,
                "shards": 1,
                "session_start_limit": {
                    "total": 1000,
                    "remaining": 999,
                    "reset_after": 0,
                    "max_concurrency": 1,
                },
            }
        if re.fullmatch(r"/applications/\d+(/guilds/\d+)?/commands", path):
            if method == "PUT":
                self.commands = [
                    {**c, "id": snowflake(), "application_id": str(APP_ID), "version": "1"}
                    for c in body
                ]
            return self.commands
        if re.fullmatch(r"/interactions/\d+/[^/]+/callback", path):
            return {"interaction": {"id": path.split("/")[2], "type": 2}}
        if m := re.fullmatch(r"/channels/(\d+)/messages/(\d+)/threads", path):
            return thread_payload(int(m[2]), int(m[1]), (body or {}).get("name", "thread"))
        if re.fullmatch(r"/channels/\d+/typing", path):
            return None
        if m := re.fullmatch(r"/channels/(\d+)/messages", path):
            return self._message(body, m[1])
        if m := re.fullmatch(r"/webhooks/\d+/([^/]+)", path):
            return self._message(body, body.get("_channel_id", str(CHANNEL_ID)))
        if m := re.fullmatch(r"/webhooks/\d+/[^/]+/messages/(@original|\d+)", path):
            return self._message(body, str(CHANNEL_ID), message_id=m[1])
        if re.fullmatch(r"/channels/\d+/messages/\d+", path) and method == "DELETE":
            return None
        raise AssertionError(f"unexpected request {method} {path}")

    def _message(self, body: Any, channel_id: str, message_id: str | None = None) -> dict:
        body = body or {}
        data = message_payload(
            body.get("content") or "",
            author=BOT_USER,
            channel_id=int(channel_id),
            embeds=body.get("embeds", []),
            components=body.get("components", []),
            flags=body.get("flags", 0),
        )
        if message_id and message_id != "@original":
            data["id"] = message_id
        self.messages[data["id"]] = data
        return data

    # helpers for assertions
    def sent(self) -> list[Request]:
        """Requests that post or edit a message (followups, channel messages, edits)."""
        return [
            r
            for r in self.requests
            if r.method in ("POST", "PATCH")
            and ("/webhooks/" in r.path or r.path.endswith("/messages"))
        ]

    def paths(self) -> list[str]:
        return [f"{r.method} {r.path}" for r in self.requests]


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
        return self.fake.handle(route.method, route.url.removeprefix(Route.BASE), body, names)


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
        return self.fake.handle(route.method, route.url.removeprefix(Route.BASE), body, names)


# -- a real NewsBot wired to the fake ---------------------------------------------------------
def bot_settings(tmp_path: Path, **overrides: Any) -> Settings:
    base = {
        "index_dir": tmp_path / "index",
        "feedback_db": tmp_path / "feedback.sqlite3",
        "discord_cooldown_seconds": 0.0,
        "discord_max_concurrent": 4,
        "discord_admin_role": "News admins",
    }
    return get_settings(**{**base, **overrides})


async def make_bot(tmp_path: Path, engine: Any = None, **overrides: Any) -> tuple[Any, FakeDiscord]:
    """A NewsBot set up as at start-up (cogs, persistent buttons), talking to a FakeDiscord."""
    from bot.discord.app import NewsBot

    fake = FakeDiscord()
    bot = NewsBot(bot_settings(tmp_path, **overrides), engine or FakeEngine())
    http = CapturingHTTP(fake)
    bot.http = http
    bot._connection.http = http
    async_context.set(CapturingAdapter(fake))
    await bot._async_setup_hook()
    bot._connection.user = discord.ClientUser(state=bot._connection, data=BOT_USER)
    bot._connection.application_id = APP_ID
    bot._connection._add_guild_from_data(guild_payload())
    await bot.setup_hook()
    return bot, fake


async def settle(timeout: float = 5.0) -> None:
    """Wait until every task spawned by the bot (handlers, button callbacks) has finished."""
    me = asyncio.current_task()
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        pending = [
            t
            for t in asyncio.all_tasks()
            if t is not me and not t.done() and "timeout_task" not in t.get_coro().__qualname__
        ]
        if not pending:
            return
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"tasks still running: {pending}")
        await asyncio.wait(pending, timeout=0.05)
