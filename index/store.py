"""The vector store: Chroma embedded on disk (default) or a `chroma run` server. The only
module importing chromadb.

Each segment of the index (index/manifest.py) is a collection of its own, `<prefix>_s<N>`;
embedded, each segment also has a folder of its own (`chroma/seg-<N>`), so a build never
writes where a serving process reads. Questions go through llama-index's vector-store
interface (`VectorStoreQuery` with `MetadataFilters` on `ChromaVectorStore`); the build's
bulk work (copying a segment, batched neighbour queries) uses Chroma's batch API here.
Embeddings are always passed in explicitly (Chroma's default embedding function would
download a model), and telemetry is off.
"""

from __future__ import annotations

import contextlib
import logging
import math
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from index.errors import ConfigError, NoIndexError
from index.settings import IndexSettings
from index.types import Chunk

log = logging.getLogger(__name__)

BATCH = 1000
_LEGACY_DIR = "gen-"  # format-1 indexes: one folder and collection per generation


def __getattr__(name: str) -> Any:  # `from index.store import IndexReader` keeps working
    if name == "IndexReader":
        from index.reader import IndexReader

        return IndexReader
    raise AttributeError(name)


@dataclass(frozen=True)
class Hit:
    chunk: Chunk
    score: float  # cosine similarity with the query as sent to the store, higher is better


def _chroma_settings() -> Any:
    from chromadb.config import Settings as ChromaSettings

    return ChromaSettings(anonymized_telemetry=False, allow_reset=False)


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
    collection: Any,
    chunks: Sequence[Chunk],
    embeddings: np.ndarray | Sequence[Sequence[float]],
    vector_store: Any | None = None,
) -> None:
    """Add chunks through llama-index's ChromaVectorStore (embeddings given explicitly)."""
    from llama_index.core.schema import TextNode
    from llama_index.vector_stores.chroma import ChromaVectorStore

    vectors = np.asarray(embeddings, dtype=np.float32).tolist()
    nodes = [
        TextNode(id_=c.chunk_id, text=c.text, metadata=c.metadata(), embedding=v)
        for c, v in zip(chunks, vectors, strict=True)
    ]
    (vector_store or ChromaVectorStore(chroma_collection=collection)).add(nodes)


class SegmentStore:
    """One segment's collection."""

    def __init__(self, collection: Any, settings: IndexSettings) -> None:
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
        self._call(add_chunks, self.collection, chunks, vectors, self.vector_store)

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


def _ids_only_store(collection: Any) -> Any:
    """ChromaVectorStore answering a VectorStoreQuery with ids and similarities only.

    Search reads each candidate's language, article and keyword tokens from the segment's
    catalog, and text and metadata only for the passages it returns; Chroma's fetching of
    documents and metadata costs more than its HNSW search (README "Scale")."""
    from llama_index.core.vector_stores.types import VectorStoreQueryResult
    from llama_index.vector_stores.chroma import ChromaVectorStore

    class IdsOnlyChromaVectorStore(ChromaVectorStore):
        def query(self, query: Any, **kwargs: Any) -> VectorStoreQueryResult:
            res = self._collection.query(
                query_embeddings=[query.query_embedding],
                n_results=query.similarity_top_k,
                include=["distances"],
            )
            return VectorStoreQueryResult(
                ids=res["ids"][0], similarities=[math.exp(-d) for d in res["distances"][0]]
            )

    return IdsOnlyChromaVectorStore(chroma_collection=collection)


def _is_connection_error(exc: BaseException) -> bool:
    names = {type(e).__name__ for e in (exc, exc.__cause__, exc.__context__) if e is not None}
    text = str(exc).lower()
    return bool(names & {"ConnectError", "ConnectionError", "ConnectTimeout", "ReadError",
                         "RemoteProtocolError", "ConnectionRefusedError"}) or (
        "connect" in text and ("refused" in text or "error" in text)
    )  # fmt: skip


