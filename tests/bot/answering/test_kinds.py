"""What a question asks for, and the spans of a sentence that can give it."""

from __future__ import annotations

import pytest

from bot.answering.extractive.kinds import (
    asks_for_others,
    count_spans,
    date_spans,
    kind_spans,
    name_spans,
    question_kind,
    states_count,
)


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("How many stops does the line have?", "count"),
        ("When was the mayor elected?", "when"),
        ("Who cut the ribbon?", "who"),
        ("Where is the depot?", "where"),
        ("Why did the works take so long?", "why"),
        ("How long did the works take?", "duration"),
        ("What does the tram look like?", "other"),
        ("Кто открыл линию?", "who"),
        ("Сколько стоил проект?", "count"),
        ("谁为新线路剪彩？", "who"),
        ("新線路什麼時候開通？", "when"),
        ("いつ開業しましたか", "when"),
        ("언제 개통했나요?", "when"),
        ("Wann wurde die Linie eröffnet?", "when"),
        ("Combien a coûté le projet ?", "count"),
        ("¿Cuántas paradas tiene?", "count"),
        ("Quem inaugurou a linha?", "who"),
        ("Kiedy otwarto linię?", "when"),
        ("Hat kaç durak var?", "count"),
        ("Ai đã cắt băng khánh thành?", "who"),
        ("متى افتتح الخط؟", "when"),
        ("लाइन कब खुली?", "when"),
        ("Berapa biaya proyek itu?", "count"),
    ],
)
def test_question_kinds_in_many_languages(question: str, kind: str) -> None:
    assert question_kind(question) == kind


def test_who_else_asks_for_the_others() -> None:
    assert asks_for_others("Who else designed it?")
    assert asks_for_others("Кто ещё работал над проектом?")
    assert asks_for_others("还有谁参与了设计？")
    assert not asks_for_others("Who designed it?")


@pytest.mark.parametrize(
    ("sentence", "date"),
    [
        ("The line opens on 3 March 2025, the city said.", "3 March 2025"),
        ("Die Linie startet am 3. März 2025 offiziell.", "3. März 2025"),
        ("Линия откроется 5 января 2025 года.", "5 января 2025"),
        ("La línea abrirá el 14 de marzo de 2025.", "14 de marzo de 2025"),
        ("新线路将于2025年3月3日开通。", "2025年3月3日"),
        ("Ceremony on 26.09.2024 at noon.", "26.09.2024"),
        ("Opened on March 5, 2021 to the public.", "March 5, 2021"),
    ],
)
def test_dates_in_many_languages(sentence: str, date: str) -> None:
    assert date in [s[2] for s in date_spans(sentence)]


def test_a_month_name_alone_is_not_a_date() -> None:
    # "Mei" is May in Indonesian and also a given name.
    assert date_spans("Lin Mei said the tram was quiet.") == []


def test_amounts_keep_their_currency_and_scale_and_dates_are_not_counts() -> None:
    found = [s[2] for s in count_spans("It cost €412 million, 30% more than in 2019.")]
    assert found == ["€412 million", "30%"]
    assert [s[2] for s in count_spans("共有9个站点。")] == ["9个"]


@pytest.mark.parametrize(
    "name", ["Lucía Ferrández", "Seán O'Brien", "Lin Mei-hua", "Abu-Bakr Haddad", "Абу-Бакр Хаддад"]
)
def test_names_are_never_cut(name: str) -> None:
    sentence = f"On Monday {name} cut the ribbon."
    if not name.isascii() and "Абу" in name:
        sentence = f"В понедельник {name} перерезал ленту."
    assert name in [s[2] for s in name_spans(sentence)]


def test_an_initial_does_not_cut_a_name() -> None:
    found = [s[2] for s in name_spans("The firm was founded by James O. McKinsey in Chicago.")]
    assert found == ["James O. McKinsey"]


def test_interrogatives_of_spaced_scripts_match_whole_words_only() -> None:
    # "ще" (Ukrainian "else") sits inside "имущество"; "من" inside longer Arabic words
    assert not asks_for_others("Кто решает, как следует использовать землю или имущество?")
    assert asks_for_others("Кто ещё ушёл из компании?")
    assert asks_for_others("还有谁离开了？")  # Han matches inside a run of text
    assert question_kind("Сколько стоит билет?") == "count"


def test_a_count_is_not_answered_by_a_duration() -> None:
    assert [s[2] for s in kind_spans("count", "He waited 17 seconds for 3 buses")] == ["3 buses"]
    assert [s[2] for s in kind_spans("count", "用時17 秒，攔截了4次。")] == ["4次"]
    assert [s[2] for s in kind_spans("count", "项目用了3个月，共有9个站点。")] == ["9个"]
    assert [s[2] for s in kind_spans("count", "Ждали 20 минут, пришли 5 автобусов")] == [
        "5 автобусов"
    ]
    # a question about a duration still gets them
    assert "17 seconds" in [s[2] for s in kind_spans("duration", "He waited 17 seconds.")]


