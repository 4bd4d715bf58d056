"""The answer's frame in the asker's language: templates, CLDR language names, lists."""

from __future__ import annotations

import re
import unicodedata

import pytest

from bot.answering.phrases import (
    KEYS,
    frame,
    join_names,
    local_language_name,
    phrase,
    template_fields,
    template_language,
    template_languages,
)
from index.language import detect_language

REQUIRED = [
    "en", "zh-Hans", "zh-Hant", "ja", "ko", "ru", "uk", "id", "de", "fr", "es", "pt", "it",
    "ar", "hi", "vi", "tr", "pl",
]  # fmt: skip
SAMPLE = {
    "answer": "€412 million",
    "refs": "[1][2]",
    "languages": "X",
    "titles": "“T” (X)",
    "values": "€412 million [1] (X) | €430 million [2] (Y)",
}
# Keys whose text is words (not a bare joiner or a variable-only template).
WORDED = ["lead", "also", "refusal", "nearest", "partial", "disagree", "versus"]


def test_every_required_language_has_every_key_and_no_other() -> None:
    assert set(REQUIRED) <= set(template_languages())
    for language in template_languages():
        assert template_language(language) == language
        assert set(frame(language)) == set(KEYS), language


@pytest.mark.parametrize("language", REQUIRED)
def test_every_template_uses_exactly_its_named_variables_and_renders(language: str) -> None:
    for key, fields in KEYS.items():
        template = frame(language)[key]
        assert template_fields(template) == fields, (language, key, template)
        text = phrase(language, key, **{f: SAMPLE[f] for f in fields})
        for field in fields:
            assert SAMPLE[field] in text
        assert "{" not in text and "}" not in text


@pytest.mark.parametrize("language", REQUIRED)
def test_a_missing_variable_is_an_error_naming_it(language: str) -> None:
    with pytest.raises(KeyError, match="refs"):
        phrase(language, "also", languages="X")
    with pytest.raises(KeyError, match="no phrase"):
        phrase(language, "no-such-key")


@pytest.mark.parametrize("language", [c for c in REQUIRED if c != "en"])
def test_templates_are_translated_not_english(language: str) -> None:
    for key in WORDED:
        assert frame(language)[key] != frame("en")[key], (language, key)
    # The project's own detector reads the frame as the language it is filed under
    # (this also tells Traditional from Simplified Chinese).
    text = " ".join(
        re.sub(r"\{\w+\}", "", frame(language)[k])
        for k in ("lead", "refusal", "partial", "disagree", "nearest")
    )
    assert detect_language(text) == language


@pytest.mark.parametrize("language", ["zh-Hans", "zh-Hant", "ja", "ko", "ru", "uk", "ar", "hi"])
def test_non_latin_frames_hold_no_latin_words(language: str) -> None:
    for key, template in frame(language).items():
        assert not re.search(r"[A-Za-z]", re.sub(r"\{\w+\}", "", template)), (language, key)


@pytest.mark.parametrize(
    ("code", "in_language", "expected"),
    [
        ("ru", "de", "Russisch"),
        ("ru", "en", "Russian"),
        ("zh-Hant", "en", "Chinese (Traditional)"),
        ("zh-Hans", "en", "Chinese (Simplified)"),
        ("zh-Hans", "ja", "中国語 (簡体字)"),
        ("zh-Hant", "zh-Hans", "中文 (繁体)"),
        ("zh-Hans", "zh-Hant", "中文 (簡體)"),
        ("id", "ru", "индонезийский"),
        ("id", "uk", "індонезійська"),
        ("en", "fr", "anglais"),
        ("de", "es", "alemán"),
        ("es", "pt", "espanhol"),
        ("fr", "it", "francese"),
        ("ja", "ko", "일본어"),
        ("ko", "ja", "韓国語"),
        ("ru", "ar", "الروسية"),
        ("en", "hi", "अंग्रेज़ी"),
        ("ru", "vi", "Tiếng Nga"),
        ("de", "tr", "Almanca"),
        ("id", "pl", "indonezyjski"),
        ("ar", "id", "Arab"),
        ("zh-TW", "de", "Chinesisch (Traditionell)"),  # a region tag reads as its script
        ("pt-BR", "es", "portugués"),
        ("EN_us", "ru", "английский"),
    ],
)
def test_language_names_come_from_cldr_in_the_frame_language(
    code: str, in_language: str, expected: str
) -> None:
    assert local_language_name(code, in_language) == expected


