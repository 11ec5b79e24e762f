"""Shingles: normalised word n-grams, hashed for a batch at once."""

from __future__ import annotations

import numpy as np
import pytest
from dedup_helpers import article, edit_words, reference_shingles, vocabulary

from cleaner.dedup.shingles import normalise, shingle_hashes, shingle_sets, token_hashes

TEXTS = [
    "The U.S. Senate's vote, on Tuesday!",
    "the   u s SENATE s vote on tuesday",
    "",
    "one two",
    "a b c a b c a b c d",
    "İstanbul déjà-vu naïve_x ÆØÅ 東京 𝔘nicode – “quoted” text",
    "外交部發言人郭嘉昆表示，中國願意與其他國家合作發展AI。カタカナも。",
]


def test_normalise_ignores_case_punctuation_and_whitespace() -> None:
    assert normalise("The U.S.  Senate's vote!") == "the u s senate s vote"
    assert normalise("snake_case — and “quotes”") == "snake case and quotes"


def test_chinese_and_japanese_characters_are_words() -> None:
    assert normalise("郭嘉昆說，AI很好") == "郭 嘉 昆 說 ai 很 好"
    story = "外交部發言人郭嘉昆表示，中國願意與其他國家合作發展人工智慧，幫助發展中國家分享智能紅利。" * 2
    edited = story.replace("願意", "希望", 1)
    a, b = shingle_sets([story, edited], 5)
    assert len(np.intersect1d(a, b)) / len(np.union1d(a, b)) > 0.7


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


def test_shared_shingles_match_the_reference_pair_by_pair() -> None:
    rng = np.random.default_rng(4)
    words = vocabulary(300)  # a small vocabulary, so that unrelated texts share some shingles too
    texts = [article(rng, words, 120) for _ in range(4)]
    texts.append(edit_words(rng, texts[0], 0.05))
    ours = shingle_sets(texts, 3)
    reference = [reference_shingles(t, 3) for t in texts]
    for i in range(len(texts)):
        for j in range(i + 1, len(texts)):
            assert len(np.intersect1d(ours[i], ours[j])) == len(reference[i] & reference[j]), (i, j)


def test_hashing_the_normalised_text_changes_nothing() -> None:
    raw, normalised = shingle_sets(TEXTS, 2), shingle_sets([normalise(t) for t in TEXTS], 2)
    assert all(np.array_equal(a, b) for a, b in zip(raw, normalised, strict=True))
