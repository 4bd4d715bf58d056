"""Checks on what the bot sent to (fake) Discord: no pings, within every limit."""

from __future__ import annotations

from typing import Any

from bot.discord.ui.formatting import (
    EMBED_DESCRIPTION_LIMIT,
    EMBED_FIELDS_LIMIT,
    EMBED_TITLE_LIMIT,
    EMBED_TOTAL_LIMIT,
    FIELD_NAME_LIMIT,
    FIELD_VALUE_LIMIT,
    MESSAGE_LIMIT,
)
from tests.hardening.corpus import inert


def message_bodies(requests: list[Any]) -> list[dict[str, Any]]:
    """The message payloads among captured requests (interaction callbacks unwrapped)."""
    bodies = []
    for r in requests:
        body = r.json
        if not isinstance(body, dict):
            continue
        if r.path.endswith("/callback"):
            body = body.get("data")
            if not body:
                continue  # a plain defer
        if "content" in body or "embeds" in body:
            bodies.append(body)
    return bodies


def embed_total(embed: dict[str, Any]) -> int:
    fields = embed.get("fields", [])
    footer = (embed.get("footer") or {}).get("text", "")
    return (
        len(embed.get("title", ""))
        + len(embed.get("description", ""))
        + len(footer)
        + sum(len(f["name"]) + len(f["value"]) for f in fields)
    )


def assert_safe_message(body: dict[str, Any]) -> None:
    """One outgoing message: pings disabled, inside Discord's limits, nothing deceptive."""
    assert body.get("allowed_mentions", {}).get("parse") == [], body.get("allowed_mentions")
    assert body.get("allowed_mentions", {}).get("replied_user") in (None, False)
    content = body.get("content") or ""
    assert len(content) <= MESSAGE_LIMIT
    assert inert(content), content
    embeds = body.get("embeds") or []
    assert len(embeds) <= 10
    assert sum(embed_total(e) for e in embeds) <= EMBED_TOTAL_LIMIT
    for e in embeds:
        assert len(e.get("title", "")) <= EMBED_TITLE_LIMIT
        assert len(e.get("description", "")) <= EMBED_DESCRIPTION_LIMIT
        assert len(e.get("fields", [])) <= EMBED_FIELDS_LIMIT
        for f in e.get("fields", []):
            assert 0 < len(f["name"]) <= FIELD_NAME_LIMIT
            assert 0 < len(f["value"]) <= FIELD_VALUE_LIMIT
            assert inert(f["name"]) and inert(f["value"]), f
        assert inert(e.get("description", ""))
