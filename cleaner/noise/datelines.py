"""Publication datelines above the body; the date (ISO 8601) moves to provenance."""

from __future__ import annotations

import re

from cleaner.noise.registry import Line, LineRule, TextView, register
from cleaner.noise.text import body_of

_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)}
_PREFIX = r"^(?:(?:published|updated|posted|last updated|first published)(?: on)?:?\s+)?"
_SUFFIX = r"(?:,?\s+(?:at\s+)?\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s+[A-Z]{2,4})?)?\W*$"
_DMY = re.compile(_PREFIX + r"(?:\w+,?\s+)?(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})" + _SUFFIX,
                  re.IGNORECASE)
_MDY = re.compile(_PREFIX + r"(?:\w+,?\s+)?([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})" + _SUFFIX,
                  re.IGNORECASE)
_ISO = re.compile(_PREFIX + r"(\d{4})-(\d{2})-(\d{2})" + _SUFFIX, re.IGNORECASE)


def parse_dateline(text: str) -> str | None:
    """'Published 3 May 2024' / 'May 3, 2024' / '2024-05-03' -> '2024-05-03'; None for anything else."""
    for pattern, order in ((_DMY, "dmy"), (_MDY, "mdy"), (_ISO, "ymd")):
        found = pattern.match(text)
        if not found:
            continue
        parts = dict(zip(order, found.groups(), strict=True))
        month = _MONTHS.get(parts["m"][:3].lower()) if not parts["m"].isdigit() else int(parts["m"])
        if month and 1 <= int(parts["d"]) <= 31:
            return f"{int(parts['y']):04d}-{month:02d}-{int(parts['d']):02d}"
    return None


@register
class Dateline(LineRule):
    """A line holding only the publication date (optionally 'Published'/'Updated' and a time), above the body.

    Example: "Updated: 14 February 2025, 09:30 GMT".
    """

    name = "dateline_v1"
    category = "dateline"
    description = "Date-only lines in the head of the article; the ISO date becomes the `date` fact."
    candidates = re.compile(r"^(?=.{0,60}$).*\d", re.MULTILINE)
    max_words = 32  # at most 60 characters

    def match(self, line: Line, view: TextView) -> tuple[float, dict[str, str]] | None:
        text = line.stripped
        if len(text) > 60 or not body_of(view).in_head(line):
            return None
        date = parse_dateline(text)
        return (0.9, {"date": date}) if date else None
