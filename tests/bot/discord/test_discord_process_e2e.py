"""From the outside: `newsbot discord --sync` as its own process, against a fake Discord on a
loopback port (NEWSBOT_DISCORD_API_BASE; the gateway URL comes from GET /gateway/bot), on a
real index of the sample articles (hash embeddings: no model to load).

It registers the context menu and localised commands, answers a mention of its managed
role, and — what `docker stop` / systemd / Kubernetes do — ends within 20 s of SIGTERM in
the middle of an admin's /reindex, leaving no build process behind; SIGKILLed, its build
child ends by itself."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import sys
import time
from pathlib import Path

import discord
import psutil
import pytest

from index.building.builder import build_index
from tests.bot.discord.fake_bot import bot_settings
from tests.bot.discord.fake_gateway import FakeDiscordServer
from tests.bot.discord.payloads import (
    BOT_ROLE_ID,
    CHANNEL_ID,
    message_payload,
    slash_payload,
    user_payload,
)

pytestmark = [pytest.mark.asyncio, pytest.mark.slow]
ROOT = Path(__file__).resolve().parents[3]
TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4.fake.token-never-logged"
MANAGE_GUILD = discord.Permissions(manage_guild=True, view_channel=True).value
START_TIMEOUT = 120  # python start, imports and the engine's warm-up on a busy 2-core machine


def prepare(tmp_path: Path) -> dict[str, str]:
    """An index of the sample articles, then more for /reindex to embed: 400 articles one
    chunk per batch take over a minute to build, far longer than the 20 s allowed."""
    articles = tmp_path / "articles"
    shutil.copytree(ROOT / "articles", articles)
    settings = bot_settings(tmp_path, articles=articles, embedding="hash")
    build_index(settings)
    for i in range(400):
        body = " ".join(
            f"Report {i} sentence {j} about solar power in the city." for j in range(30)
        )
        (articles / f"extra_{i:03d}.txt").write_text(f"Report {i}\n{body}\n", "utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEWSBOT_", "DISCORD_"))}
    return {
        **env,
        "DISCORD_TOKEN": TOKEN,
        "NEWSBOT_INDEX_DIR": str(settings.index_dir),
        "NEWSBOT_ARTICLES": str(articles),
        "NEWSBOT_EMBEDDING": "hash",
        "NEWSBOT_FEEDBACK_DB": str(tmp_path / "feedback.sqlite3"),
        "NEWSBOT_DISCORD_COOLDOWN_SECONDS": "0",
        "NEWSBOT_EMBED_BATCH_SIZE": "1",
        "NEWSBOT_LOG_LEVEL": "INFO",
    }


async def start_bot(tmp_path: Path, server: FakeDiscordServer) -> asyncio.subprocess.Process:
    env = {**prepare(tmp_path), "NEWSBOT_DISCORD_API_BASE": server.api_base}
    log = (tmp_path / "bot.log").open("wb")
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-c", "from bot.cli.app import main; main()", "discord", "--sync",
        cwd=tmp_path, env=env, stdout=log, stderr=log,
    )  # fmt: skip
    async with asyncio.timeout(START_TIMEOUT):
        await server.identified.wait()
        await server.wait_for(lambda rs: any(r.method == "PUT" for r in rs), START_TIMEOUT)
    return proc


def build_children(pid: int) -> list[psutil.Process]:
    """The bot's child processes (the only one it starts is the build)."""
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


async def reindex_and_wait_for_the_child(server: FakeDiscordServer, pid: int) -> psutil.Process:
    await server.dispatch(
        "INTERACTION_CREATE", slash_payload("reindex", user_id=1, permissions=MANAGE_GUILD)
    )
    async with asyncio.timeout(60):
        while not (children := build_children(pid)):
            await asyncio.sleep(0.02)
    return children[0]


def replies_to(request, message: dict) -> bool:
    body = request.json if isinstance(request.json, dict) else {}
    return str((body.get("message_reference") or {}).get("message_id")) == message["id"]


