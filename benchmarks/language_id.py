"""Question-language detection: how often the detected language is the question's own.

    python -m benchmarks.language_id [--xquad ../shared/eval/xquad-xling]

Three sets: the xquad-xling dev questions (14 languages, 3,381 questions; dev data), the
news check set (eval/news/questions.jsonl, 78 questions in 16 languages) and
eval/language_questions.jsonl (72 short questions written for this check, 4 in each of the
18 answer languages, each naming a person from another language). Each is measured with the
shipped detector and, as the same-run baseline, with names voting like any other word
(``names_muted`` switched off).
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any
from unittest import mock

from benchmarks.common import ROOT, read_jsonl, write_result


def question_sets(xquad: Path) -> dict[str, list[tuple[str, str]]]:
    sets: dict[str, list[tuple[str, str]]] = {}
    dev = xquad / "questions_dev.jsonl"
    if dev.exists():
        rows = read_jsonl(dev)
        sets["xquad-dev"] = [(lang, q) for r in rows for lang, q in r["questions"].items()]
    sets["news"] = [
        (r["language"], r["question"]) for r in read_jsonl(ROOT / "eval/news/questions.jsonl")
    ]
    sets["names"] = [
        (r["language"], r["question"]) for r in read_jsonl(ROOT / "eval/language_questions.jsonl")
    ]
    return sets


def accuracy(items: list[tuple[str, str]], detect: Callable[[str], str]) -> dict[str, Any]:
    per: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    misses = []
    for lang, question in items:
        got = detect(question)
        per[lang][0] += got == lang
        per[lang][1] += 1
        if got != lang:
            misses.append({"language": lang, "detected": got, "question": question})
    right = sum(a for a, _ in per.values())
    return {"right": right, "n": len(items), "misses": misses}


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--xquad", type=Path, default=ROOT.parent / "shared/eval/xquad-xling")
    args = parser.parse_args(argv)
    from index.language import question_language

    def detect(question: str) -> str:
        return question_language(question, "en")  # as the answer's frame reads it

    out: dict[str, Any] = {}
    for name, items in question_sets(args.xquad).items():
        with mock.patch("index.language.names_muted", lambda text: text):
            before = accuracy(items, detect)
        now = accuracy(items, detect)
        out[name] = {"names_vote": before, "names_muted": now}
        print(
            f"{name:<10} names vote {before['right']}/{before['n']}  "
            f"names muted {now['right']}/{now['n']}"
        )
        for miss in now["misses"][:10]:
            print(f"    {miss['language']} → {miss['detected']}: {miss['question']}")
    path = write_result("language_id", out)
    print(f"results: {path}")
    return out


if __name__ == "__main__":
    main()
