"""The one sentence splitter and the script helpers, on text written for these tests."""

from __future__ import annotations

import pytest

from index.text import (
    CJK,
    HAN,
    has_cjk,
    has_han,
    is_cjk,
    script_of,
    sentence_spans,
    split_sentences,
)


@pytest.mark.parametrize(
    ("language", "text", "sentences"),
    [
        (
            "en",
            "Dr. Lind arrived on Jan. 5 at 3 p.m. and spoke first. The plan costs $4.5 million.",
            [
                "Dr. Lind arrived on Jan. 5 at 3 p.m. and spoke first.",
                "The plan costs $4.5 million.",
            ],
        ),
        (
            "en",
            "The U.S. budget grew by 2.5 percent. Mr. Ortiz disagreed.",
            ["The U.S. budget grew by 2.5 percent.", "Mr. Ortiz disagreed."],
        ),
        (
            "pl",
            "Spotkanie trwało ok. 2 godz. i zakończyło się porozumieniem. Dr Nowak był obecny.",
            [
                "Spotkanie trwało ok. 2 godz. i zakończyło się porozumieniem.",
                "Dr Nowak był obecny.",
            ],
        ),
        (
            "ru",
            "Он родился в 1990 г. в Самаре, т. е. на Волге. Это было ок. 5 лет назад. Конец",
            [
                "Он родился в 1990 г. в Самаре, т. е. на Волге.",
                "Это было ок. 5 лет назад.",
                "Конец",
            ],
        ),
        (
            "de",
            "Am 3. Mai kam Dr. Weber an. Er sagte z. B. nichts. Ende.",
            ["Am 3. Mai kam Dr. Weber an.", "Er sagte z. B. nichts.", "Ende."],
        ),
        (
            "fr",
            "M. Dupont est arrivé. Il a dit : « Bonjour. » Puis il est parti.",
            ["M. Dupont est arrivé.", "Il a dit : « Bonjour. »", "Puis il est parti."],
        ),
        (
            "tr",
            "Dr. Yılmaz geldi. 3. sırada yer aldı.",
            ["Dr. Yılmaz geldi.", "3. sırada yer aldı."],
        ),
        (
            "zh-Hant",
            "市議會批准了計畫。他說：「我很自豪。」為什麼？最後一句",
            ["市議會批准了計畫。", "他說：「我很自豪。」", "為什麼？", "最後一句"],
        ),
        (
            "zh-Hans",
            "预算约为1.5亿元。工程明年开始！",
            ["预算约为1.5亿元。", "工程明年开始！"],
        ),
        (
            "ja",
            "市長は「安全な街にしたい。」と語った。工事は来年始まる。",
            ["市長は「安全な街にしたい。」と語った。", "工事は来年始まる。"],
        ),
        ("ar", "لماذا غادر؟ قال إنه متعب. انتهى", ["لماذا غادر؟", "قال إنه متعب.", "انتهى"]),
        (
            "hi",
            "वह चला गया। उसने कहा कि वह थका हुआ था। अंत",
            ["वह चला गया।", "उसने कहा कि वह थका हुआ था।", "अंत"],
        ),
    ],
)
def test_sentence_rules(language: str, text: str, sentences: list[str]) -> None:
    assert split_sentences(text, language) == sentences


def test_a_line_break_always_ends_a_sentence() -> None:
    text = "Headline without a full stop\nRedaksi Kota\nThe body starts here. It goes on."
    assert split_sentences(text, "en") == [
        "Headline without a full stop",
        "Redaksi Kota",
        "The body starts here.",
        "It goes on.",
    ]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("", "en"),
        ("One.", "en"),
        ("  Leading space. Two  spaces.\n\n\nBlank lines.  \n", "en"),
        ("第一句。第二句！\r\n第三句", "zh-Hans"),
        ("No final newline\nand more", "und"),
        ("Текст.\u00a0Ещё\u2028текст.", "ru"),
        ("A " * 500 + ".", "xx"),
    ],
)
def test_spans_tile_the_text(text: str, language: str) -> None:
    spans = sentence_spans(text, language)
    assert "".join(text[a:b] for a, b in spans) == text
    assert all(a < b for a, b in spans)
    assert all(spans[i][1] == spans[i + 1][0] for i in range(len(spans) - 1))


def test_unknown_language_uses_general_rules() -> None:
    assert split_sentences("First one. Second one?", "und") == ["First one.", "Second one?"]
    assert split_sentences("First one. Second one?", None) == ["First one.", "Second one?"]


def test_scripts() -> None:
    assert [script_of(c) for c in "aЖ中の한αאبक"] == [
        "latin", "cyrillic", "han", "kana", "hangul", "greek", "hebrew", "arabic", "devanagari",
    ]  # fmt: skip
    assert script_of("5") is None and script_of(" ") is None and script_of("。") is None
    assert is_cjk("中") and is_cjk("の") and is_cjk("한") and not is_cjk("Ж")
    assert has_cjk("abcの") and not has_cjk("abc")
    assert has_han("東京へ") and not has_han("ひらがなだけ") and not has_han("한국어")
    assert HAN.findall("a中b𠀋c") == ["中", "𠀋"]  # supplementary ideographs too
    assert CJK.findall("x中のy한") == ["中", "の", "한"]
