"""Chroma, embedded on disk (default) or a `chroma run` server. The only module importing chromadb.

Each build generation is a collection of its own: `<prefix>_g<N>`. Embedded, each generation
also has a folder of its own (`chroma/gen-<N>`), so a build never writes where a serving
process reads. Embeddings are always passed in explicitly (Chroma's default embedding
function would download a model), and telemetry is off.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from index.errors import ConfigError, ModelMismatchError, NoIndexError
from index.manifest import Manifest, load_manifest, manifest_path
from index.settings import IndexSettings
from index.types import Chunk

log = logging.getLogger(__name__)

COPY_BATCH = 1000
_META_KEYS = ("article_id", "title", "language", "source", "url", "published", "position")


@dataclass(frozen=True)
class Hit:
    chunk: Chunk
    score: float  # cosine similarity, higher is better


def _chroma_settings() -> Any:
    from chromadb.config import Settings as ChromaSettings

    return ChromaSettings(anonymized_telemetry=False, allow_reset=False)


class Backend:
    """Creates, opens and drops the collection of one generation."""

    def __init__(self, settings: IndexSettings) -> None:
        self.settings = settings
        self.index_dir = settings.resolved_index_dir()
        self.remote = bool(settings.chroma_host)
        self._clients: dict[int, Any] = {}

    def collection_name(self, generation: int) -> str:
        return f"{self.settings.collection_prefix}_g{generation}"

    def generation_dir(self, generation: int) -> Path:
        return self.index_dir / "chroma" / f"gen-{generation:06d}"

    def client(self, generation: int) -> Any:
        key = 0 if self.remote else generation
        if key not in self._clients:
            self._clients[key] = self._connect(generation)
        return self._clients[key]

    def _connect(self, generation: int) -> Any:
        import chromadb

        if not self.remote:
            path = self.generation_dir(generation)
            path.mkdir(parents=True, exist_ok=True)
            return chromadb.PersistentClient(path=str(path), settings=_chroma_settings())
        host, port = self.settings.chroma_host, self.settings.chroma_port
        try:
            client = chromadb.HttpClient(
                host=host, port=port, ssl=self.settings.chroma_ssl, settings=_chroma_settings()
            )
            client.heartbeat()
        except Exception as exc:  # connection refused, DNS, TLS, HTTP errors
            raise ConfigError(
                f"Chroma server at {host}:{port} is unreachable ({type(exc).__name__}). "
                f"Start it with `chroma run --path <dir> --port {port}`, or unset "
                "NEWSBOT_CHROMA_HOST to use the embedded store."
            ) from exc
        return client

    def create(self, generation: int) -> Any:
        """A new, empty collection for `generation` (a leftover of a killed build is dropped)."""
        if not self.remote:
            self.drop(generation)
        client = self.client(generation)
        name = self.collection_name(generation)
        if self.remote:
            with contextlib.suppress(Exception):  # absent is fine
                client.delete_collection(name)
        return client.create_collection(
            name, configuration={"hnsw": {"space": "cosine"}}, embedding_function=None
        )

    def open(self, generation: int) -> Any:
        try:
            return self.client(generation).get_collection(
                self.collection_name(generation), embedding_function=None
            )
        except ConfigError:
            raise
        except Exception as exc:
            raise NoIndexError(
                f"The index's collection {self.collection_name(generation)} is missing "
                f"({type(exc).__name__}) — run `newsbot index build --full`."
            ) from exc

    def close(self, generation: int) -> None:
        client = self._clients.pop(0 if self.remote else generation, None)
        if client is not None and not self.remote:
            try:
                client.close()
            except Exception:  # noqa: BLE001
                log.debug("closing chroma client failed", exc_info=True)

    def drop(self, generation: int) -> None:
        if self.remote:
            try:
                self.client(generation).delete_collection(self.collection_name(generation))
            except ConfigError:
                raise
            except Exception:  # noqa: BLE001 - already gone
                pass
            return
        self.close(generation)
        shutil.rmtree(self.generation_dir(generation), ignore_errors=True)

    def generations(self) -> list[int]:
        """Generations present in the store (committed or left by a killed build)."""
        if self.remote:
            prefix = f"{self.settings.collection_prefix}_g"
            names = [getattr(c, "name", c) for c in self.client(0).list_collections()]
            return sorted(int(n[len(prefix) :]) for n in names if n.startswith(prefix))
        root = self.index_dir / "chroma"
        if not root.is_dir():
            return []
        return sorted(
            int(p.name[4:]) for p in root.iterdir() if p.name.startswith("gen-") and p.is_dir()
        )


def chunk_from_record(chunk_id: str, text: str | None, meta: dict[str, Any]) -> Chunk:
    return Chunk(
        chunk_id=chunk_id,
        article_id=str(meta.get("article_id", "")),
        title=str(meta.get("title", "")),
        language=str(meta.get("language", "und")),
        text=text or "",
        source=str(meta.get("source", "")),
        url=meta.get("url") or None,
        published=meta.get("published") or None,
        position=int(meta.get("position", 0) or 0),
    )


def add_chunks(
    collection: Any, chunks: Sequence[Chunk], embeddings: Sequence[Sequence[float]]
) -> None:
    """Add chunks through llama-index's ChromaVectorStore (embeddings given explicitly)."""
    from llama_index.core.schema import TextNode
    from llama_index.vector_stores.chroma import ChromaVectorStore

    nodes = [
        TextNode(id_=c.chunk_id, text=c.text, metadata=c.metadata(), embedding=list(e))
        for c, e in zip(chunks, embeddings, strict=True)
    ]
    ChromaVectorStore(chroma_collection=collection).add(nodes)


