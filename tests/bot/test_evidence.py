"""Sentence scoring pieces: question groups, affixes, question kinds, answer spans."""

from __future__ import annotations

from bot.answering.extractive.cues import answer_spans, dates_in
from bot.answering.extractive.compose import trim_quote
from bot.answering.extractive.question_groups import question_groups
from bot.answering.extractive.sentences import affix_variants, question_kind, word_key


def test_a_name_phrase_is_one_group_and_a_word_joins_its_concept() -> None:
    groups = {
        g.label: g for g in question_groups("Who inspired Igor Babuschkin to start his firm?")
    }
    assert groups["igor babushkin"].name and groups["igor babushkin"].keys == ("igor", "babushkin")
    assert "inspired" in groups["@inspire"].keys, "the word and its concept count once"


def test_chinese_questions_give_bigrams_in_both_scripts_without_question_words() -> None:
    labels = [g.keys for g in question_groups("巴布什金為什麼離開xAI？")]
    assert ("巴布",) in labels and not any(
        "什麼" in k or "什么" in k for keys in labels for k in keys
    )
    leave = next(g for g in question_groups("巴布什金為什麼離開xAI？") if g.concept == "leave")
    assert {"離開", "离开"} <= set(leave.keys)


def test_indonesian_affixes_are_stripped_for_matching() -> None:
    assert word_key("kerja") in affix_variants(word_key("bekerja"))
    assert word_key("pergi") in affix_variants(word_key("kepergiannya"))
    assert word_key("inspirasi") in affix_variants(word_key("menginspirasi"))


def test_question_kinds_in_four_languages() -> None:
    assert (
        question_kind("Which OpenAI chief technology officer announced she was leaving?") == "who"
    )
    assert question_kind("在巴布什金之前，哪位首席科學家離開了xAI？") == "who"
    assert question_kind("Berapa lama Babuschkin bekerja di xAI?") == "duration"
    assert question_kind("Сколько процессоров приобрёл Маск?") == "count"
    assert question_kind("Which AI system did he help build?") == "other"


def test_answer_spans_find_people_places_dates_and_amounts_new_to_the_question() -> None:
    q = "Who inspired Babuschkin?"
    who = answer_spans(
        "who", "Ia makan malam dengan Max Tegmark, pendiri Future of Life Institute.", q
    )
    assert [s[2] for s in who] == ["Max Tegmark"], "an institute is not a person"
    where = answer_spans(
        "where", "membangun superkomputer di Memphis, Tennessee dalam waktu", "Where?"
    )
    assert [s[2] for s in where] == ["Memphis, Tennessee"]
    assert dates_in("— Sam Altman (@sama) 26 September 2024") == ["26 September 2024"]
    assert "8月14日" in dates_in("8月14日,公司聯合創始人")
    money = answer_spans("count", "mengumpulkan $1 miliar dari investor", "How much money?")
    assert [s[2] for s in money] == ["$1 miliar"]


def test_trim_quote_keeps_short_sentences_and_cuts_long_ones_at_a_clause() -> None:
    assert trim_quote("Short sentence.", 50) == "Short sentence."
    long = "First clause here, second clause goes on and on, third clause " + "x " * 40
    cut = trim_quote(long, 60)
    assert cut == "First clause here, second clause goes on and on …"
