"""Near-duplicate articles: the same story in two languages (a translation), not just the
same topic.

Two articles are near-duplicates when
- their language-centered article vectors (index/fusion.py) have cosine ≥ ``DUP_COSINE``:
  the same content once the language component is removed, and
- the *numbers* they carry (dates, amounts, ages), which survive translation unchanged,
  overlap: Jaccard ≥ ``DUP_NUMBERS``. Two reports of one event share a date or two; a
  translation keeps all of them. On the samples the Indonesian/Russian translation pair
  (001/003) has Jaccard 1.0 and centered cosine 0.92; every other pair, all about the same
  event, has Jaccard ≤ 0.17. Names were tried too but separate less well: a short article
  mentions few names, and all of them appear in any longer report of the same story.

Articles in the same language are compared too (a syndicated copy is a duplicate as well).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

DUP_COSINE = 0.85  # centered article vectors must be at least this close ...
DUP_NUMBERS = 0.6  # ... and share this Jaccard of their numbers
MIN_NUMBERS = 2  # with fewer numbers than this, the vectors alone decide:
ALONE_COSINE = 0.96
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def numbers(text: str) -> set[str]:
    """The numbers of a text, with "," and "." unified (1,5 and 1.5 are one number)."""
    return {m.group().replace(",", ".") for m in _NUMBER.finditer(text)}


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def near_duplicates(
    article_ids: Sequence[str], vectors: np.ndarray, texts: Sequence[str]
) -> dict[str, list[str]]:
    """Map every article id to the ids of its near-duplicates (empty list when none)."""
    ids = list(article_ids)
    out: dict[str, list[str]] = {a: [] for a in ids}
    if len(ids) < 2:
        return out
    sims = np.asarray(vectors, dtype=np.float32) @ np.asarray(vectors, dtype=np.float32).T
    sets = [numbers(t) for t in texts]
    for i in range(len(ids)):
        for j in range(i + 1, len(ids)):
            if is_duplicate(float(sims[i, j]), sets[i], sets[j]):
                out[ids[i]].append(ids[j])
                out[ids[j]].append(ids[i])
    return out


def is_duplicate(cosine: float, a: set[str], b: set[str]) -> bool:
    """Near-duplicate test on centered article cosine and the two articles' number sets."""
    if min(len(a), len(b)) < MIN_NUMBERS:
        return cosine >= ALONE_COSINE
    return cosine >= DUP_COSINE and jaccard(a, b) >= DUP_NUMBERS
