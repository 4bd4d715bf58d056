"""Settings: every field documented in .env.example, secrets never shown."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


def test_env_example_lists_every_setting() -> None:
    text = (ROOT / ".env.example").read_text(encoding="utf-8")
    for name in Settings.model_fields:
        env = "DISCORD_TOKEN" if name == "discord_token" else f"NEWSBOT_{name.upper()}"
        assert f"{env}=" in text, f"{env} missing from .env.example"


def test_secrets_never_appear_in_repr_or_str(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", "MTIz.super-secret-token")
    monkeypatch.setenv("NEWSBOT_LLM_API_KEY", "sk-secret-key")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.discord_token is not None
    assert settings.discord_token.get_secret_value() == "MTIz.super-secret-token"
    for text in (repr(settings), str(settings), str(settings.model_dump())):
        assert "super-secret-token" not in text and "sk-secret-key" not in text


@pytest.mark.env_file
def test_env_prefix_and_env_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("NEWSBOT_TOP_K=9\nNEWSBOT_INDEX_DIR=/tmp/x\n", encoding="utf-8")
    monkeypatch.setenv("NEWSBOT_CHUNK_TOKENS", "300")
    settings = Settings()
    assert (settings.top_k, settings.chunk_tokens, str(settings.index_dir)) == (9, 300, "/tmp/x")


def test_reader_languages_are_normalised_and_unknown_codes_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from pydantic import ValidationError

    monkeypatch.setenv("NEWSBOT_READER_LANGUAGES", '["en-GB", "zh-TW", "pt-BR", "en"]')
    assert Settings(_env_file=None).reader_languages == ["en", "zh-Hant", "pt"]  # type: ignore[call-arg]
    monkeypatch.setenv("NEWSBOT_READER_LANGUAGES", '["en", "elvish"]')
    with pytest.raises(ValidationError, match="elvish"):
        Settings(_env_file=None)  # type: ignore[call-arg]
