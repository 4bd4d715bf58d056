"""Buttons under an answer, routed by custom_id through discord.py's real view store —
including after a restart (a new bot process with the same SQLite file)."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import threading
import time

import discord
import pytest

from bot.discord.ui.formatting import MESSAGE_LIMIT
from tests.bot.discord.fake_bot import make_bot, settle
from tests.bot.discord.payloads import (
    ALICE,
    component_payload,
    modal_submit_payload,
    slash_payload,
    thread_payload,
)
from tests.bot.fake_engine import FakeEngine

pytestmark = pytest.mark.asyncio
MANAGE_GUILD = discord.Permissions(manage_guild=True).value


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


async def click(
    bot, fake, message: dict, custom_id: str, user_id: int = ALICE, locale: str = "en-US"
) -> list:
    fake.requests.clear()
    bot._connection.parse_interaction_create(
        component_payload(custom_id, message, user_id, locale=locale)
    )
    await settle()
    return list(fake.requests)


async def test_votes_are_stored_with_a_salted_user_hash(newsbot, tmp_path):
    bot, fake = newsbot
    message, buttons = await answered(bot, fake)
    (note,) = await click(bot, fake, message, buttons["vote:up"], user_id=187654321098765432)
    assert note.json["type"] == 4 and note.json["data"]["flags"] == 64
    assert note.json["data"]["content"] == "Thanks for the feedback!"
    (form,) = await click(
        bot, fake, message, buttons["vote:down"], user_id=187654321098765432
    )  # changes the vote, and asks why
    assert form.json["type"] == 9  # a modal
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
    (vote,) = await click(restarted, fake2, message, buttons["vote:up"])
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


def text_input(form: dict) -> tuple[str, str]:
    """(modal custom_id, text input custom_id) of a modal callback."""
    data = form["data"]
    stack = list(data["components"])
    while stack:
        c = stack.pop()
        if c.get("type") == 4:
            return data["custom_id"], c["custom_id"]
        stack.extend(c.get("components", [])) if "components" in c else None
        if "component" in c:
            stack.append(c["component"])
    raise AssertionError(f"no text input in {form}")


async def test_thumbs_down_asks_why_and_stores_the_reason_with_the_vote(newsbot, tmp_path):
    bot, fake = newsbot
    message, buttons = await answered(bot, fake)
    (form,) = await click(bot, fake, message, buttons["vote:down"], locale="de")
    assert form.json["type"] == 9
    assert form.json["data"]["title"] == "Was war an dieser Antwort falsch?"
    modal_id, field_id = text_input(form.json)
    db = sqlite3.connect(tmp_path / "feedback.sqlite3")
    assert db.execute("SELECT vote, reason FROM feedback").fetchall() == [(-1, None)]

    fake.requests.clear()
    bot._connection.parse_interaction_create(
        modal_submit_payload(modal_id, field_id, "Quote is about another person", locale="de")
    )
    await settle()
    (thanks,) = fake.requests
    assert thanks.json["data"]["content"] == "Danke für das Feedback!"
    assert thanks.json["data"]["flags"] == 64
    rows = db.execute("SELECT vote, reason FROM feedback").fetchall()
    assert rows == [(-1, "Quote is about another person")]


async def test_a_click_is_acknowledged_within_a_second_while_8_answers_and_a_rebuild_run(
    tmp_path,
):
    engine = BlockingEngine()
    bot, fake = await make_bot(tmp_path, engine, discord_max_concurrent=8)
    message, buttons = await answered(bot, fake)  # one answer to vote on (not blocked)
    engine.block.clear()
    engine.rebuild_release.clear()
    bot._connection.parse_interaction_create(
        slash_payload("reindex", user_id=1, permissions=MANAGE_GUILD)
    )
    for i in range(8):
        bot._connection.parse_interaction_create(
            slash_payload("ask", {"question": f"Question {i}?"}, user_id=500 + i)
        )
    await wait_until(lambda: engine.waiting == 8 and engine.rebuild_started.is_set())

    for custom_id in (buttons["vote:up"], buttons["reset"]):
        fake.requests.clear()
        started = time.monotonic()
        bot._connection.parse_interaction_create(component_payload(custom_id, message))
        await wait_until(lambda: any(r.path.endswith("/callback") for r in fake.requests), 1.0)
        assert time.monotonic() - started < 1.0
    fake.requests.clear()
    bot._connection.parse_interaction_create(
        slash_payload("reset", channel=thread_payload(960000000000000002))
    )
    await wait_until(lambda: any(r.path.endswith("/callback") for r in fake.requests), 1.0)

    engine.block.set()
    engine.rebuild_release.set()
    await settle(10)
    await bot.close()


class BlockingEngine(FakeEngine):
    """ask blocks (like 30 s of LLM time) until `block` is set; counts who waits."""

    def __init__(self) -> None:
        super().__init__()
        self.block = threading.Event()
        self.block.set()
        self.waiting = 0
        self._lock = threading.Lock()

    def ask(self, question, conversation=None, readers=()):
        if not self.block.is_set():
            with self._lock:
                self.waiting += 1
            self.block.wait(30)
        return super().ask(question, conversation, readers)


async def wait_until(predicate, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        await asyncio.sleep(0.005)
