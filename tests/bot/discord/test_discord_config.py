"""/config: per-server channels, admin role (by id) and cooldown, stored in SQLite, with the
operator's `.env` as defaults; admins only."""

from __future__ import annotations

import discord
import pytest

from tests.bot.discord.fake_bot import make_bot, settle
from tests.bot.discord.payloads import (
    ADMIN_ROLE_ID,
    CHANNEL_ID,
    GUILD_ID,
    slash_payload,
    text_channel_payload,
)
from tests.bot.fake_engine import FakeEngine

pytestmark = pytest.mark.asyncio
MANAGE_GUILD = discord.Permissions(manage_guild=True).value
MEMBER = discord.Permissions(view_channel=True, send_messages=True).value
OTHER_CHANNEL = 920000000000000002
NEW_ROLE = 930000000000000009


def config(name: str, options: list[dict], resolved: dict | None = None, **kw) -> dict:
    payload = slash_payload("config", **kw)
    payload["data"]["options"] = [{"name": name, "type": 1, "options": options}]
    if resolved:
        payload["data"]["resolved"] = resolved
    return payload


def allow_channel(channel_id: int, allow: bool, **kw) -> dict:
    channel = {**text_channel_payload(channel_id), "permissions": str(MEMBER)}
    return config(
        "channel",
        [
            {"name": "channel", "type": 7, "value": str(channel_id)},
            {"name": "allow", "type": 5, "value": allow},
        ],
        {"channels": {str(channel_id): channel}},
        **kw,
    )


def ask(question: str = "Who?", channel_id: int = CHANNEL_ID, **kw) -> dict:
    return slash_payload(
        "ask", {"question": question}, channel=text_channel_payload(channel_id), **kw
    )


async def test_channels_an_admin_allows_are_the_only_ones_answered(tmp_path):
    engine = FakeEngine()
    bot, fake = await make_bot(tmp_path, engine)
    bot._connection.parse_interaction_create(
        allow_channel(CHANNEL_ID, True, permissions=MANAGE_GUILD)
    )
    await settle()
    saved = fake.requests[-1].json["data"]
    assert saved["content"] == "✅ Saved." and saved["flags"] == 64
    assert f"<#{CHANNEL_ID}>" in saved["embeds"][0]["fields"][0]["value"]

    fake.requests.clear()
    bot._connection.parse_interaction_create(ask(channel_id=OTHER_CHANNEL))
    await settle()
    assert "channels an admin chose" in fake.requests[-1].json["data"]["content"]
    bot._connection.parse_interaction_create(ask(channel_id=CHANNEL_ID, user_id=77))
    await settle()
    assert len(engine.calls) == 1
    await bot.close()

    # stored: a restarted bot keeps the server's choice
    restarted, fake2 = await make_bot(tmp_path, FakeEngine())
    assert restarted.guild_config(GUILD_ID).allowed_channels == {CHANNEL_ID}
    assert restarted.guild_config(None).allowed_channels == frozenset()  # DMs: the defaults
    await restarted.close()


async def test_members_cannot_change_the_settings(newsbot):
    bot, fake = newsbot
    bot._connection.parse_interaction_create(allow_channel(CHANNEL_ID, True, permissions=MEMBER))
    await settle()
    (note,) = fake.requests
    assert "can do this" in note.json["data"]["content"]
    assert bot.guild_config(GUILD_ID).allowed_channels == frozenset()


async def test_admin_role_and_cooldown_per_server_then_back_to_the_defaults(tmp_path):
    bot, fake = await make_bot(tmp_path, FakeEngine(), discord_cooldown_seconds=0)
    role = {"id": str(NEW_ROLE), "name": "Editors", "permissions": "0", "position": 4,
            "color": 0, "hoist": False, "managed": False, "mentionable": False}  # fmt: skip
    bot._connection.parse_interaction_create(
        config(
            "admin-role",
            [{"name": "role", "type": 8, "value": str(NEW_ROLE)}],
            {"roles": {str(NEW_ROLE): role}},
            permissions=MANAGE_GUILD,
        )
    )
    bot._connection.parse_interaction_create(
        config("cooldown", [{"name": "seconds", "type": 10, "value": 45}], permissions=MANAGE_GUILD)
    )
    await settle()
    settings = bot.guild_config(GUILD_ID)
    assert settings.admin_role_id == NEW_ROLE and settings.cooldown_seconds == 45

    fake.requests.clear()
    bot._connection.parse_interaction_create(ask())
    bot._connection.parse_interaction_create(ask("Again?"))
    await settle()
    refusal = next(r for r in fake.requests if (r.json or {}).get("type") == 4)
    assert "ask again in 45 s" in refusal.json["data"]["content"]

    bot._connection.parse_interaction_create(config("reset", [], permissions=MANAGE_GUILD))
    await settle()
    settings = bot.guild_config(GUILD_ID)
    assert settings.admin_role_id == ADMIN_ROLE_ID and settings.cooldown_seconds == 0
    await bot.close()


async def test_readers_languages_per_server_reach_the_engine_after_the_members_own(tmp_path):
    engine = FakeEngine()
    bot, fake = await make_bot(tmp_path, engine, discord_cooldown_seconds=0)
    bot._connection.parse_interaction_create(
        config("languages", [{"name": "codes", "type": 3, "value": "klingon, xx"}],
               permissions=MANAGE_GUILD)
    )  # fmt: skip
    await settle()
    note = fake.requests[-1].json["data"]
    assert note["flags"] == 64 and "klingon, xx" in note["content"]
    assert bot.guild_config(GUILD_ID).reader_languages == ()

    bot._connection.parse_interaction_create(
        config("languages", [{"name": "codes", "type": 3, "value": "de, zh-TW; EN"}],
               permissions=MANAGE_GUILD)
    )  # fmt: skip
    await settle()
    assert bot.guild_config(GUILD_ID).reader_languages == ("de", "zh-Hant", "en")
    shown = fake.requests[-1].json["data"]["embeds"][0]["fields"]
    assert any(f["value"] == "de, zh-Hant, en" for f in shown)

    payload = ask()
    payload["locale"] = "pt-BR"  # the member's Discord language comes first
    bot._connection.parse_interaction_create(payload)
    await settle()
    assert engine.readers[-1] == ["pt", "de", "zh-Hant", "en"]  # then the server's preferred

    # a new process reads the server's languages back from SQLite
    again, _ = await make_bot(tmp_path, FakeEngine())
    assert again.guild_config(GUILD_ID).reader_languages == ("de", "zh-Hant", "en")
    await again.close()
    await bot.close()


async def test_a_database_of_an_older_version_gains_the_languages_column(tmp_path):
    import sqlite3

    from bot.discord.store.guild_config import GuildConfig, GuildConfigStore

    path = tmp_path / "feedback.sqlite3"
    with sqlite3.connect(path) as db:  # the first release's table
        db.execute(
            "CREATE TABLE guild_settings (guild_id INTEGER PRIMARY KEY, allowed_channels_json "
            "TEXT, admin_role_id INTEGER, cooldown_seconds REAL, updated_at REAL NOT NULL)"
        )
        db.execute("INSERT INTO guild_settings VALUES (7, NULL, NULL, 30, 0)")
    store = GuildConfigStore(path, GuildConfig())
    assert store.load() == 1
    assert store.get(7).cooldown_seconds == 30 and store.get(7).reader_languages == ()
    assert store.set_reader_languages(7, ["id", "en"]).reader_languages == ("id", "en")
    assert store.get(7).cooldown_seconds == 30
