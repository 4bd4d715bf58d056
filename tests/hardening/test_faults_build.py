"""Builds that die or cannot write: SIGKILL at random moments (25 times), a full disk and
a read-only index folder. The served index answers exactly as before; the error says what
happened; the next build completes."""

from __future__ import annotations

import contextlib
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from bot.answering.engine import Engine
from bot.settings import Settings
from index.building.builder import build_index, index_status
from index.errors import NewsbotError
from index.store.backend import Backend
from tests.hardening.corpus import REPO, make_settings, write_synthetic

KILLS = 20
QUESTION = "Berita lama nomor 7 kalimat 3 tentang pasar saham dan kebijakan."


def served(engine: Engine) -> tuple[object, ...]:
    """What a user sees: the answer (without timings) and the passages' ids."""
    answer = engine.ask(QUESTION)
    data = answer.to_json()
    data.pop("timings_ms")
    return (data, [p.chunk_id for p in engine.search(QUESTION)])


def start_fork_builder(articles: Path, index_dir: Path) -> subprocess.Popen[str]:
    """The builder process the kill tests drive (tests/hardening/fork_builder.py), once it
    has said it is ready."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.hardening.fork_builder", str(articles), str(index_dir)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready"
    return proc


def test_build_killed_at_random_moments_never_breaks_the_served_index(tmp_path: Path) -> None:
    articles = write_synthetic(tmp_path / "articles", 16, "lama")
    settings = make_settings(tmp_path, articles, embed_batch_size=4)
    build_index(settings)
    engine = Engine(settings)  # the serving process, open before any kill
    proc = start_fork_builder(articles, tmp_path / "index")
    assert proc.stdin and proc.stdout

    def start_build() -> int:
        proc.stdin.write("build\n")
        proc.stdin.flush()
        return int(proc.stdout.readline())

    rng = random.Random(20261121)
    outcomes = {"before commit": 0, "after commit": 0}
    try:
        # How long an uninterrupted incremental build of 8 changed articles takes.
        write_synthetic(articles, 8, "ukur")
        t0 = time.perf_counter()
        start_build()
        assert proc.stdout.readline().strip() == "exit 0"
        duration = min(time.perf_counter() - t0, 2.0)  # a busy machine: keep it short
        for i in range(KILLS):
            before_status = index_status(settings).to_json()
            before = served(engine)
            write_synthetic(articles, 8, f"baru{i}")  # 8 of 16 articles change
            pid = start_build()
            time.sleep(rng.uniform(0, duration))
            with contextlib.suppress(ProcessLookupError):  # it may have finished already
                os.kill(pid, signal.SIGKILL)
            assert proc.stdout.readline().startswith("exit")
            after_status = index_status(settings).to_json()
            if after_status == before_status:
                outcomes["before commit"] += 1
                assert served(engine) == before, f"kill {i}: answers changed"
            else:  # killed after the commit: the new generation is complete and live
                outcomes["after commit"] += 1
                assert build_index(settings).chunks_embedded == 0
        assert outcomes["before commit"] >= KILLS // 3, outcomes
        report = build_index(settings)  # the next build completes the job
        assert index_status(settings).articles == 16
        assert build_index(settings).chunks_embedded == 0
        assert report.added + report.updated + report.unchanged == 16
        chunks = engine.searcher.reader().chunks()
        assert any(f"baru{KILLS - 1}" in c.text for c in chunks)
        generations = Backend(settings).segments()
        assert len(generations) <= 2, generations  # killed builds' leftovers were cleaned
    finally:
        proc.stdin.close()
        proc.wait(timeout=30)
    print(f"\n{KILLS} kills (delay 0–{duration:.2f} s): {outcomes}")


def test_killed_builds_leave_a_fresh_process_answering_byte_for_byte(tmp_path: Path) -> None:
    """The test above keeps one engine open (its searcher caches answers per generation);
    here every check opens a fresh engine, which reads the segments from disk again."""
    articles = write_synthetic(tmp_path / "articles", 16, "lama")
    settings = make_settings(tmp_path, articles, embed_batch_size=4)
    build_index(settings)
    proc = start_fork_builder(articles, tmp_path / "index")
    assert proc.stdin and proc.stdout
    rng = random.Random(20261201)
    checked = 0
    try:
        for i in range(8):
            before_status = index_status(settings).to_json()
            before = served(Engine(settings))
            write_synthetic(articles, 8, f"segar{i}")
            proc.stdin.write("build\n")
            proc.stdin.flush()
            pid = int(proc.stdout.readline())
            time.sleep(rng.uniform(0, 0.8))
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            assert proc.stdout.readline().startswith("exit")
            if index_status(settings).to_json() == before_status:
                checked += 1
                assert served(Engine(settings)) == before, f"kill {i}: a fresh process differs"
    finally:
        proc.stdin.close()
        proc.wait(timeout=30)
    assert checked >= 2
    build_index(settings)
    assert index_status(settings).articles == 16


# -- disk full and read-only: real file systems (root only: tmpfs, read-only bind mount) ----
def _mount(*args: str) -> None:
    result = subprocess.run(["mount", *args], capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip(f"cannot mount ({result.stderr.strip()}); needs root with CAP_SYS_ADMIN")


@contextmanager
def mounted(*args: str, target: Path) -> Iterator[None]:
    _mount(*args, str(target))
    try:
        yield
    finally:
        subprocess.run(["umount", "-l", str(target)], check=False)


def fingerprint(settings: Settings, engine: Engine) -> tuple[object, ...]:
    return (index_status(settings).to_json(), served(engine))


@pytest.mark.skipif(os.geteuid() != 0, reason="mounting a tiny tmpfs needs root")
def test_disk_full_is_a_clear_error_and_the_old_index_keeps_serving(tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    index_dir.mkdir()
    with mounted("-t", "tmpfs", "-o", "size=3m", "tmpfs", target=index_dir):
        articles = write_synthetic(tmp_path / "articles", 10, "lama")
        settings = make_settings(tmp_path, articles)
        build_index(settings)
        engine = Engine(settings)
        before = fingerprint(settings, engine)
        write_synthetic(articles, 300, "baru")  # far more than 3 MB of index
        with pytest.raises(NewsbotError, match="disk is full") as caught:
            build_index(settings)
        assert "previous index is still being served" in str(caught.value)
        assert fingerprint(settings, engine) == before
        assert fingerprint(settings, Engine(settings)) == before  # a fresh process too
        assert Backend(settings).segments() == [1]  # the partial generation was dropped
        for extra in articles.glob("a0[1-2]*.txt"):
            extra.unlink()  # back to a corpus that fits
        report = build_index(settings)
        assert index_status(settings).articles == report.added + report.updated + report.unchanged


@pytest.mark.skipif(os.geteuid() != 0, reason="a read-only bind mount needs root")
def test_read_only_index_folder_is_a_clear_error_and_still_serves(tmp_path: Path) -> None:
    articles = write_synthetic(tmp_path / "articles", 10, "lama")
    settings = make_settings(tmp_path, articles)
    build_index(settings)
    index_dir = settings.resolved_index_dir()
    engine = Engine(settings)
    before = fingerprint(settings, engine)
    write_synthetic(articles, 12, "baru")
    _mount("--bind", str(index_dir), str(index_dir))
    try:
        _mount("-o", "remount,ro,bind", str(index_dir))
        with pytest.raises(NewsbotError, match="Cannot write to the index folder") as caught:
            build_index(settings)
        assert "Read-only file system" in str(caught.value)
        assert fingerprint(settings, engine) == before
        assert fingerprint(settings, Engine(settings)) == before  # read-only serving works
    finally:
        subprocess.run(["umount", "-l", str(index_dir)], check=False)
    assert build_index(settings).added == 2  # writable again: the build completes


def test_write_failure_mid_build_drops_the_partial_generation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without root: ENOSPC simulated at the store's write, the same guarantees."""
    import errno

    from index.store import segment_store as store

    articles = write_synthetic(tmp_path / "articles", 10, "lama")
    settings = make_settings(tmp_path, articles)
    build_index(settings)
    engine = Engine(settings)
    before = fingerprint(settings, engine)
    write_synthetic(articles, 14, "baru")

    def full(*_a: object, **_k: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(store, "add_chunks", full)
    with pytest.raises(NewsbotError, match="disk is full"):
        build_index(settings)
    assert fingerprint(settings, engine) == before
    assert Backend(settings).segments() == [1]
    monkeypatch.undo()
    assert build_index(settings).added == 4
