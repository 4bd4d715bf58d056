"""The rules `newsbot eval` scores answers by: normalisation, whole-word matching, the short
line, and the per-language answer figures — on text written for these tests."""

from __future__ import annotations

import pytest

from bot.answering.types import Citation
from bot.evaluation.evaluate import _readable
from bot.evaluation.matching import contains, fact_present, normalise, short_right
from bot.evaluation.metrics import Outcome, answer_figures, by_kind, by_language
from bot.evaluation.questions import EvalQuestion


def test_normalise_folds_width_case_emphasis_and_spaces() -> None:
    assert normalise("  The **１８１７**\n\tEXCHANGE  ") == "the 1817 exchange"
    assert normalise("__Straße__ `x`") == "strasse x"  # casefold: ß → ss


@pytest.mark.parametrize(
    ("haystack", "needle", "expected"),
    [
        ("It opened in 1817.", "1817", True),
        ("It opened in 1817.", "1", False),  # a digit of a year is not the answer "1"
        ("fourteen players", "four", False),
        ("Four players were picked", "four players", True),
        ("有多少名球员入选了四次。", "四次", True),  # CJK: no spaces between words
        ("서울에서 열렸다", "서울", True),  # Hangul particles glue to the noun
        ("Deputy magistrate Lin Mei-hua said", "Lin Mei", False),  # hyphen joins a name
        ("Deputy magistrate Lin Mei-hua said", "Lin Mei-hua", True),
        ("Абу-Бакр аль-Хашими", "Абу", False),
        ("spokesman Diego Ferrández", "Diego Ferr", False),  # cut at an accented letter
        ("coach Patrick O'Brien", "O", False),
        ("Kulüp, O'Brien'a tazminat ödeyecek", "O'Brien", True),  # Turkish suffix
        ("Haziran 2024'te imzaladı", "Haziran 2024", True),
        ("Tesla's lab", "Tesla", True),
        ("l'armée a quitté", "armée", True),  # French elision
        ("he said **Tegmark** [1]", "tegmark", True),  # bold marks of a quote
        ("the  Saxon\nGarden", "saxon garden", True),
        ("nothing here", "", False),
    ],
)
def test_contains_matches_whole_words_after_normalising(
    haystack: str, needle: str, expected: bool
) -> None:
    assert contains(haystack, needle) is expected


def test_a_fact_is_found_in_any_of_its_forms() -> None:
    assert fact_present(["четырьмя", "four"], "It was FOUR times.")
    assert fact_present("Memphis", "in memphis")
    assert not fact_present(["four"], "fourteen")


@pytest.mark.parametrize(
    ("short", "forms", "expected"),
    [
        (None, ["9"], None),  # no short line shown: not judged
        ("  ", ["9"], None),
        ("9", ["9 stops"], True),  # the short line inside a gold form
        ("Lin Mei-hua, deputy magistrate", ["Lin Mei-hua"], True),  # a gold form inside it
        ("Lin Mei", ["Lin Mei-hua"], False),  # a cut name is wrong
        ("Diego Ferr", ["Diego Ferrández"], False),
        ("19", ["1996"], False),
        ("2019", ["2023"], False),
        ("€430 million", ["€412 million", "€430 million"], True),
    ],
)
def test_short_line_is_right_when_it_contains_or_is_contained_in_gold(
    short: str | None, forms: list[str], expected: bool | None
) -> None:
    assert short_right(short, forms) is expected


def _o(qid: str, lang: str, gold: set[str], **kw: object) -> Outcome:
    return Outcome(id=qid, language=lang, gold=frozenset(gold), answerable=bool(gold), **kw)  # type: ignore[arg-type]


CASES = [
    # en: answered, first citation right, fact shown, short right
    _o("a", "en", {"g1"}, refused=False, cited=["g1", "x"], facts_found=1, facts_total=1,
       short="four", short_right=True, kind="how many", short_asked=True, ask_ms=10.0),
    # en: answered, gold only in the second citation; fact missing; short wrong
    _o("b", "en", {"g2"}, refused=False, cited=["x", "g2"], facts_found=0, facts_total=1,
       short="1817", short_right=False, kind="when", ask_ms=20.0),
    # en: refused although answerable; its refusal quotes the gold passage: still a miss
    _o("c", "en", {"g3"}, refused=True, cited=["g3"], facts_found=1, facts_total=1,
       kind="who", ask_ms=30.0),
    # en: off-topic, answered (wrong)
    _o("d", "en", set(), refused=False, cited=["x"], short="€412 million", kind="off-topic",
       ask_ms=40.0),
    # ru: answered, two facts of which one shown (a disagreement half reported), no short
    _o("e", "ru", {"g5"}, refused=False, cited=["g5"], facts_found=1, facts_total=2,
       kind="how many", short_asked=True, ask_ms=50.0),
    # ru: off-topic, refused
    _o("f", "ru", set(), refused=True, cited=[], kind="off-topic", ask_ms=60.0),
]  # fmt: skip


