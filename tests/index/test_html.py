"""HTML pages → story: what a reader would call the article, and nothing of the page around it."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from index.ingest.corpus import load_articles
from index.ingest.html import extract_story

MB = 1024 * 1024

PL_BODY = """
<p>W piątek rano pierwszy tramwaj przejechał nową trasą z dworca na osiedle po drugiej
stronie rzeki. Linia ma 5,4 km długości i dziewięć przystanków.</p>
<figure><img src="t.jpg" alt=""><figcaption>Pierwszy tramwaj na nowym torowisku.
Fot. Piotr Zieliński</figcaption></figure>
<p>Budowa kosztowała 412 mln zł i trwała trzy lata, o rok dłużej, niż zakładano. Miasto
tłumaczy opóźnienie kolizjami z siecią ciepłowniczą pod ulicami.</p>
<div class="read-also"><strong>Czytaj także:</strong>
<a href="/metro">Metro na zachodzie miasta: nowe stacje od jesieni</a></div>
<p>Według zarządu transportu z nowej linii będzie codziennie korzystać około 40 tysięcy
pasażerów. Tramwaje pojadą co pięć minut w godzinach szczytu.</p>
<p>Mieszkańcy osiedla czekali na tramwaj od ponad dwudziestu lat. Pierwsze plany budowy
trasy powstały jeszcze w latach dziewięćdziesiątych.</p>
"""

PL_PAGE = f"""<!DOCTYPE html>
<html lang="pl"><head><meta charset="utf-8">
<title>Nowa linia tramwajowa otwarta | Gazeta Miejska</title>
<meta property="og:title" content="Nowa linia tramwajowa otwarta po trzech latach budowy">
<meta property="article:published_time" content="2024-05-17T08:30:00+02:00">
<meta name="author" content="Anna Kowalczyk">
<link rel="canonical" href="https://gazeta.example/miasto/tramwaj">
</head><body>
<div class="breadcrumbs"><a href="/">Strona główna</a> › <a href="/miasto">Miasto</a>
› <a href="/miasto/transport">Transport</a></div>
<article>
<h1>Nowa linia tramwajowa otwarta po trzech latach budowy</h1>
<p class="byline">Anna Kowalczyk, 17 maja 2024</p>
{PL_BODY}
</article>
<aside class="newsletter"><h3>Newsletter</h3>
<p>Zapisz się na nasz newsletter i otrzymuj najważniejsze wiadomości dnia.</p>
<form><input type="email"><button>Zapisz się</button></form></aside>
<footer>© 2024 Gazeta Miejska. Wszelkie prawa zastrzeżone.</footer>
</body></html>"""

NOISE_PL = (
    "Strona główna", "Transport", "Fot.", "torowisku", "Czytaj także", "Metro na zachodzie",
    "Zapisz się", "newsletter", "Wszelkie prawa", "Anna Kowalczyk",
)  # fmt: skip


def test_polish_page_title_text_date_and_author() -> None:
    story = extract_story(PL_PAGE)
    assert story.title == "Nowa linia tramwajowa otwarta po trzech latach budowy"
    assert story.published == "2024-05-17"
    assert story.author == "Anna Kowalczyk"
    assert story.url == "https://gazeta.example/miasto/tramwaj"
    assert story.text.startswith("W piątek rano pierwszy tramwaj")
    assert story.text.endswith("w latach dziewięćdziesiątych.")
    assert "412 mln zł" in story.text and "40 tysięcy" in story.text
    for noise in NOISE_PL:
        assert noise not in story.text, noise


def test_breadcrumb_first_line_never_becomes_the_title() -> None:
    """No <h1>: the breadcrumb is the first line of the body, the headline is in meta tags."""
    page = f"""<html><head><meta charset="utf-8">
    <meta property="og:title" content="Tramwaj dojechał na osiedle">
    <meta name="date" content="2024-05-18"></head><body>
    <ul class="breadcrumb"><li><a href="/">Wiadomości</a></li><li><a href="/kraj">Kraj</a>
    </li><li>Transport</li></ul>
    <div class="content">{PL_BODY}</div></body></html>"""
    story = extract_story(page)
    assert story.title == "Tramwaj dojechał na osiedle"
    assert story.published == "2024-05-18"
    assert "Wiadomości" not in story.text and "Kraj" not in story.text
    assert story.text.startswith("W piątek rano")


def test_chinese_page_related_links_captions_and_json_ld_date() -> None:
    page = """<html lang="zh-Hant"><head><meta charset="utf-8">
    <title>市府宣布擴建港口 - 新聞網</title>
    <script type="application/ld+json">{"@context": "https://schema.org",
      "@type": "NewsArticle", "headline": "市府宣布擴建港口",
      "datePublished": "2023-11-02T09:00:00+08:00",
      "author": {"@type": "Person", "name": "林美華"}}</script></head><body>
    <nav>首頁 › 地方 › 交通</nav><article><h1>市府宣布擴建港口</h1>
    <p>市政府週四宣布，將在未來五年內投入一百二十億元擴建港口，新增四座貨櫃碼頭。</p>
    <figure><img src="p.jpg"><figcaption>港口夜景。（記者林美華攝）</figcaption></figure>
    <p>官員表示，擴建完成後，港口每年可多處理三百萬個標準貨櫃，並創造約兩千個工作機會。</p>
    <div class="related"><h3>延伸閱讀</h3><ul><li><a href="/a">機場捷運延長線通車</a></li>
    <li><a href="/b">高鐵南延案定案</a></li></ul></div>
    <p>環保團體則擔心工程影響附近海域的生態，要求市府公開環境評估報告的完整內容。</p>
    </article><footer>版權所有 © 新聞網</footer></body></html>"""
    story = extract_story(page)
    assert story.title == "市府宣布擴建港口"
    assert story.published == "2023-11-02"
    assert story.author == "林美華"
    assert story.text.startswith("市政府週四宣布")
    assert "環境評估報告" in story.text
    for noise in ("首頁", "港口夜景", "延伸閱讀", "機場捷運", "高鐵", "版權所有"):
        assert noise not in story.text, noise


def test_extraction_needs_no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object, **_kw: object) -> None:
        raise AssertionError("the extractor tried to open a connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    assert extract_story(PL_PAGE).title.startswith("Nowa linia tramwajowa")


def test_page_too_deep_for_lxml_is_still_read() -> None:
    page = "<h1>Deep page</h1>" + "<div>" * 50_000 + "Deep text inside many divs." + "</div>" * 9
    story = extract_story(page)
    assert story.title == "Deep page"
    assert story.text == "Deep text inside many divs."


def test_script_and_style_never_reach_the_text() -> None:
    page = (
        "<html><head><style>p{color:red}</style></head><body><script>var tracking=1;"
        "</script><p>The harbour will add four container berths by 2027.</p></body></html>"
    )
    story = extract_story(page)
    assert story.text == "The harbour will add four container berths by 2027."


def test_html_article_through_the_corpus(tmp_path: Path) -> None:
    (tmp_path / "tramwaj.html").write_text(PL_PAGE, "utf-8")
    (article,), skipped = load_articles(tmp_path, MB)
    assert skipped == []
    assert (article.id, article.language, article.published, article.author) == (
        "tramwaj", "pl", "2024-05-17", "Anna Kowalczyk",
    )  # fmt: skip
    assert article.title == "Nowa linia tramwajowa otwarta po trzech latach budowy"
    assert article.url == "https://gazeta.example/miasto/tramwaj"
    # Paragraphs stay on their own lines.
    assert article.text.count("\n") >= 3
