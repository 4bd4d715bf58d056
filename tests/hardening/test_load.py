"""Load, small: 40 questions from 10 users (slash commands and mentions) through the real
Discord handlers and the real Engine while /reindex embeds new articles. None is lost:
each is answered or gets the polite ⏳ note; nothing apologises; the event loop keeps
breathing. benchmarks/load.py runs the full 200 × 50 version and prints the figures."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "load.py"


@pytest.mark.asyncio
async def test_forty_questions_during_a_rebuild_none_lost() -> None:
    spec = importlib.util.spec_from_file_location("load_bench", BENCH)
    assert spec and spec.loader
    bench = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = bench  # dataclasses look their module up
    spec.loader.exec_module(bench)
    result = await bench.run_load(
        questions=40,
        users=10,
        window=4.0,
        rebuild_articles=30,
        cooldown=2.0,
        max_concurrent=3,
        idle=0.5,
    )
    assert result["lost"] == 0 and result["error"] == 0, result
    assert result["answered"] + result["rate-limited"] == 40, result
    assert result["answered"] >= 10, result
    assert result["rate-limited"] >= 1, result  # 4 questions per user in 4 s: cooldown hits
    assert result["articles_after"] == 5 + 30, result  # the rebuild committed
    assert result["answered_during_rebuild"] >= 1, result
    # a blocking call on the loop would show as ≥ the rebuild's length; allow a busy CI box
    assert result["loop_lag_max_ms"] < 500, result
