"""`newsbot eval`: metric arithmetic on hand-made cases, both question formats, the runner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.answering.conversation import Conversation
from bot.answering.types import Answer, Citation
from bot.cli.progress import render_text
from bot.evaluation.evaluate import QuestionRunner
from bot.evaluation.matching import fact_present
from bot.evaluation.metrics import (
    EvalRun,
    Outcome,
    by_language,
    percentile,
    recall_at,
    reciprocal_rank,
    summarise,
)
from bot.evaluation.questions import EvalQuestion, load_questions
from bot.evaluation.report import report_renderables
from index.errors import UsageError
from index.types import Passage
from tests.bot.fake_engine import FakeEngine

SHARED_EVAL = Path(__file__).resolve().parents[4] / "shared" / "eval" / "xquad-xling"
XQUAD = SHARED_EVAL / "questions_dev.jsonl"
NEWS = Path(__file__).resolve().parents[3] / "eval" / "news"


def outcome(qid: str, lang: str, retrieved: list[str], gold: set[str], **kw: object) -> Outcome:
    return Outcome(
        id=qid,
        language=lang,
        gold=frozenset(gold),
        answerable=bool(gold),
        retrieved=retrieved,
        **kw,  # type: ignore[arg-type]
    )


def test_recall_and_reciprocal_rank() -> None:
    ranked = ["a", "b", "c", "b"]
    assert recall_at(ranked, {"b"}, 1) == 0.0
    assert recall_at(ranked, {"b"}, 2) == 1.0
    assert reciprocal_rank(ranked, {"b"}) == 0.5
    assert reciprocal_rank(ranked, {"c", "b"}) == 0.5  # the first gold passage counts
    assert reciprocal_rank(["x"] * 10 + ["g"], {"g"}) == 0.0  # rank 11 is beyond MRR@10
    assert reciprocal_rank([], {"g"}) == 0.0


def test_percentile_interpolates() -> None:
    assert percentile([40, 10, 30, 20], 50) == 25
    assert percentile([10, 20, 30, 40], 95) == pytest.approx(38.5)
    assert percentile([], 50) is None


def test_hand_made_case_per_language() -> None:
    outcomes = [
        # en: ranks 2, none within 10, 1 → R@1 1/3, R@5 2/3, R@10 2/3, MRR (0.5 + 0 + 1)/3
        outcome("q1", "en", ["a", "b", "c"], {"b"}, refused=False, cited=["b"], search_ms=10.0),
        outcome("q2", "en", ["x"] * 10 + ["g"], {"g"}, refused=True, cited=[], search_ms=20.0),
        outcome("q3", "en", ["g", "h"], {"g"}, refused=False, cited=["h"], search_ms=30.0),
        # ru: unanswerable; one refused (right), one answered (wrong)
        outcome("q4", "ru", ["a"], set(), refused=True, cited=[], search_ms=40.0),
        outcome("q5", "ru", ["a"], set(), refused=False, cited=["a"], search_ms=50.0),
    ]
    groups = by_language(outcomes)
    en = groups["en"]
    assert en.search["n"] == 3
    assert en.search["recall@1"] == pytest.approx(1 / 3)
    assert en.search["recall@5"] == pytest.approx(2 / 3)
    assert en.search["recall@10"] == pytest.approx(2 / 3)
    assert en.search["mrr@10"] == pytest.approx(0.5)
    assert en.answers["citation_accuracy"] == pytest.approx(1 / 3)
    assert en.latency_ms["search_p50"] == 20.0

    assert groups["ru"].search["n"] == 0  # unanswerable questions have no retrieval gold
    every = groups["all"]
    # refused: q2 (answerable, wrong) and q4 (right); unanswerable: q4 (refused), q5 (not)
    assert every.answers["refusal_precision"] == pytest.approx(0.5)
    assert every.answers["refusal_recall"] == pytest.approx(0.5)
    assert every.latency_ms["search_p95"] == pytest.approx(48.0)
    data = every.to_json()
    assert data["search"]["mrr@10"] == 0.5 and data["n"] == 5


def test_a_flat_facts_list_is_one_fact_in_alternative_forms(tmp_path: Path) -> None:
    path = tmp_path / "q.jsonl"
    rows = [
        {"id": "a", "question": "Where?", "gold": ["1"], "facts": ["Memphis", "Мемфис"]},
        {"id": "b", "question": "Who?", "gold": ["1"], "facts": [["x"], ["y", "z"]]},
    ]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    one, two = load_questions(path, detect=lambda _: "en")
    assert one.facts == (("Memphis", "Мемфис"),)
    assert two.facts == (["x"], ["y", "z"])


def test_key_facts_accept_alternatives_and_ignore_case() -> None:
    assert fact_present("Harbour Ventures", "He founded HARBOUR  ventures.")
    assert fact_present(["четырьмя", "four"], "It was four.")
    assert not fact_present("Mar Chillida-Roig", "no names here")
    o = Outcome("q", "en", frozenset({"a"}), True, retrieved=["a"], refused=False, cited=["a"])
    o.facts_found, o.facts_total = 1, 2
    assert summarise([o]).answers["key_facts"] == 0.5


def test_simple_format(tmp_path: Path) -> None:
    path = tmp_path / "q.jsonl"
    lines = [
        {"id": "b1", "question": "Why did Ferrández leave the union?", "gold": ["001"],
         "answerable": True, "facts": ["Harbour Ventures"]},
        {"id": "off", "question": "Какая погода в Париже?", "gold": [], "answerable": False},
        {"id": "f1", "question": "and who inspired him?", "gold": ["001"], "answerable": True,
         "turns": ["Why did Ferrández leave the union?"], "language": "en"},
    ]  # fmt: skip
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n\n")
    qs = load_questions(path, detect=lambda text: "ru" if "погода" in text else "en")
    assert [q.id for q in qs] == ["b1", "off", "f1"]
    assert qs[0].gold == {"001"} and qs[0].facts == (("Harbour Ventures",),)
    assert qs[1].language == "ru" and not qs[1].answerable
    assert qs[2].turns == ("Why did Ferrández leave the union?",)


def test_conversation_format_judges_every_turn(tmp_path: Path) -> None:
    item = {
        "id": "conv-en",
        "turns": [
            {"question": "Why did the co-founder of the port union leave?", "gold": ["001"],
             "answerable": True, "facts": ["venture"]},
            {"question": "and who inspired him?", "gold": ["002"], "answerable": True,
             "facts": ["Chillida-Roig"]},
        ],
    }  # fmt: skip
    path = tmp_path / "c.jsonl"
    path.write_text(json.dumps(item) + "\n")
    first, second = load_questions(path, detect=lambda text: "en")
    assert (first.id, first.turns, first.gold) == ("conv-en#1", (), {"001"})
    assert second.id == "conv-en#2" and second.gold == {"002"}
    assert second.turns == ("Why did the co-founder of the port union leave?",)
    assert second.facts == (("Chillida-Roig",),)


def test_xquad_format_one_question_per_language(tmp_path: Path) -> None:
    item = {
        "qid": "56d6", "group": "xq000", "question": "How many?",
        "questions": {"en": "How many?", "ru": "Сколько?", "zh-Hans": "多少？"},
        "gold_pids": {"ru": "xq000-ru", "zh-Hans": "xq000-zh-Hans"},
        "single_pool_gold": "xq000-ru",
        "answers": {"en": ["four"], "ru": ["четырьмя"]},
    }  # fmt: skip
    path = tmp_path / "x.jsonl"
    path.write_text(json.dumps(item, ensure_ascii=False) + "\n")
    qs = load_questions(path)
    assert sorted(q.language for q in qs) == ["en", "ru", "zh-Hans"]
    assert all(q.gold == {"xq000-ru", "xq000-zh-Hans"} for q in qs)
    assert qs[0].facts == (("four", "четырьмя"),)


@pytest.mark.skipif(not XQUAD.exists(), reason="shared eval set not present")
def test_the_real_dev_set_loads() -> None:
    qs = load_questions(XQUAD)
    assert len({q.id.split(":")[0] for q in qs}) == 247
    assert {"en", "ru", "zh-Hans", "zh-Hant"} <= {q.language for q in qs}


def test_bad_files_are_usage_errors(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="not found"):
        load_questions(tmp_path / "missing.jsonl")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"nope": 1}\n')
    with pytest.raises(UsageError, match="bad.jsonl:1"):
        load_questions(bad)


class SpyEngine(FakeEngine):
    """Ranks articles from a fixed table and records every argument it receives."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[tuple[object, ...]] = []  # type: ignore[assignment]

    def _passage(self, article_id: str) -> Passage:
        return Passage(article_id, f"{article_id}:0", "t", "id", "text", "s", None, 0.5)

    def search(self, query: str, k: int | None = None) -> list[Passage]:
        self.calls.append(("search", query, k))
        return [self._passage(a) for a in ("003", "001", "002")][: k or 6]

    def ask(
        self, question: str, conversation: Conversation | None = None, readers: object = ()
    ) -> Answer:
        self.calls.append(("ask", question, len(conversation.turns) if conversation else 0))
        refused = "weather" in question
        cites = [] if refused else [Citation(1, "001", "t", "id", "Indonesian", "s", None, "q")]
        used = [] if refused else [self._passage("001")]
        answer = Answer(question, "Harbour Ventures [1]", "en", refused, "extractive", cites, used)
        if conversation is not None:  # the engine records the turn (AnswerEngine.ask)
            conversation.add(question, answer)
        return answer


