"""Gopher's quality rules (Rae et al. 2021, appendix A): too short or too long, odd word lengths, symbols,
bullet or ellipsis lines, too few alphabetic words, no function words. Measured as datatrove's
`GopherQualityFilter` measures them; e.g. a tag cloud of 40 '#hashtag' words fails on length and symbols.
"""

from __future__ import annotations

from itertools import filterfalse, repeat
from typing import Any

import numpy as np

from cleaner.annotate.quality.characters import PUNCTUATION_SET
from cleaner.annotate.quality.registry import QualityFamily, QualityText, Signals, ratio, register

# Gopher's stop words: a document of English prose holds at least two of these (case-sensitive, as datatrove)
STOP_WORDS = frozenset({"the", "be", "to", "of", "and", "that", "have", "with"})
BULLETS = ("•", "-")
ELLIPSES = ("...", "…")


@register
class GopherQuality(QualityFamily):
    name = "gopher_quality"
    rule = "gopher_quality_v1"
    description = "Gopher quality rules: word count and length, # and ... per word, bullet/ellipsis lines, " \
                  "alphabetic words, stop words"

    reasons = ("gopher_short_doc", "gopher_long_doc", "gopher_below_avg_threshold", "gopher_above_avg_threshold",
               "gopher_too_many_hashes", "gopher_too_many_ellipsis", "gopher_too_many_bullets",
               "gopher_too_many_end_ellipsis", "gopher_below_alpha_threshold", "gopher_enough_stop_words")

    def measure(self, text: QualityText, settings: dict[str, Any]) -> Signals:
        words = text.words
        first, ids = text.word_ids
        # most words are letters only: alphabetic, and not punctuation; the rest are looked at closely
        others = list(filterfalse(str.isalpha, first))
        counts = np.bincount(ids)[[first[word] for word in others]].tolist() if others else []
        # a word of punctuation only (",", "--") is not a word to count or measure
        symbols = [(word, n) for word, n in zip(others, counts, strict=True) if PUNCTUATION_SET.issuperset(word)]
        content_words = len(words) - sum(n for _, n in symbols)
        # the words spell the text's chunks: their characters are the text's but the spaces
        content_chars = len("".join(text.chunks)) - sum(len(word) * n for word, n in symbols)
        alphabetic = len(words) - sum(n for word, n in zip(others, counts, strict=True)
                                      if not any(map(str.isalpha, word)))
        lines = text.lines
        return {
            "word_count": content_words,
            "mean_word_length": ratio(content_chars, content_words),
            "hash_word_ratio": ratio(text.text.count("#"), len(words)),
            "ellipsis_word_ratio": ratio(text.text.count("...") + text.text.count("…"), len(words)),
            "bullet_line_share": ratio(sum(map(str.startswith, map(str.lstrip, lines), repeat(BULLETS))), len(lines)),
            "ellipsis_line_share": ratio(sum(map(str.endswith, map(str.rstrip, lines), repeat(ELLIPSES))), len(lines)),
            "alpha_word_share": ratio(alphabetic, len(words)),
            "stop_word_count": sum(map(first.__contains__, STOP_WORDS)),
        }

    def judge(self, signals: Signals, settings: dict[str, Any]) -> list[str]:
        checks = [
            ("gopher_short_doc", signals["word_count"] < settings["min_words"]),
            ("gopher_long_doc", signals["word_count"] > settings["max_words"]),
            ("gopher_below_avg_threshold", signals["mean_word_length"] < settings["min_mean_word_length"]),
            ("gopher_above_avg_threshold", signals["mean_word_length"] > settings["max_mean_word_length"]),
            ("gopher_too_many_hashes", signals["hash_word_ratio"] > settings["max_symbol_word_ratio"]),
            ("gopher_too_many_ellipsis", signals["ellipsis_word_ratio"] > settings["max_symbol_word_ratio"]),
            ("gopher_too_many_bullets", signals["bullet_line_share"] > settings["max_bullet_line_share"]),
            ("gopher_too_many_end_ellipsis", signals["ellipsis_line_share"] > settings["max_ellipsis_line_share"]),
            ("gopher_below_alpha_threshold", signals["alpha_word_share"] < settings["min_alpha_word_share"]),
            ("gopher_enough_stop_words", signals["stop_word_count"] < settings["min_stop_words"]),
        ]
        return [reason for reason, failed in checks if failed]
