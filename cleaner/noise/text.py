"""Small text helpers shared by the rule families: words, person names, prose lines, the body core."""

from __future__ import annotations

import re
from functools import cached_property
from itertools import accumulate

from cleaner.noise.registry import Line, TextView
from cleaner.noise.unspaced import word_gaps
from cleaner.stopwords import FUNCTION_WORDS

WORD = re.compile(r"\w+", re.UNICODE)
# a person's name: 2-4 capitalised tokens (initials, hyphens and apostrophes allowed), or the same in capitals
NAME = r"(?:[A-Z][\w'’.-]*\.?)(?:[ \u00a0]+(?:(?:de|van|von|da|del|der|bin|al|le|la)[ \u00a0]+)?[A-Z][\w'’.-]*){1,3}"
NAME_LINE = re.compile(rf"^\[?({NAME})\]?(?:\(#?\))?$")
_SENTENCE_MARK = re.compile(r"[.!?。！？]")
TERMINAL = re.compile(r"[.!?…:;\"'”’)\]]$")
DATE = re.compile(
    r"^(?:(?:published|updated|posted)(?: on)?:?\s+)?"
    r"(?:\d{1,2}(?:st|nd|rd|th)?(?:\s*[-–]\s*\d{1,2}(?:st|nd|rd|th)?)?\s+[A-Z][a-z]{2,8}\.?,?\s+\d{4}"
    r"|[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}"
    r"|\d{4}-\d{2}-\d{2}|\d{1,2}[/.]\d{1,2}[/.]\d{2,4})$",
    re.IGNORECASE,
)


def words(text: str) -> list[str]:
    return WORD.findall(text.lower())


def is_prose(text: str, min_words: int = 12) -> bool:
    """A line that reads like a body paragraph: enough words and sentence punctuation."""
    return word_gaps(text) + 1 >= min_words and _SENTENCE_MARK.search(text) is not None


class Body:
    """Where the article body sits in a view: the first and last prose lines (the 'body core')."""

    def __init__(self, view: TextView) -> None:
        self.lines = view.content_lines()
        prose_flags = [is_prose(line.stripped) for line in self.lines]
        prose = [i for i, flag in enumerate(prose_flags) if flag]
        # prose words before each content line (prefix sums: rules compare the prose of spans of the text)
        self.prose_before = list(accumulate((line.spaces + 1 if flag else 0
                                              for line, flag in zip(self.lines, prose_flags, strict=True)), initial=0))
        # a standfirst or a caption is one short prose line; the body is a long paragraph or two in a row
        opening = [i for i in prose if is_prose(self.lines[i].stripped, 25) or i + 1 in prose]
        self.first = (opening or prose or [len(self.lines)])[0]
        self.last = prose[-1] if prose else -1
        self._position = {line.index: i for i, line in enumerate(self.lines)}

    def position(self, line: Line) -> int:
        """Index of `line` among the content lines."""
        return self._position[line.index]

    def prose_words(self, start: int = 0, stop: int | None = None) -> int:
        """Words of the prose lines among content lines `start` to `stop` (positions, stop excluded)."""
        return self.prose_before[len(self.lines) if stop is None else stop] - self.prose_before[start]

    def in_head(self, line: Line) -> bool:
        return self.position(line) < self.first

    @cached_property
    def vocabulary(self) -> set[str]:
        return {w for line in self.lines[self.first:self.last + 1] for w in words(line.stripped) if len(w) > 3}


def body_of(view: TextView) -> Body:
    """The body core of a view, computed once per view and shared by every rule."""
    if "body" not in view.memo:
        view.memo["body"] = Body(view)
    return view.memo["body"]

# function words of the languages most common in news corpora; used for content-word overlap
STOPWORDS = frozenset().union(*FUNCTION_WORDS.values())