def copy_records(source: Any, target: Any, ids: list[str]) -> Iterator[int]:
    """Copy stored chunks (with their embeddings) from one generation to the next."""
    for start in range(0, len(ids), COPY_BATCH):
        batch = ids[start : start + COPY_BATCH]
        got = source.get(ids=batch, include=["embeddings", "documents", "metadatas"])
        if len(got["ids"]) != len(batch):
            missing = set(batch) - set(got["ids"])
            raise RuntimeError(f"{len(missing)} chunks missing from the live index")
        target.add(
            ids=got["ids"],
            embeddings=got["embeddings"],
            documents=got["documents"],
            metadatas=got["metadatas"],
        )
        yield len(batch)


class IndexReader:
    """The live generation, read-only. Cheap to check for staleness, reopened when stale."""

    def __init__(self, settings: IndexSettings, manifest: Manifest, backend: Backend) -> None:
        self.settings = settings
        self.manifest = manifest
        self.backend = backend
        self.generation = manifest.generation
        self._collection = backend.open(manifest.generation)
        self._mtime = self._manifest_mtime()
        self._chunks: list[Chunk] | None = None

    @classmethod
    def open(cls, settings: IndexSettings, expected_model: str | None = None) -> IndexReader:
        index_dir = settings.resolved_index_dir()
        manifest = load_manifest(index_dir)
        if manifest is None:
            raise NoIndexError()
        if expected_model is None:
            from index.embedding import embedder_id

            expected_model = embedder_id(settings)
        if manifest.embedding_model != expected_model:
            raise ModelMismatchError(
                f"The index was built with the embedding model {manifest.embedding_model}, "
                f"but {expected_model} is configured. Rebuild it with "
                "`newsbot index build --full` or set NEWSBOT_EMBEDDING back."
            )
        return cls(settings, manifest, Backend(settings))

    def _manifest_mtime(self) -> int:
        try:
            return manifest_path(self.backend.index_dir).stat().st_mtime_ns
        except FileNotFoundError:
            return 0

    def is_stale(self) -> bool:
        if self._manifest_mtime() == self._mtime:
            return False
        fresh = load_manifest(self.backend.index_dir)
        return fresh is not None and fresh.generation != self.generation

    def count(self) -> int:
        return int(self._collection.count())

    def query(
        self, embedding: Sequence[float], k: int, where: dict[str, Any] | None = None
    ) -> list[Hit]:
        n = min(k, self.manifest.chunk_count)
        if n <= 0:
            return []
        res = self._collection.query(
            query_embeddings=[list(map(float, embedding))],
            n_results=n,
            where=where,
            include=["documents", "metadatas", "distances"],
        )
        hits = [
            Hit(chunk_from_record(cid, doc, meta or {}), 1.0 - float(dist))
            for cid, doc, meta, dist in zip(
                res["ids"][0],
                res["documents"][0],
                res["metadatas"][0],
                res["distances"][0],
                strict=True,
            )
        ]
        hits.sort(key=lambda h: (-round(h.score, 6), h.chunk.chunk_id))  # stable ties
        return hits

    def chunks(self) -> list[Chunk]:
        if self._chunks is None:
            ids = [cid for a in self.manifest.articles.values() for cid in a.chunk_ids]
            out: list[Chunk] = []
            for start in range(0, len(ids), COPY_BATCH):
                got = self._collection.get(
                    ids=ids[start : start + COPY_BATCH], include=["documents", "metadatas"]
                )
                out.extend(
                    chunk_from_record(cid, doc, meta or {})
                    for cid, doc, meta in zip(
                        got["ids"], got["documents"], got["metadatas"], strict=True
                    )
                )
            order = {cid: i for i, cid in enumerate(ids)}
            out.sort(key=lambda c: order.get(c.chunk_id, 0))
            self._chunks = out
        return self._chunks

    def embeddings(self, chunk_ids: list[str]) -> np.ndarray:
        if not chunk_ids:
            return np.zeros((0, self.manifest.dim), dtype=np.float32)
        rows: dict[str, Any] = {}
        for start in range(0, len(chunk_ids), COPY_BATCH):
            got = self._collection.get(
                ids=chunk_ids[start : start + COPY_BATCH], include=["embeddings"]
            )
            rows.update(zip(got["ids"], got["embeddings"], strict=True))
        return np.asarray([rows[c] for c in chunk_ids], dtype=np.float32)

    def vector_store(self) -> Any:
        """llama-index's ChromaVectorStore over the live collection (for the plain baseline)."""
        from llama_index.vector_stores.chroma import ChromaVectorStore

        return ChromaVectorStore(chroma_collection=self._collection)

    def close(self) -> None:
        self.backend.close(self.generation)
