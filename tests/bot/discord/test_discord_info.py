"""/sources (paginated with buttons) and /about."""

from __future__ import annotations

import asyncio

import pytest

from tests.bot.discord.fake_bot import settle
from tests.bot.discord.payloads import ALICE, component_payload, slash_payload

pytestmark = pytest.mark.asyncio


async def test_sources_is_paginated_and_pages_turn_for_the_asker_only(newsbot):
    bot, fake = newsbot
    bot._connection.parse_interaction_create(slash_payload("sources"))
    await settle()
    assert fake.requests[0].json == {"type": 5, "data": {"flags": 64}}  # private, thinking
    page = fake.requests[1].json
    embed = page["embeds"][0]
    assert embed["title"] == "Indexed articles (27)" and embed["footer"]["text"] == "Page 1/3"
    assert "🇮🇩 Indonesian · 2025-08-" in embed["description"]
    assert "🇹🇼 Chinese (Traditional)" in embed["description"]
    buttons = [c["custom_id"] for row in page["components"] for c in row["components"]]

    message = fake.messages[max(fake.messages)]
    fake.requests.clear()
    bot._connection.parse_interaction_create(component_payload(buttons[1], message, ALICE))
    await settle()
    (turn,) = fake.requests
    assert turn.json["type"] == 7  # update the message in place
    assert turn.json["data"]["embeds"][0]["footer"]["text"] == "Page 2/3"

    fake.requests.clear()
    bot._connection.parse_interaction_create(component_payload(buttons[1], message, 999))
    await settle()
    (refused,) = fake.requests
    assert (
        refused.json["data"]["flags"] == 64
        and "Run /sources yourself" in refused.json["data"]["content"]
    )


async def test_about_shows_index_size_per_language_models_and_last_build(newsbot):
    bot, fake = newsbot
    bot._connection.parse_interaction_create(slash_payload("about"))
    await settle()
    embed = fake.requests[1].json["embeds"][0]
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert "🇮🇩 Indonesian: 3 articles, 12 chunks" in fields["Index: 5 articles, 21 chunks"]
    assert fields["Embedding model"] == "intfloat/multilingual-e5-small"
    assert fields["Answers"] == "extractive"
    assert fields["Last build"].startswith("<t:") and fields["Last build"].endswith(":R>")


async def test_sources_pager_buttons_are_removed_when_it_times_out(newsbot, monkeypatch):
    from bot.discord.ui import pager

    monkeypatch.setattr(pager, "PAGER_TIMEOUT", 0.1)
    bot, fake = newsbot
    bot._connection.parse_interaction_create(slash_payload("sources"))
    await settle()
    assert fake.requests[1].json["components"]  # ◀ ▶ shown
    for _ in range(100):
        edits = [r for r in fake.requests if r.method == "PATCH"]
        if edits:
            break
        await asyncio.sleep(0.02)
    (edit,) = edits
    assert edit.path.endswith("/messages/@original") and edit.json["components"] == []


async def test_help_is_private_and_in_the_members_language(newsbot):
    bot, fake = newsbot
    bot._connection.parse_interaction_create(slash_payload("help", locale="ja"))
    await settle()
    (reply,) = fake.requests
    embed = reply.json["data"]["embeds"][0]
    assert reply.json["data"]["flags"] == 64
    assert embed["title"] == "newsbot への質問の仕方"
    assert "/ask" in embed["description"] and "/sources" in embed["description"]
