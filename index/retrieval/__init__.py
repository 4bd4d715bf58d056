"""Retrieval — the question side: question → ranked Passages over the live generation.

    search.py      `Searcher`: the entry point the bot uses (index/protocols.py `Retriever`)
    reader.py      the live generation, read-only, reopened when a build commits
    candidates.py  dense candidates per segment + keyword candidates from the catalogs
    fusion.py      language-bias correction of the embeddings, and the fused score
    keyword.py     tokenisation across scripts (the same for chunks and questions)

Reads store/; the build reuses fusion.py and keyword.py so chunks are indexed the way
questions are scored.
"""
