"""The rule registry: every noise rule is a small class registered here under a versioned name.

A rule only *finds* spans; the engine (`cleaner.noise.engine`) decides what is removed. A changed
rule gets a new versioned name, so records written by the old one stay explainable.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache, cached_property
from re import _constants, _parser  # type: ignore[attr-defined]
from typing import Any, ClassVar

from cleaner.document import Span
from cleaner.extract.visible import VISIBLE_TEXT
from cleaner.noise.paragraphs import blank_lines_end_paragraphs, continued_lines
from cleaner.noise.unspaced import word_gaps


@dataclass(frozen=True, init=False)
class Line:
    """One logical line of the normalised text: a paragraph, whether one physical line or several that a
    hard wrap split (`cleaner.noise.paragraphs`). `end` excludes the last line
    break, `stop` includes it; `text` is raw[start:end] with its line breaks as spaces (offsets inside it
    are offsets into raw) and `stripped` its pieces stripped and joined by one space.
    """

    index: int
    start: int
    end: int
    stop: int
    text: str
    # computed once: every rule asks for them
    stripped: str = field(compare=False)
    spaces: int = field(compare=False)

    def __init__(self, index: int, start: int, end: int, stop: int, text: str, stripped: str | None = None) -> None:
        # one dict update instead of the frozen class's seven object.__setattr__ calls: a view makes
        # an object per line of every document
        stripped = text.strip() if stripped is None else stripped
        self.__dict__.update(index=index, start=start, end=end, stop=stop, text=text, stripped=stripped,
                             spaces=word_gaps(stripped))

    @property
    def is_blank(self) -> bool:
        return not self.stripped


# candidate scans for rules that only judge short lines read only the lines below these word counts
_WORD_BUCKETS = (8, 32, 128)


class TextView:
    """The normalised input seen as logical lines (paragraphs), with the document's metadata and the rule settings."""

    def __init__(self, raw: str, metadata: dict[str, Any] | None = None,
                 settings: dict[str, Any] | None = None, context: Any = None) -> None:
        self.raw = raw
        self.metadata = metadata or {}
        self.settings = settings or {}
        self.context = context
        self.lines, self.paragraph_ends_marked = _logical_lines(raw)
        self._joined_cache: dict[tuple[int | None, bool], tuple[str, list[int], list[Line]]] = {}
        # per-view results that several rules reuse (a rule's matches, the body core)
        self.memo: dict[str, Any] = {}

    @cached_property
    def is_extracted_article(self) -> bool:
        """An article extractor's output (already cut down to the article), not a whole page or scraped text."""
        return self.metadata.get("content_type") == "html" and self.metadata.get("text_from") != VISIBLE_TEXT

    def content_lines(self) -> list[Line]:
        return self._content

    @cached_property
    def _content(self) -> list[Line]:
        return [line for line in self.lines if not line.is_blank]

    def _joined(self, max_spaces: int | None, lower: bool) -> tuple[str, list[int], list[Line]]:
        """The non-blank lines with fewer than `max_spaces` spaces, stripped (and lower-cased) and joined
        by line breaks, with where each starts in that text (cached: rules share a few buckets)."""
        key = (max_spaces, lower)
        if key not in self._joined_cache:
            lines = [line for line in self._content if max_spaces is None or line.spaces < max_spaces]
            texts = [line.stripped.lower() if lower else line.stripped for line in lines]
            starts, cursor = [], 0
            for text in texts:
                starts.append(cursor)
                cursor += len(text) + 1
            self._joined_cache[key] = ("\n".join(texts), starts, lines)
        return self._joined_cache[key]

    def line_at(self, offset: int) -> Line:
        """The line holding `offset` of `raw`."""
        return self.lines[bisect_right(self._line_starts, offset) - 1]

    @cached_property
    def _line_starts(self) -> list[int]:
        return [line.start for line in self.lines]

    def candidate_lines(self, pattern: re.Pattern[str], max_words: int | None = None,
                        lower: bool = False) -> list[Line]:
        """Non-blank lines (of fewer than `max_words` words) whose stripped text `pattern` may match.

        One scan of the joined text in the regex engine (`pattern` compiled with re.MULTILINE) instead
        of one call per line; long prose lines, most of the bytes, are skipped when a rule only wants
        short lines; with `lower` the text is lower-cased first (a literal pattern then needs no
        IGNORECASE, which is several times slower). A line that matches on its own also matches
        here, so callers re-check candidates.
        """
        bucket = next((b for b in _WORD_BUCKETS if max_words is not None and max_words <= b), None)
        text, starts, lines = self._joined(bucket, lower)
        at_line_start = _at_line_start(pattern)
        if at_line_start is not None:
            # the same matches, each starting at the line break before its line (no shift of offsets)
            pattern, text = at_line_start, "\n" + text
        found: list[Line] = []
        position = 0
        while position <= len(text):
            match = pattern.search(text, position)
            if match is None:
                break
            index = bisect_right(starts, match.start()) - 1
            found.append(lines[index])
            position = starts[index + 1] if index + 1 < len(starts) else len(text) + 1
        return found


