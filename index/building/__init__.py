"""Build — incremental, crash-safe (re)build of the index: the last step of the flow.

    builder.py         `build_index` / `index_status` / `list_articles`: the entry points
    plan.py            which articles are new, changed, unchanged or gone (spool.py keeps
                       the new ones on disk until they are embedded)
    generation.py      write one new generation, then commit it (the manifest swap)
    segment_writer.py  one new segment: vectors to the store, rows to its catalog
    compaction.py      which small segments the new one absorbs
    statistics.py      language sums and near-duplicates (dedup.py), updated per build
    bulk.py            import chunks embedded elsewhere (benchmarks, tests)
    report.py          what a build and `status` report

Uses ingest/ (reading), the embedding registry, store/ (writing) and retrieval/'s
fusion and keyword tokenisation (so chunks are indexed the way questions are scored).
"""
