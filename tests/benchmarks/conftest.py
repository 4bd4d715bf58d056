"""Tiny inputs for the benchmark smoke tests; results go to tmp_path, never benchmarks/results."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import benchmarks.common

# Three stories, each in two languages (the parallel pool); the single pool keeps one.
STORIES = {
    "s1": {
        "ru": "Игорь Бабушкин покинул xAI и основал венчурную фирму Babuschkin Ventures.",
        "id": "Igor Babuschkin meninggalkan xAI dan mendirikan Babuschkin Ventures.",
    },
    "s2": {
        "ru": "Суперкомпьютер Colossus построен в Мемфисе, штат Теннесси, за 122 дня.",
        "zh-Hans": "超级计算机 Colossus 在田纳西州孟菲斯建成，用时122天。",
    },
    "s3": {
        "id": "Mira Murati, kepala teknologi OpenAI, mengumumkan pengunduran dirinya.",
        "zh-Hant": "OpenAI 技術長 Mira Murati 宣布辭職。",
    },
}
QUESTIONS = [
    (
        "s1",
        "Who founded Babuschkin Ventures after leaving xAI?",
        "Кто основал Babuschkin Ventures?",
    ),
    ("s2", "Where was the Colossus supercomputer built?", "Где построен суперкомпьютер Colossus?"),
    ("s3", "Which OpenAI technology chief, Mira Murati, resigned?", "Mira Murati ушла из OpenAI?"),
]


def _write(path: Path, rows: list[dict[str, Any]]) -> None:
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
    )


@pytest.fixture
def xquad_dir(tmp_path: Path) -> Path:
    """An xquad-xling-shaped folder: corpus_single.jsonl, corpus.jsonl, questions_dev.jsonl."""
    folder = tmp_path / "xquad"
    folder.mkdir()
    parallel, single = [], []
    for group, versions in STORIES.items():
        for i, (lang, text) in enumerate(versions.items()):
            row = {"id": f"{group}-{lang}", "lang": lang, "title": None, "text": text}
            parallel.append({**row, "group": group, "in_single_pool": i == 0})
            if i == 0:
                single.append({**row, "group": group})
    _write(folder / "corpus.jsonl", parallel)
    _write(folder / "corpus_single.jsonl", single)
    questions = []
    for group, en, ru in QUESTIONS:
        langs = list(STORIES[group])
        questions.append(
            {
                "qid": group,
                "questions": {"en": en, "ru": ru},
                "single_pool_gold": f"{group}-{langs[0]}",
                "gold_pids": {lang: f"{group}-{lang}" for lang in langs},
            }
        )
    _write(folder / "questions_dev.jsonl", questions)
    return folder


@pytest.fixture
def results_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """benchmarks.common.write_result writes here during the test."""
    out = tmp_path / "results"
    monkeypatch.setattr(benchmarks.common, "RESULTS", out)
    return out
