"""The document record that travels the whole pipeline, and its JSON form.

A record keeps the normalised input (`raw`) and every removal as a span over it, so the clean text is
a pure function of the record: `apply_spans(raw, removals, replacements) == text`. Offsets are Python
string indices (Unicode code points) into `raw`, end exclusive.

Spans of a category listed in `metadata.span_replacements` are replaced by that string instead of
being deleted (e.g. a paragraph broken mid-sentence: the line break becomes one space).
"""

from __future__ import annotations

import heapq
import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from operator import attrgetter
from typing import Any

import orjson

# the category of the learned line classifier's removals: boilerplate of no more specific kind
LEARNED_CATEGORY = "boilerplate"


@dataclass(frozen=True, order=True)
class Span:
    """A stretch of `raw` that a rule removed (or replaced), with the rule's confidence."""

    start: int
    end: int
    category: str
    rule: str
    score: float = 1.0
    facts: tuple[tuple[str, str], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "start": self.start,
            "end": self.end,
            "category": self.category,
            "rule": self.rule,
            "score": round(self.score, 4),
        }
        if self.facts:
            out["facts"] = dict(self.facts)
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Span:
        return cls(
            d["start"], d["end"], d["category"], d["rule"], d.get("score", 1.0),
            tuple(sorted(d.get("facts", {}).items())),
        )


def merge_intervals(spans: list[Span], replacements: dict[str, str]) -> list[tuple[int, int, str]]:
    """Union of the spans as sorted, non-overlapping (start, end, replacement) edits.

    Deletions win over replacements where they overlap: a removed line takes its break with it.
    """
    edits: list[tuple[int, int, str]] = []
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        repl = replacements.get(span.category, "")
        if edits and span.start < edits[-1][1]:
            start, end, prev = edits[-1]
            edits[-1] = (start, max(end, span.end), prev if repl else "")
        else:
            edits.append((span.start, span.end, repl))
    return edits


def removed_chars_by_span(spans: Iterable[Span]) -> Counter[Span]:
    """Removed characters per span, each character counted once, so the counts add up to the removal.

    Rules may agree on a stretch (the line classifier and a trailing-excerpt rule on the same paragraph).
    Such a character goes to a named rule's span before the classifier's generic one, since the rule
    says what the noise is, and among those to the shortest covering span, the most specific finding.
    """
    by_start = sorted(spans, key=lambda s: s.start)
    points = sorted({p for span in by_start for p in (span.start, span.end)})
    counts: Counter[Span] = Counter()
    # the spans covering the current stretch, best first: (generic?, length, category, end, span); ended ones
    # leave lazily
    covering: list[tuple[bool, int, str, int, Span]] = []
    opened = 0
    for left, right in zip(points, points[1:], strict=False):
        while opened < len(by_start) and by_start[opened].start <= left:
            span = by_start[opened]
            rank = (span.category == LEARNED_CATEGORY, span.end - span.start, span.category, span.end, span)
            heapq.heappush(covering, rank)
            opened += 1
        while covering and covering[0][3] <= left:
            heapq.heappop(covering)
        if covering:
            counts[covering[0][4]] += right - left
    return counts


def _totals_by(counts: Counter[Span], key: Callable[[Span], str]) -> Counter[str]:
    totals: Counter[str] = Counter()
    for span, chars in counts.items():
        totals[key(span)] += chars
    return totals


def removed_chars_by_category(spans: Iterable[Span]) -> Counter[str]:
    """Removed characters per category, each counted once (see `removed_chars_by_span`)."""
    return _totals_by(removed_chars_by_span(spans), attrgetter("category"))


def removed_chars_by_rule(spans: Iterable[Span]) -> Counter[str]:
    """Removed characters per rule id, each counted once (see `removed_chars_by_span`)."""
    return _totals_by(removed_chars_by_span(spans), attrgetter("rule"))


