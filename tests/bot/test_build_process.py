"""The rebuild child never outlives its owner: ended on request (the bot's shutdown), and gone
by itself when the owner is SIGKILLed (what `docker stop` does after its grace period)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import psutil
import pytest

from bot import build_process
from bot.settings import get_settings
from index.errors import NewsbotError

ROOT = Path(__file__).resolve().parents[2]


def wait_for(predicate, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return False


def articles(folder: Path, n: int = 3) -> Path:
    folder.mkdir()
    for i in range(n):
        (folder / f"a{i}.txt").write_text(f"Title {i}\n" + "Some text here. " * 40, "utf-8")
    return folder


def test_a_build_child_runs_the_build_and_reports(tmp_path):
    settings = get_settings(
        articles=articles(tmp_path / "articles"), index_dir=tmp_path / "index", embedding="hash"
    )
    stages: list[str] = []
    report = build_process.build_in_child(settings, progress=lambda p: stages.append(p.stage))
    assert report.added == 3 and stages
    assert build_process.running_children() == []


def test_terminate_all_ends_a_running_build_and_its_waiter_returns(tmp_path):
    settings = get_settings(
        articles=articles(tmp_path / "articles"), index_dir=tmp_path / "index", embedding="hash"
    )
    outcome: list[BaseException] = []

    def build() -> None:
        try:
            build_process.build_in_child(settings)
        except BaseException as exc:  # noqa: BLE001 - inspected below
            outcome.append(exc)

    waiter = threading.Thread(target=build, daemon=True)
    waiter.start()
    assert wait_for(lambda: build_process.running_children(), 10)
    (pid,) = build_process.running_children()
    assert build_process.terminate_all(grace_seconds=5) == 1
    waiter.join(10)
    assert not waiter.is_alive()
    assert outcome and isinstance(outcome[0], NewsbotError)
    assert "index being served is unchanged" in str(outcome[0])
    assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE


OWNER = textwrap.dedent(
    """
    import os, subprocess, sys, time
    from bot.build_process import PARENT_ENV
    child = subprocess.Popen(
        [sys.executable, "-c",
         "from bot.build_process import die_with_parent; die_with_parent(); "
         "import time; time.sleep(120)"],
        env={**os.environ, PARENT_ENV: str(os.getpid())},
    )
    print(child.pid, flush=True)
    time.sleep(120)
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_a_build_child_exits_when_its_owner_is_killed():
    owner = subprocess.Popen(
        [sys.executable, "-c", OWNER], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    child = None
    try:
        assert owner.stdout is not None
        child = psutil.Process(int(owner.stdout.readline()))
        time.sleep(0.5)  # the child is past die_with_parent()
        os.kill(owner.pid, signal.SIGKILL)
        owner.wait(10)
        gone = wait_for(lambda: not child.is_running() or child.status() == "zombie", 10)
        assert gone, "the child outlived its SIGKILLed owner"
    finally:
        if owner.poll() is None:
            owner.kill()
        if child is not None and child.is_running():
            child.kill()
