"""What a build has to do: which articles are new, changed, unchanged or gone.

Unchanged source files (same bytes) are not read again; in a changed file, an article whose
content hash is unchanged keeps its place in its segment. New and changed articles are
spooled to disk (index/building/spool.py) for the writer; an older index being upgraded
(index/store/upgrades.py) offers its stored chunks, which are copied instead of embedded.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

from index.building.report import BuildProgress, BuildReport
from index.building.spool import ArticleSpool
from index.errors import UsageError
from index.settings import IndexSettings
from index.store.manifest import ArticleEntry, Manifest, SourceEntry
from index.types import Article, SkippedFile, carry


@dataclass
class Plan:
    """What the new generation holds, and what has to be written for it."""

    entries: dict[str, ArticleEntry] = field(default_factory=dict)
    sources: dict[str, SourceEntry] = field(default_factory=dict)
    spool: ArticleSpool | None = None  # new and changed articles (and stored ones to copy)
    replaced: dict[str, ArticleEntry] = field(default_factory=dict)  # old entries gone
    skipped: list[dict[str, str]] = field(default_factory=list)


def _entry(article: Article) -> ArticleEntry:
    return carry(article, ArticleEntry)


def make_plan(
    settings: IndexSettings,
    old: Manifest | None,
    report: BuildReport,
    progress: Callable[[BuildProgress], None],
    reusable: Mapping[str, tuple[str, list[str]]] | None = None,
) -> Plan:
    """Read what changed; new and changed articles go to the spool, the rest is kept as is."""
    from index.ingest.corpus import iter_source, scan_sources

    root = settings.articles.expanduser()
    if not root.exists():
        raise UsageError(
            f"Articles not found at {root} — put articles there or pass --articles PATH."
        )
    max_bytes = int(settings.max_file_mb * 1024 * 1024)
    files, skipped = scan_sources(root, max_bytes)
    files = list(files)
    plan = Plan(skipped=[{"source": s.source, "reason": s.reason} for s in skipped])
    plan.spool = ArticleSpool(settings.resolved_index_dir())
    old_articles = old.articles if old else {}
    old_sources = old.sources if old else {}
    reused = reusable or {}  # an older index's chunks (index/store/upgrades.py)

    def keep(aid: str, prior: ArticleEntry) -> None:
        plan.entries[aid] = replace(prior, duplicates=list(prior.duplicates))
        report.unchanged += 1

    for i, sf in enumerate(files, 1):
        previous = old_sources.get(sf.source)
        if previous is not None and previous.sha256 == sf.sha256:
            # Unchanged bytes: reuse what the last build read, without reading again.
            plan.sources[sf.source] = previous
            plan.skipped.extend(previous.skipped)
            for aid in previous.articles:
                if aid in old_articles and aid not in plan.entries:
                    keep(aid, old_articles[aid])
            progress(BuildProgress("read", i, len(files)))
            continue
        entry = SourceEntry(sha256=sf.sha256)
        for art in iter_source(sf):  # one story at a time: an export is streamed
            if isinstance(art, SkippedFile):
                entry.skipped.append({"source": art.source, "reason": art.reason})
                continue
            if art.id in plan.entries:
                entry.skipped.append(
                    {"source": art.source, "reason": f"duplicate article id {art.id!r}"}
                )
                continue
            entry.articles.append(art.id)
            prior = old_articles.get(art.id)
            if prior is not None and prior.sha256 == art.sha256:
                keep(art.id, prior)
                continue
            plan.entries[art.id] = _entry(art)
            if art.id in reused and reused[art.id][0] == art.sha256:
                plan.spool.add(art, reused[art.id][1])  # stored vectors, copied not embedded
                report.unchanged += 1
                continue
            plan.spool.add(art)
            if prior is None and art.id not in reused:
                report.added += 1
            else:
                report.updated += 1
                if prior is not None:
                    plan.replaced[art.id] = prior
        plan.sources[sf.source] = entry
        plan.skipped.extend(entry.skipped)
        progress(BuildProgress("read", i, len(files)))
    gone = (set(old_articles) | set(reused)) - set(plan.entries)
    plan.replaced.update((a, old_articles[a]) for a in gone if a in old_articles)
    report.removed = len(gone)
    report.skipped = plan.skipped
    return plan
