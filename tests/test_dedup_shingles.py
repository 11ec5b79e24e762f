"""Shingles: normalised word n-grams, hashed for a batch at once."""

from __future__ import annotations

import numpy as np
import pytest
from dedup_helpers import reference_shingles

from cleaner.dedup.shingles import normalise, shingle_hashes, shingle_sets, token_hashes

TEXTS = [
    "The U.S. Senate's vote, on Tuesday!",
    "the   u s SENATE s vote on tuesday",
    "",
    "one two",
    "a b c a b c a b c d",
    "İstanbul déjà-vu naïve_x ÆØÅ 東京 𝔘nicode – “quoted” text",
]


def test_normalise_ignores_case_punctuation_and_whitespace() -> None:
    assert normalise("The U.S.  Senate's vote!") == "the u s senate s vote"
    assert normalise("snake_case — and “quotes”") == "snake case and quotes"


@pytest.mark.parametrize("size", [1, 2, 3, 5])
def test_distinct_shingles_match_a_plain_python_reference(size: int) -> None:
    for text, hashes in zip(TEXTS, shingle_sets(TEXTS, size), strict=True):
        assert len(hashes) == len(reference_shingles(text, size)), text


def test_texts_that_normalise_alike_get_the_same_shingles() -> None:
    first, second = shingle_sets(TEXTS[:2], 3)
    assert np.array_equal(first, second)


def test_a_text_hashes_the_same_alone_and_inside_a_batch() -> None:
    alone = shingle_sets([TEXTS[5]], 2)[0]
    assert np.array_equal(shingle_sets(TEXTS, 2)[5], alone)


def test_tokens_hash_by_content_not_position() -> None:
    hashes, offsets = token_hashes(["apple pear apple", "pear"])
    assert list(offsets) == [0, 3, 4]
    assert hashes[0] == hashes[2] and hashes[1] == hashes[3] and hashes[0] != hashes[1]


def test_word_order_matters_inside_a_shingle() -> None:
    a, b = shingle_sets(["red fox", "fox red"], 2)
    assert not np.array_equal(a, b)


def test_offsets_delimit_each_text() -> None:
    hashes, offsets = shingle_hashes(["a b c d", "", "x", "p q r s t u"], 3)
    assert list(np.diff(offsets)) == [2, 0, 1, 4]
    assert len(hashes) == offsets[-1]
