"""The trained answer model (model.py): a small head on the bundled encoder's vectors that
scores "this sentence answers the question". Trained by training/ (see its README)."""
