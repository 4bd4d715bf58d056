"""Search latency and memory as the index grows: embedded Chroma vs a `chroma run` server.

    python -m benchmarks.scale                          # 1k, 10k, 100k; server too (~1 h)
    python -m benchmarks.scale --sizes 1000,10000       # the quick version
    python -m benchmarks.scale --sizes 1000000 --server-sizes 1000000 --embedded-sizes none \\
        --timeout 36000                                 # the one-off 1M-chunk run (server)

Synthetic chunks, 8 per article, in four languages (id, en, ru, zh-Hant; ~150 words or ~250
Han characters each, words drawn Zipf-like from a 20k-word vocabulary per script, a few
numbers per article) with random unit vectors of the bundled model's dimension (384),
streamed into the index the way a full build writes a generation (``index.building.bulk``: one
segment, its catalog, language sums and build-time near-duplicates, then the commit).
Queries get random unit vectors too (no model runs: *search* excludes the ~12 ms query
embedding) and two vocabulary words, so the keyword index is used.

Per (backend, size): one child process writes (``write_s``), then a *fresh* child serves:
- ``open_s``: opening the index (the manifest) and the first search (HNSW loaded from disk);
- ``search`` p50/p95 ms over the queries, next to ``chroma`` p50/p95: Chroma's bare HNSW
  top-10 query (documents and metadata included, as a retriever needs them) on the same
  collection, in the same process — the same-run baseline; ``x chroma`` is the ratio;
- ``rss_mib`` after the searches and ``peak_rss_mib`` of the serving process; for the
  server, the server's RSS too.
A phase that does not finish within ``--timeout`` is reported as such, not estimated.
"""

from __future__ import annotations

import argparse
import json
import logging
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.common import ROOT, load_average, load_str, ms_summary, write_result

log = logging.getLogger(__name__)

DIM = 384
PER_ARTICLE = 8
LANGS = ("id", "en", "ru", "zh-Hant")
QUERIES = 50


def _say(**data: Any) -> None:
    print(json.dumps(data), flush=True)


class RandomQueryEmbedder:
    """Query vectors for the scale runs: a unit vector seeded by the text (no model)."""

    def get_query_embedding(self, text: str) -> list[float]:
        rng = np.random.default_rng(zlib.crc32(text.encode("utf-8")))
        v = rng.standard_normal(DIM).astype(np.float32)
        return (v / np.linalg.norm(v)).tolist()


def _vocab(rng: np.random.Generator) -> dict[str, list[str]]:
    sylls = {
        "latin": "ka ri ma to se nu pe la di gan ber kan ter an si mu".split(),  # noqa: SIM905
        "cyr": "ка ро ми ты ве ну пе ла ди ган бер ст ов ий ск на".split(),  # noqa: SIM905
    }
    lens = rng.integers(2, 5, size=20_000).tolist()
    picks = rng.integers(0, 16, size=(20_000, 4)).tolist()
    return {
        s: ["".join(p[j] for j in row[:k]) for row, k in zip(picks, lens, strict=True)]
        for s, p in sylls.items()
    }


