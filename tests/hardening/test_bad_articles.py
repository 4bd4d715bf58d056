"""Bad article files: each is skipped (or read) with a reason in the build report, and the
rest of the build completes. Nothing hangs, recurses too deeply or reads a huge file."""

from __future__ import annotations

import json
import os
import time
import tracemalloc
from pathlib import Path

from index.building.builder import build_index, list_articles
from index.ingest.corpus import load_articles, scan_sources
from index.retrieval.reader import IndexReader
from index.types import Article
from tests.hardening.corpus import copy_samples, make_settings, write_files

MB = 1024 * 1024
RUSSIAN = "Мэрия закрыла старый мост, чтобы построить новый через реку."
CHINESE = "市政府宣布擴建港口，新增四座貨櫃碼頭，預計五年內完工。"


def bad_files(outside: Path) -> dict[str, str | bytes]:
    (outside / "secret.txt").write_text("Secret title\nThe password is hunter2.\n")
    deep_json = "[" * 200_000 + "]" * 200_000
    good_line = json.dumps({"id": "ok1", "title": "Fine line", "text": "A fine JSONL story."})
    dup_line = json.dumps({"id": "ok1", "title": "Dup", "text": "Same id again."})
    return {
        "binary.txt": os.urandom(4096) + b"\x00" * 64,
        "empty.txt": b"",
        "blank.md": b"  \n\n\t \n",
        "truncated.txt": f"Мост закрыт\n{RUSSIAN}".encode()[:-1],
        "lying_meta.html": (
            '<html><head><meta charset="iso-8859-1"><title>港口擴建</title></head>'
            f"<body><p>{CHINESE}</p></body></html>"
        ).encode(),
        "lying_meta_1251.html": (
            '<html><head><meta charset="utf-8"><title>Мост</title></head>'
            f"<body><p>{RUSSIAN}</p></body></html>"
        ).encode("cp1251"),
        "deep.json": deep_json.encode(),
        "deep_page.html": (
            "<h1>Deep page</h1>" + "<div>" * 50_000 + "Deep text inside many divs." + "</div>" * 9
        ).encode(),
        "malformed.html": b"<html><body><p>Unclosed <b>bold <i>story on the port<script>var x=",
        "broken.json": b'{"id": "b", "text": "unterminated',
        "not_article.json": b"[1, 2, 3]",
        "export.jsonl": "\n".join(
            [good_line, "{not json", deep_json, dup_line, '{"id": "no_text"}', "[]", ""]
        ).encode(),
        "ok1.txt": b"Clash\nA text file whose id collides with the JSONL record ok1.\n",
    }


