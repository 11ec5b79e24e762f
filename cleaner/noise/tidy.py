"""Blank-line tidying after removals, recorded as spans like any other edit."""

from __future__ import annotations

import re

from cleaner.document import Span, merge_intervals

RULE = "blank_line_tidy_v1"
CATEGORY = "whitespace"
_BREAKS = re.compile(r"\n+")


def _kept_pieces(raw: str, spans: list[Span], replacements: dict[str, str]) -> list[tuple[str, int | None]]:
    """The clean text as pieces: (text, offset in raw), offset None for replacement strings."""
    pieces: list[tuple[str, int | None]] = []
    cursor = 0
    for start, end, repl in merge_intervals(spans, replacements):
        pieces.append((raw[cursor:start], cursor))
        if repl:
            pieces.append((repl, None))
        cursor = end
    pieces.append((raw[cursor:], cursor))
    return pieces


def tidy_spans(raw: str, spans: list[Span], replacements: dict[str, str]) -> list[Span]:
    """Spans deleting the line breaks that removals left leading, doubled or trailing.

    The clean text then starts with text, has at most one blank line between paragraphs and ends
    with exactly one line break.
    """
    deletions: list[tuple[int, int]] = []
    trailing: list[int] = []  # raw offsets of the kept line breaks at the current end of the output
    emitted_text = False
    for text, offset in _kept_pieces(raw, spans, replacements):
        if offset is None:
            emitted_text, trailing = True, []
            continue
        cursor = 0
        for run in _BREAKS.finditer(text):
            if run.start() > cursor:
                emitted_text, trailing = True, []
            allowed = max(0, 2 - len(trailing)) if emitted_text else 0
            keep_end = min(run.end(), run.start() + allowed)
            trailing.extend(offset + i for i in range(run.start(), keep_end))
            if keep_end < run.end():
                deletions.append((offset + keep_end, offset + run.end()))
            cursor = run.end()
        if cursor < len(text):
            emitted_text, trailing = True, []
    deletions.extend((position, position + 1) for position in trailing[1:])
    return [Span(start, end, CATEGORY, RULE, 1.0) for start, end in deletions]
