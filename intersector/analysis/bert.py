"""A numpy forward pass of the BERT encoder in all-MiniLM-L6-v2, with mean pooling.

Also runs MPNet encoders (all-mpnet-base-v2, when INTERSECTOR_EMBEDDING_MODEL_DIR names one):
the same layers plus a relative-position bias in every attention score.

Reads the Hugging Face files (config.json, tokenizer.json, model.safetensors,
1_Pooling/config.json, sentence_bert_config.json) and reproduces sentence-transformers'
encode(): tokenise (truncated), encode, mean over real tokens, L2 normalise.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.special import erf

from .threads import THREADS_ENV, limit_threads  # noqa: F401 (THREADS_ENV for bench)

BATCH_SIZE = 32
DEFAULT_MAX_TOKENS = 256
FFN_ROWS = 256


@dataclass
class Layer:
    qkv_w: np.ndarray  # (hidden, 3*hidden), already transposed for x @ w
    qkv_b: np.ndarray
    out_w: np.ndarray
    out_b: np.ndarray
    ln1_g: np.ndarray
    ln1_b: np.ndarray
    up_w: np.ndarray
    up_b: np.ndarray
    down_w: np.ndarray
    down_b: np.ndarray
    ln2_g: np.ndarray
    ln2_b: np.ndarray


def layer_norm(x, gamma, beta, eps):
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    var = np.mean(centred * centred, axis=-1, keepdims=True)
    return centred / np.sqrt(var + eps) * gamma + beta


def gelu(x):
    """BERT's "gelu": the exact erf form x * Phi(x) (reference; scipy's erf, float64-slow)."""
    return np.float32(0.5) * x * (np.float32(1.0) + erf(x * np.float32(1.0 / math.sqrt(2.0))))


# Abramowitz & Stegun 7.1.26: erfc(z) ~ t * poly(t) * exp(-z^2), t = 1 / (1 + p z), z >= 0,
# absolute error below 1.5e-7 -- under float32 rounding of the activations themselves.
_AS_P = np.float32(0.3275911)
_AS_COEFFICIENTS = [np.float32(c) for c in (1.061405429, -1.453152027, 1.421413741, -0.284496736)]
_AS_LAST = np.float32(0.254829592)


def gelu_inplace(x: np.ndarray) -> np.ndarray:
    """The erf-form GELU computed in place on float32 ``x``, 2-3x faster than scipy's erf.

    Only unmasked whole-array ufuncs: numpy's where=/copyto masks are ~20x slower per element.
    """
    z = np.abs(x)
    z *= np.float32(1.0 / math.sqrt(2.0))
    t = z * _AS_P
    t += np.float32(1.0)
    np.reciprocal(t, out=t)
    y = t * _AS_COEFFICIENTS[0]
    for coefficient in _AS_COEFFICIENTS[1:]:
        y += coefficient
        y *= t
    y += _AS_LAST
    y *= t
    np.square(z, out=z)
    np.negative(z, out=z)
    np.exp(z, out=z)
    y *= z  # y = erfc(|x| / sqrt 2) = 2 Phi(-|x|)
    y *= np.float32(-0.5)
    y += np.float32(0.5)  # 0.5 - Phi(-|x|)
    np.sign(x, out=z)
    y *= z
    y += np.float32(0.5)  # Phi(x)
    x *= y
    return x


class SentenceEncoder:
    def __init__(self, tokenizer, weights: dict, config: dict, max_tokens: int):
        self.tokenizer = tokenizer
        self.max_tokens = max_tokens
        self.hidden = int(config["hidden_size"])
        self.heads = int(config["num_attention_heads"])
        self.eps = np.float32(config.get("layer_norm_eps", 1e-12))
        if config.get("hidden_act", "gelu") != "gelu":
            raise ValueError(f"unsupported activation {config.get('hidden_act')!r}")
        self.dimension = self.hidden
        # MPNet (all-mpnet-base-v2): BERT's layers under other names, positions counted from
        # padding_idx + 1, no token types, and a relative-position bias added to every score.
        self.mpnet = config.get("model_type") == "mpnet"
        self.buckets = int(config.get("relative_attention_num_buckets", 32))
        self._read_weights(weights, int(config["num_hidden_layers"]))

    @classmethod
    def from_folder(cls, folder: Path) -> "SentenceEncoder":
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        folder = Path(folder)
        config = json.loads((folder / "config.json").read_text())
        _check_pooling(folder)
        max_tokens = DEFAULT_MAX_TOKENS
        sbert = folder / "sentence_bert_config.json"
        if sbert.is_file():
            max_tokens = int(json.loads(sbert.read_text()).get("max_seq_length", max_tokens))
        # MPNet's positions start at 2 (after its padding index), so two fewer tokens fit.
        reserved = 2 if config.get("model_type") == "mpnet" else 0
        max_tokens = min(max_tokens, int(config.get("max_position_embeddings", 512)) - reserved)
        tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        # We pad ourselves, per length-sorted batch; the file pads everything to 128.
        tokenizer.no_padding()
        tokenizer.enable_truncation(max_length=max_tokens)
        return cls(tokenizer, load_file(str(folder / "model.safetensors")), config, max_tokens)

    def _read_weights(self, w: dict, n_layers: int) -> None:
        def get(name):
            # Some exports prefix every name with "bert.".
            key = name if name in w else f"bert.{name}"
            return np.ascontiguousarray(w[key], dtype=np.float32)

        def linear(prefix):
            return np.ascontiguousarray(get(f"{prefix}.weight").T), get(f"{prefix}.bias")

        self.word = get("embeddings.word_embeddings.weight")
        self.position = get("embeddings.position_embeddings.weight")
        if self.mpnet:
            self.relative_bias = get("encoder.relative_attention_bias.weight")  # (buckets, heads)
        else:
            self.token_type = get("embeddings.token_type_embeddings.weight")
        self.emb_ln = (get("embeddings.LayerNorm.weight"), get("embeddings.LayerNorm.bias"))
        self.layers = []
        names = (("attention.attn.q", "attention.attn.k", "attention.attn.v", "attention.attn.o",
                  "attention.LayerNorm") if self.mpnet else
                 ("attention.self.query", "attention.self.key", "attention.self.value",
                  "attention.output.dense", "attention.output.LayerNorm"))
        for i in range(n_layers):
            p = f"encoder.layer.{i}"
            q, k, v = (linear(f"{p}.{n}") for n in names[:3])
            # Scaling the query by 1/sqrt(head size) here saves a pass over every score matrix.
            scale = np.float32(1.0 / math.sqrt(self.hidden // self.heads))
            q = (q[0] * scale, q[1] * scale)
            out_w, out_b = linear(f"{p}.{names[3]}")
            up_w, up_b = linear(f"{p}.intermediate.dense")
            down_w, down_b = linear(f"{p}.output.dense")
            self.layers.append(
                Layer(
                    qkv_w=np.ascontiguousarray(np.concatenate([q[0], k[0], v[0]], axis=1)),
                    qkv_b=np.concatenate([q[1], k[1], v[1]]),
                    out_w=out_w,
                    out_b=out_b,
                    ln1_g=get(f"{p}.{names[4]}.weight"),
                    ln1_b=get(f"{p}.{names[4]}.bias"),
                    up_w=up_w,
                    up_b=up_b,
                    down_w=down_w,
                    down_b=down_b,
                    ln2_g=get(f"{p}.output.LayerNorm.weight"),
                    ln2_b=get(f"{p}.output.LayerNorm.bias"),
                )
            )

    # --- encoding ---------------------------------------------------------------------------

    def encode(self, texts: list[str], batch_size: int = BATCH_SIZE) -> np.ndarray:
        """L2-normalised sentence vectors, float32 (n, 384), in the order of ``texts``."""
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        if not texts:
            return out
        # Each distinct text is encoded once: repeated notes get exactly the same vector.
        unique = list(dict.fromkeys(str(t) for t in texts))
        # One by one, not encode_batch: its Rust thread pool competes with BLAS for the two
        # cores and warns after a fork; for short notes the loop is just as fast.
        ids = [self.tokenizer.encode(text).ids for text in unique]
        vectors = np.zeros((len(unique), self.dimension), dtype=np.float32)
        # Sorting by length keeps padding (wasted work) small inside each batch.
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        for start in range(0, len(order), batch_size):
            chosen = order[start : start + batch_size]
            vectors[chosen] = self._encode_batch([ids[i] for i in chosen])
        position = {text: i for i, text in enumerate(unique)}
        out[:] = vectors[[position[str(t)] for t in texts]]
        return out

    def _encode_batch(self, batch_ids: list[list[int]]) -> np.ndarray:
        length = max(len(ids) for ids in batch_ids)
        ids = np.zeros((len(batch_ids), length), dtype=np.int64)
        mask = np.zeros((len(batch_ids), length), dtype=np.float32)
        for row, token_ids in enumerate(batch_ids):
            ids[row, : len(token_ids)] = token_ids
            mask[row, : len(token_ids)] = 1.0
        limit_threads()
        hidden = self.forward(ids, mask)
        summed = np.einsum("bld,bl->bd", hidden, mask)
        pooled = summed / np.maximum(mask.sum(axis=1, keepdims=True), 1e-9)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return pooled / np.maximum(norms, 1e-12)

    def forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        batch, length = ids.shape
        if self.mpnet:
            # RoBERTa-style positions: padding_idx (1) + 1, 2, ... over real tokens.
            x = self.word[ids] + self.position[2 : length + 2]
        else:
            x = self.word[ids] + self.position[:length] + self.token_type[0]
        x = layer_norm(x, *self.emb_ln, self.eps)
        # Padding positions get -inf-like scores, so real tokens never attend to them.
        bias = ((1.0 - mask) * np.float32(-1e9))[:, None, None, :].astype(np.float32)
        if self.mpnet:
            bias = bias + self._position_bias(length)[None]
        for layer in self.layers:
            x = self._layer(x, bias, layer, batch, length)
        return x

    def _position_bias(self, length: int) -> np.ndarray:
        """MPNet's relative-position bias (heads, length, length), as transformers' MPNetEncoder."""
        relative = np.arange(length)[None, :] - np.arange(length)[:, None]  # key - query
        half = self.buckets // 2
        n = -relative
        bucket = (n < 0).astype(np.int64) * half
        n = np.abs(n)
        exact = half // 2
        # float32 like torch, so the buckets at the edges come out the same.
        scaled = np.log(np.maximum(n, 1).astype(np.float32) / np.float32(exact))
        scaled = scaled / np.float32(math.log(128 / exact)) * np.float32(half - exact)
        large = exact + scaled.astype(np.int64)
        large = np.minimum(large, half - 1)
        bucket += np.where(n < exact, n, large)
        return np.ascontiguousarray(self.relative_bias[bucket].transpose(2, 0, 1))

    def _layer(self, x, bias, layer: Layer, batch: int, length: int):
        heads, size = self.heads, self.hidden // self.heads
        flat = x.reshape(batch * length, self.hidden)
        qkv = flat @ layer.qkv_w
        qkv += layer.qkv_b  # in place: no second (rows x 1152) array
        qkv = qkv.reshape(batch, length, 3, heads, size).transpose(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]  # (batch, heads, length, size)
        # The 1/sqrt(size) scale is folded into the query weights when they are read.
        scores = q @ k.transpose(0, 1, 3, 2)
        scores += bias
        scores -= scores.max(axis=-1, keepdims=True)
        np.exp(scores, out=scores)
        scores /= scores.sum(axis=-1, keepdims=True)
        context = (scores @ v).transpose(0, 2, 1, 3).reshape(batch * length, self.hidden)
        attended = context @ layer.out_w
        attended += layer.out_b
        attended += flat
        flat = layer_norm(attended, layer.ln1_g, layer.ln1_b, self.eps)
        down = np.empty_like(flat)
        # The 1536-wide intermediate in blocks of rows that stay in the CPU cache while the
        # GELU's dozen passes run over them (measured ~20% faster than the whole matrix).
        for start in range(0, flat.shape[0], FFN_ROWS):
            up = flat[start : start + FFN_ROWS] @ layer.up_w
            up += layer.up_b
            gelu_inplace(up)
            np.matmul(up, layer.down_w, out=down[start : start + FFN_ROWS])
        down += layer.down_b
        down += flat
        flat = layer_norm(down, layer.ln2_g, layer.ln2_b, self.eps)
        return flat.reshape(batch, length, self.hidden)


def _check_pooling(folder: Path) -> None:
    pooling = folder / "1_Pooling" / "config.json"
    if pooling.is_file():
        modes = json.loads(pooling.read_text())
        if not modes.get("pooling_mode_mean_tokens", True) or any(
            modes.get(k) for k in ("pooling_mode_cls_token", "pooling_mode_max_tokens")
        ):
            raise ValueError("only mean pooling is supported")
