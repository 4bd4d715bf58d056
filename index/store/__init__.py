"""Store: the persisted index — manifest, segments in Chroma, per-segment catalogs."""
