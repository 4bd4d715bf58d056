"""Shared test setup: no developer `.env` or NEWSBOT_* variable leaks into a test."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from index.settings import IndexSettings


@pytest.fixture(autouse=True)
def isolated_settings(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    for name in list(os.environ):
        if name.startswith("NEWSBOT_") or name == "DISCORD_TOKEN":
            monkeypatch.delenv(name)
    if "env_file" not in request.keywords:
        from bot.settings import Settings

        for cls in (IndexSettings, Settings):
            monkeypatch.setitem(cls.model_config, "env_file", None)
    yield
