"""Evaluation: retrieval and answer quality on question sets."""
