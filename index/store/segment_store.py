"""One segment's collection in Chroma, through llama-index's ChromaVectorStore: the
implementation of `VectorStore` (index/store/interfaces.py).

Questions use llama-index's ``VectorStoreQuery`` (ids and similarities: search reads the
rest from the segment's catalog) and ``MetadataFilters`` (an article's chunks, by id); the
build's bulk work (copying a segment, batched neighbour queries) uses Chroma's batch API.
The collection object comes from index/store/backend.py, the only module importing chromadb.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from index.errors import ConfigError
from index.settings import IndexSettings
from index.store.interfaces import Hit
from index.types import Chunk

if TYPE_CHECKING:
    from chromadb.api.models.Collection import Collection
    from llama_index.vector_stores.chroma import ChromaVectorStore

BATCH = 1000


def unreachable(settings: IndexSettings, exc: BaseException) -> ConfigError:
    host, port = settings.chroma_host, settings.chroma_port
    return ConfigError(
        f"Chroma server at {host}:{port} is unreachable ({type(exc).__name__}). "
        f"Start it with `chroma run --path <dir> --port {port}`, or unset "
        "NEWSBOT_CHROMA_HOST to use the embedded store."
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
    collection: Collection,
    chunks: Sequence[Chunk],
    embeddings: np.ndarray | Sequence[Sequence[float]],
) -> None:
    """Add chunks with their embeddings (given explicitly) in one batch.

    Straight to the collection, with our flat metadata only: llama-index's
    ``ChromaVectorStore.add`` would also store a JSON copy of every node (``_node_content``),
    which made adding a chunk 1.5x slower; llama-index reads these records back as nodes
    all the same (its metadata-only path)."""
    collection.add(
        ids=[c.chunk_id for c in chunks],
        embeddings=np.asarray(embeddings, dtype=np.float32),
        documents=[c.text for c in chunks],
        metadatas=[c.metadata() for c in chunks],
    )


class SegmentStore:
    """One segment's Chroma collection: the `VectorStore` (index/store/interfaces.py) of the
    product."""

    def __init__(self, collection: Collection, settings: IndexSettings) -> None:
        from llama_index.vector_stores.chroma import ChromaVectorStore

        self.collection = collection
        self.settings = settings
        self.vector_store = ChromaVectorStore(chroma_collection=collection)
        self.ids_store = _ids_only_store(collection)

    def _call(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except Exception as exc:
            if self.settings.chroma_host and _is_connection_error(exc):
                raise unreachable(self.settings, exc) from exc
            raise

    def count(self) -> int:
        return int(self._call(self.collection.count))

    def add(self, chunks: Sequence[Chunk], vectors: np.ndarray) -> None:
        self._call(add_chunks, self.collection, chunks, vectors)  # a test replaces add_chunks

    def query(self, vector: np.ndarray, n: int) -> list[tuple[str, float]]:
        """The `n` nearest chunks (id, cosine), through llama-index's VectorStoreQuery."""
        from llama_index.core.vector_stores.types import VectorStoreQuery

        query = VectorStoreQuery(
            query_embedding=np.asarray(vector, dtype=np.float32).tolist(), similarity_top_k=n
        )
        result = self._call(self.ids_store.query, query)
        # ChromaVectorStore reports exp(-distance); the cosine distance is 1 - cosine.
        return [
            (cid, 1.0 + math.log(max(sim, 1e-30)))
            for cid, sim in zip(result.ids or [], result.similarities or [], strict=True)
        ]

    def nearest(
        self, vector: np.ndarray, n: int, languages: Sequence[str] | None = None
    ) -> list[Hit]:
        """The `n` nearest chunks with their text and metadata (MetadataFilters on language)."""
        from llama_index.core.vector_stores.types import (
            FilterOperator,
            MetadataFilter,
            MetadataFilters,
            VectorStoreQuery,
        )

        filters = None
        if languages:
            only = MetadataFilter(key="language", value=list(languages), operator=FilterOperator.IN)
            filters = MetadataFilters(filters=[only])
        query = VectorStoreQuery(
            query_embedding=np.asarray(vector, dtype=np.float32).tolist(),
            similarity_top_k=n,
            filters=filters,
        )
        result = self._call(self.vector_store.query, query)
        return [
            Hit(
                chunk_from_record(node.node_id, node.get_content(), node.metadata),
                1.0 + math.log(max(sim, 1e-30)),
            )
            for node, sim in zip(result.nodes or [], result.similarities or [], strict=True)
        ]

    def query_many(self, vectors: np.ndarray, n: int) -> list[list[tuple[str, float]]]:
        """Batched nearest neighbours (chunk id, cosine) for many vectors (build time)."""
        if len(vectors) == 0:
            return []
        res = self._call(
            self.collection.query,
            query_embeddings=np.asarray(vectors, dtype=np.float32),
            n_results=n,
            include=["distances"],
        )
        return [
            [(cid, 1.0 - float(d)) for cid, d in zip(ids, dists, strict=True)]
            for ids, dists in zip(res["ids"], res["distances"], strict=True)
        ]

    def vectors(self, chunk_ids: Sequence[str]) -> dict[str, np.ndarray]:
        """Stored vectors of the given chunks (those the segment holds)."""
        out: dict[str, np.ndarray] = {}
        for start in range(0, len(chunk_ids), BATCH):
            got = self._call(
                self.collection.get,
                ids=list(chunk_ids[start : start + BATCH]),
                include=["embeddings"],
            )
            out.update(
                (cid, np.asarray(v, dtype=np.float32))
                for cid, v in zip(got["ids"], got["embeddings"], strict=True)
            )
        return out

    def chunks(self, chunk_ids: Sequence[str]) -> dict[str, Chunk]:
        """Text and metadata of the given chunks."""
        got = self._call(
            self.collection.get, ids=list(chunk_ids), include=["documents", "metadatas"]
        )
        return {
            cid: chunk_from_record(cid, doc, meta or {})
            for cid, doc, meta in zip(got["ids"], got["documents"], got["metadatas"], strict=True)
        }

    def records(self, chunk_ids: Sequence[str]) -> dict[str, tuple[Chunk, np.ndarray]]:
        """Chunks and their stored vectors (copying into another segment)."""
        got = self._call(
            self.collection.get,
            ids=list(chunk_ids),
            include=["embeddings", "documents", "metadatas"],
        )
        return {
            cid: (chunk_from_record(cid, doc, meta or {}), np.asarray(vec, dtype=np.float32))
            for cid, doc, meta, vec in zip(
                got["ids"], got["documents"], got["metadatas"], got["embeddings"], strict=True
            )
        }

    def article_chunks(self, article_id: str) -> list[Chunk]:
        """Every chunk of one article, by position (llama-index metadata filter)."""
        from llama_index.core.vector_stores.types import MetadataFilter, MetadataFilters

        filters = MetadataFilters(filters=[MetadataFilter(key="article_id", value=article_id)])
        nodes = self._call(self.vector_store.get_nodes, None, filters=filters)
        chunks = [chunk_from_record(n.node_id, n.get_content(), n.metadata) for n in nodes]
        return sorted(chunks, key=lambda c: c.position)


