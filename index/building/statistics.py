"""Per-build updates of what the manifest keeps about the articles as a whole: the
per-language sums of article vectors (the language centring, index/retrieval/fusion.py) and the
near-duplicate pairs (index/building/dedup.py). Both cost what changed: the vectors of replaced
articles come from their segments' catalogs, and new articles are compared with the articles
of their nearest chunks in the store only.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from index.building.dedup import NEIGHBOURS, find_duplicates
from index.retrieval.fusion import LanguageCentres, augment_query
from index.store.catalog import Catalog, catalog_path
from index.store.manifest import ArticleEntry, LanguageSum, Manifest

if TYPE_CHECKING:
    from index.building.plan import Plan
    from index.building.segment_writer import SegmentWriter
    from index.store.backend import Backend
    from index.store.interfaces import VectorStore

log = logging.getLogger(__name__)

QUERY_BATCH = 500  # neighbour queries sent to the store at once


def _old_vectors(
    backend: Backend, entries: dict[str, ArticleEntry]
) -> dict[str, tuple[str, np.ndarray]]:
    """(language, vector) of replaced articles, read from the catalogs of their segments."""
    by_segment: dict[int, list[str]] = {}
    for aid, entry in entries.items():
        by_segment.setdefault(entry.segment, []).append(aid)
    out: dict[str, tuple[str, np.ndarray]] = {}
    for seg, ids in by_segment.items():
        path = catalog_path(backend.index_dir, seg)
        if not path.exists():
            continue
        catalog = Catalog(path)
        try:
            out.update((a, (r.language, r.vector)) for a, r in catalog.articles(ids).items())
        finally:
            catalog.close()
    return out


def updated_stats(
    backend: Backend,
    base: Manifest | None,
    plan: Plan,
    writer: SegmentWriter | None,
    new_ids: Sequence[str],
) -> dict[str, LanguageSum]:
    """The language sums of the new generation: the old ones, minus the articles replaced
    or removed, plus the new and changed ones."""
    sums: dict[str, np.ndarray] = {}
    counts: dict[str, int] = {}
    if base is not None:
        for lang, s in base.stats.items():
            sums[lang] = np.asarray(s.vector_sum, dtype=np.float64)
            counts[lang] = s.articles
        for lang, vec in _old_vectors(backend, plan.replaced).values():
            if lang in sums:
                sums[lang] = sums[lang] - vec
                counts[lang] -= 1
    for aid in new_ids:
        got = writer.articles.get(aid) if writer is not None else None
        if got is None:
            continue
        sums.setdefault(got.language, np.zeros(len(got.vector)))
        sums[got.language] = sums[got.language] + got.vector
        counts[got.language] = counts.get(got.language, 0) + 1
    return {
        lang: LanguageSum(counts[lang], [float(x) for x in sums[lang]])
        for lang in sorted(sums)
        if counts.get(lang, 0) > 0
    }


def find_new_duplicates(
    manifest: Manifest,
    plan: Plan,
    writer: SegmentWriter | None,
    backend: Backend,
    new_ids: Sequence[str],
) -> None:
    """Unlink the replaced articles from their partners, then find and store the
    near-duplicates of the new and changed articles (in `manifest.articles`)."""
    entries = manifest.articles
    for aid, old in plan.replaced.items():
        for partner in old.duplicates:
            if partner in entries and partner not in new_ids:
                entries[partner].duplicates = [d for d in entries[partner].duplicates if d != aid]
    if writer is None or not new_ids:
        return
    stats = manifest.stats
    centres = LanguageCentres(
        {k: v.vector_sum for k, v in stats.items()}, {k: v.articles for k, v in stats.items()}
    )
    new = {
        aid: (centres.centred_article(a.vector, a.language), a.numbers)
        for aid in new_ids
        if (a := writer.articles.get(aid)) is not None
    }
    owner = {cid: aid for aid, a in writer.articles.items() for cid in a.chunk_ids}
    stores: dict[int, tuple[VectorStore, Catalog | None]] = {}
    for seg in manifest.segments:
        if seg.id == writer.segment:
            assert writer.store is not None
            stores[seg.id] = (writer.store, None)
        else:
            stores[seg.id] = (
                backend.open(seg.id),
                Catalog(catalog_path(backend.index_dir, seg.id)),
            )

    def neighbours(ids: list[str]) -> dict[str, set[str]]:
        found: dict[str, set[str]] = {a: set() for a in ids}
        for seg in manifest.segments:
            store, catalog = stores[seg.id]
            for start in range(0, len(ids), QUERY_BATCH):
                part = ids[start : start + QUERY_BATCH]
                queries = np.stack(
                    [
                        augment_query(new[a][0], centres.offsets(new[a][0]), seg.languages)
                        for a in part
                    ]
                )
                n = min(NEIGHBOURS, seg.rows)
                results = store.query_many(queries, n)
                chunk_ids = sorted({cid for hits in results for cid, _ in hits})
                if catalog is not None:
                    rows = catalog.chunks(chunk_ids)
                    art_of = {cid: r.article_id for cid, r in rows.items()}
                else:
                    art_of = {cid: owner[cid] for cid in chunk_ids if cid in owner}
                for a, hits in zip(part, results, strict=True):
                    found[a].update(
                        b
                        for cid, _ in hits
                        if (b := art_of.get(cid)) and b in entries and entries[b].segment == seg.id
                    )
        return found

    def known(ids: set[str]) -> dict[str, tuple[np.ndarray, frozenset[str]]]:
        out: dict[str, tuple[np.ndarray, frozenset[str]]] = {}
        by_segment: dict[int, list[str]] = {}
        for b in ids:
            by_segment.setdefault(entries[b].segment, []).append(b)
        for seg_id, group in by_segment.items():
            if seg_id == writer.segment:
                rows = {b: writer.articles[b] for b in group if b in writer.articles}
            else:
                catalog = stores[seg_id][1]
                assert catalog is not None
                rows = catalog.articles(group)  # type: ignore[assignment]
            for b, r in rows.items():
                out[b] = (centres.centred_article(r.vector, r.language), frozenset(r.numbers))
        return out

    try:
        pairs = find_duplicates(new, neighbours, known)
    finally:
        for seg_id, (_, catalog) in stores.items():
            if catalog is not None:
                catalog.close()
                backend.close(seg_id)
    for article_id, partners in pairs.items():
        entry = entries[article_id]
        entry.duplicates = sorted(set(entry.duplicates) | partners)
    log.info("near-duplicates: %d articles checked, %d have one", len(new), len(pairs))
