"""Which segments a build folds into its new segment, and which ones it may delete.

A build writes one new segment holding what changed. Left alone, segments would pile up
(one store query each per question) and keep the dead older versions of edited articles.
So the new segment also *absorbs* (copies the live chunks of) older segments, smallest
first, when

- the segment holds no more than ``MERGE_RATIO`` times what the new segment holds so far,
  counting the new segment as at least ``MERGE_FLOOR`` chunks: segments then grow
  geometrically, like a binary counter whose unit is the floor, so a chunk is copied
  O(log n) times over the life of the index and there are O(log n) segments; or
- most of its rows are dead (older versions of edited or removed articles).

A small index is therefore rewritten whole by every build (cheap), and a large one mostly
copies only its small segments; now and then a build also merges a larger one. The
constants are costs, not quality; see docs/scale.md for what a build copies.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from index.store.manifest import Manifest, SegmentEntry

MERGE_FLOOR = 2000  # live chunks
MERGE_RATIO = 2.0


@dataclass(frozen=True)
class Absorb:
    segments: list[SegmentEntry]
    chunks: int  # live chunks to copy


def choose_absorbed(
    segments: list[SegmentEntry],
    live: dict[int, int],
    new_chunks: int,
    required: Collection[int] = (),
) -> Absorb:
    """The segments whose live chunks go into the new segment (see the module docstring);
    ``required`` ones always (an older version's, index/store/upgrades.py)."""
    chosen: list[SegmentEntry] = []
    size = max(new_chunks, MERGE_FLOOR)
    for seg in sorted(segments, key=lambda s: (s.id not in required, live.get(s.id, 0), s.id)):
        n = live.get(seg.id, 0)
        if seg.id in required or n <= MERGE_RATIO * size or seg.rows - n > n:
            chosen.append(seg)
            size += n
    copied = sum(live.get(s.id, 0) for s in chosen)
    return Absorb(chosen, copied)


def referenced(manifest: Manifest | None) -> set[int]:
    """Segments a committed manifest needs: its own, and its predecessor's (readers that
    have not reopened yet still read those)."""
    if manifest is None:
        return set()
    return {s.id for s in manifest.segments} | set(manifest.retained)
