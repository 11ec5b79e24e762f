"""A title printed twice at the top of an article (page heading plus article heading)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from cleaner.document import Span
from cleaner.noise.registry import Rule, TextView, register
from cleaner.noise.text import body_of


def _key(text: str) -> str:
    return re.sub(r"\W+", " ", text.casefold()).strip()


@register
class DuplicateTitle(Rule):
    """A heading line before the body that repeats an earlier line (ignoring case and punctuation).

    Example: "Rents rise again in Lisbon" followed two lines later by "Rents Rise Again in Lisbon".
    """

    name = "duplicate_title_v1"
    category = "duplicate_title"
    description = "A line in the head that repeats an earlier head line; the later copy is removed."

    def find(self, view: TextView) -> Iterator[Span]:
        body = body_of(view)
        seen: set[str] = set()
        for line in body.lines[:body.first]:
            key = _key(line.stripped)
            if key.count(" ") < 1:
                continue
            if key in seen:
                yield self.span(line.start, line.stop, 0.9)
            seen.add(key)
