"""A small fake Discord on 127.0.0.1: REST (FakeDiscord's routes under /api/v10) and a
gateway websocket (HELLO → IDENTIFY → READY + GUILD_CREATE, heartbeats ACKed, events pushed
by the test). discord.py is pointed at it with `Route.BASE`; the gateway URL comes from
GET /gateway/bot like in production."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from aiohttp import WSMsgType, web

from tests.bot.discord.fake_rest import FakeDiscord, FakeError
from tests.bot.discord.payloads import APP_ID, BOT_USER, GUILD_ID, guild_payload


class FakeDiscordServer:
    def __init__(self) -> None:
        self.fake = FakeDiscord()
        self.identified = asyncio.Event()
        self.identify: dict[str, Any] | None = None
        self.ws: web.WebSocketResponse | None = None
        self.seq = 0
        self.runner: web.AppRunner | None = None
        self.port = 0
        self.new_request = asyncio.Event()

    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v10"

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/gateway", self.gateway)
        app.router.add_route("*", "/api/v10/{tail:.*}", self.rest)
        self.runner = web.AppRunner(app)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.fake.gateway_url = f"ws://127.0.0.1:{self.port}/gateway"

    async def stop(self) -> None:
        if self.ws is not None and not self.ws.closed:
            await self.ws.close()
        if self.runner is not None:
            await self.runner.cleanup()

    async def rest(self, request: web.Request) -> web.Response:
        assert request.headers.get("Authorization", "").startswith("Bot ") or (
            "/webhooks/" in request.path or "/interactions/" in request.path
        )
        body: Any = None
        files: list[str] = []
        if request.content_type == "application/json":
            body = await request.json()
        elif request.content_type.startswith("multipart/"):
            reader = await request.multipart()
            async for part in reader:
                if part.name == "payload_json":  # type: ignore[union-attr]
                    body = json.loads(await part.text())  # type: ignore[union-attr]
                else:
                    files.append(part.filename or "")  # type: ignore[union-attr]
                    await part.read()  # type: ignore[union-attr]
        path = request.path.removeprefix("/api/v10")
        try:
            result = self.fake.handle(request.method, path, body, files)
        except FakeError as exc:
            self.new_request.set()
            return web.json_response(exc.payload(), status=exc.status)
        self.new_request.set()
        if result is None:
            return web.Response(status=204)
        # discord.py only parses bodies whose Content-Type is exactly application/json
        return web.Response(body=json.dumps(result), headers={"Content-Type": "application/json"})

    async def gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self.ws = ws
        await ws.send_json({"op": 10, "d": {"heartbeat_interval": 41250}})
        async for msg in ws:
            if msg.type != WSMsgType.TEXT:
                continue
            data = json.loads(msg.data)
            if data["op"] == 1:
                await ws.send_json({"op": 11})
            elif data["op"] == 2:
                self.identify = data["d"]
                await self.dispatch(
                    "READY",
                    {
                        "v": 10,
                        "user": BOT_USER,
                        "session_id": "fake-session",
                        "resume_gateway_url": self.fake.gateway_url,
                        "shard": [0, 1],
                        "guilds": [{"id": str(GUILD_ID), "unavailable": True}],
                        "application": {"id": str(APP_ID), "flags": 0},
                    },
                )
                await self.dispatch("GUILD_CREATE", guild_payload())
                self.identified.set()
        return ws

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        assert self.ws is not None
        self.seq += 1
        await self.ws.send_json({"op": 0, "t": event, "s": self.seq, "d": data})

    async def wait_for(self, predicate: Any, timeout: float = 10.0) -> None:
        """Until predicate(requests) holds."""
        async with asyncio.timeout(timeout):
            while not predicate(self.fake.requests):
                self.new_request.clear()
                await self.new_request.wait()
