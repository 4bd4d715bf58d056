"""The engine boundary: the real Engine and every fake the front-end tests drive offer the
same methods, so a test cannot pass on a method production never calls (or lack one it does)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.answering.engine import Engine
from bot.answering.protocols import AnswerEngine
from bot.settings import Settings
from tests.bot.cli.test_cli import FakeEngine as CliFake
from tests.bot.evaluation.test_evaluate import SpyEngine
from tests.bot.fake_engine import FakeEngine
from tests.bot.test_repl import FakeEngine as ReplFake


def test_the_engine_is_an_answer_engine(tmp_path: Path) -> None:
    engine = Engine(Settings(index_dir=tmp_path / "index", embedding="hash"))
    assert isinstance(engine, AnswerEngine)


@pytest.mark.parametrize("make", [FakeEngine, ReplFake, SpyEngine, lambda: CliFake(None)])
def test_every_fake_engine_is_an_answer_engine(make) -> None:  # noqa: ANN001
    assert isinstance(make(), AnswerEngine)


def test_an_object_missing_a_method_is_not_an_answer_engine() -> None:
    class AskOnly:
        def ask(self, question: str, conversation: object = None) -> None: ...

    assert not isinstance(AskOnly(), AnswerEngine)