def synthetic_articles(n: int, seed: int = 0) -> Iterator[tuple[list[Any], np.ndarray]]:
    """`n` chunks as articles of PER_ARTICLE chunks (the last may be shorter), streamed."""
    from index.types import Chunk

    rng = np.random.default_rng(seed)
    vocab = _vocab(rng)
    han = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
    for first in range(0, n, PER_ARTICLE):
        size = min(PER_ARTICLE, n - first)
        art = first // PER_ARTICLE
        lang = LANGS[art % len(LANGS)]
        zipf = np.minimum(rng.zipf(1.3, size=(size, 160)) - 1, 19_999).tolist()
        rand_han = rng.integers(0, 3000, size=(size, 90)).tolist()
        nums = f" {2000 + art % 25} {art % 97} {(art * 7) % 1000}"
        aid = f"a{art:06d}"
        chunks = []
        for j in range(size):
            if lang == "zh-Hant":
                text = "".join(
                    [han[min(z * 2, 2999)] for z in zipf[j]] + [han[h] for h in rand_han[j]]
                )
            else:
                words = vocab["cyr" if lang == "ru" else "latin"]
                text = " ".join(words[z] for z in zipf[j][:150])
            chunks.append(
                Chunk(f"{aid}#{j}", aid, f"Story {art}", lang, text + nums,
                      f"synthetic/{aid}.txt", None, None, j)
            )  # fmt: skip
        vectors = rng.standard_normal((size, DIM)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        yield chunks, vectors


def synthetic_chunks(n: int, seed: int = 0) -> tuple[list[Any], np.ndarray]:
    """All of `synthetic_articles` at once (small sizes)."""
    chunks: list[Any] = []
    vectors: list[np.ndarray] = []
    for c, v in synthetic_articles(n, seed):
        chunks.extend(c)
        vectors.append(v)
    return chunks, np.concatenate(vectors)


def _settings(size: int, index_dir: Path, port: int | None) -> Any:
    from benchmarks.common import bench_settings

    return bench_settings(
        index_dir=index_dir, embedding="hash", collection_prefix=f"scale{size}",
        chroma_host="127.0.0.1" if port else None, chroma_port=port or 8000,
    )  # fmt: skip


def write_child(size: int, index_dir: Path, port: int | None) -> None:
    from benchmarks.common import peak_rss_mib
    from index.building.bulk import import_articles

    settings = _settings(size, index_dir, port)
    t0 = time.perf_counter()
    import_articles(settings, synthetic_articles(size), LANGS, DIM)
    _say(write_s=round(time.perf_counter() - t0, 2), write_peak_rss_mib=round(peak_rss_mib(), 1))


def serve_child(size: int, index_dir: Path, port: int | None) -> None:
    from benchmarks.common import peak_rss_mib, rss_mib
    from index.retrieval.search import Searcher

    settings = _settings(size, index_dir, port)
    vocab = _vocab(np.random.default_rng(0))["latin"]
    queries = [f"{vocab[i * 37 % 200]} {vocab[i * 11 % 5000]} {i}" for i in range(QUERIES)]
    searcher = Searcher(settings, embedder=RandomQueryEmbedder())
    t0 = time.perf_counter()
    searcher.search("warm up " + queries[0], k=6)
    _say(open_s=round(time.perf_counter() - t0, 3), rss_after_open_mib=round(rss_mib(), 1))
    reader = searcher.reader()
    seg = reader.segments()[0]
    pad = np.zeros(len(seg.entry.languages), np.float32)
    qvecs = [
        np.concatenate([RandomQueryEmbedder().get_query_embedding(q), pad]).tolist()
        for q in queries
    ]
    include = ["documents", "metadatas", "distances"]
    seg.store.collection.query(query_embeddings=[qvecs[-1]], n_results=10, include=include)
    chroma, times = [], []
    for q, v in zip(queries, qvecs, strict=True):  # interleaved: load hits both alike
        t0 = time.perf_counter()
        seg.store.collection.query(query_embeddings=[v], n_results=10, include=include)
        chroma.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        searcher.search(q, k=6)
        times.append((time.perf_counter() - t0) * 1000)
    _say(
        segments=len(reader.manifest.segments), chroma=ms_summary(chroma), search=ms_summary(times),
        rss_mib=round(rss_mib(), 1), peak_rss_mib=round(peak_rss_mib(), 1),
    )  # fmt: skip


def run_child(args: list[str], timeout: float) -> dict[str, Any]:
    """Run a child; merge its JSON lines; a timeout keeps what finished before it."""
    cmd = [sys.executable, "-m", "benchmarks.scale", "--child", *args]
    result: dict[str, Any] = {}
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=timeout)
        out, err = done.stdout, done.stderr
        if done.returncode != 0:
            result["error"] = err.strip().splitlines()[-1] if err.strip() else "failed"
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout.decode() if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        result["timed_out_after_s"] = timeout
    for line in out.splitlines():
        if line.startswith("{"):
            result.update(json.loads(line))
    return result


def run_backend(size: int, folder: Path, port: int | None, timeout: float) -> dict[str, Any]:
    base = [str(size), str(folder), str(port or 0)]
    row = run_child(["write", *base], timeout)
    if "error" not in row and "timed_out_after_s" not in row:
        row.update(run_child(["serve", *base], timeout))
    return {**row, "load": load_average()}


