"""Near-duplicate articles: the same story in two languages (a translation), not just the
same topic.

Two articles are near-duplicates when
- their language-centered article vectors (index/retrieval/fusion.py) have cosine ≥ ``DUP_COSINE``:
  the same content once the language component is removed, and
- the *numbers* they carry (dates, amounts, ages), which survive translation unchanged,
  overlap: Jaccard ≥ ``DUP_NUMBERS``. Two reports of one event share a date or two; a
  translation keeps all of them. On the samples the Indonesian/Russian translation pair
  (001/003) has Jaccard 1.0 and centered cosine 0.92; every other pair, all about the same
  event, has Jaccard ≤ 0.17. Names were tried too but separate less well: a short article
  mentions few names, and all of them appear in any longer report of the same story.

Articles in the same language are compared too (a syndicated copy is a duplicate as well).

At build time (``find_duplicates``) each new or changed article is compared only with the
articles of its nearest chunks in the store (``NEIGHBOURS`` per segment), and the pairs are
stored in the manifest: nothing is compared at question time, nothing pairwise over the
whole collection. ``near_duplicates`` is the same test over a small fixed set, all pairs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from collections.abc import Set as AbstractSet

import numpy as np

DUP_COSINE = 0.85  # centered article vectors must be at least this close ...
DUP_NUMBERS = 0.6  # ... and share this Jaccard of their numbers
MIN_NUMBERS = 2  # with fewer numbers than this, the vectors alone decide:
ALONE_COSINE = 0.96
# Nearest chunks asked of each segment per new article: its near-duplicates' chunks are
# among the closest (a translation is closer than any other story). On xquad-xling's
# corpus.jsonl (893 passages, 1-5 language versions each) the build found exactly the 124
# pairs the former all-pairs pass found.
NEIGHBOURS = 20
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def numbers(text: str) -> set[str]:
    """The numbers of a text, with "," and "." unified (1,5 and 1.5 are one number)."""
    return {m.group().replace(",", ".") for m in _NUMBER.finditer(text)}


def jaccard(a: AbstractSet[str], b: AbstractSet[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def is_duplicate(cosine: float, a: AbstractSet[str], b: AbstractSet[str]) -> bool:
    """Near-duplicate test on centered article cosine and the two articles' number sets."""
    if min(len(a), len(b)) < MIN_NUMBERS:
        return cosine >= ALONE_COSINE
    return cosine >= DUP_COSINE and jaccard(a, b) >= DUP_NUMBERS


def find_duplicates(
    new: Mapping[str, tuple[np.ndarray, frozenset[str]]],
    neighbours: Callable[[list[str]], dict[str, set[str]]],
    known: Callable[[set[str]], dict[str, tuple[np.ndarray, frozenset[str]]]],
) -> dict[str, set[str]]:
    """Near-duplicate pairs of the `new` articles (id -> (centred vector, numbers)).

    `neighbours(ids)` gives, per new article, the ids of the articles owning its nearest
    chunks in the store; `known(ids)` gives the centred vectors and numbers of those.
    Returns the symmetric pairs as id -> set of ids (only articles that have one)."""
    near = neighbours(list(new))
    wanted = {b for ids in near.values() for b in ids} - set(new)
    others = {**known(wanted), **new}
    pairs: dict[str, set[str]] = {}
    for a, ids in near.items():
        vec_a, nums_a = new[a]
        for b in ids:
            if b == a or b not in others:
                continue
            vec_b, nums_b = others[b]
            if is_duplicate(float(vec_a @ vec_b), nums_a, nums_b):
                pairs.setdefault(a, set()).add(b)
                pairs.setdefault(b, set()).add(a)
    return pairs