def test_answer_figures_count_refusals_as_misses() -> None:
    en = answer_figures(CASES[:4])
    assert en["answerable"] == 3 and en["offtopic"] == 1
    assert en["answered"] == pytest.approx(2 / 3)
    assert en["first_citation_right"] == pytest.approx(1 / 3)  # only a's first citation
    assert en["first_citation_right_when_answered"] == pytest.approx(1 / 2)
    assert en["citation_accuracy"] == pytest.approx(2 / 3)  # any citation: a and b
    assert en["gold_shown"] == pytest.approx(1 / 3)  # c's fact sits in a refusal
    assert en["short_n"] == 2 and en["short_precision"] == pytest.approx(1 / 2)
    assert en["short_shown"] == pytest.approx(1.0)  # both answered questions had one
    assert en["offtopic_refused"] == 0.0  # d answered an off-topic question
    # of the answered who / when / how-many questions (a, e), a had a short line
    assert answer_figures(CASES)["short_shown_asked"] == pytest.approx(1 / 2)


def test_figures_are_aggregated_per_question_language_and_kind() -> None:
    groups = by_language(CASES)
    assert list(groups) == ["en", "ru", "all"]
    ru = groups["ru"].answers
    assert ru["gold_shown"] == pytest.approx(0.5) and ru["offtopic_refused"] == 1.0
    assert ru["short_precision"] is None and ru["short_shown"] == 0.0
    every = groups["all"].answers
    assert every["asked"] == 6 and every["answered"] == pytest.approx(3 / 4)
    assert every["offtopic_refused"] == pytest.approx(1 / 2)
    assert groups["ru"].latency_ms["ask_p50"] == pytest.approx(55.0)
    assert groups["all"].latency_ms["ask_p95"] == pytest.approx(57.5)
    kinds = by_kind(CASES)
    assert set(kinds) == {"how many", "when", "who", "off-topic"}
    assert kinds["how many"]["gold_shown"] == pytest.approx(0.75)
    assert kinds["off-topic"]["offtopic_refused"] == pytest.approx(0.5)


def test_readable_counts_questions_a_source_answers_in_their_own_language() -> None:
    cases = [
        _o("a", "es", {"g1"}, refused=False, readable=True),  # quoted in Spanish
        _o("b", "es", {"g2"}, refused=False, readable=False),  # only quoted in English
        _o("c", "es", {"g3"}, refused=True, readable=True),  # a refusal: a miss
        _o("d", "es", {"g4"}, refused=False, readable=None),  # no Spanish source has it
    ]
    figures = answer_figures(cases)
    assert figures["readable_n"] == 3
    assert figures["readable_shown"] == pytest.approx(1 / 3)


def _cite(language: str, quote: str) -> Citation:
    return Citation(1, "a", "t", language, language, "s", None, quote)


def test_readable_needs_a_quote_in_the_questions_language_holding_the_fact() -> None:
    q = EvalQuestion("q", "¿Cuándo cerró el puerto?", "es", frozenset({"es1", "en1"}),
                     facts=(["martes", "Tuesday"],))  # fmt: skip
    sources = {"es1": ("es", "El puerto cerró el martes."), "en1": ("en", "It shut on Tuesday.")}
    assert _readable(q, [_cite("es", "El puerto cerró el martes.")], sources) is True
    assert _readable(q, [_cite("en", "It shut on Tuesday.")], sources) is False
    # a Spanish quote without the fact does not count either
    assert _readable(q, [_cite("es", "El puerto de Valverde es grande.")], sources) is False
    # no Spanish source gives the fact: not judged
    assert _readable(q, [], {"en1": ("en", "It shut on Tuesday.")}) is None
    # a reader of Chinese reads both scripts
    zh = EvalQuestion("z", "港口何时关闭？", "zh-Hans", frozenset({"tw"}), facts=("週二",))
    assert _readable(
        zh, [_cite("zh-Hant", "港口於週二關閉。")], {"tw": ("zh-Hant", "港口於週二關閉。")}
    )
