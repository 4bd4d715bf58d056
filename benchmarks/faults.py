"""How fast the extractive fallback comes when the LLM misbehaves (timeout set to 1 s).

For each fault the fake OpenAI-style server is scripted with (slow, HTTP 500/429, garbage,
invented citations, no citation, empty, server gone), one question is asked through
Engine.ask on a small hash-embedded index, and the time to the (extractive) answer is
reported. A warm-up question first builds the client and loads the tokenizer.

    .venv/bin/python benchmarks/faults.py [--timeout 1.0] [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.fake_openai import FakeOpenAI  # noqa: E402
from tests.hardening.corpus import CLEAN, make_settings, write_files  # noqa: E402
from tests.hardening.test_faults_llm import FAULTS, QUESTION  # noqa: E402


def measure(timeout: float, repeat: int) -> dict[str, Any]:
    from bot.answering.engine import Engine
    from index.building.builder import build_index

    results: dict[str, Any] = {"llm_timeout_s": timeout}
    with tempfile.TemporaryDirectory() as tmp_name:
        root = Path(tmp_name)
        write_files(root / "articles", CLEAN)
        build_index(make_settings(root, root / "articles"))

        def settings(url: str) -> Any:
            return make_settings(
                root, root / "articles", llm="openai-like", llm_base_url=url,
                llm_model="fake", llm_timeout=timeout,
            )  # fmt: skip

        faults = {**FAULTS, "slow": {**FAULTS["slow"], "delay": 3 * timeout}}
        for name, reply in faults.items():
            with FakeOpenAI() as server:
                server.reply("Forty kilometres [1].")
                server.reply(**reply)
                engine = Engine(settings(server.url))
                engine.ask(QUESTION)
                times, modes = [], set()
                for _ in range(repeat):
                    t0 = time.perf_counter()
                    answer = engine.ask(QUESTION)
                    times.append((time.perf_counter() - t0) * 1000)
                    modes.add(answer.mode)
            results[name] = {"median_ms": round(statistics.median(times), 1),
                             "max_ms": round(max(times), 1), "modes": sorted(modes)}  # fmt: skip
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        engine = Engine(settings(f"http://127.0.0.1:{port}/v1"))
        engine.ask(QUESTION)
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            answer = engine.ask(QUESTION)
            times.append((time.perf_counter() - t0) * 1000)
        results["server gone"] = {
            "median_ms": round(statistics.median(times), 1),
            "max_ms": round(max(times), 1),
            "modes": [answer.mode],
        }
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(json.dumps(measure(args.timeout, args.repeat), ensure_ascii=False))


if __name__ == "__main__":
    main()
