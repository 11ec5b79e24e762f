"""Lines repeated across documents of one source (for the noise engine's boilerplate rules)."""

from __future__ import annotations

import doctest

import cleaner.dedup.lines
from cleaner.dedup.lines import repeated_lines


def test_docstring_example() -> None:
    assert doctest.testmod(cleaner.dedup.lines).failed == 0


def test_lines_are_counted_per_source_and_once_per_document() -> None:
    docs = [
        ("a.com", "Body one.\nFollow us on X\nFollow us on X"),
        ("a.com", "Body two.\nfollow us on x."),
        ("a.com", "Body three.\nFollow us on X"),
        ("b.com", "Body one.\nFollow us on X"),
    ]
    assert repeated_lines(docs, min_docs=3) == {"a.com": {"follow us on x": 3}}
    assert repeated_lines(docs, min_docs=2)["a.com"] == {"follow us on x": 3}
    assert "b.com" not in repeated_lines(docs, min_docs=2)
