"""Indexes written by older newsbots (index/store/upgrades.py): one test per old format.

Each test writes the files as that version wrote them (a small index in tmp_path, the hash
embedder, nothing downloaded), then checks what the current code does with it: upgraded by
the next build with nothing embedded again and nothing lost, or refused with a message that
says what to run, the files untouched.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from bot.settings import Settings
from index.building.builder import build_index, index_status, list_articles
from index.errors import IndexFormatError, NoIndexError
from index.retrieval.reader import IndexReader
from index.retrieval.search import Searcher
from index.store.catalog import catalog_path
from index.store.manifest import load_manifest
from index.store.upgrades import NAME_KEYS, catalog_version

STORIES = {
    "a1": ("Banjir di Jakarta", "Presiden Joko Widodo meninjau banjir di Jakarta Utara. "
           "Sebanyak 1200 warga mengungsi ke sekolah dan masjid terdekat."),
    "a2": ("Новый мост", "Мэр Сергей Собянин открыл новый мост через реку. Движение "
           "по мосту начнётся в понедельник, сообщили в мэрии."),
    "a3": ("Festival film", "Sutradara Garin Nugroho membuka festival film di Yogyakarta "
           "dengan 45 film pendek dari sembilan negara."),
}  # fmt: skip

# Catalog 1 (1 Dec 2026): no float16 copy of each chunk's vector.
CATALOG_1 = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;
CREATE TABLE chunks (row INTEGER PRIMARY KEY, chunk_id TEXT NOT NULL UNIQUE,
                     article_id TEXT NOT NULL, position INTEGER NOT NULL, language TEXT NOT NULL);
CREATE VIRTUAL TABLE terms USING fts5(tokens, tokenize="unicode61 remove_diacritics 0",
                                      detail=none);
CREATE TABLE df (token TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE articles (article_id TEXT NOT NULL UNIQUE, language TEXT NOT NULL,
                       vector BLOB NOT NULL, numbers TEXT NOT NULL);
"""
# Catalog 2 (1-7 Dec 2026): the vectors, but no romanised name keys and no version mark.
CATALOG_2 = CATALOG_1.replace("language TEXT NOT NULL);", "language TEXT NOT NULL,\nvector BLOB);")


