"""LSH banding: signatures -> band keys, and the choice of bands x rows.

Two documents become a candidate pair when all `rows` values of at least one of `bands` bands agree;
at Jaccard J that happens with probability 1 - (1 - J**rows)**bands. datasketch picks bands and rows
that balance false positives and negatives around the target itself, which misses about a fifth of
the pairs just above it. Here every candidate is verified afterwards, so false candidates only cost
time: we take the most selective banding that still makes a pair *at* the target a candidate with
probability >= `candidate_recall` (128 slots, target 0.8, recall 0.999 -> 25 bands of 5 rows).
"""

from __future__ import annotations

import numpy as np

from cleaner.dedup.shingles import mix64

_ROW = np.uint64(0x9E3779B97F4A7C15)
_BAND = np.uint64(0xC2B2AE3D27D4EB4F)


def candidate_probability(jaccard: float, bands: int, rows: int) -> float:
    """Probability that a pair with this Jaccard similarity shares at least one band."""
    return 1.0 - (1.0 - jaccard**rows) ** bands


def choose_bands(num_perm: int, target: float, candidate_recall: float) -> tuple[int, int]:
    """(bands, rows) with the most rows per band whose candidate probability at `target` is enough."""
    for rows in range(num_perm, 0, -1):
        bands = num_perm // rows
        if candidate_probability(target, bands, rows) >= candidate_recall:
            return bands, rows
    raise ValueError(f"no banding of {num_perm} slots reaches candidate recall {candidate_recall} at {target}")


def band_keys(signatures: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """One 64-bit key per band and document, shape (documents, bands); equal keys = equal band.

    The band number is mixed into the key, so one table can hold every band.
    """
    docs = signatures.shape[0]
    grouped = signatures[:, :bands * rows].reshape(docs, bands, rows)
    acc = np.zeros((docs, bands), dtype=np.uint64)
    for row in range(rows):
        acc = mix64(acc * _ROW + grouped[:, :, row])
    return mix64(acc + np.arange(bands, dtype=np.uint64) * _BAND)


# mixed into the input text's band keys, so that a clean band never meets an input band
_INPUT_BANDS = np.uint64(0x94D049BB133111EB)


def input_band_keys(signatures: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """`band_keys` of the input texts' signatures, kept apart from the clean texts' keys."""
    return mix64(band_keys(signatures, bands, rows) ^ _INPUT_BANDS)
