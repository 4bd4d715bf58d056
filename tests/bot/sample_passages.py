"""Hand-made Passages cut from the real sample articles (no index, no model needed)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from index.ingest.chunking import chunk_article
from index.ingest.clean import clean_text
from index.language import detect_language
from index.types import Article, ArticleInfo, Chunk, Passage

ARTICLES = Path(__file__).resolve().parents[2] / "articles"


@lru_cache(maxsize=1)
def sample_chunks() -> tuple[Chunk, ...]:
    chunks: list[Chunk] = []
    for path in sorted(ARTICLES.glob("*.txt")):
        text = clean_text(path.read_text(encoding="utf-8"))
        title = text.strip().splitlines()[0].strip()
        article = Article(
            id=path.stem,
            title=title,
            text=text,
            language=detect_language(text),
            source=f"articles/{path.name}",
            sha256="test",
        )
        chunks.extend(chunk_article(article, max_tokens=220, overlap=40))
    return tuple(chunks)


def passage(article: str, contains: str, score: float, also_in: tuple[str, ...] = ()) -> Passage:
    """The first chunk of the article whose id starts with `article` and holds `contains`."""
    for c in sample_chunks():
        if c.article_id.startswith(article) and contains in c.text:
            return Passage(
                article_id=c.article_id,
                chunk_id=c.chunk_id,
                title=c.title,
                language=c.language,
                text=c.text,
                source=c.source,
                url=c.url,
                score=score,
                position=c.position,
                also_in=[a for a in article_ids() if a.startswith(also_in)] if also_in else [],
            )
    raise LookupError(f"no chunk of {article} contains {contains!r}")


def article_ids() -> list[str]:
    return sorted({c.article_id for c in sample_chunks()})


class KeywordSearcher:
    """A searcher over the sample chunks with the index's real keyword (BM25) index.

    Scores are the share of the question's keyword weight a chunk holds (0..1), so
    off-topic questions score low. For engine tests that should not load the embedder.
    """

    def __init__(self) -> None:
        from index.retrieval.keyword import KeywordIndex

        self.chunks = sample_chunks()
        self.index = KeywordIndex([f"{c.title}\n{c.text}" for c in self.chunks])
        self.queries: list[str] = []

    def embedder(self):  # noqa: ANN201 - the hash encoder: sentence meaning without a model
        from index.encoders import HashEncoder

        return HashEncoder()

    def generation(self) -> int:
        return 0  # one fixed generation

    def duplicates(self, article_id: str) -> list[str]:
        return []

    def article_passages(self, article_id: str, score: float = 0.0) -> list[Passage]:
        return [_passage(c, score) for c in self.chunks if c.article_id == article_id]

    def baseline(self, query: str, k: int = 6) -> list[Passage]:
        return self.search(query, k)

    def articles(self) -> list[ArticleInfo]:
        seen = {c.article_id: c for c in reversed(self.chunks)}
        return [
            ArticleInfo(c.article_id, c.title, c.language, c.source, c.url, c.published, 1)
            for c in seen.values()
        ]

    def search(self, query: str, k: int = 6, languages: list[str] | None = None) -> list[Passage]:
        self.queries.append(query)
        coverage = self.index.coverage(query)
        hits = sorted(self.index.search(query, k * 3), key=lambda h: (-coverage[h[0]], -h[1]))
        out: list[Passage] = []
        seen: dict[str, int] = {}
        for row, _ in hits:
            cov = float(coverage[row])
            c = self.chunks[row]
            if seen.get(c.article_id, 0) >= 2:
                continue
            seen[c.article_id] = seen.get(c.article_id, 0) + 1
            out.append(_passage(c, cov))
            if len(out) == k:
                break
        return out


def _passage(c: Chunk, score: float) -> Passage:
    return Passage(
        c.article_id,
        c.chunk_id,
        c.title,
        c.language,
        c.text,
        c.source,
        c.url,
        score=score,
        position=c.position,
    )
