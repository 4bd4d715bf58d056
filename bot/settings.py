"""All settings of newsbot: the index settings plus answers, LLM and Discord.

Read from the environment (NEWSBOT_*, and DISCORD_TOKEN) and `.env`.
Secrets are SecretStr: they never appear in `repr`, logs or messages.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator

from bot.answering.refusal import NULL_Z
from index.settings import IndexSettings


class Settings(IndexSettings):
    # answers
    top_k: int = Field(6, ge=1, le=50, description="Passages an answer is built from.")
    refuse_z: float = Field(
        NULL_Z,
        ge=-5,
        le=10,
        description=(
            "Answer only when the best passage scores this many standard deviations above "
            "what off-topic questions in the same language reach on this index (higher: "
            "refuse more)."
        ),
    )
    answer_model: bool = Field(
        True,
        description=(
            "Read each candidate sentence with the bundled answer model (a multilingual "
            "cross-encoder, about 0.2 s per question on 2 cores): it picks the sentence that "
            "answers and says when the articles cover the story but not the asked fact. "
            "false: the bi-encoder's similarity alone."
        ),
    )

    reader_languages: list[str] = Field(
        default_factory=list,
        description=(
            'Languages your readers read, in order (JSON list of codes, e.g. ["en", "de"]): '
            "of two equally good sources, one in the question's language is quoted first, "
            "then one in these. The Discord bot puts each member's locale and the server's "
            "/config languages before them."
        ),
    )

    @field_validator("reader_languages")
    @classmethod
    def _reader_codes(cls, value: list[str]) -> list[str]:
        from bot.answering.readers import reader_languages

        codes, unknown = reader_languages(value)
        if unknown:
            raise ValueError(f"unknown language code(s): {', '.join(unknown)}")
        return codes

    # LLM (optional; without one answers are extractive)
    llm: Literal["none", "openai", "ollama", "openai-like"] = Field(
        "none", description="LLM backend for written answers; none = extractive answers."
    )
    llm_model: str | None = Field(None, description="LLM model name, e.g. gpt-4o-mini, llama3.1.")
    llm_base_url: str | None = Field(
        None, description="Base URL of an OpenAI-compatible server or Ollama."
    )
    llm_api_key: SecretStr | None = Field(None, description="LLM API key (never logged).")
    llm_timeout: float = Field(
        30.0, gt=0, description="Seconds before the LLM is given up and the extractive answer used."
    )
    llm_context_tokens: int = Field(
        3000, ge=200, description="Token budget (cl100k_base) for article text in the prompt."
    )
    llm_max_tokens: int = Field(600, ge=16, description="Maximum tokens the LLM may write.")
    history_tokens: int = Field(
        800, ge=0, description="Token budget of conversation history kept per conversation."
    )

    # Discord
    discord_token: SecretStr | None = Field(
        None,
        validation_alias=AliasChoices("DISCORD_TOKEN", "NEWSBOT_DISCORD_TOKEN"),
        description="Bot token from https://discord.com/developers/applications (Bot → Token).",
    )
    discord_allowed_channels: list[int] = Field(
        default_factory=list,
        description=(
            "Channel ids the bot answers in (JSON list); empty = every channel it sees. "
            "Default for every server; a server's admins can change theirs with /config."
        ),
    )
    discord_admin_role_id: int | None = Field(
        None,
        description=(
            "Id of the role allowed to /reindex and /config besides Manage Server (a role id, "
            "never a name: anyone who can create roles could copy a name). Default for every "
            "server; /config admin-role changes it per server."
        ),
    )
    discord_cooldown_seconds: float = Field(
        10.0,
        ge=0,
        description="Per-user wait between questions on a server (default; /config cooldown).",
    )
    discord_dm_cooldown_seconds: float = Field(
        30.0, ge=0, description="Per-user wait between questions asked in direct messages."
    )
    discord_message_content: bool = Field(
        False,
        description=(
            "Use the privileged Message Content intent (enable it in the developer portal too) "
            "to answer every message in the bot's threads, not only mentions."
        ),
    )
    discord_api_base: str = Field(
        "https://discord.com/api/v10",
        description="Discord REST API base URL; change only for a proxy (e.g. a rate-limit proxy).",
    )
    discord_max_concurrent: int = Field(
        4, ge=1, le=64, description="Answers computed at the same time across all users."
    )
    discord_guild_id: int | None = Field(
        None, description="Guild to sync slash commands to during development (instant sync)."
    )
    feedback_db: Path = Field(
        Path(".newsbot/feedback.sqlite3"),
        description="SQLite file of the Discord bot: answers, 👍/👎 votes, per-server settings.",
    )


def configure_logging(level: str) -> None:
    """Logging for one process (each entry point calls it once): NEWSBOT_LOG_LEVEL, to stderr."""
    logging.basicConfig(
        level=getattr(logging, level.upper(), logging.WARNING),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )


def get_settings(**overrides: object) -> Settings:
    """Settings from env/.env, with explicit overrides (e.g. CLI flags) winning."""
    clean = {k: v for k, v in overrides.items() if v is not None}
    return Settings(**clean)  # type: ignore[arg-type]
