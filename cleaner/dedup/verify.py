"""Is a candidate pair really a near-duplicate? Exact Jaccard where the signature cannot tell.

The signature estimate has a standard error of about sqrt(J(1-J)/num_perm) (0.035 at J = 0.8 with
128 slots). A pair whose estimate is more than `estimate_margin` (default 0.15, over four standard
errors) from the target is decided by the estimate; the others by the exact Jaccard of their
shingle sets, which needs those sets (the index stores them).

The standard error assumes most slots hold a real minimum. A text with fewer shingles than about twice
the slots leaves bins empty (filled by densification), its estimate varies more (0.06 at 30 words),
so the index verifies every pair of such a text exactly. Pairs at J >= 0.8 differ in size by at most
20%, so a long text is never a near-duplicate of a short one.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from cleaner.dedup.minhash import estimate_jaccard


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Exact Jaccard similarity of two sorted arrays of distinct shingle hashes."""
    if len(a) == 0 and len(b) == 0:
        return 1.0
    common = len(np.intersect1d(a, b, assume_unique=True))
    return common / (len(a) + len(b) - common)


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
