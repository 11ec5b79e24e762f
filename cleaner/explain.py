"""Show what was removed from a record and why: a coloured diff in a terminal, plain text otherwise.

Every string taken from the record passes through `terminal_safe` before it is styled, so a record
cannot move the cursor, retitle the window or hide text: its control characters print as escapes.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import click

from cleaner.document import Document, Span, merge_intervals, removed_chars_by_category
from cleaner.untrusted import terminal_safe as safe

# category -> colour of its removed text in a terminal
_COLOURS = ("red", "magenta", "yellow", "cyan", "blue", "bright_red", "bright_magenta", "bright_blue")


def _colour(category: str) -> str:
    return _COLOURS[sum(category.encode()) % len(_COLOURS)]


def segments(document: Document) -> Iterator[tuple[str, list[Span]]]:
    """The input in order as (text, spans covering it): kept stretches have no spans.

    Shared by the terminal view and the HTML per-document view of the audit report.
    """
    by_position = document.sorted_spans()
    cursor = 0
    for start, end, _ in merge_intervals(by_position, {}):
        yield document.raw[cursor:start], []
        yield document.raw[start:end], [s for s in by_position if s.start < end and s.end > start]
        cursor = end
    yield document.raw[cursor:], []


def explain_record(record: dict[str, Any], colour: bool) -> str:
    """A readable account of one record: header, the input with each removal marked, a summary."""
    document = Document.from_dict(record)
    meta = document.metadata
    header = f"== {safe(document.id)}  {safe(document.source)}"
    lines = [click.style(header, bold=True) if colour else header]
    for field in ("title", "author", "date", "url", "language"):
        if meta.get(field):
            lines.append(f"   {field}: {safe(meta[field])}")
    lines.append("")
    body: list[str] = []
    for removed, covering in segments(document):
        if not covering:
            body.append(safe(removed))
            continue
        label = safe(",".join(sorted({f"{s.category}/{s.rule}" for s in covering})))
        if colour:
            body.append(click.style(safe(removed), fg=_colour(covering[0].category), strikethrough=True))
            body.append(click.style(f"⟦{label}⟧", dim=True) + ("\n" if removed.endswith("\n") else ""))
        else:
            text = safe(removed).replace("\n", "⏎")
            body.append(f"[-{text}-]{{{label}}}" + ("\n" if removed.endswith("\n") else ""))
    lines.append("".join(body).rstrip("\n"))
    lines.append("")
    removed_chars = removed_chars_by_category(document.spans)
    lines.append(f"removed {sum(removed_chars.values())} of {len(document.raw)} characters")
    for category, chars in removed_chars.most_common():
        lines.append(f"   {safe(category):<22} {chars:>7} chars")
    for span in document.spans:
        for name, value in span.facts:
            lines.append(f"   moved to provenance: {safe(name)} = {safe(repr(value))} (by {safe(span.rule)})")
    for flag in meta.get("flags") or []:
        lines.append(f"   flag {safe(flag['name'])} score={safe(str(flag['score']))} "
                     f"(threshold {safe(str(flag['threshold']))})")
        if flag.get("detail"):
            lines.append(f"      {safe(flag['detail'])}")
        for start, end, text in flag.get("evidence", [])[:5]:
            lines.append(f"      [{safe(str(start))}:{safe(str(end))}] {safe(repr(text))}")
    return "\n".join(lines) + "\n"
