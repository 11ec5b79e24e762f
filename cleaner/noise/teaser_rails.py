"""Teaser rails: other articles' headlines, each followed by its one-paragraph summary."""

from __future__ import annotations

from collections.abc import Iterator

from cleaner.document import Span
from cleaner.noise.registry import Line, Rule, TextView, register
from cleaner.noise.text import is_prose

# a teaser's headline: a few words, capitalised, no sentence end
HEADLINE_WORDS = (3, 20)
_HEADLINE_END = ".!?:;,…"
# its summary: one or two sentences
SUMMARY_WORDS = (8, 40)
_SUMMARY_END = ".!?\"”’…"
MIN_PAIRS = 2


def _is_headline(line: Line) -> bool:
    text = line.stripped
    return (HEADLINE_WORDS[0] <= line.spaces + 1 <= HEADLINE_WORDS[1] and text[-1] not in _HEADLINE_END
            and (text[0].isupper() or text[0].isdigit()))


def _is_summary(line: Line) -> bool:
    return SUMMARY_WORDS[0] <= line.spaces + 1 <= SUMMARY_WORDS[1] and line.stripped[-1] in _SUMMARY_END


@register
class TeaserRail(Rule):
    """A rail of teasers for other articles: two or more headline + summary pairs in a row, standing
    among page chrome (no prose paragraph right above or right below the rail).

    An article's own sections look alike (a subheading, then a paragraph) but sit between the article's
    paragraphs, so a rail touching prose on either side is left alone.
    Example: "Markets Go Dark Ahead of Storm" / "U.S. stock and options markets will close Monday due to
    Hurricane Sandy, exchanges said." / "Evacuations as Hurricane Edges Closer" / "Hundreds of thousands
    of residents were ordered to leave their homes." between "From the HomePage" and "More in Asia".
    """

    name = "teaser_rail_v1"
    category = "teaser_rail"
    description = "Two or more headline + summary pairs in a row with no prose paragraph beside them."

    def find(self, view: TextView) -> Iterator[Span]:
        lines = view.content_lines()
        i = 0
        while i < len(lines) - 1:
            end = i
            while end + 1 < len(lines) and _is_headline(lines[end]) and _is_summary(lines[end + 1]):
                end += 2
            if (end - i) // 2 >= MIN_PAIRS and not _touches_prose(lines, i, end):
                yield from (self.span(line.start, line.stop, 0.8, pairs=str((end - i) // 2)) for line in lines[i:end])
                i = end
            else:
                i = max(end, i + 1)


def _touches_prose(lines: list[Line], first: int, stop: int) -> bool:
    """Whether a prose paragraph stands right above line `first` or at line `stop` (just below the rail)."""
    return (first > 0 and is_prose(lines[first - 1].stripped)) or (stop < len(lines) and is_prose(lines[stop].stripped))
