"""Names across scripts (index/names.py): one person, seven scripts, one set of keys."""

from __future__ import annotations

import pytest

from index.names import NameQuery, name_keys, name_parts


def bare(keys: object) -> set[str]:
    """Keys without their script mark."""
    return {k[1:] for k in keys}  # type: ignore[attr-defined]


def full_keys(text: str) -> set[str]:
    return {k for part in name_parts(text) for k in bare(part.full)}


@pytest.mark.parametrize(
    "written",
    ["Kenji Takeda", "Кэндзи Такэда", "武田健二", "ケンジ・タケダ", "다케다 겐지", "كينجي تاكيدا",
     "केंजी ताकेदा"],
)  # fmt: skip
def test_one_name_gives_the_same_keys_in_every_script(written: str) -> None:
    assert {"takita", "kinsi"} <= full_keys(written)


def test_a_name_written_as_one_word_matches_its_parts_joined() -> None:
    # 왕밍후이 is one word; "Wang Minghui" two words, joined in either order
    assert full_keys("왕밍후이") & full_keys("Why did Wang Minghui resign?")
    assert full_keys("王明辉周二宣布辞职") & full_keys("Minghui Wang")


def test_korean_particles_and_hyphenated_given_names() -> None:
    assert "kinsi" in full_keys("겐지에게")  # 겐지 + the particle 에게
    assert "ninsiuk" in full_keys("Choi Min-seok")


def test_lowercase_words_of_cased_scripts_are_not_names() -> None:
    assert full_keys("the board said the decision followed a dispute") == set()


def test_question_keys_look_in_other_scripts_only() -> None:
    article = set(name_keys("다케다 겐지 씨가 사임했다"))
    korean_question = {
        k for p in name_parts("다케다 겐지 씨는 왜 사임했나요?", query=True) for k in p.keys
    }
    latin_question = {
        k for p in name_parts("Why did Kenji Takeda resign?", query=True) for k in p.keys
    }
    assert not article & korean_question  # same script: the keyword tokens match already
    assert article & latin_question


def test_the_name_score_prefers_the_chunk_holding_the_whole_name() -> None:
    parts = name_parts("Why did Kenji Takeda resign?", query=True)
    whole = set(name_keys("武田健二は辞任した。"))
    half = set(name_keys("武田真理子は辞任した。"))
    df = {k: 1 for k in whole | half}
    query = NameQuery.build(parts, df, 10)
    assert query.score(whole) > query.score(half) > query.score(set()) == 0.0