def write_articles(folder: Path, ids: list[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for aid in ids:
        title, text = STORIES[aid]
        (folder / f"{aid}.txt").write_text(f"{title}\n\n{text}\n", encoding="utf-8")
    return folder


def make_settings(tmp_path: Path) -> Settings:
    articles = write_articles(tmp_path / "articles", sorted(STORIES))
    return Settings(articles=articles, index_dir=tmp_path / "index", embedding="hash")


def is_name_key(token: str) -> bool:
    return NAME_KEYS[0] <= token < NAME_KEYS[1]


def snapshot(index_dir: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(index_dir)): p.read_bytes() for p in index_dir.rglob("*") if p.is_file()
    }


def chunk_texts(settings: Settings) -> dict[str, str]:
    """Every live chunk's text, by chunk id (what must survive an upgrade)."""
    reader = IndexReader.open(settings)
    try:
        return {c.chunk_id: c.text for c in reader.chunks()}
    finally:
        reader.close()


def downgrade_catalog(path: Path, version: int) -> None:
    """Rewrite a segment's catalog as catalog `version` wrote it: same chunks and articles,
    tokens without name keys, no version mark (and, for 1, no chunk vectors)."""
    new = sqlite3.connect(path)
    chunks = new.execute(
        "SELECT row, chunk_id, article_id, position, language, vector FROM chunks"
    ).fetchall()
    terms = new.execute("SELECT rowid, tokens FROM terms").fetchall()
    articles = new.execute("SELECT * FROM articles").fetchall()
    rows = new.execute("SELECT value FROM meta WHERE key = 'rows'").fetchone()[0]
    new.close()
    path.unlink()
    old = sqlite3.connect(path)
    old.executescript(CATALOG_1 if version == 1 else CATALOG_2)
    for c in chunks:
        old.execute(f"INSERT INTO chunks VALUES ({', '.join('?' * (5 if version == 1 else 6))})",
                    c[:5] if version == 1 else c)  # fmt: skip
    df: dict[str, int] = {}
    for rowid, tokens in terms:
        kept = [t for t in tokens.split() if not is_name_key(t)]
        old.execute("INSERT INTO terms (rowid, tokens) VALUES (?, ?)", (rowid, " ".join(kept)))
        for t in set(kept):
            df[t] = df.get(t, 0) + 1
    old.executemany("INSERT INTO df VALUES (?, ?)", df.items())
    old.executemany("INSERT INTO articles VALUES (?, ?, ?, ?)", articles)
    old.execute("INSERT INTO meta VALUES ('rows', ?)", (rows,))
    old.commit()
    old.close()


def the_catalogs(settings: Settings) -> list[Path]:
    manifest = load_manifest(settings.resolved_index_dir())
    assert manifest is not None
    return [catalog_path(settings.resolved_index_dir(), s.id) for s in manifest.segments]


def test_a_format_1_index_is_upgraded_without_embedding(tmp_path: Path) -> None:
    """Format 1 kept one Chroma collection per generation and each article's chunk ids in
    the manifest; the build copies the stored vectors and deletes the old collection."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    from index.embedding import get_embedder
    from index.ingest.chunking import chunk_article, embedding_text
    from index.ingest.corpus import load_articles
    from index.store.segment_store import add_chunks

    settings = make_settings(tmp_path)
    index_dir = settings.resolved_index_dir()
    found, _ = load_articles(settings.articles, 10 << 20)
    embedder = get_embedder(settings)
    client = chromadb.PersistentClient(
        path=str(index_dir / "chroma" / "gen-000003"),
        settings=ChromaSettings(anonymized_telemetry=False),
    )
    collection = client.create_collection("newsbot_g3", configuration={"hnsw": {"space": "cosine"}})
    entries, texts = {}, {}
    for art in found:
        chunks = chunk_article(art, settings.chunk_tokens, settings.chunk_overlap)
        add_chunks(
            collection,
            chunks,
            embedder.get_text_embedding_batch([embedding_text(c) for c in chunks]),
        )
        texts.update((c.chunk_id, c.text) for c in chunks)
        entries[art.id] = {
            "title": art.title, "language": art.language, "source": art.source, "url": art.url,
            "published": art.published, "sha256": art.sha256,
            "chunk_ids": [c.chunk_id for c in chunks],
        }  # fmt: skip
    (index_dir / "manifest.json").write_text(
        json.dumps({"format": 1, "generation": 3, "collection": "newsbot_g3",
                    "embedding_model": "hash-384", "dim": 384, "built_at": "2026-11-30",
                    "articles_root": str(settings.articles), "articles": entries, "sources": {}})
    )  # fmt: skip
    del client
    for serve in (IndexReader.open, index_status, list_articles):
        with pytest.raises(NoIndexError, match="older newsbot.*`newsbot index build`"):
            serve(settings)

    report = build_index(settings)
    assert (report.unchanged, report.added, report.chunks_embedded) == (3, 0, 0)
    assert not (index_dir / "chroma" / "gen-000003").exists()
    assert load_manifest(index_dir).generation == 4  # type: ignore[union-attr]
    assert {a.id: a.title for a in list_articles(settings)} == {k: v[0] for k, v in STORIES.items()}
    assert chunk_texts(settings) == texts
    assert Searcher(settings).search("Sobyanin jembatan", k=3)


def test_catalog_1_is_refused_for_serving_and_upgraded_by_the_build(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    build_index(settings)
    texts = chunk_texts(settings)
    for path in the_catalogs(settings):
        downgrade_catalog(path, 1)
        assert catalog_version(path) == 1
    with pytest.raises(NoIndexError, match="older newsbot.*`newsbot index build`"):
        IndexReader.open(settings)

    report = build_index(settings)
    assert (report.unchanged, report.chunks_embedded) == (3, 0)
    assert [catalog_version(p) for p in the_catalogs(settings)] == [3]
    assert chunk_texts(settings) == texts
    top = Searcher(settings).search("Garin Nugroho festival", k=1)
    assert top and top[0].article_id == "a3"


def test_catalog_2_is_served_and_gains_the_name_keys_at_the_next_build(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    build_index(settings)
    texts = chunk_texts(settings)
    before = [p.chunk_id for p in Searcher(settings).search("banjir Jakarta", k=3)]
    for path in the_catalogs(settings):
        downgrade_catalog(path, 2)
        assert catalog_version(path) == 2
    assert [p.chunk_id for p in Searcher(settings).search("banjir Jakarta", k=3)] == before

    report = build_index(settings)
    assert (report.unchanged, report.chunks_embedded) == (3, 0)
    (path,) = the_catalogs(settings)
    assert catalog_version(path) == 3
    db = sqlite3.connect(path)
    assert db.execute(
        "SELECT count(*) FROM df WHERE token >= ? AND token < ?", NAME_KEYS
    ).fetchone()[0]
    db.close()
    assert chunk_texts(settings) == texts
    assert [p.chunk_id for p in Searcher(settings).search("banjir Jakarta", k=3)] == before


def test_a_current_catalog_without_its_version_mark_is_left_alone(tmp_path: Path) -> None:
    """Catalogs written 7-9 Dec 2026 hold the name keys but no version: nothing to upgrade."""
    settings = make_settings(tmp_path)
    build_index(settings)
    (path,) = the_catalogs(settings)
    db = sqlite3.connect(path)
    db.execute("DELETE FROM meta WHERE key = 'version'")
    db.commit()
    db.close()
    assert catalog_version(path) == 3
    generation = load_manifest(settings.resolved_index_dir()).generation  # type: ignore[union-attr]
    build_index(settings)
    assert load_manifest(settings.resolved_index_dir()).generation == generation  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("manifest", "message"),
    [
        ('{"format": 3, "generation": 9}', r"newer newsbot \(format 3"),
        ('{"format": 2, "generation": 4, "embed', "cannot be read"),
        ('{"format": 2, "generation": 4}', "cannot be read"),
        ("[1, 2]", "cannot be read"),
    ],
    ids=["newer", "truncated", "fields-missing", "not-an-object"],
)
def test_a_newer_or_damaged_index_is_refused_and_left_as_it_is(
    tmp_path: Path, manifest: str, message: str
) -> None:
    settings = make_settings(tmp_path)
    index_dir = settings.resolved_index_dir()
    build_index(settings)
    (index_dir / "manifest.json").write_text(manifest, encoding="utf-8")
    files = snapshot(index_dir)
    for run in (IndexReader.open, index_status, build_index):
        with pytest.raises(IndexFormatError, match=message) as caught:
            run(settings)
        assert "`newsbot index build --full`" in str(caught.value)
    assert {k: v for k, v in snapshot(index_dir).items() if k != "build.lock"} == {
        k: v for k, v in files.items() if k != "build.lock"
    }

    report = build_index(settings, full=True)
    assert report.added == 3 and index_status(settings).articles == 3
