"""Gateway payloads as Discord sends them (snake-case JSON dicts), for building real
discord.py objects in tests: users, members, guild, channels, threads, interactions, messages."""

from __future__ import annotations

import itertools
from typing import Any

import discord

APP_ID = 900000000000000001
BOT_ID = APP_ID
GUILD_ID = 910000000000000001
CHANNEL_ID = 920000000000000001
ADMIN_ROLE_ID = 930000000000000002
IMPOSTOR_ROLE_ID = 930000000000000003  # same name as the admin role, another id
BOT_ROLE_ID = 930000000000000004  # the role Discord manages for the bot (mention picker)
DM_CHANNEL_ID = 920000000000000099
ALICE = 312345678901234567  # the member asking in most tests
_ids = itertools.count(950000000000000000)


def snowflake() -> str:
    return str(next(_ids))


def user_payload(user_id: int, name: str = "alice", bot: bool = False) -> dict[str, Any]:
    return {
        "id": str(user_id),
        "username": name,
        "discriminator": "0",
        "global_name": name.title(),
        "avatar": None,
        "bot": bot,
    }


BOT_USER = user_payload(BOT_ID, "newsbot", bot=True)


def guild_payload(admin_role: str = "News admins") -> dict[str, Any]:
    everyone = {"id": str(GUILD_ID), "name": "@everyone", "permissions": "1024", "position": 0}
    role = {"id": str(ADMIN_ROLE_ID), "name": admin_role, "permissions": "0", "position": 1}
    impostor = {**role, "id": str(IMPOSTOR_ROLE_ID), "position": 2}
    bot_role = {
        "id": str(BOT_ROLE_ID), "name": "newsbot", "permissions": "0", "position": 3,
        "managed": True, "tags": {"bot_id": str(BOT_ID)},
    }  # fmt: skip
    return {
        "id": str(GUILD_ID),
        "name": "Newsroom",
        "owner_id": "1",
        "preferred_locale": "en-US",
        "roles": [
            {"color": 0, "hoist": False, "managed": False, "mentionable": False, **r}
            for r in (everyone, role, impostor, bot_role)
        ],
        "channels": [text_channel_payload()],
        "members": [],
        "member_count": 3,
        "features": [],
        "emojis": [],
        "stickers": [],
        "threads": [],
        "unavailable": False,
    }


def text_channel_payload(channel_id: int = CHANNEL_ID) -> dict[str, Any]:
    return {
        "id": str(channel_id),
        "type": 0,
        "guild_id": str(GUILD_ID),
        "name": "news",
        "position": 0,
        "permission_overwrites": [],
        "nsfw": False,
        "parent_id": None,
        "topic": None,
    }


def thread_payload(thread_id: int, parent_id: int = CHANNEL_ID, name: str = "q") -> dict[str, Any]:
    return {
        "id": str(thread_id),
        "type": 11,
        "guild_id": str(GUILD_ID),
        "parent_id": str(parent_id),
        "owner_id": str(BOT_ID),
        "name": name,
        "message_count": 0,
        "member_count": 1,
        "rate_limit_per_user": 0,
        "thread_metadata": {
            "archived": False,
            "auto_archive_duration": 1440,
            "archive_timestamp": "2026-11-21T10:00:00+00:00",
            "locked": False,
        },
    }


def member_payload(
    user_id: int, permissions: int = 0, roles: list[int] | None = None, name: str = "alice"
) -> dict[str, Any]:
    return {
        "user": user_payload(user_id, name),
        "roles": [str(r) for r in roles or []],
        "permissions": str(permissions),
        "joined_at": "2025-01-01T00:00:00+00:00",
        "deaf": False,
        "mute": False,
        "flags": 0,
    }


