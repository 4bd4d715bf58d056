"""Sentence-aware chunks sized in tiktoken `cl100k_base` tokens, with overlap.

Sentences come from index/text.py (sentencex, one splitter for index and bot; a line break
always ends a sentence). A chunk is a run of whole sentences cut straight out of the
article, so nothing is lost or rewritten: line breaks, spacing and punctuation stay as they
were. A sentence longer than the budget is cut at token boundaries.
"""

from __future__ import annotations

import functools
import importlib.util
import os
from typing import TYPE_CHECKING

from index.text import sentence_spans
from index.types import Article, Chunk, carry

if TYPE_CHECKING:
    import tiktoken

Span = tuple[int, int, int]  # start, end, tokens


@functools.lru_cache(maxsize=1)
def tokenizer() -> tiktoken.Encoding:
    """cl100k_base, loaded from the copy inside llama-index-core: never downloads."""
    if "TIKTOKEN_CACHE_DIR" not in os.environ:
        # Located without importing llama-index (that import alone costs ~1 s of cold start).
        spec = importlib.util.find_spec("llama_index.core")
        if spec and spec.submodule_search_locations:
            os.environ["TIKTOKEN_CACHE_DIR"] = os.path.join(
                next(iter(spec.submodule_search_locations)), "_static", "tiktoken_cache"
            )
    import tiktoken

    return tiktoken.get_encoding("cl100k_base")


def count_tokens(text: str) -> int:
    return len(tokenizer().encode(text, disallowed_special=()))


def _pieces(text: str, language: str, budget: int) -> list[Span]:
    """The sentences of ``text`` as (start, end, tokens); a sentence over ``budget`` tokens
    is cut at token boundaries into pieces of at most ``budget`` tokens."""
    enc = tokenizer()
    out: list[Span] = []
    for start, end in sentence_spans(text, language):
        piece = text[start:end]
        if not piece.strip():
            out.append((start, end, 0))
            continue
        ids = enc.encode(piece, disallowed_special=())
        if len(ids) <= budget:
            out.append((start, end, len(ids)))
            continue
        decoded, offsets = enc.decode_with_offsets(ids)
        if decoded != piece:  # never expected: tiktoken round-trips text exactly
            offsets = [round(i * len(piece) / len(ids)) for i in range(len(ids))]
        cuts = sorted({offsets[i] for i in range(0, len(ids), budget)} | {0})
        bounds = [*cuts, len(piece)]
        for a, b in zip(bounds, bounds[1:], strict=False):
            if b > a:
                out.append((start + a, start + b, min(budget, count_tokens(piece[a:b]))))
    return out


def chunk_spans(text: str, language: str, max_tokens: int, overlap: int) -> list[tuple[int, int]]:
    """(start, end) of each chunk: whole sentences packed up to ``max_tokens``, the next
    chunk starting with up to ``overlap`` tokens of the previous one's last sentences.
    Together the spans cover every character of the text."""
    overlap = min(overlap, max_tokens // 2)
    spans: list[tuple[int, int]] = []
    current: list[Span] = []
    size = 0
    for piece in _pieces(text, language, max_tokens):
        n = piece[2]
        if current and n and size + n > max_tokens:
            spans.append((current[0][0], current[-1][1]))
            carried: list[Span] = []
            carried_size = 0
            for prev in reversed(current):
                if carried_size + prev[2] > overlap or carried_size + prev[2] + n > max_tokens:
                    break
                carried.insert(0, prev)
                carried_size += prev[2]
            current, size = carried, carried_size
        current.append(piece)
        size += n
    if current:
        spans.append((current[0][0], current[-1][1]))
    return [(a, b) for a, b in spans if text[a:b].strip()]


def chunk_texts(text: str, language: str, max_tokens: int, overlap: int) -> list[str]:
    """The chunks of ``text`` (see ``chunk_spans``), without their outer whitespace."""
    return [text[a:b].strip() for a, b in chunk_spans(text, language, max_tokens, overlap)]


def chunk_article(article: Article, max_tokens: int, overlap: int) -> list[Chunk]:
    """Chunks of one article; ids carry the content hash, so an edit yields new ids."""
    version = article.sha256[:12] or "0"
    return [
        carry(
            article,
            Chunk,
            chunk_id=f"{article.id}#{version}-{pos}",
            article_id=article.id,
            text=text,
            position=pos,
        )
        for pos, text in enumerate(chunk_texts(article.text, article.language, max_tokens, overlap))
    ]


def embedding_text(chunk: Chunk) -> str:
    """What the embedder sees: the title gives every chunk its story's context."""
    if chunk.title and not chunk.text.startswith(chunk.title):
        return f"{chunk.title}\n{chunk.text}"
    return chunk.text
