"""Sentence-aware chunks sized in tiktoken `cl100k_base` tokens, with overlap.

Sentences end at . ! ? … followed by space (Latin, Cyrillic) and right after 。！？ (CJK, with
any closing quote), and at line breaks. A sentence longer than the budget is cut by tokens.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import re
from collections.abc import Iterator

from index.types import Article, Chunk

_CLOSERS = re.escape("\"'”’»」』）)]")
_SENTENCE_END = re.compile(
    rf"(?<=[。！？][{_CLOSERS}])|(?<=[。！？])(?![{_CLOSERS}])"  # CJK: split right after
    rf"|(?<=[.!?…][{_CLOSERS}])\s+|(?<=[.!?…])\s+"  # Latin/Cyrillic: split at the space
)


@functools.lru_cache(maxsize=1)
def tokenizer():  # noqa: ANN201 - tiktoken.Encoding
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


def split_sentences(text: str) -> list[str]:
    """Sentences of a text, in order, stripped; paragraphs always end a sentence."""
    return [s for line in _lines(text) for s in line]


def _lines(text: str) -> list[list[str]]:
    """The sentences of each non-empty line."""
    out: list[list[str]] = []
    for line in text.splitlines():
        parts = [p.strip() for p in _SENTENCE_END.split(line)]
        parts = [p for p in parts if p]
        if parts:
            out.append(parts)
    return out


def _cut(sentence: str, budget: int) -> Iterator[tuple[str, int]]:
    """A sentence as pieces of at most `budget` tokens (exact token boundaries)."""
    enc = tokenizer()
    ids = enc.encode(sentence, disallowed_special=())
    if len(ids) <= budget:
        yield sentence, len(ids)
        return
    for start in range(0, len(ids), budget):
        piece = ids[start : start + budget]
        text = enc.decode(piece).strip()
        if text:
            yield text, len(piece)


def _joiner(language: str) -> str:
    return "" if language.startswith(("zh", "ja")) else " "


def chunk_texts(text: str, language: str, max_tokens: int, overlap: int) -> list[str]:
    """Pack whole sentences into chunks of at most `max_tokens`, repeating up to `overlap`
    tokens of trailing sentences at the start of the next chunk."""
    overlap = min(overlap, max_tokens // 2)
    join = _joiner(language)
    # (text, tokens, starts a line): line breaks survive inside chunks, so quotes never
    # glue a byline or a heading onto the next sentence.
    pieces = [
        (p, n, i == 0 and j == 0)
        for line in _lines(text)
        for i, s in enumerate(line)
        for j, (p, n) in enumerate(_cut(s, max_tokens))
    ]
    chunks: list[str] = []
    current: list[tuple[str, int, bool]] = []
    size = 0
    for piece in pieces:
        n = piece[1]
        if current and size + n > max_tokens:
            chunks.append(_join(current, join))
            carried: list[tuple[str, int, bool]] = []
            carried_size = 0
            for prev in reversed(current):
                if carried_size + prev[1] > overlap or carried_size + prev[1] + n > max_tokens:
                    break
                carried.insert(0, prev)
                carried_size += prev[1]
            current, size = carried, carried_size
        current.append(piece)
        size += n
    if current:
        chunks.append(_join(current, join))
    return chunks


def _join(pieces: list[tuple[str, int, bool]], join: str) -> str:
    out = pieces[0][0]
    for text, _, new_line in pieces[1:]:
        out += ("\n" if new_line else join) + text
    return out


def chunk_article(article: Article, max_tokens: int, overlap: int) -> list[Chunk]:
    """Chunks of one article; ids carry the content hash, so an edit yields new ids."""
    version = article.sha256[:12] or "0"
    return [
        Chunk(
            chunk_id=f"{article.id}#{version}-{pos}",
            article_id=article.id,
            title=article.title,
            language=article.language,
            text=text,
            source=article.source,
            url=article.url,
            published=article.published,
            position=pos,
        )
        for pos, text in enumerate(chunk_texts(article.text, article.language, max_tokens, overlap))
    ]


def embedding_text(chunk: Chunk) -> str:
    """What the embedder sees: the title gives every chunk its story's context."""
    if chunk.title and not chunk.text.startswith(chunk.title):
        return f"{chunk.title}\n{chunk.text}"
    return chunk.text
