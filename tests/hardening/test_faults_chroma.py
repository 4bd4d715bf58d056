"""A `chroma run` server stopped mid-session: questions keep being answered from memory, a
rebuild or a fresh start is a clear ConfigError, and all recovers when the server returns."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from bot.answering.engine import Engine
from index.building.builder import build_index, index_status
from index.errors import ConfigError
from tests.hardening.corpus import make_settings, write_synthetic
from tests.index.test_chroma_server import CHROMA, free_port, wait_for_port

pytestmark = pytest.mark.slow
QUESTION = "Berita lama nomor 3 kalimat 1 tentang pasar saham dan kebijakan."


def start(path: Path, port: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        [CHROMA, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_for_port(port)
    return proc


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    proc.wait(timeout=20)


def test_chroma_server_stopped_mid_session(tmp_path: Path) -> None:
    if not Path(CHROMA).exists():
        pytest.skip("the chroma CLI is not installed")
    port = free_port()
    articles = write_synthetic(tmp_path / "articles", 8, "lama")
    settings = make_settings(tmp_path, articles, chroma_host="127.0.0.1", chroma_port=port)
    proc = start(tmp_path / "server", port)
    try:
        build_index(settings)
        engine = Engine(settings)
        before = engine.ask(QUESTION)
        assert not before.refused
        stop(proc)

        # the serving engine holds its generation in memory: answers go on
        during = engine.ask(QUESTION)
        assert (during.text, during.citations) == (before.text, before.citations)
        # a rebuild, or a bot starting now, gets an actionable error
        write_synthetic(articles, 10, "baru")
        with pytest.raises(ConfigError, match="unreachable.*chroma run"):
            build_index(settings)
        with pytest.raises(ConfigError, match="unreachable"):
            Engine(settings).ask(QUESTION)
        assert index_status(settings).articles == 8  # nothing committed

        proc = start(tmp_path / "server", port)  # the server comes back with its data
        fresh = Engine(settings).ask(QUESTION)
        assert (fresh.text, fresh.citations) == (before.text, before.citations)
        report = build_index(settings)
        assert report.added == 2 and index_status(settings).articles == 10
        assert engine.ask(QUESTION).text  # the old engine picks up the new generation
    finally:
        if proc.poll() is None:
            stop(proc)
