"""The event loop stays responsive while 50 questions are answered at once: the engine runs
in worker threads, so the gateway heartbeat is never held up (benchmarks/discord_loop_lag.py
measures the same with more load and prints the figures)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

pytestmark = pytest.mark.asyncio
BENCH = Path(__file__).resolve().parents[3] / "benchmarks" / "discord_loop_lag.py"


async def test_loop_lag_stays_small_under_50_concurrent_asks():
    spec = importlib.util.spec_from_file_location("discord_loop_lag", BENCH)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    result = await bench.measure(asks=50, delay=0.2, cpu_ms=5)
    assert result["answered"] == result["deferred"] == 50
    # a blocking engine call on the loop would show up as ≥ 200 ms here
    assert result["lag_p99_ms"] < 100, result
