"""Buttons under an answer, routed by custom_id through discord.py's real view store —
including after a restart (a new bot process with the same SQLite file)."""

from __future__ import annotations

import json
import sqlite3

import pytest

from bot.discord.render import MESSAGE_LIMIT
from tests.discord_fakes import (
    ALICE,
    FakeEngine,
    component_payload,
    make_bot,
    settle,
    slash_payload,
)

pytestmark = pytest.mark.asyncio


async def answered(bot, fake) -> tuple[dict, dict[str, str]]:
    """Ask once; return the answer message payload and its buttons by kind."""
    bot._connection.parse_interaction_create(
        slash_payload("ask", {"question": "Why did Babuschkin leave xAI?"})
    )
    await settle()
    message = next(m for m in fake.messages.values() if m.get("components"))
    ids = [c["custom_id"] for row in message["components"] for c in row["components"]]
    kinds = {":".join(i.split(":")[1:-1]): i for i in ids}
    return message, kinds


async def click(bot, fake, message: dict, custom_id: str, user_id: int = ALICE) -> list:
    fake.requests.clear()
    bot._connection.parse_interaction_create(component_payload(custom_id, message, user_id))
    await settle()
    return list(fake.requests)


async def test_votes_are_stored_with_a_salted_user_hash(newsbot, tmp_path):
    bot, fake = newsbot
    message, buttons = await answered(bot, fake)
    (note,) = await click(bot, fake, message, buttons["vote:up"], user_id=187654321098765432)
    assert note.json["type"] == 4 and note.json["data"]["flags"] == 64
    assert note.json["data"]["content"] == "Thanks for the feedback!"
    await click(
        bot, fake, message, buttons["vote:down"], user_id=187654321098765432
    )  # changes the vote
    await click(bot, fake, message, buttons["vote:up"], user_id=287654321098765433)

    db = sqlite3.connect(tmp_path / "feedback.sqlite3")
    rows = db.execute(
        "SELECT question, answer, citations_json, vote, user_hash FROM feedback"
    ).fetchall()
    assert sorted(r[3] for r in rows) == [-1, 1]
    assert all(r[0] == "Why did Babuschkin leave xAI?" and "[1]" in r[1] for r in rows)
    assert "Babuschkin meninggalkan xAI" in rows[0][2]
    dump = "\n".join(db.iterdump())
    for raw in ("187654321098765432", "287654321098765433", str(ALICE)):
        assert raw not in dump  # never a raw user id
    assert all(len(r[4]) == 64 for r in rows)


async def test_sources_button_shows_full_quotes_privately(newsbot):
    bot, fake = newsbot
    message, buttons = await answered(bot, fake)
    replies = await click(bot, fake, message, buttons["sources"])
    first = replies[0].json
    assert first["type"] == 4 and first["data"]["flags"] == 64
    text = first["data"]["content"]
    assert "**[1] Igor Babuschkin keluar dari xAI**" in text
    assert "巴布施金表示，他將成立新的創投公司，專注於人工智慧安全研究。" in text
    assert "🇷🇺 Russian" in text and len(text) <= MESSAGE_LIMIT
    assert first["data"]["allowed_mentions"] == {"parse": []}


async def test_buttons_work_after_a_restart(tmp_path):
    bot, fake = await make_bot(tmp_path, FakeEngine())
    message, buttons = await answered(bot, fake)
    await bot.close()

    restarted, fake2 = await make_bot(tmp_path, FakeEngine())  # same feedback.sqlite3
    replies = await click(restarted, fake2, message, buttons["sources"])
    assert "Babuschkin meninggalkan xAI" in replies[0].json["data"]["content"]
    (vote,) = await click(restarted, fake2, message, buttons["vote:down"])
    assert vote.json["data"]["content"] == "Thanks for the feedback!"
    await restarted.close()


async def test_new_conversation_button_forgets_the_thread_history(newsbot, engine):
    bot, fake = newsbot
    message, buttons = await answered(bot, fake)
    thread_id = int(
        next(r for r in fake.requests if r.path.endswith("/threads")).path.split("/")[-2]
    )
    assert bot.feedback.history(thread_id)
    (note,) = await click(bot, fake, message, buttons["reset"])
    assert "New conversation" in note.json["data"]["content"]
    assert bot.feedback.history(thread_id) == []


async def test_unknown_answer_id_gets_a_kind_note(newsbot):
    bot, fake = newsbot
    message, buttons = await answered(bot, fake)
    answer_id = buttons["sources"].rsplit(":", 1)[1]
    forgotten = json.loads(json.dumps(message).replace(answer_id, "0123456789abcdef"))
    (note,) = await click(bot, fake, forgotten, "newsbot:sources:0123456789abcdef")
    assert note.json["data"]["content"] == "I no longer have the sources of that answer."


async def test_a_failing_button_apologises_and_the_bot_survives(newsbot, monkeypatch):
    bot, fake = newsbot
    message, buttons = await answered(bot, fake)

    def broken(*args, **kwargs):
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(bot.feedback, "vote", broken)
    (note,) = await click(bot, fake, message, buttons["vote:up"])
    assert note.json["data"]["content"].startswith("Sorry — something went wrong")
    replies = await click(bot, fake, message, buttons["sources"])
    assert "[1]" in replies[0].json["data"]["content"]
