"""Search latency and memory as the index grows: embedded Chroma vs a `chroma run` server.

    python -m benchmarks.scale                     # 1k, 10k, 100k (server: 1k, 10k); ~12 min (est.)
    python -m benchmarks.scale --sizes 1000,10000  # the quick version (~2 min)
    python -m benchmarks.scale --server-sizes 1000,10000,100000  # 100k on the server too (~25 min)

Synthetic chunks, 8 per article, in four languages (id, en, ru, zh-Hant; ~150 words or ~250
Han characters each, words drawn Zipf-like from a 20k-word vocabulary per script, a few
numbers per article) with random unit vectors of the bundled model's dimension (384). They
are written as a build would write them — ``index.store.Backend.create``, ``add_chunks`` in
batches of 1,000, then the manifest committed — with ``embedding=hash`` settings; queries
get random unit vectors too, so no model runs and the figures are the index's own cost.

Each (backend, size) runs in a fresh child process, with ``--timeout`` seconds:
- ``write_s``: writing the chunks (add_chunks) + commit;
- ``fetch_s``: what the backend costs to load a generation (reader.chunks + embeddings);
- ``load_s``: the first ``Searcher.search`` (fetch + the in-memory dense/keyword/duplicate
  indexes newsbot builds per generation), split into ``keyword_s`` and ``dedup_s``;
- ``search`` p50/p95 ms over the queries, next to ``chroma`` p50/p95: the plain Chroma HNSW
  top-10 query on the same collection (the same-run baseline; ``x chroma`` is the ratio);
- ``rss_mib`` after loading, ``peak_rss_mib``; for the server also ``server_rss_mib``.
At the largest size the full Searcher runs on the embedded store only (its in-memory part does
not depend on the backend); the server's fetch, query and memory are measured at every size.
A phase that does not finish within the timeout is reported as such, not estimated.
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


def synthetic_chunks(n: int, seed: int = 0) -> tuple[list[Any], np.ndarray]:
    from index.types import Chunk

    rng = np.random.default_rng(seed)
    sylls = {
        "latin": "ka ri ma to se nu pe la di gan ber kan ter an si mu".split(),  # noqa: SIM905
        "cyr": "ка ро ми ты ве ну пе ла ди ган бер ст ов ий ск на".split(),  # noqa: SIM905
    }
    lens = rng.integers(2, 5, size=20_000).tolist()
    picks = rng.integers(0, 16, size=(20_000, 4)).tolist()
    vocab = {
        s: ["".join(p[j] for j in row[:k]) for row, k in zip(picks, lens, strict=True)]
        for s, p in sylls.items()
    }
    han = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
    zipf = np.minimum(rng.zipf(1.3, size=(n, 160)) - 1, 19_999).tolist()
    rand_han = rng.integers(0, 3000, size=(n, 90)).tolist()
    chunks = []
    for i in range(n):
        art, lang = i // PER_ARTICLE, LANGS[(i // PER_ARTICLE) % len(LANGS)]
        nums = f" {2000 + art % 25} {art % 97} {(art * 7) % 1000}"
        if lang == "zh-Hant":
            text = "".join([han[min(j * 2, 2999)] for j in zipf[i]] + [han[j] for j in rand_han[i]])
        else:
            words = vocab["cyr" if lang == "ru" else "latin"]
            text = " ".join([words[j] for j in zipf[i][:150]])
        aid = f"a{art:06d}"
        chunks.append(
            Chunk(f"{aid}#{i % PER_ARTICLE}", aid, f"Story {art}", lang, text + nums,
                  f"synthetic/{aid}.txt", None, None, i % PER_ARTICLE)
        )  # fmt: skip
    vectors = rng.standard_normal((n, DIM)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return chunks, vectors


def write_index(settings: Any, chunks: list[Any], vectors: np.ndarray) -> None:
    """Write a generation the way index.build does: collection, chunks, then the manifest."""
    from datetime import UTC, datetime

    from index.embedding import embedder_id
    from index.manifest import ArticleEntry, Manifest, save_manifest
    from index.store import Backend, add_chunks

    backend = Backend(settings)
    collection = backend.create(1)
    for start in range(0, len(chunks), 1000):
        add_chunks(collection, chunks[start : start + 1000], vectors[start : start + 1000])
    articles: dict[str, ArticleEntry] = {}
    for c in chunks:
        entry = articles.setdefault(
            c.article_id, ArticleEntry(c.title, c.language, c.source, None, None, c.article_id)
        )
        entry.chunk_ids.append(c.chunk_id)
    manifest = Manifest(
        generation=1, collection=backend.collection_name(1), embedding_model=embedder_id(settings),
        dim=DIM, built_at=datetime.now(UTC).isoformat(timespec="seconds"),
        articles_root="synthetic", articles=articles,
    )  # fmt: skip
    backend.close(1)
    save_manifest(settings.resolved_index_dir(), manifest)


def _timed(fn: Any, sink: dict[str, float], key: str) -> Any:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            sink[key] = sink.get(key, 0.0) + time.perf_counter() - t0

    return wrapper


def child(size: int, index_dir: Path, port: int | None, searcher: bool) -> None:
    """One (backend, size) run; prints one JSON object per finished phase."""
    import index.search
    from benchmarks.common import bench_settings, peak_rss_mib, rss_mib
    from index.store import IndexReader

    settings = bench_settings(
        index_dir=index_dir, embedding="hash", collection_prefix=f"scale{size}",
        chroma_host="127.0.0.1" if port else None, chroma_port=port or 8000,
    )  # fmt: skip
    chunks, vectors = synthetic_chunks(size)
    t0 = time.perf_counter()
    write_index(settings, chunks, vectors)
    _say(write_s=round(time.perf_counter() - t0, 2))
    del chunks, vectors
    queries = [f"query {i} {i * 31 % 1000} ka ri" for i in range(QUERIES)]
    qvecs = [RandomQueryEmbedder().get_query_embedding(q) for q in queries]

    t0 = time.perf_counter()
    reader = IndexReader.open(settings)
    reader.embeddings([c.chunk_id for c in reader.chunks()])
    _say(fetch_s=round(time.perf_counter() - t0, 2), rss_after_fetch_mib=round(rss_mib(), 1))
    reader.query(qvecs[0], 10)  # warm
    chroma = []
    for v in qvecs:
        t0 = time.perf_counter()
        reader.query(v, 10)
        chroma.append((time.perf_counter() - t0) * 1000)
    _say(chroma=ms_summary(chroma))
    if not searcher:
        _say(rss_mib=round(rss_mib(), 1), peak_rss_mib=round(peak_rss_mib(), 1))
        return
    parts: dict[str, float] = {}
    index.search.KeywordIndex = _timed(index.search.KeywordIndex, parts, "keyword_s")
    index.search.near_duplicates = _timed(index.search.near_duplicates, parts, "dedup_s")
    s = index.search.Searcher(settings, embedder=RandomQueryEmbedder())
    t0 = time.perf_counter()
    s.search(queries[0], k=6)
    _say(load_s=round(time.perf_counter() - t0, 2), **{k: round(v, 2) for k, v in parts.items()})
    times = []
    for q in queries:
        t0 = time.perf_counter()
        s.search(q, k=6)
        times.append((time.perf_counter() - t0) * 1000)
    _say(
        search=ms_summary(times), rss_mib=round(rss_mib(), 1), peak_rss_mib=round(peak_rss_mib(), 1)
    )


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


def run_size(size: int, server_port: int | None, server_pid: int, timeout: float,
             full_on_server: bool, tmp: Path) -> dict[str, Any]:  # fmt: skip
    from benchmarks.common import rss_mib

    row: dict[str, Any] = {"chunks": size, "articles": size // PER_ARTICLE}
    base = [str(size), str(tmp / f"embedded-{size}")]
    row["embedded"] = {**run_child([*base, "0", "1"], timeout), "load": load_average()}
    if server_port is None:
        return row
    flag = "1" if full_on_server else "0"
    srv = [str(size), str(tmp / f"server-{size}"), str(server_port), flag]
    row["server"] = {**run_child(srv, timeout), "load": load_average()}
    row["server"]["server_rss_mib"] = round(rss_mib(server_pid), 1)
    return row


def print_table(rows: list[dict[str, Any]]) -> None:
    print(f"{'chunks':>7} {'backend':<9}{'write s':>8}{'fetch s':>8}{'load s':>8}{'kw s':>6}"
          f"{'dedup s':>8}{'search p50/p95':>16}{'chroma p50/p95':>16}{'x chroma':>9}"
          f"{'RSS MiB':>8}  load")  # fmt: skip
    for row in rows:
        for backend in ("embedded", "server"):
            if backend not in row:
                continue
            r = row[backend]
            s, c = r.get("search", {}), r.get("chroma", {})
            pair = lambda d: f"{d['p50']}/{d['p95']}" if d.get("n") else "–"  # noqa: E731
            ratio = f"{s['p50'] / c['p50']:.2f}" if s.get("n") and c.get("n") else "–"
            note = (
                f"  TIMED OUT after {r['timed_out_after_s']:.0f} s"
                if "timed_out_after_s" in r
                else ""
            )
            note += f"  ERROR {r['error']}" if "error" in r else ""
            rss = r.get("rss_mib", r.get("rss_after_fetch_mib", "–"))
            srv = f" (+server {r['server_rss_mib']})" if "server_rss_mib" in r else ""
            g = {k: r.get(k, "–") for k in ("write_s", "fetch_s", "load_s", "keyword_s", "dedup_s")}
            print(f"{row['chunks']:>7} {backend:<9}{g['write_s']:>8}{g['fetch_s']:>8}"
                  f"{g['load_s']:>8}{g['keyword_s']:>6}{g['dedup_s']:>8}"
                  f"{pair(s):>16}{pair(c):>16}{ratio:>9}{rss:>8}{srv}  "
                  f"{r['load']['1m']}{note}")  # fmt: skip


def main(argv: list[str] | None = None) -> list[dict[str, Any]]:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument(
        "--server-sizes",
        default=None,
        help="sizes also run against the chroma server (default: those <= 10000; "
        "100k over HTTP takes ~12 min more to write)",
    )
    parser.add_argument("--timeout", type=float, default=420, help="seconds per child run")
    parser.add_argument("--child", nargs=4, metavar=("SIZE", "DIR", "PORT", "SEARCHER"))
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    if args.child:
        size, folder, port, full = args.child
        child(int(size), Path(folder), int(port) or None, full == "1")
        return []
    from tests.index.test_chroma_server import CHROMA, free_port, wait_for_port

    sizes = [int(s) for s in args.sizes.split(",")]
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
            on_server = (
                {int(s) for s in args.server_sizes.split(",")}
                if args.server_sizes
                else {s for s in sizes if s <= 10_000}
            )
            for size in sizes:
                full_on_server = size < max(sizes) or len(sizes) == 1
                srv_port = port if size in on_server else None
                rows.append(
                    run_size(size, srv_port, server.pid, args.timeout, full_on_server, Path(tmp))
                )
                print(f"... {size} chunks done ({time.perf_counter() - started:.0f} s)", flush=True)
        finally:
            server.terminate()
            server.wait(timeout=30)
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