def _logical_lines(raw: str) -> tuple[list[Line], bool]:
    """The lines of `raw`, the pieces of a hard-wrapped paragraph as one line (blank lines between them
    included), and whether blank lines mark where its paragraphs end."""
    physical: list[tuple[int, str]] = []  # (start, text) of each physical line
    cursor = 0
    for text in raw.split("\n"):
        physical.append((cursor, text))
        cursor += len(text) + 1
    if physical and physical[-1][0] >= len(raw):
        physical.pop()
    content = [i for i, (_, text) in enumerate(physical) if text.strip()]
    blank_after = [after - line > 1 for line, after in zip(content, content[1:], strict=False)]
    flags = continued_lines([physical[i][1] for i in content], blank_after)
    # the physical line each continued line's paragraph goes on to
    goes_on = {i: after for i, after, flag in zip(content, content[1:], flags, strict=False) if flag}
    lines: list[Line] = []
    first = 0
    while first < len(physical):
        last = first
        while last in goes_on:
            last = goes_on[last]
        start = physical[first][0]
        end = physical[last][0] + len(physical[last][1])
        stop = min(end + 1, len(raw))
        if last == first:
            lines.append(Line(len(lines), start, end, stop, physical[first][1]))
        else:
            pieces = (text.strip() for _, text in physical[first:last + 1])
            lines.append(Line(len(lines), start, end, stop, raw[start:end].replace("\n", " "),
                              " ".join(piece for piece in pieces if piece)))
        first = last + 1
    return lines, blank_lines_end_paragraphs(blank_after)


@cache
def _at_line_start(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """For a pattern anchored at the line start in every branch, the same pattern after a line break.

    The regex engine tries a '^' pattern at every character; with a literal line break first it
    jumps from line break to line break, several times faster on long documents.
    """
    def anchored(items: Any) -> bool:
        if not len(items):
            return False
        op, value = items[0]
        if op is _constants.AT:
            return value is _constants.AT_BEGINNING
        if op is _constants.SUBPATTERN:
            return anchored(value[-1])
        return op is _constants.BRANCH and all(anchored(branch) for branch in value[1])

    if not pattern.flags & re.MULTILINE or not anchored(_parser.parse(pattern.pattern, pattern.flags)):
        return None
    try:
        return re.compile(f"\n(?:{pattern.pattern})", pattern.flags)
    except re.error:  # e.g. global inline flags, which must stay first
        return None


class Rule(ABC):
    """A noise rule: a versioned `name`, a `category`, a one-line `description` and `find`."""

    name: ClassVar[str]
    category: ClassVar[str]
    description: ClassVar[str]
    # spans of this rule are replaced by this string instead of deleted (e.g. a line break by a space)
    replacement: ClassVar[str | None] = None

    @abstractmethod
    def find(self, view: TextView) -> Iterable[Span]:
        """Spans of `view.raw` this rule considers noise, each with a score in [0, 1]."""

    def span(self, start: int, end: int, score: float = 1.0, **facts: str) -> Span:
        return Span(start, end, self.category, self.name, score, tuple(sorted(facts.items())) if facts else ())


class LineRule(Rule):
    """A rule that judges whole lines; a flagged line is removed with its line break.

    `candidates` (optional, compiled with re.MULTILINE) must match every line the rule could flag;
    it lets the rule skip the other lines with one regex scan of the document. `keywords` does the
    same with lower-case literals searched in the lower-cased text, which is faster still.
    """

    candidates: ClassVar[re.Pattern[str] | None] = None
    keywords: ClassVar[re.Pattern[str] | None] = None
    # only lines of fewer words (counted as spaces + 1) are judged; None judges every line
    max_words: ClassVar[int | None] = None

    @abstractmethod
    def match(self, line: Line, view: TextView) -> float | tuple[float, dict[str, str]] | None:
        """A score (optionally with facts to move into provenance) for a noise line, else None."""

    def matches(self, view: TextView) -> list[tuple[Line, float, dict[str, str]]]:
        """(line, score, facts) for every line the rule flags; computed once per view."""
        key = f"matches:{self.name}"
        if key not in view.memo:
            view.memo[key] = list(self._matches(view))
        return view.memo[key]

    def _matches(self, view: TextView) -> Iterator[tuple[Line, float, dict[str, str]]]:
        max_words = self.max_words
        if self.keywords is not None:
            lines = view.candidate_lines(self.keywords, max_words, lower=True)
        elif self.candidates is not None:
            lines = view.candidate_lines(self.candidates, max_words)
        else:
            lines = view.content_lines()
        for line in lines:
            # the candidate scan reads a bucket of short lines; the rule's own bound is exact
            if max_words is not None and line.spaces >= max_words:
                continue
            found = self.match(line, view)
            if found is not None:
                score, facts = found if isinstance(found, tuple) else (found, {})
                yield line, score, facts

    def find(self, view: TextView) -> Iterator[Span]:
        for line, score, facts in self.matches(view):
            yield self.span(line.start, line.stop, score, **facts)


class PatternLineRule(LineRule):
    """A line rule defined by one regular expression over the stripped line, for short lines only.

    Subclasses set `pattern` (searched, so anchor it when position matters), `max_words` and `score`;
    `facts` may turn the match into facts for provenance.
    """

    pattern: ClassVar[re.Pattern[str]]
    max_words: ClassVar[int | None] = 25
    score: ClassVar[float] = 0.9

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "pattern" in cls.__dict__:
            cls.candidates = re.compile(cls.pattern.pattern, cls.pattern.flags | re.MULTILINE)

    def facts(self, match: re.Match[str], line: Line) -> dict[str, str]:
        return {}

    def match(self, line: Line, view: TextView) -> float | tuple[float, dict[str, str]] | None:
        found = self.pattern.search(line.stripped)
        if found is None:
            return None
        return self.score, self.facts(found, line)


@dataclass
class Registry:
    rules: dict[str, type[Rule]] = field(default_factory=dict)

    def add(self, cls: type[Rule]) -> type[Rule]:
        for attr in ("name", "category", "description"):
            if not getattr(cls, attr, None):
                raise TypeError(f"rule {cls.__name__} must define {attr}")
        if cls.name in self.rules:
            raise ValueError(f"rule name {cls.name!r} registered twice")
        self.rules[cls.name] = cls
        return cls


RULES = Registry()
register = RULES.add
