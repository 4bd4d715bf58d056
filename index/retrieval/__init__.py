"""Retrieval: question → ranked Passages (dense + keyword, language-corrected, diverse)."""
