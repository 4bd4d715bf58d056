"""Extractive answers: evidence sentences chosen, quoted and cited, no LLM."""
