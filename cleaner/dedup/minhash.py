"""MinHash signatures for a batch of documents by one-permutation hashing (OPH).

Classic MinHash applies `num_perm` hash functions to every shingle: 128 multiplications per shingle,
which caps a numpy implementation at a few MB/s. OPH hashes each shingle once, uses some bits to pick
one of `num_perm` bins and keeps the minimum of the other bits per bin (Li, Owen & Zhang 2012): one
pass over the shingles, the same estimator (the share of equal slots estimates Jaccard) and, for
documents with many more shingles than bins, the same variance. Bins that no shingle fell into are
filled from the next non-empty bin to the right (rotation densification, Shrivastava & Li 2014), with
an offset per step so that a borrowed value only matches a value borrowed over the same distance.

Signatures are uint32 arrays, the storage form of datasketch's 32-bit scheme, so
`LeanMinHash(seed=seed, hashvalues=row, scheme="affine32")` wraps one and `MinHashLSH` indexes it.
They are not comparable with signatures that datasketch's own `MinHash.update` computes (other hash
functions), so an index must hold ours only.
"""

from __future__ import annotations

import numpy as np

from cleaner.dedup.shingles import mix64

_UNSET = np.uint64(1 << 32)  # above every 32-bit value: a bin no shingle fell into
EMPTY = np.uint32(0xFFFFFFFF)  # datasketch's value for "no shingle": every slot of an empty document
_LOW32 = np.uint64(0xFFFFFFFF)
_STEP = np.uint64(0x9E3779B1)  # odd, so the offsets for distances 1..num_perm are all different


def signatures(hashes: np.ndarray, offsets: np.ndarray, num_perm: int, seed: int) -> np.ndarray:
    """One uint32 signature row per document of a CSR batch of shingle hashes: (documents, num_perm).

    A document without shingles gets a row of EMPTY values; callers must not index it.
    """
    docs = len(offsets) - 1
    mixed = mix64(hashes ^ mix64(np.full(1, seed, dtype=np.uint64)))
    # multiply-shift maps the high 32 bits onto [0, num_perm) without the bias of a modulo
    bins = ((mixed >> np.uint64(32)) * np.uint64(num_perm)) >> np.uint64(32)
    doc = np.repeat(np.arange(docs, dtype=np.uint64), np.diff(offsets))
    flat = np.full(docs * num_perm, _UNSET, dtype=np.uint64)
    np.minimum.at(flat, (doc * np.uint64(num_perm) + bins).astype(np.intp), mixed & _LOW32)
    rows = densify(flat.reshape(docs, num_perm))
    return np.where(rows == _UNSET, EMPTY, rows).astype(np.uint32)


def densify(rows: np.ndarray) -> np.ndarray:
    """Fill each unset bin (value 2**32) from the next non-empty bin to its right (wrapping), offset by the distance."""
    filled = rows != _UNSET
    # only rows with a hole and a value to borrow: a document without shingles stays unset
    todo = np.flatnonzero(~filled.all(axis=1) & filled.any(axis=1))
    if len(todo) == 0:
        return rows
    holed, mask = rows[todo], filled[todo]
    num_perm = rows.shape[1]
    columns = np.arange(2 * num_perm)
    # for every bin, the column of the nearest filled bin at or after it, over two copies of the row
    nearest = np.where(np.tile(mask, 2), columns, 2 * num_perm)
    nearest = np.minimum.accumulate(nearest[:, ::-1], axis=1)[:, ::-1][:, :num_perm]
    distance = (nearest - columns[:num_perm]).astype(np.uint64)
    borrowed = (np.take_along_axis(holed, nearest % num_perm, axis=1) + distance * _STEP) & _LOW32
    out = rows.copy()
    out[todo] = np.where(mask, holed, borrowed)
    return out


def estimate_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """The share of equal slots of two signatures: an unbiased estimate of the Jaccard similarity."""
    return float(np.count_nonzero(a == b)) / len(a)
