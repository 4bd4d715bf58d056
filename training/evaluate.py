"""Held-out figures for an exported answer head beside the raw bi-encoder cosine, same run.

    python -m training.evaluate [--weights PATH] [--out FILE]

xquad-xling (evaluation only, never trained on): for every question in each of its 14
languages, the gold passage (corpus_single, ru / zh-Hans / zh-Hant / id) is split into
sentences by the product's splitter; answering sentences are those containing a gold answer
in the passage's language (questions whose answer is in no sentence, or in all, are left
out). Figures per question language, and same- vs cross-language:

- P@1: the top-scored sentence of the gold passage answers;
- near-miss AUC (pooled over questions): answering vs the other sentences of the passage;
- passage AUC (pooled): gold passage vs 20 passages of other articles. The model scores a
  passage by its best sentence; the baseline is the product's retrieval cosine (the whole
  passage's vector).

All 247 dev questions are used (they are all from XQuAD's even groups; the odd groups are
not in xquad-xling). The same questions chose between the head variants in README.md.
Own held-out split (10 % of articles of each training source, same language): P@1,
near-miss AUC, and answering vs random sentences of other held-out articles.
Calibration: the model's probability, binned, against the share that answers.
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from training.embed import load_vectors, passage_sentences, xquad_passages, xquad_questions
from training.head import AnswerModel
from training.train import Groups

Scorer = Callable[[np.ndarray, np.ndarray], np.ndarray]
RESULTS = Path(__file__).resolve().parent / "results"
BINS = (0.0, 0.1, 0.3, 0.5, 0.7, 0.9, 1.0)
PASSAGE_NEGATIVES = 20


def cosine(q: np.ndarray, s: np.ndarray) -> np.ndarray:
    q = q / np.linalg.norm(q)
    return np.asarray(s @ q / np.linalg.norm(s, axis=1), np.float32)


def auc(pos: list[float], neg: list[float]) -> float:
    """Probability that a positive outscores a negative (ties count half)."""
    if not pos or not neg:
        return float("nan")
    scores = np.concatenate([pos, neg])
    order = scores.argsort(kind="mergesort")
    ranks = np.empty(len(scores))
    sorted_scores = scores[order]
    # average ranks for ties
    _, first, counts = np.unique(sorted_scores, return_index=True, return_counts=True)
    avg = first + (counts - 1) / 2.0
    ranks[order] = np.repeat(avg, counts)
    r = ranks[: len(pos)].sum() - len(pos) * (len(pos) - 1) / 2.0
    return float(r / (len(pos) * len(neg)))


class Tally:
    def __init__(self) -> None:
        self.hits: list[int] = []
        self.pos: list[float] = []
        self.neg: list[float] = []
        self.ppos: list[float] = []
        self.pneg: list[float] = []

    def row(self) -> dict[str, float]:
        return {
            "n": len(self.hits),
            "p1": float(np.mean(self.hits)) if self.hits else float("nan"),
            "near_auc": auc(self.pos, self.neg),
            "passage_auc": auc(self.ppos, self.pneg),
        }


def gold_labels(
    question: dict[str, Any],
    passages: dict[str, dict[str, Any]],
    sentences: dict[str, list[str]],
) -> tuple[dict[str, Any], list[str], list[int]] | None:
    """The question's gold passage, its sentences, and which of them hold a gold answer in
    the passage's language; None when none or all do (nothing to tell apart)."""
    gold = passages[str(question["single_pool_gold"])]
    answers = question["answers"].get(str(gold["lang"])) or []
    sents = sentences[str(gold["id"])]
    labels = [int(any(a and a in s for a in answers)) for s in sents]
    if not 0 < sum(labels) < len(labels):
        return None
    return gold, sents, labels


def xquad(
    scorers: dict[str, Scorer], vectors: dict[tuple[bool, str], np.ndarray]
) -> dict[str, Any]:
    passages = {str(p["id"]): p for p in xquad_passages()}
    sentences = {pid: passage_sentences(p) for pid, p in passages.items()}
    tallies: dict[tuple[str, str], Tally] = {}
    calib: dict[str, list[tuple[float, int]]] = {"same": [], "cross": []}
    rng = random.Random(17)
    for question in xquad_questions():
        found = gold_labels(question, passages, sentences)
        if found is None:
            continue
        gold, sents, labels = found
        lang = str(gold["lang"])
        others = [p for p in passages.values() if p["group"] != gold["group"]]
        others = rng.sample(others, PASSAGE_NEGATIVES)
        s_mat = np.stack([vectors[(False, s)] for s in sents])
        for qlang, text in question["questions"].items():
            q = vectors[(True, str(text))]
            kind = "same" if qlang == lang else "cross"
            for name, scorer in scorers.items():
                scores = scorer(q, s_mat)
                for key in ((name, qlang), (name, kind)):
                    t = tallies.setdefault(key, Tally())
                    t.hits.append(labels[int(scores.argmax())])
                    t.pos.extend(float(x) for x, y in zip(scores, labels, strict=True) if y)
                    t.neg.extend(float(x) for x, y in zip(scores, labels, strict=True) if not y)
                    for p, is_gold in [(gold, True)] + [(o, False) for o in others]:
                        score = _passage_score(name, scorer, q, p, sentences, vectors)
                        (t.ppos if is_gold else t.pneg).append(score)
                if name == "model":
                    calib[kind].extend(zip(map(float, scores), labels, strict=True))
    table: dict[str, dict[str, dict[str, float]]] = {}
    for (name, key), t in tallies.items():
        table.setdefault(key, {})[name] = t.row()
    return {"table": table, "calibration": {k: _bins(v) for k, v in calib.items()}}


