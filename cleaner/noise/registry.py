"""The rule registry: every noise rule is a small class registered here under a versioned name.

A rule only *finds* spans; the engine (`cleaner.noise.engine`) decides what is removed. A changed
rule gets a new versioned name, so records written by the old one stay explainable.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar

from cleaner.document import Span


@dataclass(frozen=True)
class Line:
    """One line of the normalised text; `end` excludes the line break, `stop` includes it."""

    index: int
    start: int
    end: int
    stop: int
    text: str

    @property
    def stripped(self) -> str:
        return self.text.strip()

    @property
    def is_blank(self) -> bool:
        return not self.text.strip()


class TextView:
    """The normalised input seen as lines, with the document's metadata and the rule settings."""

    def __init__(self, raw: str, metadata: dict[str, Any] | None = None,
                 settings: dict[str, Any] | None = None, context: Any = None) -> None:
        self.raw = raw
        self.metadata = metadata or {}
        self.settings = settings or {}
        self.context = context
        self.lines: list[Line] = []
        cursor = 0
        for index, text in enumerate(raw.split("\n")):
            end = cursor + len(text)
            stop = min(end + 1, len(raw))
            self.lines.append(Line(index, cursor, end, stop, text))
            cursor = end + 1
        if self.lines and self.lines[-1].start >= len(raw):
            self.lines.pop()

    def content_lines(self) -> list[Line]:
        return [line for line in self.lines if not line.is_blank]


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
        return Span(start, end, self.category, self.name, score, tuple(sorted(facts.items())))


class LineRule(Rule):
    """A rule that judges whole lines; a flagged line is removed with its line break."""

    @abstractmethod
    def match(self, line: Line, view: TextView) -> float | tuple[float, dict[str, str]] | None:
        """A score (optionally with facts to move into provenance) for a noise line, else None."""

    def find(self, view: TextView) -> Iterator[Span]:
        for line in view.content_lines():
            found = self.match(line, view)
            if found is None:
                continue
            score, facts = found if isinstance(found, tuple) else (found, {})
            yield self.span(line.start, line.stop, score, **facts)


class PatternLineRule(LineRule):
    """A line rule defined by one regular expression over the stripped line, for short lines only.

    Subclasses set `pattern` (searched, so anchor it when position matters), `max_words` and `score`;
    `facts` may turn the match into facts for provenance.
    """

    pattern: ClassVar[re.Pattern[str]]
    max_words: ClassVar[int] = 25
    score: ClassVar[float] = 0.9

    def facts(self, match: re.Match[str], line: Line) -> dict[str, str]:
        return {}

    def match(self, line: Line, view: TextView) -> float | tuple[float, dict[str, str]] | None:
        text = line.stripped
        if text.count(" ") >= self.max_words:
            return None
        found = self.pattern.search(text)
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
