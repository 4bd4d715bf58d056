"""Ingest — the first step of a build: article files → Articles → Chunks.

    corpus.py    find the files, run the steps below, one Article per story
    decoding.py  bytes → text, the encoding detected (BOM, UTF-8, legacy code pages)
    formats.py   text → raw records per format (.txt/.md, .html, .json, .jsonl)
    html.py      a page → its story (trafilatura); jsonl.py: a JSONL export, streamed
    clean.py     strip boilerplate and conversion artifacts (labels.py: per-language wording)
    chunking.py  sentence-aware chunks sized in tiktoken tokens

Language tagging uses index/language.py (shared with the question side). Nothing here
touches the store: building/plan.py calls corpus.py and hands the Articles on.
"""
