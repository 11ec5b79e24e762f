"""Teaser rails: other articles' headlines, each followed by its one-paragraph summary."""

from __future__ import annotations

import re
from collections.abc import Iterator

from cleaner.document import Span
from cleaner.noise.registry import Line, Rule, TextView, register
from cleaner.noise.text import STOPWORDS, body_of, is_prose

# a teaser's headline: a few words, capitalised, no sentence end
HEADLINE_WORDS = (3, 20)
_HEADLINE_END = ".!?:;,…"
# its summary: one or two sentences
SUMMARY_WORDS = (8, 40)
_SUMMARY_END = ".!?\"”’…"
MIN_PAIRS = 2
# the rail sits beside an article: the page's prose outside it has at least this many times its words
# (a roundup or a results page whose article is a list of headlines and summaries is left alone)
ARTICLE_TO_RAIL = 2
# a headline glued to its summary where the page had no space between the two blocks: a word's lower-case
# end (three letters at least, so 'iPhone' and 'YouTube' are not cut) runs into the summary's capitalised
# first word ("... Student-AthleteA 24-year-old ...")
_GLUE = re.compile(r"(?<=[a-z]{3})(?=[A-Z][a-z]{0,15} )")
# ... where the summary opens with a function word ("A", "The", "These"): the second half of a brand in
# camel case ("JavaScript", "PlayStation") is not one
_GLUE_WORD = re.compile(r"[A-Z][a-z]{0,15}")
# every line `glued_headline` cuts matches this (one scan of a document finds the few to try)
GLUE_CANDIDATE = re.compile(r"[a-z]{3}[A-Z][a-z]{0,15} ", re.MULTILINE)


def _is_headline(text: str, words: int) -> bool:
    return (HEADLINE_WORDS[0] <= words <= HEADLINE_WORDS[1] and text[-1] not in _HEADLINE_END
            and (text[0].isupper() or text[0].isdigit()))


def _is_summary(text: str, words: int) -> bool:
    return SUMMARY_WORDS[0] <= words <= SUMMARY_WORDS[1] and text[-1] in _SUMMARY_END


def glued_headline(text: str) -> int | None:
    """Where the summary starts in `text` when it is a headline glued to its summary, else None."""
    words = text.count(" ") + 1
    # most lines fail these cheap tests, which every glued pair passes, before the regex runs
    if not (HEADLINE_WORDS[0] + SUMMARY_WORDS[0] - 1 <= words <= HEADLINE_WORDS[1] + SUMMARY_WORDS[1]
            and text[-1] in _SUMMARY_END and (text[0].isupper() or text[0].isdigit())):
        return None
    for match in _GLUE.finditer(text):
        headline, summary = text[:match.start()], text[match.start():]
        if (_GLUE_WORD.match(summary).group().lower() in STOPWORDS and _is_headline(headline, headline.count(" ") + 1)
                and _is_summary(summary, summary.count(" ") + 1)):
            return match.start()
    return None


def _teaser_lines(lines: list[Line], i: int) -> int:
    """How many lines from `i` on form one teaser: 2 for a headline line then a summary line, 1 for a
    headline glued to its summary, 0 for none."""
    line = lines[i]
    if (_is_headline(line.stripped, line.spaces + 1) and i + 1 < len(lines)
            and _is_summary(lines[i + 1].stripped, lines[i + 1].spaces + 1)):
        return 2
    return 1 if glued_headline(line.stripped) is not None else 0


@register
class TeaserRail(Rule):
    """A rail of teasers for other articles: two or more headline + summary pairs in a row, standing
    among page chrome (no prose paragraph right above or right below the rail) beside an article (the
    page's prose elsewhere is at least twice as long as the rail). A headline glued to its summary on
    one line (no space between the page's two blocks) counts as a pair.

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
        body = body_of(view)
        lines = body.lines
        i = 0
        while i < len(lines):
            end, pairs = i, 0
            while end < len(lines) and (size := _teaser_lines(lines, end)):
                end, pairs = end + size, pairs + 1
            if (pairs >= MIN_PAIRS and not _touches_prose(lines, i, end)
                    and body.prose_words(0, i) + body.prose_words(end) >= ARTICLE_TO_RAIL * _words(lines[i:end])):
                yield from (self.span(line.start, line.stop, 0.8, pairs=str(pairs)) for line in lines[i:end])
            # a summary ends in a sentence end, so no teaser starts inside a run of them
            i = max(end, i + 1)


def _words(lines: list[Line]) -> int:
    return sum(line.spaces + 1 for line in lines)


def _touches_prose(lines: list[Line], first: int, stop: int) -> bool:
    """Whether a prose paragraph stands right above line `first` or at line `stop` (just below the rail)."""
    return (first > 0 and is_prose(lines[first - 1].stripped)) or (stop < len(lines) and is_prose(lines[stop].stripped))
