"""The xquad-xling answer protocol (../shared/eval/xquad-xling/README.md), as data.

corpus_single.jsonl holds 240 paragraphs of 48 Wikipedia articles, five consecutive groups
per article (xq000–xq004 are the first article, …); questions_dev.jsonl names the article
of the groups it asks about, which fixes the article of every group. The protocol takes
every sixth article (sorted by name: the 6th, 12th, …) out of the index, all its
paragraphs; questions about a removed article must be refused, the others answered.

Splits keep calibration honest. The articles are split by the parity of the MD5 of their
name (about half each); even is "calib" (what the answer layer may be tuned on), the rest
"holdout" (what docs/quality.md reports). Removal then applies within each split — every
sixth of the split's own sorted articles — so both halves have questions to answer and
questions to refuse, and one index (the articles that neither split removes) serves
both. `all` is the README's protocol as written: every sixth of all 48 articles.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from bot.evaluation.matching import contains
from bot.evaluation.questions import EvalQuestion
from index.errors import UsageError

Split = Literal["calib", "holdout", "all"]
SPLITS: tuple[Split, ...] = ("calib", "holdout", "all")
LANGUAGES = ("en", "ru", "zh-Hans", "zh-Hant", "id")
GROUPS_PER_ARTICLE = 5
REMOVE_EVERY = 6
CORPUS = "corpus_single.jsonl"
QUESTIONS = "questions_dev.jsonl"
_GROUP = re.compile(r"^xq(\d+)$")


@dataclass(frozen=True)
class XquadSet:
    passages: list[dict[str, Any]]  # corpus_single records, as read
    questions: list[dict[str, Any]]  # questions_dev records, as read
    article_of: dict[str, str]  # passage id → article name

    @property
    def articles(self) -> list[str]:
        return sorted(set(self.article_of.values()))


@dataclass(frozen=True)
class Protocol:
    split: Split
    articles: list[str]  # the split's articles
    removed: list[str]  # the split's articles taken out of the index
    indexed: list[dict[str, Any]]  # the passages to index (corpus_single records)
    questions: list[EvalQuestion]  # every question of the split, in every language


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        raise UsageError(
            f"{path} not found — point --xquad at the xquad-xling folder "
            f"(it holds {CORPUS} and {QUESTIONS})."
        )
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _group_number(group: str) -> int:
    match = _GROUP.match(group)
    if match is None:
        raise UsageError(f"unexpected xquad group id {group!r} (expected xqNNN)")
    return int(match.group(1))


def load_set(folder: Path) -> XquadSet:
    passages = _read_jsonl(folder / CORPUS)
    questions = _read_jsonl(folder / QUESTIONS)
    block_article: dict[int, str] = {}
    for q in questions:
        block = _group_number(q["group"]) // GROUPS_PER_ARTICLE
        if block_article.setdefault(block, q["article"]) != q["article"]:
            raise UsageError(f"group {q['group']} mixes articles — not the xquad-xling layout")
    article_of: dict[str, str] = {}
    for p in passages:
        block = _group_number(p["group"]) // GROUPS_PER_ARTICLE
        if block not in block_article:
            raise UsageError(f"no question names the article of passage {p['id']}")
        article_of[p["id"]] = block_article[block]
    return XquadSet(passages, questions, article_of)


def name_hash(name: str) -> int:
    return int(hashlib.md5(name.encode("utf-8")).hexdigest(), 16)


def split_articles(articles: Iterable[str]) -> dict[str, Split]:
    """Each article's split by the parity of the MD5 of its name: even is calib. (The answer
    layer's weights and refusal threshold were fitted on exactly these calib articles.)"""
    return {a: ("calib" if name_hash(a) % 2 == 0 else "holdout") for a in set(articles)}


def every_sixth(articles: Iterable[str]) -> list[str]:
    """The 6th, 12th, … article by name: the ones the protocol takes out."""
    ordered = sorted(set(articles))
    return ordered[REMOVE_EVERY - 1 :: REMOVE_EVERY]


def removed_articles(articles: Iterable[str], split: Split) -> set[str]:
    """What the index leaves out for this split (see the module docstring)."""
    names = list(articles)
    if split == "all":
        return set(every_sixth(names))
    halves = split_articles(names)
    removed: set[str] = set()
    for half in ("calib", "holdout"):
        removed |= set(every_sixth(a for a in names if halves[a] == half))
    return removed


def plan(data: XquadSet, split: Split) -> Protocol:
    """The passages to index and the questions to ask for one split."""
    if split not in SPLITS:
        raise UsageError(f"unknown split {split!r}: use one of {', '.join(SPLITS)}")
    halves = split_articles(data.articles)
    mine = [a for a in data.articles if split == "all" or halves[a] == split]
    removed = removed_articles(data.articles, split)
    indexed = [p for p in data.passages if data.article_of[p["id"]] not in removed]
    by_id = {p["id"]: p for p in data.passages}
    questions = [
        question
        for record in data.questions
        if record["article"] in mine
        for question in protocol_questions(record, by_id, record["article"] in removed)
    ]
    return Protocol(split, mine, sorted(removed & set(mine)), indexed, questions)


def protocol_questions(
    record: dict[str, Any], passages: dict[str, dict[str, Any]], removed: bool
) -> list[EvalQuestion]:
    """One EvalQuestion per language. Gold answers are those of the gold passage's own
    language, and only when one occurs verbatim (whole words) in that passage."""
    gold_passage = passages[record["single_pool_gold"]]
    forms = tuple(record.get("answers", {}).get(gold_passage["lang"], ()))
    verbatim = tuple(f for f in forms if f and contains(gold_passage["text"], f))
    return [
        EvalQuestion(
            id=f"{record['qid']}:{lang}",
            question=text,
            language=lang,
            gold=frozenset() if removed else frozenset({gold_passage["id"]}),
            answerable=not removed,
            facts=() if removed or not verbatim else (verbatim,),
        )
        for lang, text in record["questions"].items()
        if text
    ]


def limit_per_language(questions: list[EvalQuestion], limit: int | None) -> list[EvalQuestion]:
    """At most `limit` questions per language, the same question ids in every language,
    picked by a stable hash so a short run still spans many articles and both kinds."""
    if limit is None:
        return questions
    qids = sorted({q.id.rsplit(":", 1)[0] for q in questions}, key=name_hash)
    kept: dict[str, int] = {}
    out = []
    by_qid = {qid: rank for rank, qid in enumerate(qids)}
    for q in sorted(questions, key=lambda q: (by_qid[q.id.rsplit(":", 1)[0]], q.language)):
        if kept.get(q.language, 0) < limit:
            kept[q.language] = kept.get(q.language, 0) + 1
            out.append(q)
    return out


def write_export(passages: list[dict[str, Any]], path: Path) -> Path:
    """The passages to index as a JSONL export the product reads (id, text, lang)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for p in passages:
            record = {"id": p["id"], "text": p["text"], "lang": p["lang"]}
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path
