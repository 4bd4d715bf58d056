"""Run every benchmark, one after the other, each in its own process (`make bench`).

Each benchmark prints its table (with a baseline measured in the same run) and writes
benchmarks/results/<name>.json; this runner adds one summary line per benchmark — exit code
and wall time — and exits non-zero if any failed. `--quick` uses small sizes (a smoke run of
a few minutes that checks every benchmark still works; its figures are not those of docs/).

    python -m benchmarks.run_all                 # the full set (long: tens of minutes)
    python -m benchmarks.run_all --quick         # every benchmark, small
    python -m benchmarks.run_all --only load,discord_loop_lag
    python -m benchmarks.run_all --list
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Bench:
    name: str
    what: str
    quick: tuple[str, ...] = ()  # arguments of the --quick run

    def command(self, quick: bool) -> list[str]:
        return [sys.executable, "-m", f"benchmarks.{self.name}", *(self.quick if quick else ())]


BENCHES = (
    Bench("build", "pipeline vs bare embedder, no-op rebuild, memory", ("--xquad-limit", "50")),
    Bench("retrieval", "xquad-xling: newsbot vs llama-index vs BM25", ("--limit", "50")),
    Bench("answers", "sample questions: citations, key facts, refusals"),
    Bench(
        "latency",
        "warm/cold latency, memory, tokens",
        ("--rounds", "1", "--cold-runs", "1", "--serve", "10", "--no-llm"),
    ),
    Bench("scale", "1k → 100k chunks, embedded Chroma vs server", ("--sizes", "1000")),
    Bench(
        "load",
        "many users through the Discord handlers while /reindex runs",
        ("--questions", "40", "--users", "10", "--window", "4", "--rebuild-articles", "30"),
    ),
    Bench(
        "discord_loop_lag",
        "event-loop lag with many answers at once",
        ("--asks", "20", "--delay", "0.1", "--cpu-ms", "5"),
    ),
    Bench("faults", "LLM faults → extractive fallback times", ("--repeat", "1")),
)


def run(benches: list[Bench], quick: bool) -> list[tuple[str, int, float]]:
    results = []
    for bench in benches:
        print(f"\n=== {bench.name}: {bench.what}", flush=True)
        started = time.perf_counter()
        code = subprocess.call(bench.command(quick), cwd=ROOT)
        results.append((bench.name, code, time.perf_counter() - started))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0] if __doc__ else None,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke run")
    parser.add_argument("--only", default="", help="comma-separated benchmark names")
    parser.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    args = parser.parse_args(argv)
    if args.list:
        for bench in BENCHES:
            print(f"{bench.name:<18} {bench.what}")
        return 0
    wanted = [n.strip() for n in args.only.split(",") if n.strip()]
    unknown = set(wanted) - {b.name for b in BENCHES}
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))} (see --list)")
    benches = [b for b in BENCHES if not wanted or b.name in wanted]
    results = run(benches, args.quick)
    print("\n=== summary")
    for name, code, seconds in results:
        print(f"{name:<18} {'ok' if code == 0 else f'FAILED ({code})':<12} {seconds:8.1f} s")
    return 0 if all(code == 0 for _, code, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
