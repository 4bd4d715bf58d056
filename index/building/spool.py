"""New and changed articles, set aside on disk between reading them and embedding them.

A build must read every source before it knows the languages of its new segment (one
store coordinate per language, index/retrieval/fusion.py); keeping the articles' texts in
memory until then would make memory grow with the export. They go to a temporary file in the index
folder instead (pickled and compressed one by one), removed at the end — or by the next
build, if this one was killed.
"""

from __future__ import annotations

import pickle
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from index.types import Article

PREFIX = ".spool-"


class ArticleSpool:
    def __init__(self, index_dir: Path) -> None:
        index_dir.mkdir(parents=True, exist_ok=True)
        for old in index_dir.glob(f"{PREFIX}*"):  # leftovers of killed builds
            old.unlink(missing_ok=True)
        self.path = index_dir / f"{PREFIX}articles"
        self._out: BinaryIO | None = open(self.path, "wb")  # noqa: SIM115 - closed in close()
        self.count = 0
        self.languages: set[str] = set()

    def add(self, article: Article, stored_chunk_ids: list[str] | None = None) -> None:
        """An article to embed, or (with the chunk ids of an older index) to copy."""
        assert self._out is not None
        data = zlib.compress(pickle.dumps((article, stored_chunk_ids), pickle.HIGHEST_PROTOCOL))
        self._out.write(len(data).to_bytes(4, "little") + data)
        self.count += 1
        self.languages.add(article.language)

    def __iter__(self) -> Iterator[tuple[Article, list[str] | None]]:
        if self._out is not None:
            self._out.close()
            self._out = None
        with open(self.path, "rb") as fh:
            for _ in range(self.count):
                size = int.from_bytes(fh.read(4), "little")
                yield pickle.loads(zlib.decompress(fh.read(size)))

    def close(self) -> None:
        if self._out is not None:
            self._out.close()
            self._out = None
        self.path.unlink(missing_ok=True)
