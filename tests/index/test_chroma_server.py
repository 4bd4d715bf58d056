"""The same build and query against a real `chroma run` server on a loopback port."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.settings import Settings
from index.building.builder import build_index, index_status
from index.embedding import get_embedder
from index.errors import ConfigError
from index.retrieval.reader import IndexReader

SAMPLES = Path(__file__).resolve().parents[2] / "articles"
CHROMA = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_port(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise TimeoutError(f"chroma did not listen on {port}")


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[int]:
    if not Path(CHROMA).exists():
        pytest.skip("the chroma CLI is not installed")
    port = free_port()
    proc = subprocess.Popen(
        [
            CHROMA,
            "run",
            "--path",
            str(tmp_path / "server"),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port)
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.mark.slow
def test_build_and_query_against_a_chroma_server(tmp_path: Path, chroma_server: int) -> None:
    settings = Settings(
        articles=SAMPLES,
        index_dir=tmp_path / "index",
        embedding="hash",
        chroma_host="127.0.0.1",
        chroma_port=chroma_server,
    )
    first = build_index(settings)
    assert first.added == 5 and first.chunks_embedded > 0
    assert build_index(settings).chunks_embedded == 0
    reader = IndexReader.open(settings)
    hits = reader.query(get_embedder(settings).get_query_embedding("Babuschkin xAI"), 5)
    assert len(hits) == 5 and all(0.0 <= h.score <= 1.0 + 1e-6 for h in hits)
    assert reader.count() == index_status(settings).chunks
    assert not (tmp_path / "index" / "chroma").exists()  # nothing embedded on disk


def test_unreachable_chroma_server_is_an_actionable_error(tmp_path: Path) -> None:
    settings = Settings(
        articles=SAMPLES,
        index_dir=tmp_path / "index",
        embedding="hash",
        chroma_host="127.0.0.1",
        chroma_port=free_port(),
    )
    with pytest.raises(ConfigError, match="chroma run"):
        build_index(settings)


@pytest.mark.slow
def test_server_gone_repeated_questions_come_from_the_cache_new_ones_are_a_clear_error(
    tmp_path: Path,
) -> None:
    from index.retrieval.search import Searcher

    if not Path(CHROMA).exists():
        pytest.skip("the chroma CLI is not installed")
    port = free_port()
    proc = subprocess.Popen(
        [CHROMA, "run", "--path", str(tmp_path / "server"), "--host", "127.0.0.1",
         "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_for_port(port)
        settings = Settings(
            articles=SAMPLES, index_dir=tmp_path / "index", embedding="hash",
            chroma_host="127.0.0.1", chroma_port=port,
        )  # fmt: skip
        build_index(settings)
        searcher = Searcher(settings)
        before = searcher.search("Babuschkin xAI", k=4)
        assert len(before) == 4
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    assert searcher.search("Babuschkin xAI", k=4) == before
    with pytest.raises(ConfigError, match="unreachable"):
        searcher.search("Memphis supercomputer", k=4)