def slash_payload(
    name: str,
    options: dict[str, Any] | None = None,
    *,
    user_id: int = ALICE,
    permissions: int = 1024 | 2048,
    roles: list[int] | None = None,
    channel: dict[str, Any] | None = None,
    locale: str = "en-US",
) -> dict[str, Any]:
    """INTERACTION_CREATE of a slash command, as the gateway sends it."""
    opts = [
        {"name": k, "type": 5 if isinstance(v, bool) else 3, "value": v}
        for k, v in (options or {}).items()
    ]
    channel = channel or text_channel_payload()
    return {
        "id": snowflake(),
        "application_id": str(APP_ID),
        "type": 2,
        "token": f"tok-{snowflake()}",
        "version": 1,
        "guild_id": str(GUILD_ID),
        "channel_id": channel["id"],
        "channel": channel,
        "member": member_payload(user_id, permissions, roles),
        "app_permissions": str(discord.Permissions.all().value),
        "locale": locale,
        "attachment_size_limit": 10_000_000,
        "data": {"id": snowflake(), "name": name, "type": 1, "options": opts},
    }


def subcommand_payload(group: str, name: str, options: dict[str, Any], **kw: Any) -> dict:
    """A slash subcommand (/group name …); option values are sent as Discord types them."""
    payload = slash_payload(group, **kw)
    opts = [
        {"name": k, "type": {bool: 5, int: 7, float: 10}.get(type(v), 3), "value": v}
        for k, v in options.items()
    ]
    payload["data"]["options"] = [{"name": name, "type": 1, "options": opts}]
    return payload


def menu_payload(target: dict[str, Any], name: str, **kw: Any) -> dict[str, Any]:
    """INTERACTION_CREATE of a message context-menu command on `target`."""
    payload = slash_payload(name, **kw)
    payload["data"] = {
        "id": snowflake(),
        "name": name,
        "type": 3,
        "target_id": target["id"],
        "resolved": {"messages": {target["id"]: target}},
    }
    return payload


def modal_submit_payload(custom_id: str, field_id: str, value: str, **kw: Any) -> dict:
    """INTERACTION_CREATE of a submitted modal with one text input."""
    payload = slash_payload("modal", **kw)
    payload["type"] = 5
    payload["data"] = {
        "custom_id": custom_id,
        "components": [
            {"type": 1, "components": [{"type": 4, "custom_id": field_id, "value": value}]}
        ],
    }
    return payload


def component_payload(
    custom_id: str, message: dict[str, Any], user_id: int = ALICE, locale: str = "en-US"
) -> dict[str, Any]:
    """INTERACTION_CREATE of a button click on `message`."""
    return {
        "id": snowflake(),
        "application_id": str(APP_ID),
        "type": 3,
        "token": f"tok-{snowflake()}",
        "version": 1,
        "guild_id": str(GUILD_ID),
        "channel_id": message["channel_id"],
        "channel": text_channel_payload(int(message["channel_id"])),
        "member": member_payload(user_id, 1024 | 2048),
        "message": message,
        "locale": locale,
        "attachment_size_limit": 10_000_000,
        "data": {"custom_id": custom_id, "component_type": 2},
    }


def message_payload(
    content: str,
    *,
    author: dict[str, Any] | None = None,
    channel_id: int = CHANNEL_ID,
    mentions: list[dict[str, Any]] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    return {
        "id": extra.pop("id", snowflake()),
        "channel_id": str(channel_id),
        "guild_id": str(GUILD_ID),
        "author": author or user_payload(ALICE),
        "content": content,
        "timestamp": "2026-11-21T10:00:00+00:00",
        "edited_timestamp": None,
        "tts": False,
        "mention_everyone": False,
        "mentions": mentions or [],
        "mention_roles": [],
        "attachments": [],
        "embeds": [],
        "pinned": False,
        "type": 0,
        **extra,
    }


def dm_message_payload(content: str, author_id: int = ALICE) -> dict[str, Any]:
    """MESSAGE_CREATE of a direct message to the bot (no guild)."""
    payload = message_payload(content, author=user_payload(author_id), channel_id=DM_CHANNEL_ID)
    del payload["guild_id"]
    return payload
