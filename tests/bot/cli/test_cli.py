"""`newsbot search|ask|repl|eval` through the real entry point: output, JSON shapes, exit codes."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest

import bot.cli.app
from bot.answering.conversation import Conversation
from bot.answering.types import Answer, Citation
from index.errors import NoIndexError
from index.types import Passage
from tests.bot.fake_engine import PASSAGE
from tests.bot.fake_engine import FakeEngine as BaseFakeEngine

ASK_KEYS = {
    "question", "answer", "answer_markdown", "language", "refused", "mode", "citations",
    "passages", "timings_ms",
}  # fmt: skip
CITATION_KEYS = {"n", "article_id", "title", "language", "language_name", "source", "url", "quote"}
PASSAGE_KEYS = {"article_id", "chunk_id", "language", "score"}

P1 = PASSAGE


class FakeEngine(BaseFakeEngine):
    """Stands in for bot.answering.engine.Engine where a behaviour needs a controlled answer."""

    instances: list[FakeEngine] = []

    def __init__(self, settings: Any, notice: str | None = None, index: bool = True) -> None:
        super().__init__()
        self.settings = settings
        self.notice = notice
        self.index = index
        self.calls: list[tuple[str, Any]] = []
        FakeEngine.instances.append(self)

    def search(self, query: str, k: int | None = None) -> list[Passage]:
        if not self.index:
            raise NoIndexError()
        self.calls.append(("search", (query, k)))
        return [P1][: k or 6]

    def ask(
        self, question: str, conversation: Conversation | None = None, readers: Any = ()
    ) -> Answer:
        if not self.index:
            raise NoIndexError()
        self.calls.append(("ask", question))
        cite = Citation(1, P1.article_id, P1.title, "id", "Indonesian", P1.source, None, P1.text)
        return Answer(
            question=question,
            text="Babuschkin left xAI to start Babuschkin Ventures [1].",
            language="en",
            refused=False,
            mode="llm" if not self.notice else "extractive",
            citations=[cite],
            passages=[P1],
            timings_ms={"retrieve": 14.21, "answer": 31.0, "total": 47.94},
            notice=self.notice,
        )


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> type[FakeEngine]:
    FakeEngine.instances = []
    monkeypatch.setattr(bot.cli.app, "open_engine", FakeEngine)
    return FakeEngine


def run_cli(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    *args: str,
    stdin: str = "",
) -> tuple[int, str, str]:
    """Run `newsbot ARGS` in-process through bot.cli.app.main (the console entry point)."""
    monkeypatch.setattr(sys, "argv", ["newsbot", *args])
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = 0
    try:
        bot.cli.app.main()
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


Run = Any


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Run:
    return lambda *args, stdin="": run_cli(monkeypatch, capsys, *args, stdin=stdin)


def test_ask_prints_answer_then_numbered_sources(cli: Run, fake: type[FakeEngine]) -> None:
    code, out, _ = cli("ask", "Why did the co-founder of xAI leave?")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Babuschkin left xAI to start Babuschkin Ventures [1]."
    assert (
        "[1] Igor Babuschkin Tinggalkan xAI — Indonesian — articles/001_e1b07ba1087159c9.txt"
        in lines
    )
    assert (
        "    “Babuschkin meninggalkan xAI untuk meluncurkan firma modal ventura miliknya.”" in lines
    )


def test_ask_shows_a_notice_when_the_llm_fell_back(
    cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bot.cli.app, "open_engine", lambda s: FakeEngine(s, notice="LLM timed out"))
    code, out, _ = cli("ask", "Why?")
    assert code == 0
    assert "(LLM timed out)" in out.splitlines()[1]


def test_ask_json_is_exactly_the_design_object(cli: Run, fake: type[FakeEngine]) -> None:
    code, out, _ = cli("ask", "Why did the co-founder of xAI leave?", "--json")
    assert code == 0
    data = json.loads(out)
    assert set(data) == ASK_KEYS
    assert data["question"] == "Why did the co-founder of xAI leave?"
    assert set(data["citations"][0]) == CITATION_KEYS
    assert data["citations"][0]["language_name"] == "Indonesian"
    assert data["passages"] == [
        {"article_id": P1.article_id, "chunk_id": P1.chunk_id, "language": "id", "score": 0.8312}
    ]
    assert data["timings_ms"] == {"retrieve": 14.2, "answer": 31.0, "total": 47.9}


def test_ask_json_answer_is_plain_text_beside_its_markdown() -> None:
    from bot.answering.types import Answer

    text = "Mira Murati, chief technology officer \\(CTO\\), left on **25 September** [1]."
    data = Answer("Who left?", text, "en", False, "extractive").to_json()
    assert (
        data["answer"] == "Mira Murati, chief technology officer (CTO), left on 25 September [1]."
    )
    assert data["answer_markdown"] == text


def test_search_json_and_options(cli: Run, fake: type[FakeEngine], tmp_path: Path) -> None:
    code, out, _ = cli(
        "search", "Babuschkin Ventures", "-k", "3", "--json", "--index-dir", str(tmp_path)
    )
    assert code == 0
    data = json.loads(out)
    assert set(data) == {"query", "passages"} and data["query"] == "Babuschkin Ventures"
    assert PASSAGE_KEYS | {"text"} <= set(data["passages"][0])
    engine = fake.instances[-1]
    assert engine.calls == [("search", ("Babuschkin Ventures", 3))]
    assert engine.settings.index_dir == tmp_path


def test_search_human_output(cli: Run, fake: type[FakeEngine]) -> None:
    code, out, _ = cli("search", "Babuschkin")
    assert code == 0
    assert out.startswith("1. 0.831  Igor Babuschkin Tinggalkan xAI — Indonesian — articles/001_")


def test_jsonl_batches_answer_every_line_in_one_process(cli: Run, fake: type[FakeEngine]) -> None:
    lines = '{"id": 1, "question": "Who left?"}\n\n{"id": "b", "question": "Why?"}\n'
    code, out, _ = cli("search", "--jsonl", "-k", "2", stdin=lines)
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert [(r["id"], r["query"]) for r in rows] == [(1, "Who left?"), ("b", "Why?")]
    assert all(set(r) == {"id", "query", "passages"} for r in rows)

    code, out, _ = cli("ask", "--jsonl", stdin=lines)
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["id"] for r in rows] == [1, "b"]
    assert all(set(r) == ASK_KEYS | {"id"} for r in rows)
    assert len(fake.instances) == 2  # one engine per process, not per line


def test_jsonl_bad_lines_get_an_error_line_and_exit_2(cli: Run, fake: type[FakeEngine]) -> None:
    lines = 'not json\n{"id": 7, "question": "  "}\n{"id": 8, "question": "ok?"}\n'
    code, out, err = cli("ask", "--jsonl", stdin=lines)
    assert code == 2
    rows = [json.loads(line) for line in out.splitlines()]
    assert rows[0]["id"] is None and "not JSON" in rows[0]["error"]
    assert rows[1]["id"] == 7 and "empty question" in rows[1]["error"]
    assert rows[2]["id"] == 8 and rows[2]["answer"]
    assert "2 input line(s)" in err


@pytest.mark.parametrize("command", ["ask", "search"])
def test_empty_question_is_a_usage_error(cli: Run, fake: type[FakeEngine], command: str) -> None:
    for text in ("", "   \t "):
        code, out, err = cli(command, text)
        assert code == 2 and out == ""
        assert "empty question" in err
    assert fake.instances == []  # nothing was loaded for a bad question


def test_huge_question_is_a_usage_error(cli: Run, fake: type[FakeEngine]) -> None:
    code, _, err = cli("ask", "x" * 2500)
    assert code == 2
    assert "too long (2500 characters, max 2000)" in err
    code, _, _ = cli("ask", "x" * 2000)
    assert code == 0


def test_question_and_jsonl_together_or_neither(cli: Run, fake: type[FakeEngine]) -> None:
    assert cli("ask", "Why?", "--jsonl")[0] == 2
    code, _, err = cli("ask")
    assert code == 2 and "missing question" in err and "newsbot ask '" in err
    assert "--jsonl" in err  # the other way to give questions
    code, _, err = cli("search")
    assert code == 2 and "missing query" in err


def test_no_index_exits_3_naming_the_build_command(
    cli: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(bot.cli.app, "open_engine", lambda s: FakeEngine(s, index=False))
    for args in (("ask", "Why?"), ("search", "Why?", "--json"), ("ask", "--jsonl")):
        code, out, err = cli(*args, stdin='{"id": 1, "question": "Why?"}\n')
        assert code == 3, args
        assert "newsbot index build --index-dir .newsbot/index" in err
    where = tmp_path / "my index"
    code, _, err = cli("ask", "Why?", "--index-dir", str(where))
    assert code == 3 and f"newsbot index build --index-dir '{where}'" in err  # quoted


def test_index_dir_that_is_a_file_is_a_usage_error_naming_the_fix(
    cli: Run, fake: type[FakeEngine], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a_file = tmp_path / "notes.txt"
    a_file.write_text("x", encoding="utf-8")
    for where in (a_file, a_file / "index"):
        for args in (("ask", "Why?"), ("index", "status"), ("search", "x")):
            code, out, err = cli(*args, "--index-dir", str(where))
            assert code == 2, (args, err)
            assert f"--index-dir {where}" in err and "give a folder" in err
            assert "unexpected" not in err and "NotADirectoryError" not in err
    monkeypatch.setenv("NEWSBOT_INDEX_DIR", str(a_file))
    code, _, err = cli("ask", "Why?")
    assert code == 4 and "set NEWSBOT_INDEX_DIR to a folder" in err
    assert fake.instances == []  # refused before anything was opened


def test_build_from_missing_articles_exits_2_and_creates_nothing(
    cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index_dir = tmp_path / "index"
    code, out, err = cli(
        "index", "build", "--articles", str(tmp_path / "nope"), "--index-dir", str(index_dir)
    )
    assert code == 2 and "does not exist" in err and "--articles" in err
    assert not index_dir.exists()
    monkeypatch.setenv("NEWSBOT_ARTICLES", str(tmp_path / "gone"))
    code, _, err = cli("index", "build", "--index-dir", str(index_dir))
    assert code == 4 and "NEWSBOT_ARTICLES" in err and "--articles PATH" in err
    assert not index_dir.exists()


def test_a_file_system_error_is_a_configuration_error_naming_the_path(
    cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    def denied(settings: Any) -> Any:
        raise PermissionError(13, "Permission denied", "/srv/news/index/manifest.json")

    monkeypatch.setattr(bot.cli.app, "open_engine", denied)
    code, _, err = cli("ask", "Why?")
    assert code == 4
    assert "cannot use /srv/news/index/manifest.json: Permission denied" in err
    assert "unexpected" not in err


@pytest.mark.parametrize("command", ["search", "ask", "repl", "eval"])
def test_help_has_examples_and_index_dir(cli: Run, command: str) -> None:
    code, out, _ = cli(command, "--help")
    assert code == 0
    assert "Examples" in out and "--index-dir" in out


# --- against a real index (hash embedder: fast, offline, not semantic) ---------------------

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def hash_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from bot.settings import Settings
    from index.building.builder import build_index

    index_dir = tmp_path_factory.mktemp("cli") / "index"
    build_index(Settings(articles=REPO / "articles", index_dir=index_dir, embedding="hash"))
    return index_dir


@pytest.fixture
def hash_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSBOT_EMBEDDING", "hash")
    monkeypatch.setenv("NEWSBOT_ARTICLES", str(REPO / "articles"))
    monkeypatch.setenv("NEWSBOT_LLM", "none")


def test_real_ask_json_matches_the_contract(cli: Run, hash_env: None, hash_index: Path) -> None:
    code, out, _ = cli(
        "ask", "Babuschkin xAI Babuschkin Ventures", "--json", "--index-dir", str(hash_index)
    )
    assert code == 0
    data = json.loads(out)
    assert set(data) - {"notice", "usage"} == ASK_KEYS
    assert data["mode"] == "extractive"
    assert all(set(p) == PASSAGE_KEYS for p in data["passages"])
    assert all(set(c) == CITATION_KEYS for c in data["citations"])
    used = {p["article_id"] for p in data["passages"]}
    assert {c["article_id"] for c in data["citations"]} <= used  # citations point at passages
    assert [c["n"] for c in data["citations"]] == list(range(1, len(data["citations"]) + 1))
    assert set(data["timings_ms"]) >= {"retrieve", "answer", "total"}


def test_real_search_batch(cli: Run, hash_env: None, hash_index: Path) -> None:
    lines = "\n".join(
        json.dumps({"id": i, "question": q}, ensure_ascii=False)
        for i, q in enumerate(["Babuschkin Ventures", "巴布什金", "Бабушкин xAI"])
    )
    code, out, _ = cli("search", "--jsonl", "-k", "4", "--index-dir", str(hash_index), stdin=lines)
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["id"] for r in rows] == [0, 1, 2]
    for row in rows:
        assert 0 < len(row["passages"]) <= 4
        assert all(PASSAGE_KEYS | {"text"} <= set(p) for p in row["passages"])


def test_real_process_without_index_exits_3(tmp_path: Path) -> None:
    import os
    import subprocess

    env = dict(os.environ, NEWSBOT_EMBEDDING="hash", NEWSBOT_ARTICLES=str(tmp_path / "none"))
    newsbot = str(Path(sys.executable).with_name("newsbot"))
    for args in (["ask", "Why?"], ["search", "Why?", "--json"]):
        done = subprocess.run(
            [newsbot, *args, "--index-dir", str(tmp_path / "empty")],
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp_path,
            timeout=120,
        )
        assert done.returncode == 3, done.stderr
        assert "newsbot index build" in done.stderr
        assert done.stdout == ""
    done = subprocess.run(
        [newsbot, "ask", "  "], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60
    )
    assert done.returncode == 2 and "empty question" in done.stderr
