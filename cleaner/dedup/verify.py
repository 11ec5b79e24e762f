"""Is a candidate pair really a near-duplicate? Exact Jaccard where the signature cannot tell.

The signature estimate has a standard error of about sqrt(J(1-J)/num_perm) (0.035 at J = 0.8 with
128 slots). A pair whose estimate is more than `estimate_margin` (default 0.15, over four standard
errors) from the target is decided by the estimate; the others by the exact Jaccard of their
shingle sets, which needs those sets (the index stores them).

The standard error assumes most slots hold a real minimum. A text with fewer shingles than about twice
the slots leaves bins empty (filled by densification), its estimate varies more (0.06 at 30 words),
so the index verifies every pair of such a text exactly. Pairs at J >= 0.8 differ in size by at most
20%, so a long text is never a near-duplicate of a short one.

Each document is compared twice (`verify_pair`): by its clean text and by its input text.

Signatures are compared on the low 16 bits of each slot (`verification_signature`), which is what the
index stores: two different slots agree there once in 65,536 times, which moves an estimate by 1/128
(a quarter of its standard error) for one verified pair in about 2,500 near the target.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Protocol

import numpy as np

from cleaner.dedup.minhash import estimate_jaccard


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Exact Jaccard similarity of two sorted arrays of distinct shingle hashes."""
    if len(a) == 0 and len(b) == 0:
        return 1.0
    common = len(np.intersect1d(a, b, assume_unique=True))
    return common / (len(a) + len(b) - common)


def containment(a: np.ndarray, b: np.ndarray) -> float:
    """The share of the smaller of two shingle sets found in the other (1.0 when one is empty)."""
    if len(a) == 0 or len(b) == 0:
        return 1.0
    return len(np.intersect1d(a, b, assume_unique=True)) / min(len(a), len(b))


def verify(sig_a: np.ndarray, sig_b: np.ndarray, shingles: Callable[[], tuple[np.ndarray, np.ndarray]],
           target: float, margin: float) -> tuple[float, str] | None:
    """(similarity, method) if the pair is a near-duplicate at `target`, else None.

    `shingles` is only called when the estimate is too close to the target to decide.
    """
    estimate = estimate_jaccard(sig_a, sig_b)
    if estimate >= target + margin:
        return round(estimate, 4), "minhash"
    if estimate < target - margin:
        return None
    exact = jaccard(*shingles())
    return (round(exact, 4), "jaccard") if exact >= target else None


def verification_signature(signature: np.ndarray) -> np.ndarray:
    """The part of a signature that verification compares: the low 16 bits of each slot."""
    return signature.astype(np.uint16)


CLEAN = "clean"
INPUT = "input"


class Texts(Protocol):
    """Signatures and shingle sets of indexed documents, by document number and text (CLEAN or INPUT)."""

    def signature(self, seq: int, text: str) -> np.ndarray: ...
    def shingles(self, seq: int, text: str) -> np.ndarray: ...


def verify_pair(texts: Texts, later: int, earlier: int, target: float, margin: float, num_perm: int,
                clean_agreement: float) -> tuple[float, str] | None:
    """(similarity, method) if two documents are near-duplicates, else None. The rule:

    1. their clean texts are near-duplicates (method `jaccard` or `minhash`): what the corpus keeps;
    2. else their input texts are (method `input_jaccard` or `input_minhash`), and the smaller clean
       text still has `clean_agreement` of its shingles in the other. Cleaning may treat two copies
       differently (a cut last paragraph, lines the classifier judged otherwise, sometimes most of one
       copy), but what it kept of the one is then mostly in the other; two different short stories in
       one heavy page template share their input, not their clean text.
    """
    for text in (CLEAN, INPUT):
        # a short text fills few bins, so its estimate is too noisy for the shortcut
        text_margin = margin if len(texts.shingles(later, text)) >= 2 * num_perm else math.inf
        verdict = verify(verification_signature(texts.signature(later, text)),
                         verification_signature(texts.signature(earlier, text)),
                         lambda text=text: (texts.shingles(later, text), texts.shingles(earlier, text)),
                         target, text_margin)
        if verdict is None:
            continue
        if text == CLEAN:
            return verdict
        if containment(texts.shingles(later, CLEAN), texts.shingles(earlier, CLEAN)) >= clean_agreement:
            return verdict[0], f"input_{verdict[1]}"
    return None


def similarity_to_kept(texts: Texts, member: int, kept: int, target: float) -> tuple[float, str]:
    """How similar a cluster member is to the kept document: on the clean text, or on the input where
    only that reaches the target (the pair cleaning treated differently)."""
    clean = round(jaccard(texts.shingles(member, CLEAN), texts.shingles(kept, CLEAN)), 4)
    if clean >= target:
        return clean, "jaccard"
    raw = round(jaccard(texts.shingles(member, INPUT), texts.shingles(kept, INPUT)), 4)
    return (raw, "input_jaccard") if raw > clean else (clean, "jaccard")
