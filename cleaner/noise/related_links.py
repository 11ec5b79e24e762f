"""Lists of related, recommended or 'more' articles, and their headings."""

from __future__ import annotations

import re
from collections.abc import Iterator

from cleaner.document import Span
from cleaner.noise.registry import PatternLineRule, Rule, TextView, register
from cleaner.noise.text import DATE

_LABELLED = re.compile(r"^\[[A-Z][A-Z ]{2,20}\]\s+\S", re.MULTILINE)


@register
class RelatedHeading(PatternLineRule):
    """The heading of a related-articles box.

    Example: "You may also like", "More stories from Business", "Recommended for you".
    """

    name = "related_heading_v1"
    category = "related_links"
    description = "Headings of related / recommended / more-stories boxes."
    max_words = 7
    pattern = re.compile(
        r"^(?:(?:related|recommended|popular|trending|latest|recent|similar|further|more)\b.{0,40}"
        r"\b(?:stories|articles|posts|news|reads|reading|content|coverage|videos|from \w+)"
        r"|related|read (?:also|next|more)|also read|see also|you (?:may|might) (?:also )?(?:like|enjoy)"
        r"|recommended for you|more (?:on|about) this|also on \w+)\W*$",
        re.IGNORECASE,
    )


@register
class LabelledTeaser(Rule):
    """Teasers of other items: '[LABEL] title' followed by a date line, like a related-content list.

    Example: "[PODCAST] Can cities stay cool?" then "3 June 2024".
    """

    name = "labelled_teaser_v1"
    category = "related_links"
    description = "'[LABEL] title' lines followed by a date line, and that date line."

    def find(self, view: TextView) -> Iterator[Span]:
        lines = view.content_lines()
        following = {line.index: after for line, after in zip(lines, lines[1:], strict=False)}
        for current in view.candidate_lines(_LABELLED):
            after = following.get(current.index)
            if after is not None and DATE.match(after.stripped):
                yield self.span(current.start, current.stop, 0.9)
                yield self.span(after.start, after.stop, 0.9)
