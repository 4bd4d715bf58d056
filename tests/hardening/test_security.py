"""Security: admin-only /reindex, secrets kept out of logs, errors and repr, no raw user
ids in the feedback store, and no path escaping its folder.

What "escape" means here, per path:
- articles: only regular files under the articles folder are read; a symlink whose target
  lies outside is skipped with a reason, symlinked folders are not descended into
  (tests/hardening/test_bad_articles.py), a JSONL record's own "source" is ignored.
- article ids, titles, questions and Discord input never become file names: the index's
  files are named by generation number and the attachment is always "answer.md".
- the REPL history file is always `<index dir>/repl_history` (not configurable).
- the feedback DB is wherever the operator puts `NEWSBOT_FEEDBACK_DB`: that is a setting, not
  user input; the bot writes only that file (and SQLite's -wal/-shm next to it).
Nothing is written to the working directory or the home folder.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
import subprocess
import sys
from pathlib import Path

import discord
import pytest

from bot.answering.engine import Engine
from bot.discord.checks import is_admin
from bot.discord.errors import NotAdmin
from bot.discord.store.guild_config import GuildConfig
from bot.settings import Settings
from index.building.builder import build_index
from tests.bot.discord.fake_bot import make_bot, settle
from tests.bot.discord.payloads import (
    ALICE,
    BOT_USER,
    component_payload,
    message_payload,
    slash_payload,
)
from tests.bot.fake_engine import FakeEngine
from tests.fake_openai import FakeOpenAI
from tests.hardening.corpus import CLEAN, make_settings, write_files

DISCORD_TOKEN = "MTAxNzY5.hardening-discord-token.SECRET1"
LLM_KEY = "sk-hardening-llm-key-SECRET2"
EMBED_KEY = "sk-hardening-embedding-key-SECRET3"
SECRETS = (DISCORD_TOKEN, LLM_KEY, EMBED_KEY, "SECRET1", "SECRET2", "SECRET3")
MEMBER = discord.Permissions(view_channel=True, send_messages=True).value
MANAGE = discord.Permissions(manage_guild=True).value


def no_secret_in(*texts: str) -> None:
    for text in texts:
        for secret in SECRETS:
            assert secret not in text, f"{secret!r} leaked"


# -- /reindex ---------------------------------------------------------------------------------
@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("permissions", "role_setting", "has_role", "allowed"),
    [
        (MEMBER, "News admins", False, False),  # default permission overridden for @everyone
        (MEMBER, None, True, False),  # the role only counts when settings name it
        (MEMBER | discord.Permissions(administrator=False, kick_members=True).value,
         "News admins", False, False),  # another moderator permission is not enough
        (MEMBER, "News admins", True, True),
        (MANAGE, None, False, True),
    ],
)  # fmt: skip
async def test_reindex_runtime_check(
    tmp_path: Path, permissions: int, role_setting: str | None, has_role: bool, allowed: bool
) -> None:
    from tests.bot.discord.payloads import ADMIN_ROLE_ID

    engine = FakeEngine()
    role_id = ADMIN_ROLE_ID if role_setting else None  # the admin role is matched by id
    bot, fake = await make_bot(tmp_path, engine, discord_admin_role_id=role_id)
    payload = slash_payload(
        "reindex", permissions=permissions, roles=[ADMIN_ROLE_ID] if has_role else []
    )
    bot._connection.parse_interaction_create(payload)
    await settle()
    if allowed:
        assert fake.requests[0].json["type"] == 4  # "Rebuild started" (privately)
        assert engine.rebuild_started.is_set()
    else:
        (note,) = fake.requests
        assert (
            note.json["data"]["flags"] == 64
            and "Only members with" in (note.json["data"]["content"])
        )
        assert not engine.rebuild_started.is_set()
    await bot.close()


def test_is_admin_raises_for_a_plain_member_interaction() -> None:
    class Perms:
        manage_guild = False

    class Interaction:
        permissions = Perms()
        guild_id = 1
        user = type("U", (), {"roles": []})()
        client = type("C", (), {"guild_config": lambda self, gid: GuildConfig()})()

    with pytest.raises(NotAdmin):
        is_admin(Interaction())  # type: ignore[arg-type]


# -- secrets ----------------------------------------------------------------------------------
def secret_settings(tmp_path: Path, **kw: object) -> Settings:
    return make_settings(
        tmp_path,
        tmp_path / "articles",
        discord_token=DISCORD_TOKEN,
        llm_api_key=LLM_KEY,
        embedding_api_key=EMBED_KEY,
        **kw,
    )


def test_settings_never_show_secrets(tmp_path: Path) -> None:
    s = secret_settings(tmp_path)
    no_secret_in(repr(s), str(s), s.model_dump_json(), str(s.model_dump()), f"{s!r}")
    assert s.discord_token is not None
    assert s.discord_token.get_secret_value() == DISCORD_TOKEN  # still usable


def test_secrets_stay_out_of_debug_logs_and_errors(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    write_files(tmp_path / "articles", CLEAN)
    caplog.set_level(logging.DEBUG)
    question = "How many kilometres of new bicycle lanes did the city council of Portland approve?"
    with FakeOpenAI() as server:
        server.reply("Forty kilometres [1].")
        server.reply(status=401)
        settings = secret_settings(
            tmp_path, llm="openai-like", llm_base_url=server.url, llm_model="fake"
        )
        build_index(settings)
        engine = Engine(settings)
        ok = engine.ask(question)
        failed = engine.ask(question)  # the server rejects the key
        sent = server.requests[0]["_authorization"]
    assert sent == f"Bearer {LLM_KEY}"  # the key reached the server, and only the server
    assert ok.mode == "llm" and failed.notice and "401" in failed.notice
    records = "\n".join(f"{r.getMessage()} {r.exc_text or ''} {r.args!r}" for r in caplog.records)
    assert "LLM prompt" in records  # DEBUG logging was really on
    no_secret_in(caplog.text, records, str(ok.to_json()), str(failed.to_json()))


def test_cli_debug_run_never_prints_secrets(tmp_path: Path) -> None:
    write_files(tmp_path / "articles", CLEAN)
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path / "home"),
        "NEWSBOT_ARTICLES": str(tmp_path / "articles"),
        "NEWSBOT_INDEX_DIR": str(tmp_path / "index"),
        "NEWSBOT_FEEDBACK_DB": str(tmp_path / "index" / "feedback.sqlite3"),
        "NEWSBOT_EMBEDDING": "hash",
        "NEWSBOT_LOG_LEVEL": "DEBUG",
        "DISCORD_TOKEN": DISCORD_TOKEN,
        "NEWSBOT_LLM_API_KEY": LLM_KEY,
        "NEWSBOT_EMBEDDING_API_KEY": EMBED_KEY,
        "NEWSBOT_LLM": "openai-like",
        "NEWSBOT_LLM_BASE_URL": "http://127.0.0.1:9/v1",  # nothing listens: an error path
        "NEWSBOT_LLM_MODEL": "fake",
        "NEWSBOT_LLM_TIMEOUT": "2",
    }
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    newsbot = str(Path(sys.executable).parent / "newsbot")
    out = []
    for args in (
        ["index", "build", "--json"],
        ["ask", "--json", "How many kilometres of bicycle lanes did Portland approve?"],
        ["index", "status"],
        ["discord"],  # no network here: a clear error, without the token
    ):
        try:
            proc = subprocess.run(
                [newsbot, *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=60
            )
            out.append(proc.stdout + proc.stderr)
        except subprocess.TimeoutExpired as exc:
            out.append(f"{exc.stdout or ''}{exc.stderr or ''}")
    assert "DEBUG" in "".join(out)  # debug logging was really on
    last_line = out[3].strip().splitlines()[-1]  # tracebacks only in the DEBUG log above it
    assert last_line.startswith("error: Could not reach Discord"), out[3][-800:]
    no_secret_in(*out)
    assert not any(cwd.iterdir()), "nothing is written to the working directory"


# -- feedback store ---------------------------------------------------------------------------
@pytest.mark.asyncio
async def test_feedback_store_keeps_no_raw_user_ids(tmp_path: Path) -> None:
    bot, fake = await make_bot(tmp_path, FakeEngine())
    voter = 187654321098765432
    bot._connection.parse_interaction_create(
        slash_payload("ask", {"question": "Why did Babuschkin leave xAI?"}, user_id=ALICE)
    )
    bot._connection.parse_message_create(
        message_payload(f"<@{BOT_USER['id']}> who funds it?", mentions=[BOT_USER])
    )
    await settle()
    message = next(m for m in fake.messages.values() if m.get("components"))
    ids = [c["custom_id"] for row in message["components"] for c in row["components"]]
    for custom_id in ids[:2]:
        bot._connection.parse_interaction_create(component_payload(custom_id, message, voter))
        await settle()
    await bot.close()
    await asyncio.sleep(0)

    raw = b"".join(p.read_bytes() for p in tmp_path.glob("feedback.sqlite3*"))
    db = sqlite3.connect(tmp_path / "feedback.sqlite3")
    dump = "\n".join(db.iterdump())
    assert db.execute("SELECT COUNT(*) FROM votes").fetchone()[0] == 1
    assert db.execute("SELECT COUNT(*) FROM answers").fetchone()[0] == 2
    for user_id in (ALICE, voter):
        for form in (str(user_id), user_id.to_bytes(8, "big"), user_id.to_bytes(8, "little")):
            text = form if isinstance(form, str) else form.hex()
            assert text not in dump
            assert (form.encode() if isinstance(form, str) else form) not in raw
    # hashes are salted per database: the same user hashes differently elsewhere
    from bot.discord.store.feedback import FeedbackStore

    other = FeedbackStore(tmp_path / "other" / "feedback.sqlite3")
    assert other.user_hash(voter) != FeedbackStore(tmp_path / "feedback.sqlite3").user_hash(voter)


# -- paths ------------------------------------------------------------------------------------
def test_repl_history_lives_in_the_index_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot import repl

    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    settings = make_settings(tmp_path, tmp_path / "articles", index_dir=tmp_path / "idx")
    try:
        prompt = repl.line_reader(settings)
    except Exception as exc:  # noqa: BLE001 - prompt_toolkit needs a real terminal
        pytest.skip(f"prompt_toolkit cannot start without a terminal here: {exc}")
    history = Path(prompt.__self__.history.filename)  # type: ignore[attr-defined]
    assert history == (tmp_path / "idx" / "repl_history").resolve()


@pytest.mark.asyncio
async def test_hostile_names_never_become_paths(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Article ids, titles and questions full of ../ create no file outside the index and
    feedback folders (and none in the working directory or home)."""
    home, cwd = tmp_path / "home", tmp_path / "cwd"
    home.mkdir()
    cwd.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(cwd)
    hostile = "../../../../tmp/owned"
    write_files(
        tmp_path / "articles",
        {
            **CLEAN,
            "export.jsonl": json.dumps(
                {
                    "id": hostile,
                    "title": hostile,
                    "source": hostile,
                    "text": "Bicycle lanes in the city.",
                    "url": "file:///etc/passwd",
                }
            )
            + "\n",
        },
    )
    settings = make_settings(
        tmp_path, tmp_path / "articles", feedback_db=tmp_path / "fb" / "feedback.sqlite3"
    )
    build_index(settings)
    engine = Engine(settings)
    bot, fake = await make_bot(
        tmp_path, engine, index_dir=settings.index_dir, embedding="hash",
        feedback_db=settings.feedback_db,
    )  # fmt: skip
    bot._connection.parse_interaction_create(
        slash_payload("ask", {"question": f"{hostile} bicycle lanes?"})
    )
    await settle(30)
    await bot.close()
    allowed = (tmp_path / "index", tmp_path / "fb", tmp_path / "articles")
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert any(path.is_relative_to(a) for a in allowed), path
    assert not any(home.iterdir()) and not any(cwd.iterdir())
    assert not Path("/tmp/owned").exists()
    sent = [r for r in fake.requests if r.files]
    assert all(f == "answer.md" for r in sent for f in r.files)
