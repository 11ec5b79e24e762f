"""Gopher's repetition rules (Rae et al. 2021, table A1): duplicate lines and paragraphs (by count and by
characters), the share of characters in the most frequent 2-4-gram, and the share of characters in
repeated 5-10-grams. Measured as datatrove's `GopherRepetitionFilter` measures them; e.g. a page that
prints its newsletter box three times fails on duplicate paragraphs.

One departure: datatrove keys a repeated n-gram by its words joined without spaces, so "ab c" and "a bc"
count as the same 5-gram; here they are different n-grams (sequences of words).
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import chain
from typing import Any

import numpy as np

from cleaner.annotate.quality.registry import QualityFamily, QualityText, Signals, register

TOP_NGRAMS = (2, 3, 4)
DUPLICATE_NGRAMS = (5, 6, 7, 8, 9, 10)


def duplicates(items: list[str]) -> tuple[int, int]:
    """(items seen before, their characters): every copy after an item's first counts, so all the items
    but one of each."""
    distinct = set(items)
    return len(items) - len(distinct), sum(map(len, items)) - sum(map(len, distinct))


def paragraphs_of(text: str) -> list[str]:
    """The text's paragraphs as datatrove splits them, `re.split(r"\\n{2,}", text.strip())`, without a
    regular expression: a run of k newlines splits "\\n\\n" k // 2 times, leaving empty pieces and, when k is
    odd, a newline at the next piece's start."""
    pieces = [piece for piece in text.strip().split("\n\n") if piece]
    return [piece[1:] if piece[0] == "\n" else piece for piece in pieces] or [""]


def lines_of(newline_lines: list[str]) -> list[str]:
    """The text's lines as datatrove splits them, `re.split("\\n+", text)`, from `text.split("\\n")`: the
    empty pieces between newlines dropped, the first and last kept."""
    if len(newline_lines) < 3:
        return newline_lines
    return [newline_lines[0], *filter(None, newline_lines[1:-1]), newline_lines[-1]]


def repeated_ngrams(ids: np.ndarray, sizes: range) -> Iterator[tuple[int, np.ndarray, np.ndarray, np.ndarray]]:
    """For each n of `sizes` (from 2, increasing), over a text's word ids (`WordIds.ids`): the positions that
    may start a repeated n-gram (increasing), their n-grams' labels (the same label, the same n-gram) and
    each one's count over the whole text (an n-gram at no listed position occurs once).

    An n-gram at position i occurs twice or more only if the (n-1)-grams at i and at i+1 do, so each size
    looks at the positions the previous one left: few beyond n = 3 in most texts. An n-gram's key is its
    (n-1)-gram's label and its last word's id, both below the text's length: exact in 64 bits.
    """
    length = len(ids)
    # the same holds for n = 2 and the words (1-grams): most of a text's positions hold a word it has once
    repeated_word = np.bincount(ids)[ids] > 1
    positions = np.flatnonzero(repeated_word[:-1] & repeated_word[1:])
    labels = ids.copy()  # at each listed position, the label of the (n-1)-gram that starts there
    for n in sizes:
        if not len(positions):
            yield n, positions, positions, positions
            continue
        grams, occurrences = grouped(labels[positions] * length + ids[positions + n - 1])
        yield n, positions, grams, occurrences
        labels[positions] = grams
        repeated = positions[occurrences > 1]
        # `repeated` is increasing: the next position is repeated too where the next entry is one on
        starts = repeated[:-1][repeated[1:] == repeated[:-1] + 1]
        positions = starts[starts + n < length]


def grouped(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per key, a label (the same label, the same key) and how many keys equal it: `np.unique`'s inverse
    and counts, in fewer steps."""
    order = keys.argsort()
    ordered = keys[order]
    first = np.empty(len(keys), bool)
    first[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    sorted_labels = first.cumsum() - 1
    labels = np.empty_like(order)
    labels[order] = sorted_labels
    return labels, np.bincount(sorted_labels)[labels]


def ngram_chars(words: list[str], n: int, starts: list[int]) -> int:
    """Characters (without spaces) of the n-grams at these positions."""
    return sum(map(len, chain.from_iterable(words[start:start + n] for start in starts)))


def top_ngram_chars(words: list[str], n: int, positions: np.ndarray, occurrences: np.ndarray) -> int:
    """Characters of the most frequent n-gram (words joined by spaces) times its count; ties go to the
    n-gram seen first, as datatrove's `Counter.most_common(1)` gives them. When no n-gram repeats that is
    the text's first."""
    if len(words) < n:
        return 0
    top = int(occurrences.max()) if len(occurrences) else 1
    position = int(positions[np.argmax(occurrences == top)]) if top > 1 else 0
    return (sum(map(len, words[position:position + n])) + n - 1) * top


def repeated_ngram_chars(words: list[str], n: int, positions: np.ndarray, grams: np.ndarray,
                         occurrences: np.ndarray) -> int:
    """Characters (without spaces) in n-grams that repeat an earlier n-gram, by datatrove's walk: read left
    to right; an n-gram seen before adds its characters and the walk jumps past it (the words it covers
    are not read); any other n-gram is remembered and the walk moves one word on. Only the n-grams that
    occur twice or more can be seen before, so only their positions are read, and one read before the
    last jump's end was jumped over.
    """
    if not len(positions):  # no n-gram of this size repeats: the common case for the longer sizes
        return 0
    repeated = occurrences > 1
    seen: set[int] = set()
    hits: list[int] = []
    resume = 0
    for position, gram in zip(positions[repeated].tolist(), grams[repeated].tolist(), strict=True):
        if position < resume:
            continue
        if gram in seen:
            hits.append(position)
            resume = position + n
        else:
            seen.add(gram)
    return ngram_chars(words, n, hits)


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
        paragraphs = paragraphs_of(text.text)
        lines = lines_of(text.newline_lines)
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
        for n, positions, grams, occurrences in repeated_ngrams(text.word_ids.ids, range(2, DUPLICATE_NGRAMS[-1] + 1)):
            if n in TOP_NGRAMS:
                signals[f"top_{n}_gram_char_share"] = top_ngram_chars(words, n, positions, occurrences) / chars
            if n in DUPLICATE_NGRAMS:
                signals[f"dup_{n}_gram_char_share"] = repeated_ngram_chars(words, n, positions, grams,
                                                                           occurrences) / chars
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
