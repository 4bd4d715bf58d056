"""The article index: articles in, ranked Passages out. The flow, folder by folder:

    ingest/     files → Articles (decoded, split into stories, cleaned, language-tagged)
                → Chunks (sentence-aware, sized in tokens)
    embedding   which model embeds them (a registry by name; models in encoders.py)
    store/      what is kept on disk: the manifest (which generation is live), one Chroma
                collection and one SQLite catalog per segment
    retrieval/  question → ranked Passages over the live generation (dense + keyword,
                language-bias corrected, distinct articles first)
    building/   plan what changed, embed it, write a new segment, commit it (crash-safe)

Shared by every layer (and by the bot): types.py (Article, Chunk, Passage, ArticleInfo),
protocols.py (the boundaries the bot relies on), errors.py, settings.py, and the text
helpers text.py (scripts, CJK, sentences), language.py and han.py (language detection).

Imports point one way: shared modules ← ingest ← store ← retrieval ← building
(tests/index/test_layout.py keeps it so). This package never imports `bot`, discord or
an LLM client; only store/backend.py imports chromadb.
"""
