"""A news archive through the command line, measured from the outside (issue 10 "Done when").

    python -m benchmarks.archive                       # 15,000 and 1,500 articles (~40 min)
    python -m benchmarks.archive --articles 3000,300   # quicker

Synthetic articles (``benchmarks.scale`` vocabulary: id, en, ru, zh-Hant; ~1,500 tokens,
about 8 chunks each, a title, a date, a few numbers) written as JSONL exports of 1,000
articles, indexed with ``NEWSBOT_EMBEDDING=hash`` (no model time). Every step is a fresh
``newsbot`` process (peak RSS read by a small launcher, benchmarks.common.peak_of):

- ``full build``: ``newsbot index build --json``; its cost per article;
- ``cold search``: one ``newsbot search QUERY --json`` (3 runs: median wall, max peak RSS);
- ``batch``: ``newsbot search --jsonl`` with 201 questions minus the same with 1 question,
  per question;
- ``add 10``: a new export with 10 articles, then ``newsbot index build --json``;
- baseline in the same run: ``python -c pass`` and a bare Chroma HNSW query of the built
  index in a fresh process (python + chromadb import + open + one query).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.common import ROOT, child_env, load_average, load_str, peak_of, write_result
from benchmarks.scale import LANGS, _vocab

PER_FILE = 1000
QUESTIONS = 200
BARE_QUERY = r"""
import sys, numpy as np, chromadb
from chromadb.config import Settings
from pathlib import Path
from index.store.manifest import load_manifest
m = load_manifest(Path(sys.argv[1]))
seg = max(m.segments, key=lambda s: s.rows)
c = chromadb.PersistentClient(path=str(Path(sys.argv[1]) / "chroma" / f"seg-{seg.id:06d}"),
                              settings=Settings(anonymized_telemetry=False))
