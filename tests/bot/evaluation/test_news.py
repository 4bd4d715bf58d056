"""eval/news, the independent check set: its data keeps the promises of its README."""

from __future__ import annotations

import json
from pathlib import Path

from bot.evaluation.matching import contains
from bot.evaluation.questions import load_questions
from index.language import detect_language

NEWS = Path(__file__).resolve().parents[3] / "eval" / "news"


def test_the_news_check_set_is_consistent() -> None:
    """Every gold article exists and every form of every fact is in one of them; the set
    spans the languages, kinds and off-topic questions its README promises."""
    lines = (NEWS / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    articles = {a["id"]: a for a in map(json.loads, lines)}
    questions = load_questions(NEWS / "questions.jsonl")
    assert (
        len(articles) >= 16 and len({detect_language(a["text"]) for a in articles.values()}) >= 10
    )
    for q in questions:
        assert q.gold <= set(articles), q.id
        for fact in q.facts:
            for form in [fact] if isinstance(fact, str) else fact:
                texts = [articles[g]["title"] + "\n" + articles[g]["text"] for g in q.gold]
                assert any(contains(t, form) for t in texts), (q.id, form)
    answerable = [q for q in questions if q.answerable]
    assert len(answerable) >= 55 and all(q.facts and q.gold and q.kind for q in answerable)
    assert sum(1 for q in questions if not q.answerable and not q.gold) >= 15
    assert {"who", "when", "how many", "where", "why", "list"} <= {q.kind for q in answerable}
    disagreements = [q for q in answerable if len(q.facts) == 2 and q.kind in ("how many", "when")]
    assert len({q.id.split("-")[0] for q in disagreements}) >= 2  # in two stories or more