def test_language_names_fall_back_gracefully() -> None:
    assert local_language_name("xx", "de") == "xx"  # unknown code: itself
    assert local_language_name("not a tag!", "fr") == "not a tag!"
    # No templates for Swahili: the frame is English, so are the names inside it.
    assert local_language_name("ru", "sw") == "Russian"
    assert local_language_name("und", "de") == "Unbekannte Sprache"


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("pt-BR", "pt"), ("pt", "pt"), ("zh-CN", "zh-Hans"), ("zh", "zh-Hans"),
        ("zh-TW", "zh-Hant"), ("zh-HK", "zh-Hant"), ("zh-Hant", "zh-Hant"), ("de_AT", "de"),
        ("EN", "en"), ("ja-JP", "ja"), ("sw", "en"), ("und", "en"), ("", "en"), ("xx", "en"),
    ],
)  # fmt: skip
def test_template_language_picks_the_best_template(code: str, expected: str) -> None:
    assert template_language(code) == expected


@pytest.mark.parametrize(
    ("names", "language", "expected"),
    [
        (["A", "B", "C"], "en", "A, B, and C"),
        (["A", "B"], "en", "A and B"),
        (["A"], "de", "A"),
        ([], "de", ""),
        (["Russisch", "Indonesisch", "Deutsch"], "de", "Russisch, Indonesisch und Deutsch"),
        (["俄语", "英语", "德语"], "zh-CN", "俄语、英语和德语"),
        (["ロシア語", "英語"], "ja", "ロシア語、英語"),
        (["الروسية", "الإندونيسية"], "ar", "الروسية والإندونيسية"),
        (["ruso", "indonesio"], "es", "ruso e indonesio"),
        (["francés", "hindi", "inglés"], "es", "francés, hindi e inglés"),
        (["cobre", "hierro"], "es", "cobre y hierro"),
        (["ruso", "alemán"], "es", "ruso y alemán"),
    ],
)
def test_join_names_follows_each_languages_list_conventions(
    names: list[str], language: str, expected: str
) -> None:
    assert join_names(names, language) == expected


def test_every_template_language_can_join_and_name() -> None:
    for language in template_languages():
        joined = join_names(["x1", "x2", "x3"], language)
        assert joined.index("x1") < joined.index("x2") < joined.index("x3")
        assert local_language_name("ru", language) != "ru"


def test_a_russian_frame_keeps_language_names_in_the_nominative() -> None:
    names = [local_language_name(c, "ru") for c in ("id", "de")]
    text = phrase("ru", "also", languages=join_names(names, "ru"), refs="[2][3]")
    assert "индонезийский и немецкий [2][3]" in text


_BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_PRESENTATION_FORMS = re.compile("[\ufb50-\ufdff\ufe70-\ufeff]")


def _first_strong_direction(text: str) -> str:
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in ("L", "R", "AL"):
            return kind
    return ""


def test_arabic_is_stored_in_logical_order_as_plain_letters() -> None:
    table = frame("ar")
    for key, template in table.items():
        assert unicodedata.is_normalized("NFC", template), key
        assert not _BIDI_CONTROLS.search(template), key
        assert not _PRESENTATION_FORMS.search(template), key  # shaped, visual-order text
        if key in WORDED:
            assert _first_strong_direction(template) == "AL", key
    # Logical order: the sentence starts with its first word, not with the last.
    assert table["refusal"].startswith("المقالات")
    text = phrase("ar", "nearest", titles="“Title” (الروسية)")
    assert text.startswith("أقرب المقالات: “Title”")
