"""The answer layer: passages → a cited Answer (extractive or LLM), with conversation."""
