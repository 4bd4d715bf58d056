"""Fixtures for the Discord tests: a real NewsBot wired to a FakeDiscord."""

from __future__ import annotations

from typing import Any

import pytest
import pytest_asyncio

from tests.bot.discord.fake_bot import make_bot
from tests.bot.fake_engine import FakeEngine


@pytest.fixture
def engine() -> FakeEngine:
    return FakeEngine()


@pytest_asyncio.fixture
async def newsbot(tmp_path: Any, engine: FakeEngine) -> Any:
    bot, fake = await make_bot(tmp_path, engine)
    yield bot, fake
    await bot.close()
