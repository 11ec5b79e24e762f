"""Corpus context for the noise engine: lines repeated across a source, and paragraph leads.

`repeated_lines`: a line that recurs in many articles of the same site ("Subscribe to our newsletter",
a standing disclaimer) is template, not story (CCNet does the same per web shard). Lines are compared
after `normalise`, counted once per document, and kept as 64-bit hashes while counting, so memory
grows with the number of distinct lines, not with their length.

    >>> docs = [("example.com", "Story one.\\nSubscribe now!"), ("example.com", "Story two.\\nSUBSCRIBE NOW")]
    >>> repeated_lines(docs, min_docs=2)
    {'example.com': {'subscribe now': 2}}

`leads`: a key for the first words of a text. A paragraph whose lead is another article's lead is that
article glued on (the "read next" excerpt a scraper keeps); look paragraphs up in the leads of the
corpus or of the source:

    >>> articles = ["Typhoon Koinu hits the south: schools close, ferries stop.", "Budget vote delayed."]
    >>> known = {key: i for i, key in enumerate(leads(articles, words=6)) if key is not None}
    >>> [known.get(key) for key in leads(["Our story ends here.", "TYPHOON KOINU hits the South; schools..."], 6)]
    [None, 0]
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

import xxhash

from cleaner.dedup.shingles import normalise, token_hashes


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


def leads(texts: Sequence[str], words: int = 12) -> list[int | None]:
    """A 64-bit key for the first `words` normalised words of each text; None for a shorter text."""
    hashes, offsets = token_hashes(texts)
    return [xxhash.xxh3_64_intdigest(hashes[start:start + words].tobytes()) if end - start >= words else None
            for start, end in zip(offsets[:-1].tolist(), offsets[1:].tolist(), strict=True)]
