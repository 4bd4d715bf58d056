from __future__ import annotations

from pathlib import Path

from index.clean import (
    clean_text,
    fix_space_before_punctuation,
    normalize_whitespace,
    remove_disclaimer,
    remove_glued_romanization,
    remove_newsletter_lines,
    remove_read_also_lines,
    remove_trailing_labels,
    strip_bullets,
)

ARTICLES = Path(__file__).resolve().parents[2] / "articles"


def _sample(prefix: str) -> str:
    (path,) = ARTICLES.glob(f"{prefix}_*.txt")
    return path.read_text("utf-8")


# --- each rule on its own --------------------------------------------------------------


def test_whitespace_nbsp_spaces_and_paragraphs() -> None:
    raw = "Title\u00a0 here\r\n\r\n\r\n\r\nFirst  para\u200b.\t \nSecond\u3000line\x07\n\n"
    assert normalize_whitespace(raw) == "Title here\n\nFirst para.\nSecond line"


def test_bullets_are_stripped_but_lines_kept() -> None:
    raw = "Key points:\n  • One\n- Two\n* Three\n— Sam Altman (@sama)\n-5 degrees"
    cleaned = strip_bullets(normalize_whitespace(raw))
    assert cleaned == "Key points:\nOne\nTwo\nThree\n— Sam Altman (@sama)\n-5 degrees"


def test_space_before_comma_and_full_stop_only() -> None:
    assert fix_space_before_punctuation("Babuschkin , co-founder of xAI .") == (
        "Babuschkin, co-founder of xAI."
    )
    # French spacing before ; : ! ? is correct and stays; ".NET" is not a full stop.
    assert fix_space_before_punctuation("Pourquoi ? Voici : rien .NET") == (
        "Pourquoi ? Voici : rien .NET"
    )


def test_glued_pinyin_is_removed() -> None:
    assert remove_glued_romanization("聯(lián)合創(chuàng)始人") == "聯合創始人"
    assert remove_glued_romanization("企業(yè)") == "企業"
    assert remove_glued_romanization("全角（lián）括號") == "全角括號"


def test_legitimate_parentheses_are_kept() -> None:
    for text in (
        "伊戈爾·巴布什金(Igor Babuschkin)在社交平臺X上宣布離職",
        "公司成立於(2023)年",
        "人工智能(AI)初創公司",
        "見第(a)項",  # a lone toneless letter in an otherwise clean text
        "Masa Jabatan: 2 tahun (2022-2024)",
    ):
        assert remove_glued_romanization(text) == text


def test_toneless_syllables_go_once_the_pattern_is_established() -> None:
    text = "聯(lián)合創(chuàng)始人的企業(yè)和他們(men)"
    assert remove_glued_romanization(text) == "聯合創始人的企業和他們"


def test_read_also_lines() -> None:
    raw = "\n".join(
        [
            "First paragraph.",
            "MEMBACA\u00a0 Hukum kuno mencegah pekerja ekonomi gig",
            "Baca juga: Apple rilis iPhone baru",
            "Читайте также: Маск купил Twitter",
            "延伸閱讀：馬斯克的新公司",
            "相关阅读 特斯拉财报",
            "Read more: Why AI talent is leaving",
            "Membaca buku adalah hobinya.",  # an ordinary sentence, kept
            "Read more books, he said.",  # no colon: an ordinary sentence, kept
            "Last paragraph.",
        ]
    )
    assert remove_read_also_lines(normalize_whitespace(raw)).split("\n") == [
        "First paragraph.",
        "Membaca buku adalah hobinya.",
        "Read more books, he said.",
        "Last paragraph.",
    ]


def test_newsletter_box_with_blurb() -> None:
    raw = (
        "Story ends here.\n\nNewsletter yang direkomendasikan\n\n"
        "Data Sheet: Tetap mengikuti bisnis teknologi.\n\nDaftar di sini."
    )
    assert remove_newsletter_lines(raw).strip() == "Story ends here."


