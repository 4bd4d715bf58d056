"""Extractive-QA files → sentence-level examples: for each question, the sentences of its
paragraph (split by the product's own splitter, index/text.py) and which one holds the answer.

    python -m training.examples          # writes training/data/examples.json

Articles (by title) are split 90/10 into train / held-out with a hash of the title, so a
held-out question never shares an article with a training question.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path
from typing import Any

from index.text import sentence_spans
from training.fetch_data import raw_path
from training.sources import QA_SOURCES, Source

DATA = Path(__file__).resolve().parent / "data"
EXAMPLES = DATA / "examples.json"
SENTENCE_CHARS = 400  # bot/answering/extractive/semantic.py embeds a sentence by its opening
HELD_OUT_PERCENT = 10
_JSQUAD_SEP = " [SEP] "  # JSQuAD contexts open with "title [SEP] "


def split_of(source: str, title: str) -> str:
    digest = hashlib.sha256(f"{source}\t{title}".encode()).digest()
    return "heldout" if digest[0] * 100 // 256 < HELD_OUT_PERCENT else "train"


def _answer_span(context: str, answers: list[dict[str, Any]], body: int) -> tuple[int, int] | None:
    """The first answer whose recorded offset matches its text and lies in the body."""
    for answer in answers:
        start, text = int(answer["answer_start"]), str(answer["text"])
        if text and start >= body and context[start : start + len(text)] == text:
            return start, start + len(text)
    return None


def _sentences(context: str, body: int, language: str) -> list[tuple[int, int, str]]:
    out = []
    for start, end in sentence_spans(context[body:], language):
        text = context[body + start : body + end].strip()
        if text:
            out.append((body + start, body + end, text[:SENTENCE_CHARS]))
    return out


def read_source(source: Source) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    paragraphs: list[dict[str, Any]] = []
    questions: list[dict[str, Any]] = []
    skipped: Counter[str] = Counter()
    for path, _ in source.files:
        data = json.loads(raw_path(source, path).read_text("utf-8"))
        for article in data["data"]:
            title = str(article.get("title") or "")
            for para in article["paragraphs"]:
                context = str(para["context"])
                body = (
                    context.index(_JSQUAD_SEP) + len(_JSQUAD_SEP) if source.name == "jsquad" else 0
                )
                sentences = _sentences(context, body, source.language)
                if len(sentences) < 2:
                    skipped["one sentence"] += len(para["qas"])
                    continue
                pid = len(paragraphs)
                used = False
                for qa in para["qas"]:
                    span = (
                        None
                        if qa.get("is_impossible")
                        else _answer_span(context, qa["answers"], body)
                    )
                    if span is None:
                        skipped["no answer span"] += 1
                        continue
                    hits = [
                        i for i, (s, e, _) in enumerate(sentences) if s <= span[0] and span[1] <= e
                    ]
                    if len(hits) != 1:
                        skipped["answer crosses sentences"] += 1
                        continue
                    used = True
                    questions.append(
                        {"text": str(qa["question"]).strip(), "paragraph": pid, "answer": hits[0]}
                    )
                if used:
                    paragraphs.append(
                        {
                            "source": source.name,
                            "language": source.language,
                            "article": title,
                            "split": split_of(source.name, title),
                            "sentences": [t for _, _, t in sentences],
                        }
                    )
    print(
        f"{source.name}: {len(questions)} questions, {len(paragraphs)} paragraphs, "
        f"skipped {dict(skipped)}"
    )
    return paragraphs, questions


def build() -> dict[str, Any]:
    paragraphs: list[dict[str, Any]] = []
    questions: list[dict[str, Any]] = []
    for source in QA_SOURCES:
        paras, qs = read_source(source)
        offset = len(paragraphs)
        paragraphs.extend(paras)
        questions.extend({**q, "paragraph": q["paragraph"] + offset} for q in qs)
    return {"paragraphs": paragraphs, "questions": questions}


def main() -> None:
    examples = build()
    EXAMPLES.parent.mkdir(parents=True, exist_ok=True)
    EXAMPLES.write_text(json.dumps(examples, ensure_ascii=False), "utf-8")
    sentences = sum(len(p["sentences"]) for p in examples["paragraphs"])
    print(f"{len(examples['questions'])} questions, {sentences} sentences → {EXAMPLES}")


if __name__ == "__main__":
    main()
