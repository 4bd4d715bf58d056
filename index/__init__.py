"""The article index: read, clean, detect language, chunk, embed, store, search.

This package never imports `bot`, discord or an LLM client.
"""