def alive(process: psutil.Process) -> bool:
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


async def test_newsbot_discord_process_syncs_answers_and_stops_on_sigterm_mid_rebuild(tmp_path):
    server = FakeDiscordServer()
    await server.start()
    proc = child = None
    try:
        proc = await start_bot(tmp_path, server)
        by_name = {c["name"]: c for c in server.fake.commands}
        menu = by_name["Ask newsbot about this message"]
        assert menu["type"] == 3 and len(menu["name_localizations"]) >= 5
        assert len(by_name["ask"]["description_localizations"]) >= 5

        # a mention of the bot's managed role (what Discord's mention picker often inserts)
        question = message_payload(
            f"<@&{BOT_ROLE_ID}> Why did the co-founder of xAI leave?",
            author=user_payload(301234567890123456, "budi"),
            mention_roles=[str(BOT_ROLE_ID)],
        )
        await server.dispatch("MESSAGE_CREATE", question)
        await server.wait_for(lambda rs: any(replies_to(r, question) for r in rs), 60)
        reply = next(r for r in server.fake.requests if replies_to(r, question))
        assert reply.path == f"/channels/{CHANNEL_ID}/messages"
        assert reply.json["content"] and not reply.json["content"].startswith("Sorry")

        # SIGTERM while an admin's /reindex is building in the bot's child process
        child = await reindex_and_wait_for_the_child(server, proc.pid)
        started = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        async with asyncio.timeout(20):
            code = await proc.wait()
        elapsed = time.monotonic() - started
        print(f"exited {elapsed:.1f} s after SIGTERM mid-rebuild")  # shown with pytest -s
        assert elapsed < 20 and code == 0
        await asyncio.sleep(0.2)
        assert not alive(child), "the build child outlived the bot"
    finally:
        if proc is not None and proc.returncode is None:
            proc.kill()
            await proc.wait()
        if child is not None and alive(child):
            child.kill()
        await server.stop()
    log = (tmp_path / "bot.log").read_text("utf-8", "replace")
    assert "bot stopped" in log and TOKEN not in log
    shown = [r.json.get("content") or "" for r in server.fake.requests if isinstance(r.json, dict)]
    assert any(text.startswith("⏹️ The rebuild was stopped") for text in shown)


async def test_a_sigkilled_bot_leaves_no_build_child(tmp_path):
    server = FakeDiscordServer()
    await server.start()
    proc = None
    child = None
    try:
        proc = await start_bot(tmp_path, server)
        child = await reindex_and_wait_for_the_child(server, proc.pid)
        proc.kill()  # SIGKILL: no handler runs in the bot
        await proc.wait()
        deadline = time.monotonic() + 10
        while alive(child) and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        assert not alive(child), "the build child kept running as an orphan"
    finally:
        if proc is not None and proc.returncode is None:
            proc.kill()
            await proc.wait()
        if child is not None and alive(child):
            child.kill()
        await server.stop()


@pytest.mark.parametrize("after", [0.5, 2.0, 4.0])
async def test_sigterm_during_start_up_ends_the_bot_within_10_s(tmp_path, after):
    """Importing, loading the engine, connecting: SIGTERM at any of them ends the process
    within 10 s (what `docker stop` allows), leaving no child behind."""
    server = FakeDiscordServer()
    await server.start()
    env = {**prepare(tmp_path), "NEWSBOT_DISCORD_API_BASE": server.api_base}
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-c", "from bot.cli.app import main; main()", "discord",
        cwd=tmp_path, env=env,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip
    try:
        await asyncio.sleep(after)
        children = build_children(proc.pid)
        started = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        async with asyncio.timeout(10):
            await proc.wait()
        assert time.monotonic() - started < 10
        await asyncio.sleep(0.2)
        assert not [c for c in children if alive(c)]
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
        await server.stop()
