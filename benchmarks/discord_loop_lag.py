"""Event-loop lag of the Discord bot under load, and how fast a button is acknowledged.

N users ask at once (/ask interactions parsed by the real discord.py state, replies captured
by the FakeDiscord of tests/bot/discord/fake_rest.py). The engine is slow: it sleeps (I/O-like, e.g.
an LLM call) and optionally burns CPU in pure Python (holding the GIL, like tokenising or
ranking). A probe task sleeps 5 ms in a loop and records how late it wakes up: that is how
long the gateway heartbeat would have been delayed.

Then, while 8 answers (each holding a thread for `--hold` seconds, like a slow LLM) and a
rebuild run, members click 👍: the time until Discord gets the acknowledgement, with the
bot's separate pools and — the baseline, same run — with every blocking call on asyncio's
one shared default pool (what the bot did before).

    .venv/bin/python benchmarks/discord_loop_lag.py [--asks 50] [--delay 0.5] [--cpu-ms 50]
    .venv/bin/python benchmarks/discord_loop_lag.py --index-dir DIR --asks 20   # real Engine
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.bot.discord.fake_bot import make_bot, settle  # noqa: E402
from tests.bot.discord.payloads import component_payload, message_payload, slash_payload  # noqa: E402
from tests.bot.fake_engine import FakeEngine, make_answer  # noqa: E402


class SlowEngine(FakeEngine):
    def __init__(self, delay: float, cpu_ms: float) -> None:
        super().__init__(delay=delay)
        self.cpu_ms = cpu_ms

    def ask(self, question: str, conversation: Any = None, readers: Any = ()) -> Any:
        end = time.perf_counter() + self.cpu_ms / 1000
        n = 0
        while time.perf_counter() < end:  # pure-Python work holds the GIL
            n += sum(range(200))
        return super().ask(question, conversation)


async def measure(
    asks: int = 50, delay: float = 0.5, cpu_ms: float = 50.0, engine: Any = None
) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        engine = engine or SlowEngine(delay, cpu_ms)
        bot, fake = await make_bot(Path(tmp), engine, discord_max_concurrent=64)
        lags: list[float] = []
        running = True

        async def probe() -> None:
            while running:
                start = time.perf_counter()
                await asyncio.sleep(0.005)
                lags.append((time.perf_counter() - start - 0.005) * 1000)

        probe_task = asyncio.create_task(probe())
        await asyncio.sleep(0.05)
        t0 = time.perf_counter()
        for i in range(asks):
            bot._connection.parse_interaction_create(
                slash_payload(
                    "ask",
                    {"question": f"Why did Babuschkin leave xAI? ({i})"},
                    user_id=400000000000000000 + i,
                )
            )
        while sum(1 for r in fake.requests if r.path.endswith("/threads")) < asks:
            await asyncio.sleep(0.01)
        wall = time.perf_counter() - t0
        running = False
        await probe_task
        await settle()
        await bot.close()
    defers = [r for r in fake.requests if r.path.endswith("/callback")]
    lags.sort()
    return {
        "asks": asks,
        "answered": sum(1 for r in fake.requests if r.path.startswith("/webhooks/")),
        "deferred": len(defers),
        "wall_s": round(wall, 2),
        "lag_p50_ms": round(statistics.median(lags), 2),
        "lag_p99_ms": round(lags[int(len(lags) * 0.99) - 1], 2),
        "lag_max_ms": round(lags[-1], 2),
    }


class HoldingEngine(FakeEngine):
    """ask holds its thread until released (a slow LLM); rebuild likewise."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()
        self.rebuild_release.clear()
        self.holding = 0

    def ask(self, question: str, conversation: Any = None, readers: Any = ()) -> Any:
        self.holding += 1
        self.release.wait(60)
        return super().ask(question, conversation)


async def click_acks(clicks: int = 10, answers: int = 8, shared_pool: bool = False) -> list[float]:
    """Milliseconds from a 👍 click to its acknowledgement while answers and a rebuild run."""
    with tempfile.TemporaryDirectory() as tmp:
        engine = HoldingEngine()
        bot, fake = await make_bot(Path(tmp), engine, discord_max_concurrent=answers)
        if shared_pool:  # the baseline: one shared pool, as before the bot had its own
            bot.pools.run = lambda pool, fn, *args: asyncio.to_thread(fn, *args)  # type: ignore[method-assign]
        answer_id = bot.feedback.save_answer(make_answer("q?"), 1)
        custom_id = f"newsbot:vote:up:{answer_id}"
        button = {"type": 2, "style": 2, "custom_id": custom_id, "emoji": {"name": "👍"}}
        message = message_payload("answer", components=[{"type": 1, "components": [button]}])
        bot._connection.parse_interaction_create(
            slash_payload("reindex", user_id=1, permissions=1 << 5)
        )
        for i in range(answers):
            bot._connection.parse_interaction_create(
                slash_payload("ask", {"question": f"q{i}?"}, user_id=700 + i)
            )
        deadline = time.perf_counter() + 2  # a shared pool may be full before all 8 start
        while engine.holding < answers and time.perf_counter() < deadline:
            await asyncio.sleep(0.01)
        acks = []
        for i in range(clicks):
            fake.requests.clear()
            started = time.perf_counter()
            bot._connection.parse_interaction_create(component_payload(custom_id, message, 800 + i))
            while not any(r.path.endswith("/callback") for r in fake.requests):
                if time.perf_counter() - started > 5:
                    engine.release.set()  # the baseline: only finished answers free a thread
                await asyncio.sleep(0.001)
            acks.append((time.perf_counter() - started) * 1000)
        engine.release.set()
        engine.rebuild_release.set()
        await settle(30)
        await bot.close()
    return acks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--asks", type=int, default=50)
    parser.add_argument("--delay", type=float, default=0.5, help="seconds of I/O-like wait")
    parser.add_argument("--cpu-ms", type=float, default=50.0, help="ms of GIL-holding work")
    parser.add_argument("--index-dir", type=Path, help="use the real Engine on this index")
    args = parser.parse_args()
    engine = None
    if args.index_dir:
        from bot.answering.engine import Engine
        from bot.settings import get_settings

        engine = Engine(get_settings(index_dir=args.index_dir))
        engine.ask("warm up")  # load the model before measuring
    print(asyncio.run(measure(args.asks, args.delay, args.cpu_ms, engine)))
    for shared in (False, True):
        acks = sorted(asyncio.run(click_acks(shared_pool=shared)))
        label = "one shared default pool (before)" if shared else "separate pools (now)"
        print(
            f"👍 acknowledged while 8 answers + a rebuild run, {label}: "
            f"p50 {statistics.median(acks):.0f} ms, slowest {acks[-1]:.0f} ms"
            + (" (waits for an answer to free a thread; released after 5 s)" if shared else "")
        )


if __name__ == "__main__":
    main()
