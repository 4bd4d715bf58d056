"""`make bench` runs benchmarks/run_all.py: every listed benchmark exists, and one runs."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks import run_all

ROOT = Path(__file__).resolve().parents[2]


def test_make_bench_calls_the_runner_and_every_benchmark_exists():
    dry = subprocess.run(
        ["make", "-n", "bench", "PYTHON=true", "STAMP=Makefile"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert dry.returncode == 0, dry.stderr
    assert "-m benchmarks.run_all" in dry.stdout
    for bench in run_all.BENCHES:
        assert importlib.util.find_spec(f"benchmarks.{bench.name}"), bench.name


def test_the_runner_runs_one_benchmark_and_reports_it(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.run_all", "--quick", "--only", "discord_loop_lag"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    summary = done.stdout.split("=== summary", 1)[1]
    assert "discord_loop_lag" in summary and "ok" in summary


def test_an_unknown_benchmark_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exc:
        run_all.main(["--only", "nope"])
    assert exc.value.code == 2
    assert "unknown benchmark(s): nope" in capsys.readouterr().err
