"""Cleaning rules for plain-text articles, each on text written for its test."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.ingest.clean import (
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


def test_whitespace_nbsp_spaces_and_paragraphs() -> None:
    raw = "Title\u00a0 here\r\n\r\n\r\n\r\nFirst  para\u200b.\t \nSecond\u3000line\x07\n\n"
    assert normalize_whitespace(raw) == "Title here\n\nFirst para.\nSecond line"


def test_bullets_are_stripped_but_lines_kept() -> None:
    raw = "Key points:\n  • One\n- Two\n* Three\n— Ana Ruiz (@ana)\n-5 degrees"
    cleaned = strip_bullets(normalize_whitespace(raw))
    assert cleaned == "Key points:\nOne\nTwo\nThree\n— Ana Ruiz (@ana)\n-5 degrees"


def test_space_before_comma_and_full_stop_only() -> None:
    assert fix_space_before_punctuation("Lind , the mayor , agreed .") == (
        "Lind, the mayor, agreed."
    )
    # French spacing before ; : ! ? is correct and stays; ".NET" is not a full stop.
    assert fix_space_before_punctuation("Pourquoi ? Voici : rien .NET") == (
        "Pourquoi ? Voici : rien .NET"
    )


def test_glued_pinyin_is_removed() -> None:
    assert remove_glued_romanization("港(gǎng)口(kǒu)擴建") == "港口擴建"
    assert remove_glued_romanization("工程(chéng)") == "工程"
    assert remove_glued_romanization("全角（lián）括號") == "全角括號"


@pytest.mark.parametrize(
    "text",
    [
        "市長林美華(Lin Mei-hua)宣布擴建港口",
        "工程於(2023)年動工",
        "人工智能(AI)公司",
        "見第(a)項",  # a lone toneless letter in an otherwise clean text
        "Masa jabatan: 2 tahun (2022-2024)",
    ],
)
def test_legitimate_parentheses_are_kept(text: str) -> None:
    assert remove_glued_romanization(text) == text


def test_toneless_syllables_go_once_the_pattern_is_established() -> None:
    text = "港(gǎng)口(kǒu)擴(kuò)建和他們(men)"
    assert remove_glued_romanization(text) == "港口擴建和他們"


def test_read_also_lines_in_many_languages() -> None:
    raw = "\n".join(
        [
            "First paragraph.",
            "Baca juga: Pemerintah umumkan anggaran baru",
            "Читайте также: Мэрия закрыла мост на ремонт",
            "Czytaj także: Metro na zachodzie miasta",
            "延伸閱讀：港口擴建案定案",
            "相关阅读 高铁票价上涨",
            "Read more: Why the harbour needs new berths",
            "READ ALSO The council votes on Tuesday",
            "اقرأ أيضا: البلدية تفتتح جسرا جديدا",
            "यह भी पढ़ें: नया पुल खुला",
            "関連記事 新しい橋が開通",
            "Leggi anche: Il ponte apre a marzo",
            "Read more books, he said.",  # an ordinary sentence, kept
            "See also the report of the auditors, published in May.",  # a sentence, kept
            "Last paragraph.",
        ]
    )
    assert remove_read_also_lines(normalize_whitespace(raw)).split("\n") == [
        "First paragraph.",
        "Read more books, he said.",
        "See also the report of the auditors, published in May.",
        "Last paragraph.",
    ]


def test_newsletter_box_with_blurb() -> None:
    raw = (
        "Story ends here.\n\nOur Morning Newsletter\n\n"
        "The day's news in five minutes, every weekday.\n\nSign up here."
    )
    assert remove_newsletter_lines(raw).strip() == "Story ends here."
    polish = "Koniec.\nNewsletter Gazety\nNajważniejsze wiadomości dnia.\nZapisz się teraz"
    assert remove_newsletter_lines(polish) == "Koniec."


def test_sign_up_lines_anywhere() -> None:
    raw = "Para one.\nSign up for our daily briefing\nПодпишитесь на наш канал\nPara two."
    assert remove_newsletter_lines(raw) == "Para one.\nPara two."


def test_sentences_about_subscriptions_stay() -> None:
    raw = (
        "订阅用户在第三季度增长了百分之二十。\n"
        "Berlangganan layanan streaming naik tajam tahun ini, menurut laporan perusahaan "
        "riset pasar yang dirilis pada hari Senin di Jakarta.\n"
        "The newsletter business grew by a third last year, the survey found."
    )
    assert remove_newsletter_lines(raw) == raw


def test_newsletter_heading_without_sign_up_stays() -> None:
    raw = "Newsletter archive\nThe company said profits rose."
    assert remove_newsletter_lines(raw) == raw


def test_disclaimer_paragraph_single_newline_layout() -> None:
    raw = "第一段。\n第二段。\n免責聲明：本網站內容僅供參考。"
    assert remove_disclaimer(raw) == "第一段。\n第二段。"


def test_disclaimer_paragraph_blank_line_layout_keeps_what_follows() -> None:
    raw = "Story.\n\nDisclaimer: views are the author's\nnot ours.\n\nAfter."
    assert remove_disclaimer(raw) == "Story.\n\nAfter."
    ru = "Текст.\n\nОтказ от ответственности: мнение автора."
    assert remove_disclaimer(ru) == "Текст.\n"
    pl = "Tekst.\nZastrzeżenie: opinie autorów nie są stanowiskiem redakcji."
    assert remove_disclaimer(pl) == "Tekst."


def test_a_sentence_starting_like_a_disclaimer_stays() -> None:
    text = "Avertissement sans frais pour les automobilistes en juin."
    assert remove_disclaimer(text) == text


def test_trailing_labels() -> None:
    assert remove_trailing_labels("Сказал он.\nОригинал\nТеги") == "Сказал он."
    assert remove_trailing_labels("Story.\n\nReferensi: laporan tahunan 2024") == "Story."
    assert remove_trailing_labels("Story.\nSource: Reuters\nTags") == "Story."
    assert remove_trailing_labels("Koniec.\nŹródło: PAP") == "Koniec."
    # A last line that is a sentence stays, and so does a one-line text.
    assert remove_trailing_labels("Intro.\nHe left.") == "Intro.\nHe left."
    assert remove_trailing_labels("Оригинал") == "Оригинал"
    assert remove_trailing_labels("Intro.\nSource of the funds was unclear.") == (
        "Intro.\nSource of the funds was unclear."
    )


def test_social_embed_attribution_stays() -> None:
    text = "Hi all–\n\n— Ana Ruiz (@ana) 26 September 2024\n\nThe story goes on."
    assert clean_text(text) == text


def test_clean_text_is_idempotent_and_keeps_the_samples_readable() -> None:
    """A check on the sample folder (not a calibration): cleaning twice changes nothing and
    never removes most of an article (the Chinese one loses its glued pinyin and its
    disclaimer, about a third of its characters)."""
    for path in ARTICLES.glob("*.txt"):
        raw = path.read_text("utf-8")
        once = clean_text(raw)
        assert clean_text(once) == once
        assert len(once) > 0.5 * len(normalize_whitespace(raw)), path.name