def test_runner_scores_without_showing_gold_to_the_engine(tmp_path: Path) -> None:
    path = tmp_path / "q.jsonl"
    path.write_text(
        "\n".join(
            json.dumps(x)
            for x in [
                {"id": "a", "question": "Why did he leave?", "gold": ["001"], "answerable": True,
                 "facts": [["Harbour Ventures"], ["Chillida-Roig"]], "language": "en"},
                {"id": "b", "question": "weather in Paris?", "gold": [], "answerable": False,
                 "language": "en"},
                {"id": "c", "question": "and then?", "gold": ["001"], "answerable": True,
                 "turns": ["Why did he leave?"], "language": "en"},
            ]
        )
    )  # fmt: skip
    engine = SpyEngine()
    runner = QuestionRunner(
        engine, baseline=lambda q, k: engine.search(q, k)[::-1], new_conversation=Conversation
    )
    outcomes = runner.run(load_questions(path))
    assert not any("001" in str(arg) for call in engine.calls for arg in call)
    a, b, c = outcomes
    assert a.retrieved == ["003", "001", "002"] and a.baseline == ["002", "001", "003"]
    assert (a.facts_found, a.facts_total) == (1, 2)
    assert b.refused and not a.refused
    # the follow-up's earlier turn is asked first, and the follow-up sees it remembered
    assert engine.calls.index(("ask", "Why did he leave?", 0)) < engine.calls.index(
        ("ask", "and then?", 1)
    )
    figures = by_language(outcomes)["en"]
    # a: rank 2 by search; c, a follow-up, is judged by the passages its answer used: rank 1
    assert figures.search["mrr@10"] == 0.75
    assert c.retrieved == ["001"] and c.search_ms is None
    assert figures.baseline is not None and figures.baseline["mrr@10"] == 0.5
    assert figures.answers["citation_accuracy"] == 1.0
    assert figures.answers["refusal_precision"] == 1.0
    run = EvalRun("q.jsonl", "/tmp/idx", outcomes)
    assert json.loads(json.dumps(run.to_json()))["languages"]["en"]["n"] == 3
    text = render_text(report_renderables(run), width=160)
    assert (
        "en English" in text
        and "Baseline: plain llama-index" in text
        and "1st" in text
        and "gold" in text
    )


