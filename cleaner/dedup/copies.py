"""Copy groups: which inputs of a corpus are copies of one another, before anything is cleaned.

Real corpora hold re-crawls, syndicated wire stories and pages saved twice. Evidence that counts
documents (a line a source repeats, an article's opening glued after another) must count each piece
of content once, or copies vouch for each other: two copies of one article would make its lines
"repeated" and its opening "another document's lead". So the first pass fingerprints every input's
normalised text (`fingerprint`) and `copy_groups` joins

- exact copies: the same normalised word sequence (case, punctuation, line breaks and blank lines
  ignored, so a re-wrapped copy is exact too), whatever their length;
- near copies: word-shingle MinHash estimate >= `dedup.target_jaccard` on an LSH band collision, of
  their prose (the paragraphs that read like an article's, given by the caller): pages of one site
  share their template (menus, teasers, footers) without being copies, and a short story in a heavy
  template would make them near-duplicate pages. Prose of fewer than `dedup.min_tokens` words is too
  short to tell, and such a page joins only its exact copies.

A group is named by its smallest input key, so the grouping does not depend on input order.

    >>> from cleaner.config import Config
    >>> from cleaner.dedup.params import params_from_config
    >>> settings = params_from_config(Config())
    >>> story = "The council approved the budget on Tuesday after a long debate about schools and roads. " * 3
    >>> other = "Something else entirely, about the weather and the sea."
    >>> prints = {"a.txt": fingerprint(story, story, settings), "b.txt": fingerprint(story.upper(), story, settings),
    ...           "c.txt": fingerprint(other, other, settings)}
    >>> copy_groups(prints, settings)
    {'a.txt': 'a.txt', 'b.txt': 'a.txt', 'c.txt': 'c.txt'}
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import combinations

import numpy as np
import xxhash

from cleaner.dedup.clusters import UnionFind
from cleaner.dedup.lsh import band_keys
from cleaner.dedup.minhash import estimate_jaccard, signatures
from cleaner.dedup.params import Params
from cleaner.dedup.shingles import shingles_of_tokens, token_hashes


@dataclass(frozen=True)
class Fingerprint:
    """What copy detection needs of one text: a hash of its word sequence and, when long enough, a signature."""

    words: str
    signature: bytes | None  # uint32 MinHash slots, as bytes (compact, hashable, cheap to pickle)


def fingerprint(text: str, prose: str, settings: Params) -> Fingerprint:
    """The fingerprint of `text`, whose article-like paragraphs are `prose`."""
    tokens, offsets = token_hashes([text, prose])
    words = xxhash.xxh3_128_hexdigest(tokens[offsets[0]:offsets[1]].tobytes())
    if offsets[2] - offsets[1] < settings.min_tokens:
        return Fingerprint(words, None)
    hashes, offsets = shingles_of_tokens(tokens[offsets[1]:], offsets[1:] - offsets[1], settings.shingle_size)
    return Fingerprint(words, signatures(hashes, offsets, settings.num_perm, settings.seed)[0].tobytes())


def copy_groups(prints: Mapping[str, Fingerprint], settings: Params) -> dict[str, str]:
    """Input key -> its group's name (the smallest key of the group) for every key of `prints`."""
    groups = UnionFind()
    first_with_words: dict[str, str] = {}
    for key in sorted(prints):
        groups.find(key)
        earlier = first_with_words.setdefault(prints[key].words, key)
        groups.union(earlier, key)
    # near copies: one representative per exact group is enough, the union-find carries the rest
    signed = sorted(key for key in first_with_words.values() if prints[key].signature is not None)
    if signed:
        rows = np.stack([np.frombuffer(prints[key].signature, dtype=np.uint32) for key in signed])
        buckets: dict[int, list[int]] = defaultdict(list)
        for i, keys in enumerate(band_keys(rows, settings.bands, settings.rows).tolist()):
            for band in keys:
                buckets[band].append(i)
        for members in buckets.values():
            for i, j in combinations(members, 2):
                a, b = signed[i], signed[j]
                if groups.find(a) != groups.find(b) and estimate_jaccard(rows[i], rows[j]) >= settings.target:
                    groups.union(a, b)
    return {key: groups.find(key) for key in prints}
