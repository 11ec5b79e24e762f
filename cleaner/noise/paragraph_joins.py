"""Repair, not removal: a paragraph split mid-sentence by a blank line is joined back with a space."""

from __future__ import annotations

import re
from collections.abc import Iterator

from cleaner.document import Span
from cleaner.noise.registry import Rule, TextView, register

# one blank line then a line starting in lower case (the literal prefix keeps the scan fast) ...
_BROKEN = re.compile(r"\n\n(?=[a-z])")
# ... after a line ending in a word, a comma or a dash
_OPEN_END = re.compile(r"[\w,\-–—]")


@register
class BrokenParagraphJoin(Rule):
    """Two paragraphs where the first stops without punctuation and the second starts in lower case.

    Example: "The council voted to delay the" / (blank line) / "new tram line until spring." -> one line.
    """

    name = "paragraph_join_v1"
    category = "paragraph_join"
    description = "Joins a paragraph broken mid-sentence by a blank line: the breaks become one space."
    replacement = " "

    def find(self, view: TextView) -> Iterator[Span]:
        for end, start in broken_pairs(view):
            yield self.span(end, start, 0.9)


def broken_pairs(view: TextView) -> Iterator[tuple[int, int]]:
    """(end of the first part, start of the continuation) of every paragraph broken mid-sentence by one blank line.

    Read from the physical lines of `view.raw`: the view's lines are whole paragraphs.
    """
    min_words = view.settings["join_min_words"]
    for match in _BROKEN.finditer(view.raw, 1):
        before = view.raw[view.raw.rfind("\n", 0, match.start()) + 1:match.start()]
        if _OPEN_END.match(before, len(before) - 1) and before.count(" ") + 1 >= min_words:
            yield match.start(), match.end()
