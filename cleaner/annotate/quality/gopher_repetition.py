"""Gopher's repetition rules (Rae et al. 2021, table A1): duplicate lines and paragraphs (by count and by
characters), the share of characters in the most frequent 2-4-gram, and the share of characters in
repeated 5-10-grams. Measured as datatrove's `GopherRepetitionFilter` measures them; e.g. a page that
prints its newsletter box three times fails on duplicate paragraphs.

One departure: datatrove keys a repeated n-gram by its words joined without spaces, so "ab c" and "a bc"
count as the same 5-gram; here they are different n-grams (tuples of words).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterator
from itertools import accumulate, compress, repeat
from operator import gt
from typing import Any

from cleaner.annotate.quality.registry import QualityFamily, QualityText, Signals, register

PARAGRAPH_BREAK = re.compile(r"\n{2,}")
LINE_BREAKS = re.compile("\n+")
TOP_NGRAMS = (2, 3, 4)
DUPLICATE_NGRAMS = (5, 6, 7, 8, 9, 10)
Gram = tuple[str, ...]


def duplicates(items: list[str]) -> tuple[int, int]:
    """(items seen before, their characters): every copy after an item's first counts."""
    counts = Counter(items)
    repeated = {item: n - 1 for item, n in counts.items() if n > 1}
    return sum(repeated.values()), sum(len(item) * n for item, n in repeated.items())


def repeated_ngrams(words: list[str], sizes: range) -> Iterator[tuple[int, list[int], list[Gram], Counter[Gram]]]:
    """For each n of `sizes` (from 2, increasing): the positions that may start a repeated n-gram, their
    n-grams, and the count of each over the whole text (an n-gram at no listed position occurs once).

    An n-gram at position i occurs twice or more only if the (n-1)-grams at i and at i+1 do, so each size
    looks at the positions the previous one left: few beyond n = 3 in most texts.
    """
    positions = list(range(len(words) - 1))
    grams: list[Gram] = list(zip(words, words[1:], strict=False))
    for n in sizes:
        if n > 2:
            grams = [tuple(words[position:position + n]) for position in positions]
        counts = Counter(grams)
        yield n, positions, grams, counts
        repeated = list(compress(positions, map(gt, map(counts.__getitem__, grams), repeat(1))))
        followed = set(repeated)
        positions = [position for position in repeated if position + 1 in followed and position + n < len(words)]


def top_ngram_chars(words: list[str], n: int, grams: list[Gram], counts: Counter[Gram]) -> int:
    """Characters of the most frequent n-gram (words joined by spaces) times its count; ties go to the
    n-gram seen first, as datatrove's `Counter.most_common(1)` gives them. When no n-gram repeats that is
    the text's first."""
    top = counts.most_common(1)
    gram, count = top[0] if top and top[0][1] > 1 else (tuple(words[:n]), 1)
    return (sum(map(len, gram)) + n - 1) * count if len(words) >= n else 0


def repeated_ngram_chars(n: int, positions: list[int], grams: list[Gram], counts: Counter[Gram],
                         offsets: list[int]) -> int:
    """Characters (without spaces) in n-grams that repeat an earlier n-gram, by datatrove's walk: read left
    to right; an n-gram seen before adds its characters and the walk jumps past it (the words it covers
    are not read again); any other n-gram is remembered and the walk moves one word on. `offsets` are the
    words' cumulative character counts.

    Only repeated n-grams are looked at; whether one was *read* before depends on the jumps, kept as
    sorted intervals of skipped positions.
    """
    first: dict[Gram, int] = {}
    for position, gram in zip(positions, grams, strict=True):
        if counts[gram] > 1:
            first.setdefault(gram, position)
    skipped_from: list[int] = []
    skipped_to: list[int] = []
    read_later: set[tuple[str, ...]] = set()
    repeated = resume = 0
    for position, gram in zip(positions, grams, strict=True):
        origin = first.get(gram, position)
        if origin == position or position < resume:
            continue
        hop = bisect_right(skipped_from, origin) - 1
        origin_read = hop < 0 or origin >= skipped_to[hop]
        if origin_read or gram in read_later:
            repeated += offsets[position + n] - offsets[position]
            skipped_from.append(position + 1)
            skipped_to.append(position + n)
            resume = position + n
        else:
            read_later.add(gram)
    return repeated


@register
class GopherRepetition(QualityFamily):
    name = "gopher_repetition"
    rule = "gopher_repetition_v1"
    description = "Gopher repetition rules: duplicate lines and paragraphs, top 2-4-grams, repeated 5-10-grams"

    reasons = ("empty", "dup_para_frac", "dup_para_char_frac", "dup_line_frac", "dup_line_char_frac",
               *(f"top_{n}_gram" for n in TOP_NGRAMS), *(f"duplicated_{n}_n_grams" for n in DUPLICATE_NGRAMS))

    def measure(self, text: QualityText, settings: dict[str, Any]) -> Signals:
        chars = len(text.text)
        if not chars:
            return {"chars": 0}
        paragraphs = PARAGRAPH_BREAK.split(text.text.strip())
        lines = LINE_BREAKS.split(text.text)
        dup_paragraphs, dup_paragraph_chars = duplicates(paragraphs)
        dup_lines, dup_line_chars = duplicates(lines)
        signals: Signals = {
            "chars": chars,
            "dup_paragraph_share": dup_paragraphs / len(paragraphs),
            "dup_paragraph_char_share": dup_paragraph_chars / chars,
            "dup_line_share": dup_lines / len(lines),
            "dup_line_char_share": dup_line_chars / chars,
        }
        words = text.words
        offsets = [0, *accumulate(map(len, words))]
        for n, positions, grams, counts in repeated_ngrams(words, range(2, DUPLICATE_NGRAMS[-1] + 1)):
            if n in TOP_NGRAMS:
                signals[f"top_{n}_gram_char_share"] = top_ngram_chars(words, n, grams, counts) / chars
            if n in DUPLICATE_NGRAMS:
                signals[f"dup_{n}_gram_char_share"] = repeated_ngram_chars(n, positions, grams, counts, offsets) / chars
        return signals

    def judge(self, signals: Signals, settings: dict[str, Any]) -> list[str]:
        if not signals["chars"]:
            return ["empty"]
        checks = [
            ("dup_para_frac", signals["dup_paragraph_share"] > settings["max_dup_paragraph_share"]),
            ("dup_para_char_frac", signals["dup_paragraph_char_share"] > settings["max_dup_paragraph_char_share"]),
            ("dup_line_frac", signals["dup_line_share"] > settings["max_dup_line_share"]),
            ("dup_line_char_frac", signals["dup_line_char_share"] > settings["max_dup_line_char_share"]),
        ]
        checks += [(f"top_{n}_gram", signals[f"top_{n}_gram_char_share"] > limit)
                   for n, limit in zip(TOP_NGRAMS, settings["max_top_ngram_char_share"], strict=True)]
        checks += [(f"duplicated_{n}_n_grams", signals[f"dup_{n}_gram_char_share"] > limit)
                   for n, limit in zip(DUPLICATE_NGRAMS, settings["max_dup_ngram_char_share"], strict=True)]
        return [reason for reason, failed in checks if failed]
