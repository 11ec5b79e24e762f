"""Markdown link residue left by HTML-to-markdown converters: `[China](#)` becomes `China`.

Only the markup is removed (the brackets and the target), so the link text stays in the sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from cleaner.document import Span
from cleaner.noise.registry import Rule, TextView, register

# [text](target) where text has no brackets; the target may be empty, '#', a path or a URL
_LINK = re.compile(r"(\[)([^\[\]\n]{1,300})(\]\((?:[^()\s]|\([^()\s]*\))*\))")


@register
class MarkdownLinkResidue(Rule):
    """Markdown link syntax around link text.

    Example: "Read the [full report](https://example.org/report.pdf) here" -> "Read the full report here".
    """

    name = "markdown_link_v1"
    category = "link_markup"
    description = "Markdown link syntax [text](target): keeps the text, removes brackets and target."

    def find(self, view: TextView) -> Iterator[Span]:
        for match in _LINK.finditer(view.raw):
            yield self.span(match.start(1), match.end(1))
            yield self.span(match.start(3), match.end(3))
