"""`newsbot eval`: question sets in (questions.py, xquad.py), the engine run on them
(evaluate.py, xquad_run.py), scored against gold afterwards (matching.py, metrics.py) and
shown (report.py)."""
