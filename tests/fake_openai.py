"""A real local HTTP server speaking the OpenAI chat-completions protocol, scriptable per test.

    with FakeOpenAI() as server:
        server.reply("Babuschkin left [1].")             # every next request gets this
        server.reply(status=500)                           # or an HTTP error
        server.reply("late", delay=2.0)                    # or a slow answer
        server.reply(garbage=b"<html>nope")                # or a body that is not JSON
        ... OpenAILike(api_base=server.url, ...) ...
        server.requests[-1]["messages"]                    # what the client sent

Replies queue up in order; the last one repeats once the queue is down to it. Streaming
requests (`"stream": true`) get the same text as server-sent events.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    text: str = "OK [1]"
    delay: float = 0.0
    status: int = 200
    garbage: bytes | None = None
    usage: bool = True


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib name
        pass

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        self._send(200, {"object": "list", "data": [{"id": "fake-model", "object": "model"}]})

    def do_POST(self) -> None:  # noqa: N802 - stdlib name
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        try:
            body = json.loads(raw or b"{}")
        except json.JSONDecodeError:
            body = {"_raw": raw.decode("utf-8", "replace")}
        body["_path"] = self.path
        body["_authorization"] = self.headers.get("Authorization")
        reply = self.server.fake.record(body)
        if reply.delay:
            time.sleep(reply.delay)
        if reply.status != 200:
            self._send(reply.status, {"error": {"message": "scripted failure", "type": "server"}})
            return
        if reply.garbage is not None:
            self._send_bytes(200, reply.garbage, "application/json")
            return
        if body.get("stream"):
            self._stream(body, reply)
            return
        prompt_tokens = sum(
            len(str(m.get("content", "")).split()) for m in body.get("messages", [])
        )
        completion_tokens = len(reply.text.split())
        payload: dict[str, Any] = {
            "id": "chatcmpl-fake",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body.get("model", "fake-model"),
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": reply.text},
                    "finish_reason": "stop",
                }
            ],
        }
        if reply.usage:
            payload["usage"] = {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens,
            }
        self._send(200, payload)

    def _stream(self, body: dict[str, Any], reply: Reply) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        for i, word in enumerate(reply.text.split(" ")):
            delta = {"content": ("" if i == 0 else " ") + word}
            if i == 0:
                delta["role"] = "assistant"
            chunk = {
                "id": "chatcmpl-fake",
                "object": "chat.completion.chunk",
                "created": int(time.time()),
                "model": body.get("model", "fake-model"),
                "choices": [{"index": 0, "delta": delta, "finish_reason": None}],
            }
            self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
        self.wfile.write(b"data: [DONE]\n\n")
        self.wfile.flush()

    def _send(self, status: int, payload: dict[str, Any]) -> None:
        self._send_bytes(status, json.dumps(payload).encode(), "application/json")

    def _send_bytes(self, status: int, data: bytes, content_type: str) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout)
            pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    fake: FakeOpenAI


class FakeOpenAI:
    """Start with `with FakeOpenAI() as server:`; `server.url` is the /v1 base URL."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self._replies: list[Reply] = [Reply()]
        self._lock = threading.Lock()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.fake = self
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def reply(self, text: str = "OK [1]", **kwargs: Any) -> FakeOpenAI:
        """Queue a reply; calling it first replaces the default reply."""
        with self._lock:
            if not self.requests and self._replies == [Reply()]:
                self._replies = []
            self._replies.append(Reply(text=text, **kwargs))
        return self

    def record(self, body: dict[str, Any]) -> Reply:
        with self._lock:
            self.requests.append(body)
            return self._replies.pop(0) if len(self._replies) > 1 else self._replies[0]

    def __enter__(self) -> FakeOpenAI:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