def _passage_score(
    name: str,
    scorer: Scorer,
    q: np.ndarray,
    passage: dict[str, Any],
    sentences: dict[str, list[str]],
    vectors: dict[tuple[bool, str], np.ndarray],
) -> float:
    if name == "cosine":  # the product's retrieval: the whole passage's vector
        # ("cosine-max": the same cosine, a passage scored by its best sentence)
        return float(cosine(q, vectors[(False, str(passage["text"]))][None])[0])
    s_mat = np.stack([vectors[(False, s)] for s in sentences[str(passage["id"])]])
    return float(scorer(q, s_mat).max())


def _bins(pairs: list[tuple[float, int]]) -> list[dict[str, float]]:
    out = []
    for lo, hi in zip(BINS, BINS[1:], strict=False):
        inside = [y for p, y in pairs if lo <= p < hi or (hi == 1.0 and p == 1.0)]
        out.append(
            {
                "from": lo,
                "to": hi,
                "n": len(inside),
                "answers": float(np.mean(inside)) if inside else float("nan"),
            }
        )
    return out


def own_held_out(
    scorers: dict[str, Scorer], vectors: dict[tuple[bool, str], np.ndarray]
) -> dict[str, Any]:
    held = Groups("heldout", vectors)
    rng = random.Random(17)
    table: dict[str, dict[str, dict[str, float]]] = {}
    calib: list[tuple[float, int]] = []
    for name, scorer in scorers.items():
        tallies: dict[str, Tally] = {}
        for item in held.items:
            t = tallies.setdefault(item["language"], Tally())
            q = held.matrix[item["q"]]
            scores = scorer(q, held.matrix[item["sentences"]])
            labels = [int(i == item["answer"]) for i in range(len(scores))]
            t.hits.append(labels[int(scores.argmax())])
            t.pos.append(float(scores[item["answer"]]))
            t.neg.extend(float(x) for x, y in zip(scores, labels, strict=True) if not y)
            pool = held.pool[item["source"]]
            rand = [
                int(r)
                for r in pool[[rng.randrange(len(pool)) for _ in range(4)]]
                if int(r) not in item["sentences"]
            ]
            t.ppos.append(float(scores[item["answer"]]))
            if rand:
                t.pneg.extend(float(x) for x in scorer(q, held.matrix[rand]))
            if name == "model":
                calib.extend(zip(map(float, scores), labels, strict=True))
        for lang, t in tallies.items():
            row = t.row()
            row["other_article_auc"] = row.pop("passage_auc")
            table.setdefault(lang, {})[name] = row
    return {"table": table, "calibration": _bins(calib)}


def markdown(result: dict[str, Any], columns: list[tuple[str, str]]) -> str:
    """A table with one row per language; columns are (metric, scorer) pairs."""
    head = "| | n | " + " | ".join(f"{m} {name}" for m, name in columns) + " |"
    lines = [head, "|" + " --- |" * (2 + len(columns))]
    for key in sorted(result, key=lambda k: (k in ("same", "cross"), k)):
        row = result[key]
        cells = [
            f"**{row[name][m]:.3f}**" if name == "model" else f"{row[name][m]:.3f}"
            for m, name in columns
        ]
        lines.append(f"| {key} | {row['model']['n']} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def pairs(*metrics: str) -> list[tuple[str, str]]:
    return [(m, name) for m in metrics for name in ("cosine", "model")]


def main() -> None:
    parser = argparse.ArgumentParser(description="held-out figures, model vs cosine")
    parser.add_argument("--weights", type=Path, help="an exported npz (default: the shipped one)")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    model = AnswerModel.load(args.weights)
    scorers: dict[str, Scorer] = {"cosine": cosine, "model": model.score}
    xquad_scorers = {**scorers, "cosine-max": cosine}
    vectors = load_vectors()
    result = {
        "weights": str(args.weights or "shipped"),
        "info": model.info,
        "xquad": xquad(xquad_scorers, vectors),
        "held_out": own_held_out(scorers, vectors),
    }
    out = args.out or RESULTS / f"{model.info.get('name', 'model')}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1), "utf-8")
    print("## xquad-xling (247 dev questions × their languages)\n")
    columns = [*pairs("p1", "near_auc"), ("passage_auc", "cosine"), ("passage_auc", "cosine-max")]
    print(markdown(result["xquad"]["table"], [*columns, ("passage_auc", "model")]))
    print("\n## own held-out split\n")
    print(markdown(result["held_out"]["table"], pairs("p1", "near_auc", "other_article_auc")))
    print("\n## calibration (model probability → share of sentences that answer)\n")
    for kind, bins in [
        *result["xquad"]["calibration"].items(),
        ("held-out", result["held_out"]["calibration"]),
    ]:
        cells = ", ".join(
            f"{b['from']:.1f}–{b['to']:.1f}: {b['answers']:.2f} (n={b['n']})" for b in bins
        )
        print(f"- {kind}: {cells}")
    print(f"\n→ {out}")


if __name__ == "__main__":
    main()