def test_bad_files_are_skipped_with_reasons_and_the_rest_is_indexed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    articles = copy_samples(tmp_path / "articles")
    write_files(articles, bad_files(outside))
    (articles / "escape.txt").symlink_to(outside / "secret.txt")
    (articles / "etc_passwd.txt").symlink_to("/etc/passwd")
    (articles / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    (articles / "outside_dir").symlink_to(outside, target_is_directory=True)
    os.mkfifo(articles / "fifo.txt")  # would block a naive read forever
    with open(articles / "huge.txt", "wb") as fh:  # 100 MB, sparse: no disk used
        fh.truncate(100 * MB)

    settings = make_settings(tmp_path, articles, max_file_mb=5)
    started = time.perf_counter()
    report = build_index(settings)
    assert time.perf_counter() - started < 120

    reasons = {}
    for s in report.skipped:
        # sources are named from the articles folder: "articles/binary.txt"
        reasons.setdefault(s["source"].removeprefix("articles/"), []).append(s["reason"])
    flat = {k: " | ".join(v) for k, v in reasons.items()}
    assert "binary" in flat["binary.txt"]
    assert "empty" in flat["empty.txt"] and "blank.md" in flat
    assert "too large" in flat["huge.txt"]
    assert "not a regular file" in flat["fifo.txt"]
    assert "outside the articles folder" in flat["escape.txt"]
    assert "outside the articles folder" in flat["etc_passwd.txt"]
    assert "broken symlink" in flat["dangling.txt"]
    assert "nested too deeply" in flat["deep.json"]
    assert "invalid JSON" in flat["broken.json"]
    assert flat["not_article.json"]
    export = flat["export.jsonl"]
    assert "line 2: invalid JSON" in export and "line 3: invalid JSON (nested" in export
    assert "line 4: duplicate id 'ok1'" in export and "line 5: missing text" in export
    assert "line 6: not a JSON object" in export
    assert "duplicate article id 'ok1'" in flat["ok1.txt"]
    assert all(r for rs in reasons.values() for r in rs)
    json.dumps(report.to_json())

    indexed = {a.id: a for a in list_articles(settings)}
    samples = {p.stem for p in (tmp_path / "articles").glob("0*.txt")}
    assert samples <= set(indexed)
    # readable-but-odd files were read correctly, not as mojibake
    assert indexed["truncated"].language == "ru"
    assert indexed["lying_meta"].language.startswith("zh")
    assert indexed["lying_meta_1251"].language == "ru"
    assert "deep_page" in indexed and "malformed" in indexed and "ok1" in indexed
    assert indexed["ok1"].source == "articles/export.jsonl#ok1"
    reader = IndexReader.open(settings)
    texts = " ".join(c.text for c in reader.chunks())
    reader.close()
    assert "hunter2" not in texts and "root:" not in texts  # nothing read through symlinks
    assert RUSSIAN[:20] in texts and "Deep text inside many divs." in texts
    assert "var x" not in texts

    # the next build reads nothing new and keeps reporting the same skips
    again = build_index(settings)
    assert again.chunks_embedded == 0 and again.added == 0
    assert {s["source"].removeprefix("articles/") for s in again.skipped} == set(reasons)


def test_a_100_mb_file_is_skipped_by_size_without_being_read(tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    articles.mkdir()
    with open(articles / "huge.txt", "wb") as fh:
        fh.truncate(100 * MB)
    (articles / "small.txt").write_text("Small\nA small story about solar power.\n")
    tracemalloc.start()
    started = time.perf_counter()
    files, skipped = scan_sources(articles, 20 * MB)
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert [f.source for f in files] == ["articles/small.txt"]
    assert skipped[0].source == "articles/huge.txt" and "too large: 100.0 MB" in skipped[0].reason
    assert "JSONL" in skipped[0].reason  # the message says what to do instead
    assert elapsed < 1.0 and peak < 5 * MB


def test_a_100_mb_binary_export_is_hashed_and_skipped_in_small_memory(tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    articles.mkdir()
    with open(articles / "huge.jsonl", "wb") as fh:  # sparse: NUL bytes, no disk used
        fh.truncate(100 * MB)
    tracemalloc.start()
    found, skipped = load_articles(articles, 20 * MB)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert found == []
    assert [(s.source, s.reason[:11]) for s in skipped] == [("articles/huge.jsonl", "binary file")]
    assert peak < 5 * MB


def _export(path: Path, n: int, over_limit_at: int, limit: int) -> None:
    """n articles of ~1.2 KB each, one line; the record at `over_limit_at` is over `limit`."""
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            if i == over_limit_at:
                text = "word " * (limit // 5 + 1000)
            else:
                text = " ".join(
                    f"Report {i} on harbour works, section {j}: cranes, berths and budgets."
                    for j in range(16)
                )
            fh.write(json.dumps({"id": f"r{i}", "title": f"Report {i}", "text": text}) + "\n")


def test_an_export_over_the_limit_is_streamed_in_bounded_memory(tmp_path: Path) -> None:
    """NEWSBOT_MAX_FILE_MB limits one article: an 8 MB export under a 0.5 MB limit is read
    whole, one over-limit record is skipped with its reason, and memory stays far below the
    size of the file while it is read."""
    from index.ingest.corpus import iter_source

    limit = MB // 2
    path = tmp_path / "export.jsonl"
    _export(path, 7000, over_limit_at=3500, limit=limit)
    assert path.stat().st_size > 8 * MB
    (sf,), skipped = scan_sources(path, limit)
    assert skipped == []
    load_articles(write_files(tmp_path / "warm", {"w.txt": "Warm\nThe detector loads."}), MB)
    tracemalloc.start()
    count = 0
    reasons = []
    for item in iter_source(sf):
        if isinstance(item, Article):
            count += 1
        else:
            reasons.append(item.reason)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert count == 6999
    assert reasons == ["line 3501: too large: 0.5 MB (limit 0.5 MB per article)"]
    assert peak < 3 * MB, f"peak {peak / MB:.1f} MB while reading an 8 MB export"


def test_an_export_over_the_limit_is_indexed(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    _export(folder / "export.jsonl", 120, over_limit_at=60, limit=50_000)
    assert (folder / "export.jsonl").stat().st_size > 100_000
    settings = make_settings(tmp_path, folder, max_file_mb=0.05)
    report = build_index(settings)
    assert report.added == 119
    assert [s["reason"][:17] for s in report.skipped] == ["line 61: too larg"]


def test_truncated_utf8_keeps_its_text_instead_of_mojibake(tmp_path: Path) -> None:
    data = f"Заголовок\n{RUSSIAN} {CHINESE}".encode()
    for cut in (1, 2):
        folder = tmp_path / f"cut{cut}"
        write_files(folder, {"story.txt": data[:-cut]})
        (article,), skipped = load_articles(folder, MB)
        assert not skipped
        assert RUSSIAN in article.text and CHINESE[:20] in article.text


def test_jsonl_source_and_path_like_ids_cannot_point_elsewhere(tmp_path: Path) -> None:
    """A JSONL record's own "source" is ignored: the citation names the export line."""
    record = {
        "id": "../../etc/passwd",
        "source": "/etc/shadow",
        "title": "Path-like id",
        "text": "A story whose id looks like a path.",
    }
    folder = write_files(tmp_path / "articles", {"export.jsonl": json.dumps(record) + "\n"})
    (article,), _ = load_articles(folder, MB)
    assert article.source == "articles/export.jsonl#../../etc/passwd"
    settings = make_settings(tmp_path, folder)
    build_index(settings)
    created = {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")}
    assert not any("passwd" in p or "shadow" in p for p in created)
