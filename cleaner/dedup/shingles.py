"""Word n-gram shingles of normalised text, hashed for a whole batch of documents at once.

Normalisation makes the shingles blind to what a re-post typically changes without changing the
story: case, punctuation and whitespace. `"The U.S.  Senate's vote"` becomes `"the u s senate s vote"`.

Hashing a token at a time in Python is the slow part of MinHash (a few MB/s). Here the whole batch is
one array of code points: a token's hash is a polynomial hash of its characters taken from one prefix
sum (mod 2**64, so numpy's wrapping arithmetic is the modulus), and a shingle's hash combines the
hashes of its tokens. Every hash is finished with the splitmix64 mixer so that all 64 bits are usable.

A batch is returned in CSR form: `hashes[offsets[i]:offsets[i + 1]]` are the shingles of document i.
A document with fewer tokens than the shingle size has one shingle made of all its tokens; a
document without any token has none.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

_NON_WORD = re.compile(r"[\W_]+")
# kana, CJK ideographs (with extension A and compatibility forms) and the supplementary ideograph planes
_IDEOGRAPH_RANGES = ((0x3040, 0x30FF), (0x3400, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3FFFF))
_IDEOGRAPH = re.compile("[" + "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in _IDEOGRAPH_RANGES) + "]")
# polynomial base and its inverse mod 2**64 (odd, so the inverse exists)
_BASE = 0x100000001B3
_BASE_INV = pow(_BASE, -1, 1 << 64)
# one odd multiplier per position in a shingle, so "a b" and "b a" hash differently
_POSITION = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0x85EBCA77C2B2AE63,
                      0x27D4EB2F165667C5, 0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53, 0xD6E8FEB86659FD93],
                     dtype=np.uint64)
MAX_SHINGLE_SIZE = len(_POSITION)

# (BASE**i, BASE**-i) for i < length, one tuple so that a reader never pairs tables of two sizes
_power_cache = (np.ones(1, dtype=np.uint64), np.ones(1, dtype=np.uint64))
# the longest power tables kept between calls (16 bytes per entry); longer ones are made for the call alone
_CACHED_POWERS = 2_000_000
_WORD: np.ndarray | None = None


def normalise(text: str) -> str:
    """Lower-case; every run of punctuation, symbols or whitespace becomes one space; every Chinese or
    Japanese character is a word of its own (those scripts do not separate words by spaces)."""
    return _NON_WORD.sub(" ", _IDEOGRAPH.sub(r" \g<0> ", text.lower())).strip()


def mix64(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: a bijection on uint64 that spreads every input bit over the output."""
    x = x ^ (x >> np.uint64(30))
    x = x * np.uint64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> np.uint64(27))
    x = x * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def _power_tables(n: int) -> tuple[np.ndarray, np.ndarray]:
    """BASE**i and BASE**-i for i < n, kept for the next batch up to _CACHED_POWERS: 16 bytes a character,
    so one outsized text must not leave a table of hundreds of MB behind."""
    global _power_cache
    if len(_power_cache[0]) >= n:
        powers, inverse = _power_cache
        return powers[:n], inverse[:n]
    size = min(max(n, 2 * len(_power_cache[0])), max(n, _CACHED_POWERS))
    tables = tuple(np.concatenate(([np.uint64(1)], np.cumprod(np.full(size - 1, base, dtype=np.uint64))))
                   for base in (_BASE, _BASE_INV))
    if size <= _CACHED_POWERS:
        _power_cache = tables
    return tables[0][:n], tables[1][:n]


def _word_table() -> np.ndarray:
    """For every code point of the Basic Multilingual Plane: is it part of a word (`str.isalnum`)?"""
    global _WORD
    if _WORD is None:
        _WORD = np.fromiter((chr(c).isalnum() for c in range(0x10000)), dtype=bool, count=0x10000)
    return _WORD