def print_table(rows: list[dict[str, Any]]) -> None:
    print(f"{'chunks':>8} {'backend':<9}{'write s':>9}{'open s':>8}{'search p50/p95':>16}"
          f"{'chroma p50/p95':>16}{'x chroma':>11}{'RSS MiB':>9}{'peak':>7}  load")  # fmt: skip
    for row in rows:
        for backend in ("embedded", "server"):
            if backend not in row:
                continue
            r = row[backend]
            s, c = r.get("search", {}), r.get("chroma", {})
            pair = lambda d: f"{d['p50']}/{d['p95']}" if d.get("n") else "–"  # noqa: E731
            ratio = (
                f"{s['p50'] / c['p50']:.2f}/{s['p95'] / c['p95']:.2f}"
                if s.get("n") and c.get("n")
                else "–"
            )
            note = (
                f"  TIMED OUT after {r['timed_out_after_s']:.0f} s"
                if "timed_out_after_s" in r
                else ""
            )
            note += f"  ERROR {r['error']}" if "error" in r else ""
            srv = f" (+server {r['server_rss_mib']})" if "server_rss_mib" in r else ""
            print(f"{row['chunks']:>8} {backend:<9}{r.get('write_s', '–'):>9}"
                  f"{r.get('open_s', '–'):>8}"
                  f"{pair(s):>16}{pair(c):>16}{ratio:>11}{r.get('rss_mib', '–'):>9}"
                  f"{r.get('peak_rss_mib', '–'):>7}{srv}  {r['load']['1m']}{note}")  # fmt: skip


def _sizes(text: str | None, default: list[int]) -> list[int]:
    if text is None:
        return default
    return [] if text == "none" else [int(s) for s in text.split(",")]


def main(argv: list[str] | None = None) -> list[dict[str, Any]]:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--embedded-sizes", default=None, help="default: --sizes; 'none'")
    parser.add_argument("--server-sizes", default=None, help="default: --sizes; 'none'")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds per child run")
    parser.add_argument("--child", nargs=4, metavar=("WHAT", "SIZE", "DIR", "PORT"))
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    if args.child:
        what, size, folder, port = args.child
        (write_child if what == "write" else serve_child)(
            int(size), Path(folder), int(port) or None
        )
        return []
    from benchmarks.common import rss_mib
    from tests.index.test_chroma_server import CHROMA, free_port, wait_for_port

    sizes = _sizes(args.sizes, [])
    embedded = _sizes(args.embedded_sizes, sizes)
    on_server = _sizes(args.server_sizes, sizes)
    rows: list[dict[str, Any]] = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="newsbot-scale-") as tmp:
        port = free_port()
        server = subprocess.Popen(
            [CHROMA, "run", "--path", f"{tmp}/server", "--host", "127.0.0.1", "--port", str(port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            wait_for_port(port)
            for size in sorted(set(embedded) | set(on_server)):
                row: dict[str, Any] = {"chunks": size, "articles": -(-size // PER_ARTICLE)}
                if size in embedded:
                    row["embedded"] = run_backend(
                        size, Path(tmp, f"emb-{size}"), None, args.timeout
                    )
                if size in on_server:
                    row["server"] = run_backend(size, Path(tmp, f"srv-{size}"), port, args.timeout)
                    row["server"]["server_rss_mib"] = round(rss_mib(server.pid), 1)
                rows.append(row)
                print(f"... {size} chunks done ({time.perf_counter() - started:.0f} s)", flush=True)
        finally:
            server.terminate()
            server.wait(timeout=60)
    print_table(rows)
    print(f"total {time.perf_counter() - started:.0f} s; {load_str()}")
    path = write_result(
        "scale",
        {"command": "python -m benchmarks.scale " + " ".join(argv or sys.argv[1:]),
         "seconds": round(time.perf_counter() - started, 1), "load_average": load_average(),
         "rows": rows},
    )  # fmt: skip
    print(f"results: {path}")
    return rows


if __name__ == "__main__":
    main()
