"""Ingest: article files → cleaned, language-tagged Articles → Chunks."""