def apply_spans(raw: str, spans: list[Span], replacements: dict[str, str] | None = None) -> str:
    """Recompute the clean text from the normalised input and the removal spans."""
    pieces: list[str] = []
    cursor = 0
    for start, end, repl in merge_intervals(spans, replacements or {}):
        pieces.append(raw[cursor:start])
        pieces.append(repl)
        cursor = end
    pieces.append(raw[cursor:])
    return "".join(pieces)


# the field order of Span, so sorting or keying by it equals Span's own ordering and equality without
# their Python-level comparisons and hashing
span_order = attrgetter("start", "end", "category", "rule", "score", "facts")


@dataclass
class Document:
    """One article: where it came from, its normalised input, what was removed, and what we learnt."""

    id: str
    source: str
    raw: str
    added: str | None = None
    created: str | None = None
    spans: list[Span] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)
    replacements: dict[str, str] = field(default_factory=dict)
    _text: str | None = field(default=None, repr=False)
    _sorted_spans: list[Span] | None = field(default=None, repr=False)

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = apply_spans(self.raw, self.spans, self.replacements)
        return self._text

    def sorted_spans(self) -> list[Span]:
        """The spans in their natural order (start, end, category, rule, ...), sorted once per change:
        the record, the flags' evidence and provenance all read them in that order."""
        if self._sorted_spans is None:
            self._sorted_spans = sorted(self.spans, key=span_order)
        return self._sorted_spans

    def add_spans(self, spans: list[Span]) -> None:
        self.spans.extend(spans)
        self._text = None
        self._sorted_spans = None

    def attributes(self) -> dict[str, list[list[float]]]:
        """Dolma-style view of the spans: {category: [[start, end, score], ...]}."""
        grouped: dict[str, list[list[float]]] = {}
        for span in self.sorted_spans():
            grouped.setdefault(span.category, []).append([span.start, span.end, round(span.score, 4)])
        return dict(sorted(grouped.items()))

    def to_dict(self) -> dict[str, Any]:
        metadata = dict(self.metadata)
        metadata["removals"] = [s.to_dict() for s in self.sorted_spans()]
        if self.replacements:
            metadata["span_replacements"] = dict(sorted(self.replacements.items()))
        return {
            "id": self.id,
            "text": self.text,
            "source": self.source,
            "added": self.added,
            "created": self.created,
            "raw": self.raw,
            "metadata": metadata,
            "attributes": self.attributes(),
        }

    def to_json(self) -> bytes:
        return orjson.dumps(self.to_dict(), option=orjson.OPT_SORT_KEYS)

    @classmethod
    def from_dict(cls, record: dict[str, Any], raw: str | None = None) -> Document:
        """The document of an output record; `raw` is its input text when the record keeps it elsewhere
        (a sidecar, `metadata.raw_in`), and `text` is then recomputed from it and the removals.

        Raises ValueError for a record that points elsewhere for its input text when `raw` is not given:
        its removals would otherwise be applied to the clean text.
        """
        metadata = dict(record.get("metadata") or {})
        if raw is None and "raw" not in record and "raw_in" in metadata:
            where = metadata["raw_in"]
            raise ValueError(f"record {record['id']} keeps its input text in {where}: pass raw=" if where else
                             f"record {record['id']} was written without its input text (output.raw = none)")
        spans = [Span.from_dict(d) for d in metadata.pop("removals", [])]
        replacements = metadata.pop("span_replacements", {})
        return cls(
            id=record["id"], source=record["source"], raw=raw if raw is not None else record.get("raw", record["text"]),
            added=record.get("added"), created=record.get("created"), spans=spans,
            metadata=metadata, replacements=replacements,
        )


@lru_cache(maxsize=1)
def record_schema() -> dict[str, Any]:
    """The JSON Schema every output record satisfies (shipped as cleaner/schema/document.schema.json)."""
    text = resources.files("cleaner.schema").joinpath("document.schema.json").read_text("utf-8")
    return json.loads(text)