def _ids_only_store(collection: Collection) -> ChromaVectorStore:
    """ChromaVectorStore answering a VectorStoreQuery with ids and similarities only.

    Search reads each candidate's language, article and keyword tokens from the segment's
    catalog, and text and metadata only for the passages it returns; Chroma's fetching of
    documents and metadata costs more than its HNSW search (docs/scale.md)."""
    from llama_index.core.vector_stores.types import VectorStoreQueryResult
    from llama_index.vector_stores.chroma import ChromaVectorStore

    class IdsOnlyChromaVectorStore(ChromaVectorStore):
        def query(self, query: Any, **kwargs: Any) -> VectorStoreQueryResult:
            res = self._collection.query(
                query_embeddings=[query.query_embedding],
                n_results=query.similarity_top_k,
                include=["distances"],
            )
            distances = (res["distances"] or [[]])[0]
            return VectorStoreQueryResult(
                ids=res["ids"][0], similarities=[math.exp(-d) for d in distances]
            )

    # mypy reads the pydantic fields, not ChromaVectorStore's own __init__
    return IdsOnlyChromaVectorStore(chroma_collection=collection)  # type: ignore[call-arg]


def _is_connection_error(exc: BaseException) -> bool:
    names = {type(e).__name__ for e in (exc, exc.__cause__, exc.__context__) if e is not None}
    text = str(exc).lower()
    return bool(names & {"ConnectError", "ConnectionError", "ConnectTimeout", "ReadError",
                         "RemoteProtocolError", "ConnectionRefusedError"}) or (
        "connect" in text and ("refused" in text or "error" in text)
    )  # fmt: skip