def token_hashes(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """64-bit hashes of the tokens of each text (normalised on the fly), as (hashes, offsets) in CSR form.

    Equal to hashing the tokens of `normalise(text)`, without building that string.
    """
    # lower-case text by text: it may change lengths ("İ" becomes two code points)
    lowered = [text.lower() for text in texts]
    # one separator after each text, so that no token spans two of them
    codes = np.frombuffer(("\n".join(lowered) + "\n").encode("utf-32-le"), dtype=np.uint32)
    table = _word_table()
    # characters outside the BMP (historic scripts, emoji) count as word characters
    word = np.ones(len(codes), dtype=bool)
    bmp = codes < 0x10000
    word[bmp] = table[codes[bmp]]
    single = np.zeros(len(codes), dtype=bool)
    high = np.flatnonzero(codes >= _IDEOGRAPH_RANGES[0][0])  # none in most European text: skip the ranges
    if len(high):
        found = np.zeros(len(high), dtype=bool)
        for lo, hi in _IDEOGRAPH_RANGES:
            found |= (codes[high] >= lo) & (codes[high] <= hi)
        single[high] = found & word[high]
    # a token starts at a word character after a non-word one or next to an ideograph, and ends likewise
    cut_before = np.concatenate(([True], ~word[:-1] | single[:-1])) | single
    cut_after = np.concatenate((~word[1:] | single[1:], [True])) | single
    starts = np.flatnonzero(word & cut_before)
    ends = np.flatnonzero(word & cut_after) + 1
    powers, inverse = _power_tables(len(codes))
    prefix = np.empty(len(codes) + 1, dtype=np.uint64)
    prefix[0] = 0
    np.cumsum(codes.astype(np.uint64) * powers, out=prefix[1:])
    hashes = mix64((prefix[ends] - prefix[starts]) * inverse[starts])
    # text i occupies code points [text_starts[i], text_starts[i + 1] - 1)
    lengths = np.fromiter((len(t) + 1 for t in lowered), dtype=np.int64, count=len(texts))
    text_starts = np.concatenate(([0], np.cumsum(lengths)))
    offsets = np.searchsorted(starts, text_starts).astype(np.int64)
    return hashes, offsets


def shingle_hashes(texts: Sequence[str], size: int) -> tuple[np.ndarray, np.ndarray]:
    """64-bit hashes of the word `size`-grams of each text, as (hashes, offsets) in CSR form."""
    return shingles_of_tokens(*token_hashes(texts), size)


def shingles_of_tokens(tokens: np.ndarray, token_offsets: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """`shingle_hashes` from the texts' `token_hashes`, for callers that also need the tokens."""
    if not 1 <= size <= MAX_SHINGLE_SIZE:
        raise ValueError(f"shingle size must be between 1 and {MAX_SHINGLE_SIZE}, not {size}")
    counts = np.diff(token_offsets)
    padded = np.concatenate((tokens, np.zeros(size, dtype=np.uint64)))
    combined = np.zeros(len(tokens), dtype=np.uint64)
    for j in range(size):
        combined += padded[j:j + len(tokens)] * _POSITION[j]
    # a window starts at every token with size - 1 tokens after it in the same text
    starts = np.ones(len(tokens), dtype=bool)
    ends = token_offsets[1:]
    for j in range(1, size):
        starts[ends[ends - j >= token_offsets[:-1]] - j] = False
    # a text too short for one window has one shingle made of all its tokens
    short = np.flatnonzero((counts > 0) & (counts < size))
    first = token_offsets[short]
    whole = np.zeros(len(short), dtype=np.uint64)
    for j in range(size - 1):
        has = counts[short] > j
        whole[has] += tokens[first[has] + j] * _POSITION[j]
    combined[first] = whole
    starts[first] = True
    shingle_counts = np.where(counts >= size, counts - size + 1, np.minimum(counts, 1))
    offsets = np.concatenate(([0], np.cumsum(shingle_counts))).astype(np.int64)
    return mix64(combined[starts]), offsets


def shingle_sets(texts: Sequence[str], size: int) -> list[np.ndarray]:
    """The sorted, distinct shingle hashes of each text (what exact Jaccard is computed on)."""
    hashes, offsets = shingle_hashes(texts, size)
    return [distinct(hashes[offsets[i]:offsets[i + 1]]) for i in range(len(texts))]


def shingle_ids(hashes: np.ndarray) -> np.ndarray:
    """A text's shingle set as exact verification compares and the index stores it: the sorted distinct
    high halves (uint32) of its 64-bit shingle hashes. Half the bytes; the Jaccard of two such sets
    differs from the 64-bit one only where two different shingles share an id: within one article of
    800 shingles once in 13,000 articles (its Jaccard values move by about a thousandth of themselves),
    across a pair differing by a hundred shingles each once in 400,000 pairs."""
    return distinct((hashes >> np.uint64(32)).astype(np.uint32))


def distinct(hashes: np.ndarray) -> np.ndarray:
    """Sorted distinct values; for the few hundred shingles of an article faster than np.unique."""
    ordered = np.sort(hashes)
    return ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))] if len(ordered) else ordered
