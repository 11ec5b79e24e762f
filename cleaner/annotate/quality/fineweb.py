"""FineWeb's quality rules (Penedo et al. 2024) as datatrove's `FineWebQualityFilter` applies them: too few
lines ending in punctuation, too many short lines, characters in duplicated lines, and too many lines for
its words (a list, not prose). E.g. a product list of 40 short lines fails on short lines and punctuation.
"""

from __future__ import annotations

from itertools import repeat
from operator import itemgetter, le
from typing import Any

from cleaner.annotate.quality.characters import TERMINAL_PUNCTUATION_SET
from cleaner.annotate.quality.gopher_repetition import duplicates
from cleaner.annotate.quality.registry import QualityFamily, QualityText, Signals, ratio, register


@register
class FineWebQuality(QualityFamily):
    name = "fineweb"
    rule = "fineweb_quality_v1"
    description = "FineWeb rules: line-punctuation ratio, short-line ratio, duplicate-line characters, " \
                  "newlines per word"

    reasons = ("empty", "line_punct_ratio", "short_line_ratio", "char_dup_ratio", "list_ratio")

    def measure(self, text: QualityText, settings: dict[str, Any]) -> Signals:
        # lines as "\n" splits them (not splitlines), blank ones left out, trailing spaces kept
        lines = list(filter(str.strip, text.newline_lines))
        if not lines:
            return {"lines": 0}
        short = settings["short_line_chars"]
        # `str.endswith(TERMINAL_PUNCTUATION)` would try the ~150 terminators one by one; each is one
        # character, so a line's last character (no line is empty) is looked up instead
        last_chars = map(itemgetter(-1), lines)
        return {
            "lines": len(lines),
            "line_punct_ratio": sum(map(TERMINAL_PUNCTUATION_SET.__contains__, last_chars)) / len(lines),
            "short_line_ratio": sum(map(le, map(len, lines), repeat(short))) / len(lines),
            "char_dup_ratio": ratio(duplicates(lines)[1], len(text.text) - text.text.count("\n")),
            "list_ratio": ratio(text.text.count("\n"), len(text.words)),
        }

    def judge(self, signals: Signals, settings: dict[str, Any]) -> list[str]:
        if not signals["lines"]:
            return ["empty"]
        checks = [
            ("line_punct_ratio", signals["line_punct_ratio"] < settings["min_line_punct_ratio"]),
            ("short_line_ratio", signals["short_line_ratio"] > settings["max_short_line_ratio"]),
            ("char_dup_ratio", signals["char_dup_ratio"] > settings["max_char_dup_ratio"]),
            ("list_ratio", signals["list_ratio"] > settings["max_list_ratio"]),
        ]
        return [reason for reason, failed in checks if failed]
