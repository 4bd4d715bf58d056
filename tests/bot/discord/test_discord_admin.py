"""/reindex: permission refusals (also when a server admin overrode the default
permissions), progress edits, the report, one rebuild at a time, answers meanwhile."""

from __future__ import annotations

import asyncio

import discord
import pytest

from bot.discord.cogs import admin
from tests.discord_fakes import ADMIN_ROLE_ID, FakeEngine, make_bot, settle, slash_payload

pytestmark = pytest.mark.asyncio
MANAGE_GUILD = discord.Permissions(manage_guild=True).value
MEMBER = discord.Permissions(view_channel=True, send_messages=True).value


def reindex(full: bool = False, **kw) -> dict:
    return slash_payload("reindex", {"full": full} if full else {}, **kw)


async def test_reindex_is_declared_with_manage_server_default_permission(newsbot):
    bot, _ = newsbot
    command = bot.tree.get_command("reindex").to_dict(bot.tree)
    assert int(command["default_member_permissions"]) == MANAGE_GUILD
    assert command["contexts"] == [0]  # guild only


async def test_member_without_manage_server_is_refused_even_if_the_default_was_overridden(
    newsbot, engine
):
    bot, fake = newsbot
    # Discord delivers the interaction: a server admin allowed @everyone to use /reindex.
    bot._connection.parse_interaction_create(reindex(permissions=MEMBER))
    await settle()
    (note,) = fake.requests
    assert note.json["type"] == 4 and note.json["data"]["flags"] == 64
    assert note.json["data"]["content"] == (
        "Only members with **Manage Server** or the **News admins** role can do this."
    )
    assert not engine.rebuild_started.is_set()


async def test_admin_role_may_reindex_and_sees_progress_then_the_report(tmp_path, monkeypatch):
    monkeypatch.setattr(admin, "EDIT_INTERVAL", 0.05)
    engine = FakeEngine()
    bot, fake = await make_bot(tmp_path, engine)
    bot._connection.parse_interaction_create(
        reindex(full=True, permissions=MEMBER, roles=[ADMIN_ROLE_ID])
    )
    await settle()
    assert fake.requests[0].json == {"type": 5}  # deferred, thinking
    edits = [r.json["content"] for r in fake.requests if r.method == "PATCH"]
    assert edits[0].startswith("⚙️ Full rebuild")
    assert any("embed: " in e and "/5" in e for e in edits)  # done/total
    report = edits[-1]
    assert report.startswith("✅ Index rebuilt in 0.1 s — added 2, updated 1, removed 0")
    assert "`articles/broken.pdf` — unsupported file type" in report
    await bot.close()


async def test_progress_edits_are_throttled(tmp_path):
    engine = FakeEngine()
    bot, fake = await make_bot(tmp_path, engine)  # default: at most one edit per 2 s
    bot._connection.parse_interaction_create(reindex(permissions=MANAGE_GUILD))
    await settle()
    edits = [r for r in fake.requests if r.method == "PATCH"]
    assert len(edits) <= 3  # "starting", at most one progress edit, the report
    await bot.close()


async def test_one_rebuild_at_a_time_and_questions_are_answered_meanwhile(tmp_path):
    engine = FakeEngine()
    engine.rebuild_release.clear()  # the rebuild blocks until released
    bot, fake = await make_bot(tmp_path, engine)
    bot._connection.parse_interaction_create(reindex(permissions=MANAGE_GUILD))
    await asyncio.to_thread(engine.rebuild_started.wait, 5)

    fake.requests.clear()
    bot._connection.parse_interaction_create(reindex(permissions=MANAGE_GUILD, user_id=222))
    bot._connection.parse_interaction_create(
        slash_payload("ask", {"question": "Kenapa Babuschkin keluar dari xAI?"}, user_id=333)
    )
    for _ in range(200):
        if any(
            r.path.startswith("/webhooks/") and "[1]" in (r.json or {}).get("content", "")
            for r in fake.requests
        ):
            break
        await asyncio.sleep(0.01)
    busy = [r for r in fake.requests if r.path.endswith("/callback") and r.json["type"] == 4]
    assert busy[0].json["data"]["content"] == "A rebuild is already running."
    assert engine.calls and engine.calls[-1][0] == "Kenapa Babuschkin keluar dari xAI?"

    engine.rebuild_release.set()
    await settle()
    assert not bot.rebuild_lock.locked()
    await bot.close()


async def test_a_rebuild_locked_by_another_process_is_reported_in_the_message(tmp_path):
    from index.errors import BuildLockedError

    engine = FakeEngine()

    def locked(full=False, progress=None):
        raise BuildLockedError("another build holds the lock")

    engine.rebuild = locked
    bot, fake = await make_bot(tmp_path, engine)
    bot._connection.parse_interaction_create(reindex(permissions=MANAGE_GUILD))
    await settle()
    assert fake.requests[-1].json["content"] == "❌ A rebuild is already running."
    assert not bot.rebuild_lock.locked()
    await bot.close()
