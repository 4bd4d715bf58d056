"""The vector store: Chroma embedded on disk (default) or a `chroma run` server. The only
module importing chromadb.

Each segment of the index (index/store/manifest.py) is a collection of its own, `<prefix>_s<N>`;
embedded, each segment also has a folder of its own (`chroma/seg-<N>`), so a build never
writes where a serving process reads. `Backend` creates, opens and drops them; what is
asked of one collection is in index/store/segment_store.py.
Embeddings are always passed in explicitly (Chroma's default embedding function would
download a model), and telemetry is off.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import threading
from pathlib import Path
from typing import Any

from index.errors import ConfigError, NoIndexError
from index.settings import IndexSettings
from index.store.interfaces import VectorStore
from index.store.segment_store import SegmentStore, unreachable

log = logging.getLogger(__name__)

BATCH = 1000


_preloading: list[threading.Thread] = []


def preload() -> None:
    """Import chromadb and llama-index's Chroma store in a background thread (once per
    process), so a fresh process embeds its first question and loads the language detector
    meanwhile; the first store call waits for the imports if they are not done yet."""

    def run() -> None:
        try:
            import chromadb  # noqa: F401
            from llama_index.vector_stores.chroma import ChromaVectorStore  # noqa: F401
        except Exception:  # noqa: BLE001 - the real import reports it
            log.debug("preloading the store's libraries failed", exc_info=True)

    if not _preloading:
        _preloading.append(threading.Thread(target=run, name="store-preload", daemon=True))
        _preloading[0].start()


def _chroma_settings() -> Any:
    from chromadb.config import Settings as ChromaSettings

    return ChromaSettings(anonymized_telemetry=False, allow_reset=False)


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
                host=self.settings.chroma_host or "",  # remote: the host is set
                port=self.settings.chroma_port,
                ssl=self.settings.chroma_ssl,
                settings=_chroma_settings(),
            )
            client.heartbeat()
        except Exception as exc:  # connection refused, DNS, TLS, HTTP errors
            raise unreachable(self.settings, exc) from exc
        return client

    def create(self, segment: int, dim: int) -> VectorStore:
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

    def open(self, segment: int) -> VectorStore:
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

    def open_folder(self, folder: str, name: str) -> VectorStore:
        """A collection outside the segment layout, by its folder under ``chroma/`` (embedded)
        and its name: an older format's (index/store/upgrades.py), read once to upgrade it."""
        client = self._client(self.index_dir / "chroma" / folder)
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
            names = [c.name for c in self._client(Path()).list_collections()]
            return sorted(int(n[len(prefix) :]) for n in names if n.startswith(prefix))
        root = self.index_dir / "chroma"
        if not root.is_dir():
            return []
        return sorted(
            int(p.name[4:]) for p in root.iterdir() if p.name.startswith("seg-") and p.is_dir()
        )

    def drop_folders(self, folder_prefix: str, name_prefix: str) -> None:
        """Remove the collections outside the segment layout whose folders (embedded) or names
        (a server: the prefix then a number) start so — an older format's, once upgraded."""
        if self.remote:
            client = self._client(Path())
            for c in client.list_collections():
                name = c.name
                if name.startswith(name_prefix) and name[len(name_prefix) :].isdigit():
                    client.delete_collection(name)
            return
        root = self.index_dir / "chroma"
        for p in root.glob(f"{folder_prefix}*") if root.is_dir() else []:
            shutil.rmtree(p, ignore_errors=True)
