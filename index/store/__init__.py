"""Store — what the index keeps on disk, and the only place that talks to the vector store.

    manifest.py       the one file saying which generation (list of segments) is live
    backend.py        Chroma, embedded on disk or a server: creates, opens, drops segments
                      (the only module importing chromadb)
    interfaces.py     VectorStore: what building/ and retrieval/ ask of one segment's store
    segment_store.py  its Chroma implementation, queried through llama-index
    catalog.py        one segment's SQLite catalog: keyword tokens, article rows, vectors

Written by building/, read by retrieval/; imports neither.
"""