col = c.get_collection(f"newsbot_s{seg.id}")
q = np.random.default_rng(0).standard_normal(m.dim + len(seg.languages))
print(len(col.query(query_embeddings=[q.tolist()], n_results=10)["ids"][0]))
"""


def article(i: int, rng: np.random.Generator, vocab: dict[str, list[str]]) -> dict[str, Any]:
    lang = LANGS[i % len(LANGS)]
    paragraphs = []
    for _ in range(8):
        if lang == "zh-Hant":
            idx = np.minimum(rng.zipf(1.3, size=130) - 1, 2999)
            paragraphs.append("".join(chr(0x4E00 + int(j) * 2 % 3000) for j in idx) + "。")
        else:
            words = vocab["cyr" if lang == "ru" else "latin"]
            idx = np.minimum(rng.zipf(1.3, size=55) - 1, 19_999)
            text = " ".join(words[int(j)] for j in idx)
            paragraphs.append(". ".join(text[k : k + 90] for k in range(0, len(text), 90)) + ".")
    nums = f"{2000 + i % 25} {i % 97} {(i * 7) % 1000}"
    return {
        "id": f"story-{i:06d}",
        "title": f"Story {i} {nums}",
        "lang": lang,
        "published": f"20{10 + i % 15}-0{1 + i % 9}-1{i % 10}",
        "text": "\n\n".join(paragraphs) + f"\n\n{nums}",
    }


def write_exports(folder: Path, first: int, count: int, name: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(first)
    vocab = _vocab(np.random.default_rng(0))
    for start in range(first, first + count, PER_FILE):
        end = min(start + PER_FILE, first + count)
        path = folder / f"{name}-{start:06d}.jsonl"
        with path.open("w", encoding="utf-8") as out:
            for i in range(start, end):
                out.write(json.dumps(article(i, rng, vocab), ensure_ascii=False) + "\n")


def newsbot(*args: str) -> list[str]:
    return [sys.executable, "-m", "bot.cli.app", *args]


def run(n: int, tmp: Path) -> dict[str, Any]:
    exports, index = tmp / f"exports-{n}", tmp / f"index-{n}"
    env = {**child_env("hash"), "NEWSBOT_ARTICLES": str(exports), "NEWSBOT_INDEX_DIR": str(index)}
    write_exports(exports, 0, n, "export")
    row: dict[str, Any] = {"articles": n, "load_before": load_average()}
    wall, peak, out = peak_of(newsbot("index", "build", "--json"), "", env)
    report = json.loads(out)
    chunks = sum(v["chunks"] for v in report["languages"].values())
    row["full_build"] = {"s": round(wall, 1), "ms_per_article": round(wall * 1000 / n, 2),
                         "chunks": chunks, "peak_rss_mib": round(peak, 1)}  # fmt: skip
    vocab = _vocab(np.random.default_rng(0))["latin"]
    cold = [peak_of(newsbot("search", f"{vocab[7]} {vocab[70 + i]} 2011", "--json"), "", env)
            for i in range(3)]  # fmt: skip
    row["cold_search"] = {"s": round(statistics.median(c[0] for c in cold), 2),
                          "peak_rss_mib": round(max(c[1] for c in cold), 1)}  # fmt: skip
    questions = [
        json.dumps({"id": i, "question": f"{vocab[i % 300]} {vocab[(i * 13) % 4000]} {i}"})
        for i in range(QUESTIONS + 1)
    ]
    one, _, _ = peak_of(newsbot("search", "--jsonl"), questions[0] + "\n", env)
    many, peak, _ = peak_of(newsbot("search", "--jsonl"), "\n".join(questions) + "\n", env)
    row["batch"] = {"ms_per_question": round((many - one) * 1000 / QUESTIONS, 1),
                    "s_201": round(many, 1), "s_1": round(one, 1),
                    "peak_rss_mib": round(peak, 1)}  # fmt: skip
    write_exports(exports, n, 10, "added")
    wall, _, out = peak_of(newsbot("index", "build", "--json"), "", env)
    assert json.loads(out)["added"] == 10, out
    row["add_10"] = {"s": round(wall, 2)}
    base = [peak_of([sys.executable, "-c", "pass"], "", env)[0] for _ in range(3)]
    bare = [peak_of([sys.executable, "-c", BARE_QUERY, str(index)], "", env) for _ in range(3)]
    row["baseline"] = {"python_s": round(statistics.median(base), 2),
                       "bare_chroma_query_s": round(statistics.median(b[0] for b in bare), 2),
                       "bare_chroma_peak_rss_mib": round(max(b[1] for b in bare), 1)}  # fmt: skip
    row["load_after"] = load_average()
    print(json.dumps(row), flush=True)
    return row


def main(argv: list[str] | None = None) -> list[dict[str, Any]]:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", default="15000,1500")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="newsbot-archive-") as tmp:
        rows = [run(int(n), Path(tmp)) for n in args.articles.split(",")]
    print(f"{'articles':>9}{'chunks':>8}{'build ms/art':>13}{'cold search s':>14}{'RSS MiB':>9}"
          f"{'batch ms/q':>11}{'add 10 s':>9}{'bare chroma s':>14}")  # fmt: skip
    for r in rows:
        print(f"{r['articles']:>9}{r['full_build']['chunks']:>8}"
              f"{r['full_build']['ms_per_article']:>13}{r['cold_search']['s']:>14}"
              f"{r['cold_search']['peak_rss_mib']:>9}{r['batch']['ms_per_question']:>11}"
              f"{r['add_10']['s']:>9}{r['baseline']['bare_chroma_query_s']:>14}")  # fmt: skip
    if len(rows) == 2:
        ratio = rows[0]["cold_search"]["s"] / rows[1]["cold_search"]["s"]
        print(f"cold search {rows[0]['articles']} vs {rows[1]['articles']} articles: {ratio:.2f}x")
    print(f"total {time.perf_counter() - started:.0f} s; {load_str()}")
    command = "python -m benchmarks.archive " + " ".join(argv or sys.argv[1:])
    path = write_result("archive", {"command": command, "rows": rows})
    print(f"results: {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return rows


if __name__ == "__main__":
    main()
