"""Fixtures for the Discord tests: a real NewsBot wired to a FakeDiscord."""

from __future__ import annotations

from typing import Any

import pytest
import pytest_asyncio

from tests.discord_fakes import FakeEngine, make_bot


@pytest.fixture
def engine() -> FakeEngine:
    return FakeEngine()


@pytest_asyncio.fixture
async def newsbot(tmp_path: Any, engine: FakeEngine) -> Any:
    bot, fake = await make_bot(tmp_path, engine)
    yield bot, fake
    await bot.close()