class Backend:
    """Creates, opens and drops the collection of one segment."""

    def __init__(self, settings: IndexSettings) -> None:
        self.settings = settings
        self.index_dir = settings.resolved_index_dir()
        self.remote = bool(settings.chroma_host)
        self._clients: dict[str, Any] = {}

    def collection_name(self, segment: int) -> str:
        return f"{self.settings.collection_prefix}_s{segment}"

    def segment_dir(self, segment: int) -> Path:
        return self.index_dir / "chroma" / f"seg-{segment:06d}"

    def _client(self, path: Path) -> Any:
        key = "remote" if self.remote else str(path)
        if key not in self._clients:
            self._clients[key] = self._connect(path)
        return self._clients[key]

    def _connect(self, path: Path) -> Any:
        import chromadb

        if not self.remote:
            path.mkdir(parents=True, exist_ok=True)
            return chromadb.PersistentClient(path=str(path), settings=_chroma_settings())
        try:
            client = chromadb.HttpClient(
                host=self.settings.chroma_host,
                port=self.settings.chroma_port,
                ssl=self.settings.chroma_ssl,
                settings=_chroma_settings(),
            )
            client.heartbeat()
        except Exception as exc:  # connection refused, DNS, TLS, HTTP errors
            raise unreachable(self.settings, exc) from exc
        return client

    def create(self, segment: int, dim: int) -> SegmentStore:
        """A new, empty collection (a leftover of a killed build is dropped first)."""
        self.drop(segment)
        client = self._client(self.segment_dir(segment))
        collection = client.create_collection(
            self.collection_name(segment),
            configuration={"hnsw": {"space": "cosine"}},
            metadata={"dim": dim},
            embedding_function=None,
        )
        return SegmentStore(collection, self.settings)

    def open(self, segment: int) -> SegmentStore:
        name = self.collection_name(segment)
        try:
            client = self._client(self.segment_dir(segment))
            return SegmentStore(client.get_collection(name, embedding_function=None), self.settings)
        except ConfigError:
            raise
        except Exception as exc:
            raise NoIndexError(
                f"The index's collection {name} is missing ({type(exc).__name__}) — run "
                "`newsbot index build --full`."
            ) from exc

    def open_legacy(self, generation: int) -> SegmentStore:
        """The single collection of a format-1 index (read once, to upgrade it)."""
        name = f"{self.settings.collection_prefix}_g{generation}"
        client = self._client(self.index_dir / "chroma" / f"{_LEGACY_DIR}{generation:06d}")
        return SegmentStore(client.get_collection(name, embedding_function=None), self.settings)

    def close(self, segment: int) -> None:
        if self.remote:
            return
        client = self._clients.pop(str(self.segment_dir(segment)), None)
        if client is not None:
            try:
                client.close()
            except Exception:  # noqa: BLE001
                log.debug("closing chroma client failed", exc_info=True)

    def close_all(self) -> None:
        for key in list(self._clients):
            client = self._clients.pop(key)
            if not self.remote:
                with contextlib.suppress(Exception):
                    client.close()

    def drop(self, segment: int) -> None:
        if self.remote:
            try:
                self._client(Path()).delete_collection(self.collection_name(segment))
            except ConfigError:
                raise
            except Exception:  # noqa: BLE001 - already gone
                pass
            return
        self.close(segment)
        shutil.rmtree(self.segment_dir(segment), ignore_errors=True)

    def segments(self) -> list[int]:
        """Segments present in the store (committed or left by a killed build)."""
        if self.remote:
            prefix = f"{self.settings.collection_prefix}_s"
            names = [getattr(c, "name", c) for c in self._client(Path()).list_collections()]
            return sorted(int(n[len(prefix) :]) for n in names if n.startswith(prefix))
        root = self.index_dir / "chroma"
        if not root.is_dir():
            return []
        return sorted(
            int(p.name[4:]) for p in root.iterdir() if p.name.startswith("seg-") and p.is_dir()
        )

    generations = segments  # the name the crash-safety tests use

    def drop_legacy(self) -> None:
        """Remove a format-1 index's collections once the upgraded index is committed."""
        if self.remote:
            prefix = f"{self.settings.collection_prefix}_g"
            client = self._client(Path())
            for c in client.list_collections():
                name = getattr(c, "name", c)
                if name.startswith(prefix) and name[len(prefix) :].isdigit():
                    client.delete_collection(name)
            return
        root = self.index_dir / "chroma"
        for p in root.glob(f"{_LEGACY_DIR}*") if root.is_dir() else []:
            shutil.rmtree(p, ignore_errors=True)
