"""Lines repeated across documents of one source: the corpus context the noise engine uses for boilerplate.

A line that recurs in many articles of the same site ("Subscribe to our newsletter", a standing
disclaimer) is template, not story (CCNet does the same per web shard). Lines are compared after
`normalise`, counted once per document, and kept as 64-bit hashes while counting, so memory grows with
the number of distinct lines, not with their length.

    >>> docs = [("example.com", "Story one.\\nSubscribe now!"), ("example.com", "Story two.\\nSUBSCRIBE NOW")]
    >>> repeated_lines(docs, min_docs=2)
    {'example.com': {'subscribe now': 2}}
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import xxhash

from cleaner.dedup.shingles import normalise


def repeated_lines(docs: Iterable[tuple[str, str]], min_docs: int = 3) -> dict[str, dict[str, int]]:
    """source -> {normalised line: documents of that source containing it}, for lines in >= min_docs of them."""
    counts: dict[str, Counter[int]] = {}
    first_text: dict[int, str] = {}
    for source, text in docs:
        seen = set()
        for line in text.splitlines():
            norm = normalise(line)
            if norm:
                key = xxhash.xxh3_64_intdigest(norm.encode("utf-8"))
                seen.add(key)
                first_text.setdefault(key, norm)
        counts.setdefault(source, Counter()).update(seen)
    return {source: dict(sorted((first_text[key], n) for key, n in counter.items() if n >= min_docs))
            for source, counter in sorted(counts.items())
            if any(n >= min_docs for n in counter.values())}
