"""benchmarks.scale: synthetic chunks, and one tiny embedded-vs-server run."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from benchmarks.scale import DIM, LANGS, PER_ARTICLE, main, synthetic_chunks


def test_synthetic_chunks_look_like_an_index() -> None:
    chunks, vectors = synthetic_chunks(64)
    assert len(chunks) == 64 and vectors.shape == (64, DIM)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert {c.language for c in chunks} == set(LANGS)
    assert len({c.article_id for c in chunks}) == 64 // PER_ARTICLE
    assert len({c.chunk_id for c in chunks}) == 64
    han = next(c for c in chunks if c.language == "zh-Hant")
    assert sum("\u4e00" <= ch <= "\u9fff" for ch in han.text) >= 200


@pytest.mark.slow
def test_scale_benchmark_compares_embedded_and_server(results_dir: Path) -> None:
    main(["--sizes", "160", "--timeout", "120"])
    row = json.loads((results_dir / "scale.json").read_text(encoding="utf-8"))["rows"][0]
    for backend in ("embedded", "server"):
        r = row[backend]
        assert "error" not in r and "timed_out_after_s" not in r, r
        assert r["search"]["n"] == r["chroma"]["n"] == 50
        assert r["write_s"] > 0 and r["open_s"] > 0 and r["rss_mib"] > 0
    assert row["server"]["server_rss_mib"] > 0