def test_a_failing_question_is_reported_not_fatal() -> None:
    class Broken(SpyEngine):
        def search(self, query: str, k: int | None = None) -> list[Passage]:
            raise RuntimeError("chroma went away")

    qs = [EvalQuestion("x", "q", "en", frozenset({"1"}))]
    [o] = QuestionRunner(Broken(), ask=False).run(qs)
    assert o.error == "RuntimeError: chroma went away"


def test_eval_command_on_a_real_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`newsbot eval --articles … --json --baseline` builds, runs and prints the JSON report."""
    import sys

    import bot.cli.app

    questions = tmp_path / "q.jsonl"
    questions.write_text(
        "\n".join(
            json.dumps(x, ensure_ascii=False)
            for x in [
                {"id": "a", "question": "Valencia dockworkers strike automation Ferrández",
                 "gold": ["port-strike-es", "port-strike-en"], "answerable": True,
                 "facts": ["Ferrández"], "language": "en", "kind": "who"},
                {"id": "b", "question": "Абу-Бакр аль-Хашими Петра", "gold": ["inscription-ru"],
                 "answerable": True},
                {"id": "c", "turns": [{"question": "Bulog beras Vietnam", "language": "id",
                    "gold": ["rice-id"], "answerable": True}, {"question": "dan berapa harganya?",
                    "gold": ["rice-id"], "answerable": True}]},
            ]
        )
    )  # fmt: skip
    monkeypatch.setenv("NEWSBOT_EMBEDDING", "hash")
    monkeypatch.setenv("NEWSBOT_LLM", "none")
    monkeypatch.setattr(
        sys,
        "argv",
        ["newsbot", "eval", "--questions", str(questions), "--json", "--baseline",
         "--articles", str(NEWS / "articles.jsonl"), "--index-dir", str(tmp_path / "index")],
    )  # fmt: skip
    bot.cli.app.main()
    report = json.loads(capsys.readouterr().out)
    assert report["questions"] == 4 and report["gold_in_index"] == 1.0
    assert report["errors"] == []
    assert set(report["languages"]) == {"en", "ru", "id"}
    every = report["all"]
    assert every["n"] == 4
    assert set(every["search"]) == {"n", "recall@1", "recall@5", "recall@10", "mrr@10"}
    assert every["search"]["n"] == 4 and every["baseline"]["n"] == 3  # follow-ups: no baseline
    assert 0.0 <= every["search"]["mrr@10"] <= every["search"]["recall@10"] <= 1.0
    assert {"answered", "first_citation_right", "gold_shown", "short_precision",
            "offtopic_refused"} <= set(every["answers"])  # fmt: skip
    assert every["answers"]["asked"] == 4 and every["answers"]["gold_scored"] == 1
    assert set(report["kinds"]) == {"who"}
    assert every["latency_ms"]["search_p50"] > 0 and every["latency_ms"]["ask_p95"] > 0
