"""Tag and topic lists: 'Tags: a, b, c' lines and runs of one-link list items."""

from __future__ import annotations

import re
from collections.abc import Iterator

from cleaner.document import Span
from cleaner.noise.registry import Line, PatternLineRule, Rule, TextView, register

_LINK_ITEM = re.compile(r"^[-*•]\s*\[[^\]\n]{1,40}\]\([^)\s]*\)$")


@register
class TagLine(PatternLineRule):
    """A labelled list of tags or topics.

    Example: "Tags: elections, Kenya, youth vote".
    """

    name = "tag_line_v1"
    category = "tag_list"
    description = "'Tags:' / 'Topics:' / 'Filed under:' lines."
    max_words = 30
    pattern = re.compile(r"^(?:tags?|topics?|tagged(?: with)?|filed under|categories|keywords)\s*[:|]", re.IGNORECASE)


@register
class LinkItemRun(Rule):
    """Two or more consecutive list items that are each a single short link.

    Example: "- [Climate](/topics/climate)" followed by "- [Energy](/topics/energy)".
    """

    name = "link_item_run_v1"
    category = "tag_list"
    description = "Runs of >= 2 list items that are nothing but one short markdown link."

    def find(self, view: TextView) -> Iterator[Span]:
        if "](" not in view.raw:
            return
        run: list[Line] = []
        for line in [*view.content_lines(), None]:
            if line is not None and _LINK_ITEM.match(line.stripped):
                run.append(line)
                continue
            if len(run) >= 2:
                yield from (self.span(item.start, item.stop, 0.9) for item in run)
            run = []
