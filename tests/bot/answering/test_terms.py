"""Matching keys: stems, CJK bigrams in either script, names and numbers across languages."""

from __future__ import annotations

from bot.answering.extractive.terms import fold, idf_weights, overlap, terms


def test_inflections_share_a_stem() -> None:
    assert set(terms("станции проекта", "ru")) == set(terms("станция проект", "ru"))
    assert set(terms("stops", "en")) == set(terms("stop", "en"))
    assert set(terms("Straßenbahnen", "de")) & set(terms("die Straßenbahn", "de")) == set()


def test_names_and_numbers_match_across_languages_and_accents() -> None:
    assert fold("Ferrández") == "ferrandez"
    assert "ferrandez" in terms("Lucía Ferrández dijo", "es")
    assert "ferrandez" in terms("said Ferrandez", "en")
    assert "412" in terms("412 millones", "es") and "412" in terms("€412 million", "en")


def test_traditional_and_simplified_chinese_match() -> None:
    assert set(terms("新線路開通", "zh-Hant")) == set(terms("新线路开通", "zh-Hans"))


def test_japanese_is_cut_into_bigrams() -> None:
    assert "開業" in terms("駅が開業した", "ja") or "开业" in terms("駅が開業した", "ja")


def test_overlap_weighs_rare_terms_more_than_common_ones() -> None:
    pool = [set(terms(s, "en")) for s in ("the tram opens", "the tram costs money", "tram depot")]
    idf = idf_weights(pool)
    q = terms("tram depot", "en")
    assert overlap(q, pool[2], idf) == 1.0
    assert overlap(q, pool[0], idf) < 0.5  # only the common word