def test_a_number_keeps_an_abbreviation_but_not_the_sentence_end() -> None:
    assert [s[2] for s in count_spans("Проект стоил 1,5 млрд. рублей.")] == ["1,5 млрд."]
    assert [s[2] for s in count_spans("The line has 9 stops.")] == ["9 stops"]


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Что делает Доктор Кто, когда его тело повреждено?", "other"),  # a title holds "кто"
        ("Which company did Smith found?", "other"),
        ("What year did the line open?", "when"),  # the longer interrogative wins
        ("谁做了什么？", "who"),  # the first interrogative decides
        ("BSkyB什么时候宣布的？", "when"),
    ],
)
def test_the_first_interrogative_decides(question: str, kind: str) -> None:
    assert question_kind(question) == kind


def _stated(sentence: str, question: str) -> list[str]:
    return [s[2] for s in kind_spans("count", sentence) if states_count(sentence, s, question)]


def test_a_count_is_stated_as_a_measure_only_when_the_question_names_the_unit() -> None:
    # CLDR unit names via Babel, inflected forms included
    assert _stated("Колея была 6 дюймов, а дорог было 5", "Сколько было дорог?") == ["5"]
    assert _stated("The road is 8 km long and 300 people live there", "How many people?") == [
        "300 people"
    ]
    # ... unless the question names that unit, in any language
    assert _stated("The road is 8 km long", "How many kilometres?") == ["8 km"]
    assert _stated("40% of voters", "How many voters?") == []
    assert _stated("40% pemilih", "Berapa persentase pemilih?") == ["40%"]
    # a short unit that is also a word of the question's grammar names nothing (ar "كم")
    assert _stated("8 كيلومترات و 300 زائر", "كم عدد الزوار؟") == ["300 زائر"]
    # a measure is still evidence for "how much": only the one-line answer leaves it out
    assert [s[2] for s in kind_spans("count", "About 300 metres of road were lost.")] == [
        "300 metres"
    ]


def test_an_inflected_unit_of_time_is_a_duration() -> None:
    assert [s[2] for s in kind_spans("count", "26 haftanın ardından 12 puan")] == ["12 puan"]


def test_a_date_does_not_keep_the_sentence_final_full_stop() -> None:
    assert [s[2] for s in date_spans("The line reopens on April 15.")] == ["April 15"]
    assert [s[2] for s in date_spans("Am 15. April 2026 war es.")] == ["15. April 2026"]


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("en", "He built 5 secondary schools"),  # not seconds
        ("en", "There are 12 weekly flights"),  # not weeks
        ("en", "They run 7 grammar schools"),  # not grams
        ("en", "There were 12 in the boat"),  # "in" is not inches
        ("en", "We saw 5 fat cats"),  # Danish "fat" (barrel) is not an English unit
        ("pt", "Eram 12 mil pessoas"),  # Portuguese "mil" is a thousand, not Swedish miles
    ],
)
def test_ordinary_words_after_a_number_are_not_units(language: str, sentence: str) -> None:
    from bot.answering.extractive.kinds import unit_of

    (span,) = count_spans(sentence)
    assert unit_of(sentence, span, language) is None


def test_units_in_the_texts_own_language_and_common_abbreviations() -> None:
    from bot.answering.extractive.kinds import unit_of

    for language, sentence, key in [
        ("ru", "в 8 километрах от города", "length-kilometer"),  # a case ending
        ("ru", "в 8 км от города", "length-kilometer"),
        ("en", "The road is 8 km long", "length-kilometer"),
        ("tr", "26 haftanın ardından", "duration-week"),
    ]:
        assert unit_of(sentence, count_spans(sentence)[0], language) == key, sentence


@pytest.mark.parametrize(
    ("sentence", "kind", "spans"),
    [
        ("El precio subió a US$ 5.800 por tonelada en marzo.", "count", ["US$ 5.800"]),
        ("The line cost €412 million; 40% agreed.", "count", ["€412 million", "40%"]),
        ("Le billet coûte 5 000 € par an.", "count", ["5 000 €"]),
        ("价格涨到每吨5750美元。", "count", ["5750美元"]),
        ("매출은 3억 원이다.", "count", ["3억 원"]),
        ("云墨咖啡有4300家门店。", "count", ["4300家"]),
        ("2025/26产季的产量下降。", "when", ["2025/26"]),
        ("2025/26产季的产量下降。", "count", []),  # the season's second year counts nothing
    ],
)
def test_a_value_is_one_whole_span_with_its_currency_scale_or_counter(
    sentence: str, kind: str, spans: list[str]
) -> None:
    assert [s[2] for s in kind_spans(kind, sentence)] == spans
