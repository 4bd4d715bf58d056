from __future__ import annotations

from pathlib import Path

import pytest

from index.language import (
    chinese_variant,
    detect_language,
    language_name,
    normalize_code,
)

ARTICLES = Path(__file__).resolve().parents[2] / "articles"


def test_sample_articles_are_three_indonesian_one_traditional_chinese_one_russian() -> None:
    found = {p.name[:3]: detect_language(p.read_text("utf-8")) for p in ARTICLES.glob("*.txt")}
    assert found == {"000": "id", "001": "id", "002": "zh-Hant", "003": "ru", "004": "id"}


@pytest.mark.parametrize(
    ("question", "code"),
    [
        ("Кто такой Бабушкин?", "ru"),
        ("Где правила династия Чан?", "ru"),
        ("Кто основал McKinsey & Company?", "ru"),
        ("Чому він пішов з xAI?", "uk"),
        ("巴布什金為什麼離職？", "zh-Hant"),
        ("巴布什金为什么离职？", "zh-Hans"),
        ("哪部《神秘博士》裡沒有神秘博士一角？", "zh-Hant"),
        ("Mengapa Babuschkin keluar?", "id"),
        ("Apa itu xAI?", "id"),
        ("Siapa pendiri xAI?", "id"),
        ("Why did he leave?", "en"),
        ("Who is Max Tegmark?", "en"),
        ("Who do gurus control?", "en"),
        ("Warum hat er xAI verlassen?", "de"),
        ("Pourquoi a-t-il quitté xAI ?", "fr"),
        ("¿Por qué dejó xAI?", "es"),
        ("Por que ele saiu da empresa?", "pt"),
        ("なぜ彼は辞めたのですか？", "ja"),
        ("그는 왜 떠났나요?", "ko"),
        ("لماذا غادر؟", "ar"),
        ("Γιατί έφυγε;", "el"),
        ("ทำไมเขาถึงลาออก", "th"),
    ],
)
def test_short_questions(question: str, code: str) -> None:
    assert detect_language(question) == code


@pytest.mark.parametrize("text", ["", "   ", "123 456", "?!", "https://example.com/x"])
def test_no_letters_is_und(text: str) -> None:
    assert detect_language(text) == "und"


def test_one_latin_word_falls_back_to_english() -> None:
    assert detect_language("xAI?") == "en"


def test_urls_and_handles_do_not_decide_the_language() -> None:
    text = "Бабушкин объявил об уходе https://x.com/ibab/status/1 @ibab #xAI"
    assert detect_language(text) == "ru"


def test_traditional_and_simplified_chinese_told_apart() -> None:
    assert chinese_variant("這家成立僅一年的企業再次流失核心人才") == "zh-Hant"
    assert chinese_variant("这家成立仅一年的企业再次流失核心人才") == "zh-Hans"
    # 英里 exists in both forms: phrase-level conversion does not count it as Simplified.
    assert chinese_variant("從2000年到2005年，每年多少平方英里？") == "zh-Hant"


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("id", "Indonesian"),
        ("ru", "Russian"),
        ("zh-Hant", "Chinese (Traditional)"),
        ("zh-Hans", "Chinese (Simplified)"),
        ("en", "English"),
        ("und", "Unknown"),
        ("pt-BR", "Portuguese"),
        ("xx", "xx"),
    ],
)
def test_language_names(code: str, name: str) -> None:
    assert language_name(code) == name


@pytest.mark.parametrize(
    ("declared", "text", "code"),
    [
        ("zh-TW", "", "zh-Hant"),
        ("zh_CN", "", "zh-Hans"),
        ("zh", "這家企業", "zh-Hant"),
        ("EN-us", "", "en"),
        ("in", "", "id"),
        ("", "Кто такой Бабушкин?", "ru"),
        (None, "", "und"),
    ],
)
def test_declared_codes_are_normalised(declared: str | None, text: str, code: str) -> None:
    assert normalize_code(declared, text) == code
