"""Shared test setup: no developer `.env` or NEWSBOT_* variable leaks into a test, and no
test writes to the user's cache folder."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from index.settings import IndexSettings


@pytest.fixture(autouse=True, scope="session")
def isolated_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """newsbot's cache folder (the unpacked language model) in a temporary folder, for this
    process and the newsbot processes tests start: tests never write to the user's home."""
    before = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg-cache"))
    yield
    if before is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = before


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