def test_sign_up_lines_anywhere() -> None:
    raw = "Para one.\nSign up for our daily briefing\nПодпишитесь на наш канал\nPara two."
    assert remove_newsletter_lines(raw) == "Para one.\nPara two."


def test_sentences_about_subscriptions_stay() -> None:
    raw = (
        "订阅用户在第三季度增长了百分之二十。\n"
        "Berlangganan layanan streaming naik tajam tahun ini, menurut laporan perusahaan "
        "riset pasar yang dirilis pada hari Senin di Jakarta."
    )
    assert remove_newsletter_lines(raw) == raw


def test_newsletter_header_without_sign_up_keeps_following_content() -> None:
    raw = "Recommended newsletter\nThe company said profits rose."
    assert remove_newsletter_lines(raw) == "The company said profits rose."


def test_disclaimer_paragraph_single_newline_layout() -> None:
    raw = "第一段。\n第二段。\n免責聲明：本網站內容主要來自原創，僅供參考。"
    assert remove_disclaimer(raw) == "第一段。\n第二段。"


def test_disclaimer_paragraph_blank_line_layout_keeps_what_follows() -> None:
    raw = "Story.\n\nDisclaimer: views are the author's\nnot ours.\n\nAfter."
    assert remove_disclaimer(raw) == "Story.\n\nAfter."
    ru = "Текст.\n\nОтказ от ответственности: мнение автора."
    assert remove_disclaimer(ru) == "Текст.\n"


def test_trailing_labels() -> None:
    assert remove_trailing_labels("Сказал он.\nОригинал\nУникальность") == "Сказал он."
    assert remove_trailing_labels("Story.\n\nReferensi: AI companion apps") == "Story."
    assert remove_trailing_labels("Story.\nSource: Reuters\nTags") == "Story."
    # A last line that is a sentence stays, and so does a one-line text.
    assert remove_trailing_labels("Intro.\nHe left.") == "Intro.\nHe left."
    assert remove_trailing_labels("Оригинал") == "Оригинал"


def test_social_embed_attribution_stays() -> None:
    text = "Hi all–\n\n— Sam Altman (@sama) 26 September 2024\n\nThe story goes on."
    assert clean_text(text) == text


# --- the samples ----------------------------------------------------------------------


def test_chinese_sample() -> None:
    cleaned = clean_text(_sample("002"))
    assert "聯合創始人" in cleaned
    assert "(lián)" not in cleaned and "(chuàng)" not in cleaned
    assert "伊戈爾·巴布什金(Igor Babuschkin)" in cleaned
    assert "免責聲明" not in cleaned
    assert cleaned.endswith("卻折射出新銳科技公司普遍面臨的成長陣痛。")


def test_indonesian_sample_004() -> None:
    cleaned = clean_text(_sample("004"))
    for noise in ("MEMBACA", "Newsletter yang direkomendasikan", "Data Sheet", "Daftar di sini"):
        assert noise not in cleaned
    assert "— Sam Altman (@sama) 26 September 2024" in cleaned
    assert cleaned.endswith("mereka seharusnya bertanya apa yang sebenarnya terjadi.”")


def test_indonesian_sample_000() -> None:
    cleaned = clean_text(_sample("000"))
    assert "Referensi:" not in cleaned
    assert "•" not in cleaned and "Masa Jabatan: 2 tahun (2022-2024)" in cleaned
    assert "Igor Babuschkin, co-founder dan chief engineer" in cleaned


def test_russian_sample() -> None:
    cleaned = clean_text(_sample("003"))
    assert not cleaned.endswith("Уникальность")
    assert "Оригинал" not in cleaned
    assert cleaned.endswith("— поделился Бабушкин.")


def test_clean_text_is_idempotent_on_samples() -> None:
    for path in ARTICLES.glob("*.txt"):
        once = clean_text(path.read_text("utf-8"))
        assert clean_text(once) == once
