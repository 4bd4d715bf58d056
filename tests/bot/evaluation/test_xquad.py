"""The xquad-xling answer protocol: article mapping, splits, removal, questions, and one
end-to-end run through the product's build and Engine (hash embeddings, a tiny set)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from bot.evaluation.xquad import (
    every_sixth,
    limit_per_language,
    load_set,
    plan,
    removed_articles,
    split_articles,
)
from index.errors import UsageError

SHARED = Path(__file__).resolve().parents[4] / "shared" / "eval" / "xquad-xling"
LANGS = ("ru", "zh-Hans", "zh-Hant", "id")
# Twelve names the MD5-parity split cuts six and six (A B F M P R are calib).
NAMES = [f"Topic_{c}" for c in "ABCDEFGHIMPR"]


def write_set(folder: Path, names: list[str] = NAMES) -> Path:
    """A miniature xquad-xling: five paragraphs per article, questions on groups 0 and 2."""
    folder.mkdir(parents=True, exist_ok=True)
    corpus, questions = [], []
    for a, name in enumerate(names):
        for g in range(5):
            group = f"xq{a * 5 + g:03d}"
            lang = LANGS[(a + g) % 4]
            text = f"{name} part {g}: the {name} bridge is {100 + a * 5 + g} metres long."
            corpus.append({"id": f"{group}-{lang}", "lang": lang, "title": None,
                           "text": text, "group": group})  # fmt: skip
            if g in (0, 2):
                answer = str(100 + a * 5 + g) if g == 0 else "not in the text"
                questions.append({
                    "qid": f"q{a}-{g}", "group": group, "article": name,
                    "question": f"How long is the {name} bridge (part {g})?",
                    "questions": {"en": f"How long is the {name} bridge (part {g})?",
                                  "ru": f"Какова длина моста {name} (часть {g})?"},
                    "single_pool_gold": f"{group}-{lang}",
                    "answers": {lang: [answer], "en": [answer]},
                })  # fmt: skip
    for file, rows in (("corpus_single.jsonl", corpus), ("questions_dev.jsonl", questions)):
        with (folder / file).open("w", encoding="utf-8") as handle:
            handle.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    return folder


def test_every_paragraph_belongs_to_the_article_of_its_block(tmp_path: Path) -> None:
    data = load_set(write_set(tmp_path / "x"))
    assert len(data.article_of) == 60 and data.articles == sorted(NAMES)
    # groups 1, 3, 4 have no question; their article comes from their block of five
    assert data.article_of["xq004-" + LANGS[4 % 4]] == "Topic_A"
    assert data.article_of["xq059-" + LANGS[(11 + 4) % 4]] == "Topic_R"


def test_a_block_naming_two_articles_is_refused(tmp_path: Path) -> None:
    folder = write_set(tmp_path / "x")
    path = folder / "questions_dev.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    rows[1]["article"] = "Somewhere_else"  # group xq002 sits in Topic_A's block
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    with pytest.raises(UsageError, match="mixes articles"):
        load_set(folder)
    with pytest.raises(UsageError, match="--xquad"):
        load_set(tmp_path / "missing")


def test_the_split_is_stable_and_order_free() -> None:
    halves = split_articles(NAMES)
    assert halves == split_articles(list(reversed(NAMES)))
    assert sum(1 for h in halves.values() if h == "calib") == 6
    # Golden: the split is a contract — changing it would leak holdout into calibration.
    assert sorted(a for a, h in halves.items() if h == "calib") == [
        "Topic_A", "Topic_B", "Topic_F", "Topic_M", "Topic_P", "Topic_R",
    ]  # fmt: skip


@pytest.mark.skipif(not SHARED.exists(), reason="shared eval set not present")
def test_the_real_split_is_the_published_one() -> None:
    data = load_set(SHARED)
    halves = split_articles(data.articles)
    calib = sorted(a for a, h in halves.items() if h == "calib")
    assert len(calib) == 23 and calib[:4] == [
        "American_Broadcasting_Company", "Apollo_program", "Civil_disobedience", "Construction",
    ]  # fmt: skip
    assert sorted(removed_articles(data.articles, "holdout")) == sorted(
        removed_articles(data.articles, "calib")
    )  # one index serves both halves
    assert every_sixth(data.articles) == sorted(data.articles)[5::6]


def test_removal_applies_within_each_split(tmp_path: Path) -> None:
    data = load_set(write_set(tmp_path / "x"))
    halves = split_articles(NAMES)
    for split in ("calib", "holdout"):
        mine = sorted(a for a in NAMES if halves[a] == split)
        protocol = plan(data, split)
        assert protocol.articles == mine
        assert protocol.removed == [mine[5]]  # the sixth of the split's six, by name
        removed = set(removed_articles(NAMES, split))
        assert len(removed) == 2  # the sixth of each half: one index for both
        assert not {data.article_of[p["id"]] for p in protocol.indexed} & removed
        assert len(protocol.indexed) == 50
        off = [q for q in protocol.questions if not q.answerable]
        assert off and all(q.id.startswith(f"q{NAMES.index(mine[5])}-") for q in off)
        assert all(not q.gold and not q.facts for q in off)
    everything = plan(data, "all")
    assert everything.removed == ["Topic_F", "Topic_R"]  # the README protocol: 6th, 12th


def test_gold_answers_count_only_when_verbatim_in_the_gold_passage(tmp_path: Path) -> None:
    protocol = plan(load_set(write_set(tmp_path / "x")), "all")
    by_id = {q.id: q for q in protocol.questions}
    first = by_id["q0-0:ru"]
    assert first.gold == {"xq000-ru"} and first.facts == (("100",),)
    assert by_id["q0-2:en"].facts == ()  # "not in the text" is not in the passage
    assert by_id["q0-2:en"].answerable  # still asked: it must be answered


def test_limit_keeps_n_per_language_the_same_questions_in_each() -> None:
    protocol_questions = [
        q for qid in ("a", "b", "c", "d") for q in [_q(f"{qid}:en"), _q(f"{qid}:ru", "ru")]
    ]
    picked = limit_per_language(protocol_questions, 2)
    assert len(picked) == 4
    ids = {
        lang: {q.id.split(":")[0] for q in picked if q.language == lang} for lang in ("en", "ru")
    }
    assert ids["en"] == ids["ru"]
    assert picked == limit_per_language(list(reversed(protocol_questions)), 2)
    assert limit_per_language(protocol_questions, None) == protocol_questions


def _q(qid: str, lang: str = "en"):  # noqa: ANN202
    from bot.evaluation.questions import EvalQuestion

    return EvalQuestion(qid, "?", lang, frozenset({"p"}))


def test_xquad_eval_end_to_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`newsbot eval --xquad DIR --split holdout --json`: the product builds the index
    from the split's passages and answers every question in every language."""
    import bot.cli.app

    folder = write_set(tmp_path / "x")
    monkeypatch.setenv("NEWSBOT_EMBEDDING", "hash")
    monkeypatch.setenv("NEWSBOT_LLM", "none")
    argv = ["newsbot", "eval", "--xquad", str(folder), "--split", "holdout", "--json",
            "--index-dir", str(tmp_path / "index")]  # fmt: skip
    monkeypatch.setattr(sys, "argv", argv)
    bot.cli.app.main()
    report = json.loads(capsys.readouterr().out)
    proto = report["protocol"]
    assert proto["split"] == "holdout" and proto["articles"] == 6
    assert proto["indexed_passages"] == 50 and len(proto["removed_articles"]) == 1
    assert report["questions"] == 6 * 2 * 2 and report["errors"] == []
    assert set(report["languages"]) == {"en", "ru"}
    answers = report["all"]["answers"]
    assert answers["offtopic"] == 4 and answers["answerable"] == 20
    assert answers["gold_scored"] == 10  # part-0 questions: their answer is in the passage
    assert report["all"]["latency_ms"]["ask_p95"] > 0

    # The index it made is reused; somebody's real index is not overwritten.
    monkeypatch.setattr(sys, "argv", [*argv, "--limit", "1"])
    bot.cli.app.main()
    assert json.loads(capsys.readouterr().out)["questions"] == 2
    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "a.txt").write_text("A story about a bridge.\n\nIt is long.")
    other = tmp_path / "other-index"
    monkeypatch.setattr(
        sys, "argv", ["newsbot", "index", "build", "--articles", str(tmp_path / "news"),
                      "--index-dir", str(other)],
    )  # fmt: skip
    bot.cli.app.main()
    monkeypatch.setattr(sys, "argv", [*argv[:-1], str(other)])
    with pytest.raises(SystemExit) as exit_info:
        bot.cli.app.main()
    assert exit_info.value.code == 2
    assert "holds another index" in capsys.readouterr().err


def test_a_bad_split_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import bot.cli.app

    argv = ["newsbot", "eval", "--xquad", str(write_set(tmp_path / "x")), "--split", "test"]
    monkeypatch.setattr(sys, "argv", argv)
    with pytest.raises(SystemExit) as exit_info:
        bot.cli.app.main()
    assert exit_info.value.code == 2 and "calib, holdout, all" in capsys.readouterr().err
