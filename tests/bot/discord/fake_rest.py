"""Discord's REST routes that newsbot uses, answering like Discord and recording every call.

Modelled behaviours a test can rely on (each one a real Discord rule newsbot must respect):
- after a public defer, the first follow-up *replaces* the "thinking…" message and takes
  its visibility from the defer, whatever flags the follow-up sends (so an error sent that
  way is public) — unless the placeholder was deleted first;
- interaction tokens expire (`token_ttl` seconds after the interaction's first response;
  Discord: 15 minutes) and then every webhook call fails with 401 / 50027;
- replying to a deleted message fails with 400 / 50035 unless `fail_if_not_exists` is false;
  editing a deleted message fails with 404 / 10008.
Errors are raised as `FakeError`; the in-process adapters turn them into discord.py's own
HTTPException classes, the loopback server into HTTP responses.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import discord

from tests.bot.discord.payloads import (
    APP_ID,
    BOT_USER,
    CHANNEL_ID,
    message_payload,
    snowflake,
    thread_payload,
)

EPHEMERAL = 64


@dataclass
class Request:
    method: str
    path: str
    json: Any = None
    files: list[str] = field(default_factory=list)


class FakeError(Exception):
    def __init__(self, status: int, code: int, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message

    def payload(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message}

    def to_discord(self) -> discord.HTTPException:
        response = SimpleNamespace(status=self.status, reason=self.message)
        cls = {403: discord.Forbidden, 404: discord.NotFound}.get(
            self.status, discord.HTTPException
        )
        return cls(response, self.payload())  # type: ignore[arg-type]


@dataclass
class TokenState:
    born: float
    placeholder: bool = False  # a deferred "thinking…" message waits to be replaced
    placeholder_flags: int = 0


class FakeDiscord:
    def __init__(self) -> None:
        self.requests: list[Request] = []
        self.commands: list[dict[str, Any]] = []
        self.messages: dict[str, dict[str, Any]] = {}
        self.deleted: set[str] = set()
        self.tokens: dict[str, TokenState] = {}
        self.token_ttl: float | None = None
        self.gateway_url = "ws://127.0.0.1:1/"

    def handle(self, method: str, path: str, body: Any, files: list[str] | None = None) -> Any:
        path = path.split("?")[0]
        self.requests.append(Request(method, path, body, files or []))
        return self._route(method, path, body)

    def _route(self, method: str, path: str, body: Any) -> Any:  # noqa: C901 - one route each
        if path == "/users/@me":
            return BOT_USER
        if path == "/oauth2/applications/@me":
            return {
                "id": str(APP_ID), "name": "newsbot", "description": "", "icon": None,
                "bot_public": True, "bot_require_code_grant": False, "owner": BOT_USER,
                "verify_key": "0" * 64, "flags": 0, "summary": "",
            }  # fmt: skip
        if path == "/gateway/bot":
            return {
                "url": self.gateway_url,
                "shards": 1,
                "session_start_limit": {
                    "total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1,
                },
            }  # fmt: skip
        if re.fullmatch(r"/applications/\d+(/guilds/\d+)?/commands", path):
            if method == "PUT":
                self.commands = [
                    {
                        "description": "",  # context menus have none
                        **c,
                        "id": snowflake(),
                        "application_id": str(APP_ID),
                        "version": "1",
                    }
                    for c in body
                ]
            return self.commands
        if m := re.fullmatch(r"/interactions/(\d+)/([^/]+)/callback", path):
            return self._callback(m[1], m[2], body or {})
        if m := re.fullmatch(r"/channels/(\d+)/messages/(\d+)/threads", path):
            return thread_payload(int(m[2]), int(m[1]), (body or {}).get("name", "thread"))
        if re.fullmatch(r"/channels/\d+/typing", path):
            return None
        if m := re.fullmatch(r"/channels/(\d+)/messages", path):
            self._check_reference(body or {})
            return self._message(body, m[1])
        if m := re.fullmatch(r"/channels/(\d+)/messages/(\d+)", path):
            if m[2] in self.deleted:
                raise FakeError(404, 10008, "Unknown Message")
            if method == "DELETE":
                self.deleted.add(m[2])
                return None
            return self._message(body, m[1], message_id=m[2])
        if m := re.fullmatch(r"/webhooks/\d+/([^/]+)(?:/messages/(@original|\d+))?", path):
            return self._webhook(method, m[1], m[2], body)
        raise AssertionError(f"unexpected request {method} {path}")

    def _callback(self, interaction_id: str, token: str, body: dict[str, Any]) -> Any:
        state = self.tokens.setdefault(token, TokenState(time.monotonic()))
        if body.get("type") == 5:  # deferred channel message: a "thinking…" placeholder
            state.placeholder = True
            state.placeholder_flags = (body.get("data") or {}).get("flags", 0)
        elif body.get("type") == 4:
            self._message(body.get("data"), str(CHANNEL_ID))
        return {"interaction": {"id": interaction_id, "type": 2}}

    def _webhook(self, method: str, token: str, message_id: str | None, body: Any) -> Any:
        state = self.tokens.get(token)
        ttl = self.token_ttl
        if state is not None and ttl is not None and time.monotonic() - state.born > ttl:
            raise FakeError(401, 50027, "Invalid Webhook Token")
        channel = str((body or {}).get("_channel_id", CHANNEL_ID))
        if message_id is None:  # a follow-up
            if state is not None and state.placeholder:
                state.placeholder = False  # it becomes the original, visible as deferred
                return self._message(body, channel, flags=state.placeholder_flags)
            return self._message(body, channel)
        if method == "DELETE":
            if state is not None:
                state.placeholder = False
            return None
        return self._message(body, channel, message_id=message_id)

    def _check_reference(self, body: dict[str, Any]) -> None:
        ref = body.get("message_reference") or {}
        missing = ref.get("message_id") and str(ref["message_id"]) in self.deleted
        if missing and ref.get("fail_if_not_exists", True):
            raise FakeError(400, 50035, "Invalid Form Body (message_reference: Unknown)")

    def _message(
        self,
        body: Any,
        channel_id: str,
        message_id: str | None = None,
        flags: int | None = None,
    ) -> dict[str, Any]:
        body = body or {}
        data = message_payload(
            body.get("content") or "",
            author=BOT_USER,
            channel_id=int(channel_id),
            embeds=body.get("embeds", []),
            components=body.get("components", []),
            flags=body.get("flags", 0) if flags is None else flags,
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
            and ("/webhooks/" in r.path or "/messages" in r.path)
            and not r.path.endswith("/threads")
        ]

    def paths(self) -> list[str]:
        return [f"{r.method} {r.path}" for r in self.requests]
