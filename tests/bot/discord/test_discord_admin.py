"""/reindex: permission refusals (also when a server admin overrode the default permissions,
and for a role that only copies the admin role's name), progress and the report in a channel
message (which outlives the 15-minute interaction token), one rebuild at a time, answers
meanwhile, and nothing from the server (paths, exception text) in the public message."""

from __future__ import annotations

import asyncio
import time

import discord
import pytest

from bot.discord.cogs import admin
from index.building.report import BuildReport
from index.errors import BuildLockedError, NewsbotError
from tests.bot.discord.fake_bot import make_bot, settle
from tests.bot.discord.payloads import ADMIN_ROLE_ID, CHANNEL_ID, IMPOSTOR_ROLE_ID, slash_payload
from tests.bot.fake_engine import FakeEngine

pytestmark = pytest.mark.asyncio
MANAGE_GUILD = discord.Permissions(manage_guild=True).value
MEMBER = discord.Permissions(view_channel=True, send_messages=True).value
CHANNEL_MESSAGES = f"/channels/{CHANNEL_ID}/messages"


def reindex(full: bool = False, **kw) -> dict:
    return slash_payload("reindex", {"full": full} if full else {}, **kw)


def channel_texts(fake) -> list[str]:
    """What the channel's rebuild message showed, in order (the post, then its edits)."""
    return [
        r.json["content"]
        for r in fake.requests
        if r.path.startswith(CHANNEL_MESSAGES) and r.method in ("POST", "PATCH")
    ]


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
        f"Only members with **Manage Server** or the <@&{ADMIN_ROLE_ID}> role can do this."
    )
    assert note.json["data"]["allowed_mentions"] == {"parse": []}  # the role is shown, not pinged
    assert not engine.rebuild_started.is_set()


async def test_a_role_copying_the_admin_roles_name_is_refused(newsbot, engine):
    bot, fake = newsbot
    # same name ("News admins") as the configured admin role, different id
    bot._connection.parse_interaction_create(reindex(permissions=MEMBER, roles=[IMPOSTOR_ROLE_ID]))
    await settle()
    (note,) = fake.requests
    assert "can do this" in note.json["data"]["content"]
    assert not engine.rebuild_started.is_set()


async def test_admin_role_may_reindex_progress_and_report_go_to_a_channel_message(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(admin, "EDIT_INTERVAL", 0.05)
    engine = FakeEngine()
    bot, fake = await make_bot(tmp_path, engine)
    bot._connection.parse_interaction_create(
        reindex(full=True, permissions=MEMBER, roles=[ADMIN_ROLE_ID])
    )
    await settle()
    ack = fake.requests[0].json
    assert ack["type"] == 4 and ack["data"]["flags"] == 64  # private: "Rebuild started…"
    assert "progress" in ack["data"]["content"]
    texts = channel_texts(fake)
    assert texts[0].startswith("⚙️ Full rebuild")
    assert any("embed: " in e and "/5" in e for e in texts)  # done/total
    report = texts[-1]
    assert report.startswith("✅ Index rebuilt in 0.1 s — added 2, updated 1, removed 0")
    assert "`broken.pdf` — unsupported file type" in report
    # one message, edited with the bot's token — never through the interaction's webhook
    posts = [r for r in fake.requests if r.method == "POST" and r.path == CHANNEL_MESSAGES]
    assert len(posts) == 1
    assert not [r for r in fake.requests if r.path.startswith("/webhooks/")]
    await bot.close()


async def test_a_rebuild_longer_than_the_interaction_token_still_reports(tmp_path, monkeypatch):
    monkeypatch.setattr(admin, "EDIT_INTERVAL", 0.05)
    engine = FakeEngine()
    engine.rebuild_release.clear()
    bot, fake = await make_bot(tmp_path, engine)
    fake.token_ttl = 0.2  # Discord: 15 minutes; this rebuild outlives it
    bot._connection.parse_interaction_create(reindex(permissions=MANAGE_GUILD))
    await asyncio.to_thread(engine.rebuild_started.wait, 5)
    await asyncio.sleep(0.4)
    engine.rebuild_release.set()
    await settle()
    assert channel_texts(fake)[-1].startswith("✅ Index rebuilt")
    await bot.close()


async def test_progress_edits_are_throttled(tmp_path):
    engine = FakeEngine()
    bot, fake = await make_bot(tmp_path, engine)  # default: at most one edit per 2 s
    bot._connection.parse_interaction_create(reindex(permissions=MANAGE_GUILD))
    await settle()
    assert len(channel_texts(fake)) <= 3  # "starting", at most one progress edit, the report
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
    engine = FakeEngine()

    def locked(full=False, progress=None):
        raise BuildLockedError("another build (pid 4242) holds /srv/newsbot/index/.lock")

    engine.rebuild = locked
    bot, fake = await make_bot(tmp_path, engine)
    bot._connection.parse_interaction_create(reindex(permissions=MANAGE_GUILD))
    await settle()
    assert channel_texts(fake)[-1] == "❌ A rebuild is already running."
    assert not bot.rebuild_lock.locked()
    await bot.close()


async def test_a_failed_rebuild_shows_no_server_path_or_exception_text(tmp_path, caplog):
    engine = FakeEngine()

    def broken(full=False, progress=None):
        raise NewsbotError(
            "The build failed (OSError: [Errno 28] No space left on device: "
            "'/srv/secret/index/gen-7/chroma.sqlite3')."
        )

    engine.rebuild = broken
    bot, fake = await make_bot(tmp_path, engine)
    bot._connection.parse_interaction_create(reindex(permissions=MANAGE_GUILD))
    await settle()
    public = "\n".join(channel_texts(fake))
    assert public.endswith("run /reindex again once they are fixed.")
    for leak in ("/srv", "secret", "Errno", "OSError", "chroma"):
        assert leak not in public
    assert "No space left on device" in caplog.text  # the operator finds it in the log
    await bot.close()


async def test_the_report_names_skipped_files_without_their_folders(tmp_path):
    engine = FakeEngine()
    report = BuildReport(
        added=0,
        updated=0,
        removed=0,
        unchanged=3,
        chunks_embedded=0,
        skipped=[
            {
                "source": "/home/ops/private/articles/leak.html",
                "reason": "unreadable (PermissionError: '/home/ops/private/articles/leak.html')",
            }
        ],
        languages={},
        seconds=0.2,
    )
    engine.rebuild = lambda full=False, progress=None: report
    bot, fake = await make_bot(tmp_path, engine)
    bot._connection.parse_interaction_create(reindex(permissions=MANAGE_GUILD))
    await settle()
    text = channel_texts(fake)[-1]
    assert "`leak.html`" in text and "/home" not in text and "private" not in text
    await bot.close()


async def test_a_deleted_rebuild_message_is_posted_again_with_the_report(tmp_path, monkeypatch):
    monkeypatch.setattr(admin, "EDIT_INTERVAL", 0.01)
    engine = FakeEngine()
    engine.rebuild_release.clear()
    bot, fake = await make_bot(tmp_path, engine)
    bot._connection.parse_interaction_create(reindex(permissions=MANAGE_GUILD))
    await asyncio.to_thread(engine.rebuild_started.wait, 5)
    deadline = time.monotonic() + 5
    while not any(r.method == "POST" and r.path == CHANNEL_MESSAGES for r in fake.requests):
        assert time.monotonic() < deadline
        await asyncio.sleep(0.01)
    fake.deleted.update(fake.messages)  # someone deleted the progress message
    engine.rebuild_release.set()
    await settle()
    assert channel_texts(fake)[-1].startswith("✅ Index rebuilt")
    await bot.close()
