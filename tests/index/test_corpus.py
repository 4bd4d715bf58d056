from __future__ import annotations

import codecs
import hashlib
import json
import os
import shutil
import time
from pathlib import Path

import pytest

from index.ingest.clean import clean_text
from index.ingest.corpus import SourceFile, iter_articles, load_articles, read_source, scan_sources
from index.types import Article

ARTICLES = Path(__file__).resolve().parents[2] / "articles"
MB = 1024 * 1024

RU = (
    "Мэрия закрывает старый мост, чтобы построить новый через реку. "
    "Работы продлятся четыре года и обойдутся дороже плана. "
    "Велосипедисты получат отдельные дорожки с обеих сторон."
)
ZH_HANT = (
    "市政府週二宣布，橫跨河流的新大橋將於下個月通車。"
    "工程歷時四年，造價高於原計畫。"
    "大橋兩側都將設有獨立的自行車道。"
)
ZH_HANS = (
    "市政府周二宣布，横跨河流的新大桥将于下个月通车。"
    "工程历时四年，造价高于原计划。"
    "大桥两侧都将设有独立的自行车道。"
)


def _read_one(path: Path) -> tuple[list[Article], list[str]]:
    files, skipped = scan_sources(path.parent, 20 * MB)
    (sf,) = [f for f in files if f.path == path]
    articles, bad = read_source(sf)
    return articles, [s.reason for s in skipped + bad]


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# --- the sample folder --------------------------------------------------------------------


def test_sample_articles(tmp_path: Path) -> None:
    shutil.copytree(ARTICLES, tmp_path / "articles")
    articles, skipped = load_articles(tmp_path / "articles", 20 * MB)
    assert skipped == []
    by_id = {a.id: a for a in articles}
    assert [a.language for a in articles] == ["id", "id", "zh-Hant", "ru", "id"]
    first_line = (ARTICLES / "002_180954826ab36891.txt").read_text("utf-8").split("\n")[0]
    assert by_id["002_180954826ab36891"].title == clean_text(first_line)
    assert by_id["002_180954826ab36891"].source == "articles/002_180954826ab36891.txt"
    # 000 repeats its headline under the byline: one copy, as the title.
    a000 = by_id["000_fb938e3ff23ad1da"]
    assert a000.title not in a000.text
    # 003 has no headline: its first sentence is the title and stays in the text.
    a003 = by_id["003_b2df89abd91a5d5b"]
    assert a003.text.startswith(a003.title.rstrip("…")) and len(a003.title) < len(a003.text)
    assert all(len(a.sha256) == 64 for a in articles)


# --- formats --------------------------------------------------------------------------------


def test_markdown_title_front_matter_and_links(tmp_path: Path) -> None:
    md = (
        '---\ntitle: "Harbour gets new berths"\ndate: 2025-08-14\nurl: https://e.x/a\n---\n'
        "# Heading that is not the title\n\nThe port will add **four container berths**, "
        "a [harbour plan](https://e.x/vc) for the city. ![photo](p.jpg)\n"
    )
    (art,), reasons = _read_one(_write(tmp_path, "story.md", md.encode()))
    assert reasons == []
    assert (art.id, art.title, art.published, art.url) == (
        "story", "Harbour gets new berths", "2025-08-14", "https://e.x/a",
    )  # fmt: skip
    assert "four container berths, a harbour plan for the city." in art.text
    assert "**" not in art.text and "](" not in art.text
    assert art.language == "en"


def test_markdown_heading_becomes_title(tmp_path: Path) -> None:
    (art,), _ = _read_one(_write(tmp_path, "a.md", b"## Harbour gets new berths ##\n\nHe left."))
    assert art.title == "Harbour gets new berths"
    assert art.text == "He left."


def test_html_title_body_without_scripts_and_nav(tmp_path: Path) -> None:
    html = """<!doctype html><html><head><title>Site | Harbour grows</title>
    <meta property="og:url" content="https://news.example/harbour">
    <meta property="article:published_time" content="2025-08-14T10:00:00Z">
    <style>p { color: red }</style><script>var tracking = 1;</script></head>
    <body><nav><a href="/">Home</a> <a href="/tech">Tech</a></nav>
    <header><h1>Harbour &amp; port authority agree</h1></header>
    <article><p>The port authority approved four new container berths on Wednesday.</p>
    <p>Work starts in <b>March</b>.<br>It should end by 2027.</p></article>
    <footer>© Example News</footer></body></html>"""
    (art,), _ = _read_one(_write(tmp_path, "page.html", html.encode()))
    assert art.title == "Harbour & port authority agree"
    assert art.text == (
        "The port authority approved four new container berths on Wednesday.\n"
        "Work starts in March.\nIt should end by 2027."
    )
    assert art.url == "https://news.example/harbour"
    assert art.published == "2025-08-14"
    for noise in ("tracking", "color", "Home", "Example News"):
        assert noise not in art.text


