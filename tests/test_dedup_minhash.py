"""Signatures: one-permutation MinHash, readable by datasketch."""

from __future__ import annotations

import numpy as np
from datasketch import LeanMinHash, MinHashLSH
from dedup_helpers import article, edit_words, vocabulary

from cleaner.dedup.minhash import EMPTY, densify, estimate_jaccard, signatures
from cleaner.dedup.shingles import shingle_hashes, shingle_sets
from cleaner.dedup.verify import jaccard


def sign(texts: list[str], num_perm: int = 128, seed: int = 1) -> np.ndarray:
    return signatures(*shingle_hashes(texts, 5), num_perm, seed)


def test_estimate_tracks_exact_jaccard() -> None:
    rng = np.random.default_rng(3)
    words = vocabulary()
    errors = []
    for rate in (0.0, 0.02, 0.05, 0.1, 0.2):
        for _ in range(10):
            original = article(rng, words)
            copy = edit_words(rng, original, rate)
            sets = shingle_sets([original, copy], 5)
            rows = sign([original, copy])
            errors.append(estimate_jaccard(rows[0], rows[1]) - jaccard(*sets))
    # 128 slots: standard error <= 0.045, so the mean error of 50 pairs is far below 0.02 if unbiased
    assert abs(np.mean(errors)) < 0.02
    assert np.max(np.abs(errors)) < 0.2


def test_signatures_are_deterministic_and_seeded() -> None:
    texts = ["the cat sat on the mat today", "a completely different sentence about nothing"]
    assert np.array_equal(sign(texts), sign(texts))
    assert not np.array_equal(sign(texts, seed=1), sign(texts, seed=2))
    assert sign(texts).shape == (2, 128) and sign(texts).dtype == np.uint32


def test_a_text_without_words_gets_the_empty_signature() -> None:
    assert (sign(["", "?!"]) == EMPTY).all()


def test_short_texts_get_full_signatures() -> None:
    rows = sign(["just three words", "just three words", "three other words"])
    assert (rows != EMPTY).all()
    assert estimate_jaccard(rows[0], rows[1]) == 1.0
    assert estimate_jaccard(rows[0], rows[2]) < 0.2


def test_densify_fills_empty_bins_from_the_right_with_an_offset() -> None:
    unset = 1 << 32
    rows = np.array([[unset, 7, unset, 5]], dtype=np.uint64)
    filled = densify(rows)
    assert filled[0, 1] == 7 and filled[0, 3] == 5
    assert filled[0, 0] != 7 and filled[0, 2] != 5  # borrowed one step: offset, not copied


def test_datasketch_indexes_our_signatures() -> None:
    rng = np.random.default_rng(5)
    words = vocabulary()
    original = article(rng, words)
    texts = [original, edit_words(rng, original, 0.02), article(rng, words)]
    lsh = MinHashLSH(threshold=0.8, num_perm=128)
    for name, row in zip("abc", sign(texts), strict=True):
        lsh.insert(name, LeanMinHash(seed=1, hashvalues=row, scheme="affine32"))
    query = LeanMinHash(seed=1, hashvalues=sign(texts)[0], scheme="affine32")
    assert sorted(lsh.query(query)) == ["a", "b"]
