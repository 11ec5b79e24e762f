"""Small synthetic articles for the dedup tests: Zipf-distributed words, so common words repeat as in news."""

from __future__ import annotations

import re

import numpy as np


def reference_shingles(text: str, size: int) -> set[tuple[str, ...]]:
    """Word n-grams the slow, obvious way (a Chinese or Japanese character is a word): the vectorised
    hashes must agree with it."""
    spaced = re.sub(r"([\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003ffff])", r" \1 ", text.lower())
    tokens = re.sub(r"[\W_]+", " ", spaced).split()
    if 0 < len(tokens) < size:
        return {tuple(tokens)}
    return {tuple(tokens[i:i + size]) for i in range(len(tokens) - size + 1)}


def vocabulary(size: int = 5000, seed: int = 0) -> list[str]:
    rng = np.random.default_rng(seed)
    letters = np.array(list("abcdefghijklmnopqrstuvwxyz"))
    return ["".join(rng.choice(letters, size=rng.integers(2, 10))) for _ in range(size)]


def article(rng: np.random.Generator, words: list[str], length: int = 400) -> str:
    weights = 1.0 / np.arange(1, len(words) + 1)
    picks = rng.choice(len(words), size=length, p=weights / weights.sum())
    sentences = [" ".join(words[i] for i in picks[k:k + 15]).capitalize() + "." for k in range(0, length, 15)]
    return "\n".join(" ".join(sentences[k:k + 4]) for k in range(0, len(sentences), 4))


def edit_words(rng: np.random.Generator, text: str, rate: float) -> str:
    """Replace a share `rate` of the words by new ones (as a copy editor or a translation round trip would)."""
    tokens = text.split(" ")
    for i in rng.choice(len(tokens), size=int(rate * len(tokens)), replace=False):
        tokens[i] = f"edited{i}"
    return " ".join(tokens)
