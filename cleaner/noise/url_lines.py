"""Lines that hold nothing but a URL (often the canonical link printed by a converter)."""

from __future__ import annotations

import re

from cleaner.noise.registry import Line, PatternLineRule, register


@register
class BareUrlLine(PatternLineRule):
    """A line that is only a URL, bare or in angle brackets; the URL moves to provenance.

    Example: "<https://example.org/news/2024/05/city-budget>".
    """

    name = "url_line_v1"
    category = "url_line"
    description = "A line consisting of one URL (bare, <...> or [...]); the URL becomes the `url` fact."
    max_words = 1
    score = 0.95
    pattern = re.compile(r"^[<\[(]?((?:https?://|www\.)[^\s<>()\[\]]+)[>\])]?$", re.IGNORECASE)

    def facts(self, match: re.Match[str], line: Line) -> dict[str, str]:
        return {"url": match.group(1)}