def test_html_without_h1_uses_title_tag(tmp_path: Path) -> None:
    html = "<html><head><title>Мост закрыт</title></head><body><p>" + RU + "</p></body></html>"
    (art,), _ = _read_one(_write(tmp_path, "ru.htm", html.encode()))
    assert art.title == "Мост закрыт"
    assert art.language == "ru"


def test_a_format_is_one_entry_of_the_parser_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Adding a format is adding its parser to PARSERS: the scan finds its files and the
    reader parses them with it."""
    from index.ingest.formats import PARSERS, RawRecord

    def parse_rst(text: str, stem: str, source: str) -> tuple[list[RawRecord], list]:
        title, _, body = text.partition("\n=====\n")
        return [RawRecord(stem, title, body, source, language="en")], []

    (tmp_path / "story.rst").write_text("Tram opens\n=====\nThe new tram line opens today.\n")
    assert load_articles(tmp_path, 10**6)[0] == []  # not an article format yet
    monkeypatch.setitem(PARSERS, ".rst", parse_rst)
    [article], skipped = load_articles(tmp_path, 10**6)
    assert skipped == []
    assert (article.id, article.title, article.text) == (
        "story",
        "Tram opens",
        "The new tram line opens today.",
    )


def test_json_single_object_and_list(tmp_path: Path) -> None:
    one = {"text": RU, "title": "Уход", "date": "2025-08-14"}
    (art,), _ = _read_one(_write(tmp_path, "single.json", json.dumps(one).encode()))
    assert (art.id, art.title, art.published, art.language) == (
        "single",
        "Уход",
        "2025-08-14",
        "ru",
    )
    listed = [{"id": "a", "text": ZH_HANT}, {"id": "b", "text": ZH_HANS, "lang": "zh-CN"}]
    arts, reasons = _read_one(_write(tmp_path, "many.json", json.dumps(listed).encode()))
    assert [(a.id, a.language, a.source) for a in arts] == [
        ("a", "zh-Hant", f"{tmp_path.name}/many.json#a"),
        ("b", "zh-Hans", f"{tmp_path.name}/many.json#b"),
    ]
    assert reasons == []


def test_jsonl_fields_broken_lines_and_duplicates(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "r1", "text": RU, "title": "Уход", "url": "https://e.x/1"}),
        "{not json",
        json.dumps({"id": "r2", "title": "no text"}),
        json.dumps({"text": "no id"}),
        "",
        json.dumps(["a", "list"]),
        json.dumps({"id": "r1", "text": "second copy"}),
        json.dumps({"id": 7, "text": "Saya suka membaca berita.", "language": "ms"}),
        json.dumps({"id": "r3", "text": "Kurz.", "lang": "de", "published": "2024-01-01"}),
    ]
    path = _write(tmp_path, "export.jsonl", "\n".join(lines).encode())
    arts, reasons = _read_one(path)
    assert [(a.id, a.language, a.source) for a in arts] == [
        ("r1", "ru", f"{tmp_path.name}/export.jsonl#r1"),
        ("7", "ms", f"{tmp_path.name}/export.jsonl#7"),  # a declared language wins
        ("r3", "de", f"{tmp_path.name}/export.jsonl#r3"),
    ]
    assert arts[0].url == "https://e.x/1" and arts[2].published == "2024-01-01"
    assert arts[1].title == "Saya suka membaca berita."  # no title: the first sentence
    assert reasons[0].startswith("line 2: invalid JSON")
    assert reasons[1:] == [
        "line 3: missing text",
        "line 4: missing id",
        "line 6: not a JSON object but list",
        "line 7: duplicate id 'r1' (first on line 1)",
    ]


def test_root_may_be_a_single_jsonl_file(tmp_path: Path) -> None:
    path = _write(tmp_path, "dump.jsonl", json.dumps({"id": "x", "text": RU}).encode())
    files, skipped = scan_sources(path, MB)
    assert [(f.source, f.size) for f in files] == [("dump.jsonl", path.stat().st_size)]
    articles, _ = load_articles(path, MB)
    assert [a.source for a in articles] == ["dump.jsonl#x"]


def _export_line(i: int, lang: str = "id") -> str:
    text = f"Berita nomor {i} tentang jembatan baru di kota. Pembangunan tahap {i} selesai."
    return json.dumps({"id": f"a{i:05d}", "text": text, "language": lang})


def test_an_export_larger_than_the_limit_is_read_whole(tmp_path: Path) -> None:
    """The limit is per article: 2 MB of small records under a 1 MB limit are all read."""
    lines = [_export_line(i) for i in range(15_000)]
    lines[7_000] = json.dumps({"id": "huge", "text": "kata " * 300_000})  # 1.5 MB: over
    path = _write(tmp_path, "export.jsonl", ("\n".join(lines) + "\n").encode())
    assert path.stat().st_size > 2 * MB
    (sf,), skipped = scan_sources(path, MB)
    assert skipped == [] and sf.size == path.stat().st_size
    assert sf.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    articles, bad = read_source(sf)
    assert len(articles) == 14_999
    assert articles[0].id == "a00000" and articles[-1].id == "a14999"
    assert [(b.source, b.reason) for b in bad] == [
        ("export.jsonl", "line 7001: too large: 1.4 MB (limit 1.0 MB per article)")
    ]


def test_export_lines_are_decoded_one_by_one(tmp_path: Path) -> None:
    good = json.dumps({"id": "ok", "text": RU}, ensure_ascii=False).encode()
    cp1251 = json.dumps({"id": "cp", "text": RU}, ensure_ascii=False).encode("cp1251")
    data = codecs.BOM_UTF8 + good + b"\n" + cp1251 + b"\n"
    (sf,), _ = scan_sources(_write(tmp_path, "mixed.jsonl", data), MB)
    articles, bad = read_source(sf)
    assert [(a.id, a.text, a.language) for a in articles] == [("ok", RU, "ru"), ("cp", RU, "ru")]
    assert bad == []


def test_utf16_export_is_streamed_too(tmp_path: Path) -> None:
    lines = "\n".join(_export_line(i) for i in range(3)) + "\n"
    (sf,), _ = scan_sources(_write(tmp_path, "wide.jsonl", lines.encode("utf-16")), MB)
    articles, bad = read_source(sf)
    assert [a.id for a in articles] == ["a00000", "a00001", "a00002"] and bad == []


def test_empty_and_binary_exports_are_skipped(tmp_path: Path) -> None:
    _write(tmp_path, "empty.jsonl", b"\n\n")
    _write(tmp_path, "binary.jsonl", b"\x00" * 4096)
    articles, skipped = load_articles(tmp_path, MB)
    reasons = {s.source.rsplit("/", 1)[-1]: s.reason for s in skipped}
    assert articles == []
    assert reasons["empty.jsonl"] == "empty file"
    assert reasons["binary.jsonl"].startswith("binary file")


def test_iter_articles_yields_one_at_a_time(tmp_path: Path) -> None:
    _write(tmp_path, "export.jsonl", "\n".join(_export_line(i) for i in range(5)).encode())
    stream = iter_articles(tmp_path, MB)
    first = next(stream)
    assert isinstance(first, Article) and first.id == "a00000"
    assert [a.id for a in stream if isinstance(a, Article)] == [f"a{i:05d}" for i in range(1, 5)]


# --- encodings ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "encoding", "language"),
    [
        (RU, "utf-8", "ru"),
        (RU, "utf-8-sig", "ru"),
        (RU, "utf-16", "ru"),
        (ZH_HANT, "utf-16-be", "zh-Hant"),
        (RU, "cp1251", "ru"),
        (RU, "koi8_r", "ru"),
        (ZH_HANS, "gbk", "zh-Hans"),
        (ZH_HANS, "gb18030", "zh-Hans"),
        (ZH_HANT, "big5", "zh-Hant"),
    ],
)
def test_encodings(tmp_path: Path, text: str, encoding: str, language: str) -> None:
    data = ("Заголовок\n" if language == "ru" else "標題\n") + text
    raw = data.encode(encoding)
    if encoding == "utf-16-be":
        raw = b"\xfe\xff" + raw
    (art,), reasons = _read_one(_write(tmp_path, f"{encoding}.txt", raw))
    assert reasons == []
    assert art.text == text
    assert art.language == language


# --- files that are skipped -----------------------------------------------------------------


def test_bad_files_are_skipped_with_reasons(tmp_path: Path) -> None:
    root = tmp_path / "articles"
    root.mkdir()
    (root / "good.txt").write_text("Title\n\n" + RU, "utf-8")
    (root / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (root / "empty.txt").write_bytes(b"")
    (root / "blank.md").write_bytes(b"  \n\n \t\n")
    (root / "garbage.txt").write_bytes(bytes([0x81, 0x30, 0xFF, 0xFE, 0x80, 0x7F] * 50))
    (root / "big.txt").write_bytes(b"x" * 5000)
    (root / "broken.json").write_text("{oops", "utf-8")
    (root / "notes.csv").write_text("ignored,file", "utf-8")
    (root / ".hidden.txt").write_text("ignored", "utf-8")
    outside = tmp_path / "secret.txt"
    outside.write_text("Secret\n\nnot an article", "utf-8")
    os.symlink(outside, root / "link.txt")
    os.symlink(root / "good.txt", root / "inside_link.txt")
    os.symlink(tmp_path / "missing.txt", root / "dangling.txt")

    articles, skipped = load_articles(root, 4000)
    # sources are named from the articles folder: "articles/good.txt"
    reasons = {s.source.removeprefix("articles/"): s.reason for s in skipped}
    assert [a.source for a in articles] == ["articles/good.txt", "articles/inside_link.txt"]
    assert reasons.keys() == {
        "big.txt", "binary.txt", "blank.md", "broken.json", "dangling.txt", "empty.txt",
        "garbage.txt", "link.txt",
    }  # fmt: skip
    assert reasons["big.txt"].startswith("too large")
    assert reasons["binary.txt"].startswith("binary file")
    assert reasons["empty.txt"] == reasons["blank.md"] == "empty file"
    assert reasons["garbage.txt"].startswith("undecodable")
    assert reasons["broken.json"].startswith("invalid JSON")
    assert reasons["link.txt"] == "symlink points outside the articles folder"
    assert reasons["dangling.txt"] == "broken symlink"
    # A symlink that stays inside the folder is an ordinary file.


def test_unreadable_file_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    locked = _write(tmp_path, "locked.txt", b"Title\nBody")
    _write(tmp_path, "open.txt", b"Title\nBody")
    real_read = Path.read_bytes

    def read_bytes(self: Path) -> bytes:  # chmod 0 does not stop root, so fake the error
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real_read(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    files, skipped = scan_sources(tmp_path, MB)
    assert [f.source for f in files] == [f"{tmp_path.name}/open.txt"]
    assert [(s.source, s.reason) for s in skipped] == [
        (f"{tmp_path.name}/locked.txt", "cannot read: Permission denied")
    ]
    assert locked.exists()


def test_same_id_in_two_files_keeps_the_first(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "story.txt").write_text("First\n\nOne.", "utf-8")
    (tmp_path / "b" / "story.md").write_text("Second\n\nTwo.", "utf-8")
    articles, skipped = load_articles(tmp_path, MB)
    assert [(a.id, a.title) for a in articles] == [("story", "First")]
    assert skipped[0].source == f"{tmp_path.name}/b/story.md"
    assert skipped[0].reason == (
        f"duplicate id 'story' (already read from {tmp_path.name}/a/story.txt)"
    )


# --- hashes and speed -----------------------------------------------------------------------


def test_article_hash_follows_content_not_bytes(tmp_path: Path) -> None:
    a = _write(tmp_path, "a.txt", ("Title\n\n" + RU).encode("utf-8"))
    (before,), _ = _read_one(a)
    a.write_bytes(("Title\r\n\r\n" + RU + "\r\n\u00a0\r\n").encode("cp1251"))
    (same,), _ = _read_one(a)
    assert same.sha256 == before.sha256
    a.write_bytes(("Other title\n\n" + RU).encode("utf-8"))
    (changed,), _ = _read_one(a)
    assert changed.sha256 != before.sha256


def test_scan_hashes_raw_bytes(tmp_path: Path) -> None:
    path = _write(tmp_path, "a.txt", b"Title\nBody")
    (sf,), _ = scan_sources(tmp_path, MB)
    digest = hashlib.sha256(b"Title\nBody").hexdigest()
    assert sf == SourceFile(path, f"{tmp_path.name}/a.txt", 10, digest, MB)


def test_scan_of_a_thousand_files_is_fast(tmp_path: Path) -> None:
    for i in range(1000):
        (tmp_path / f"{i:04d}.txt").write_text(f"Story {i}\n\n" + RU * 3, "utf-8")
    start = time.perf_counter()
    files, skipped = scan_sources(tmp_path, MB)
    elapsed = time.perf_counter() - start
    assert len(files) == 1000 and skipped == []
    assert elapsed < 1.0
