"""Lines repeated across documents of one source (for the noise engine's boilerplate rules)."""

from __future__ import annotations

import doctest

import cleaner.dedup.lines
from cleaner.dedup.lines import leads, repeated_lines


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


def test_a_glued_excerpt_is_found_by_the_lead_of_its_article() -> None:
    corpus = ["Lawmakers in Lisbon passed the annual budget on Friday after weeks of debate over defence.",
              "The central bank kept rates on hold, citing cooling inflation and weak exports."]
    known = {key: i for i, key in enumerate(leads(corpus, words=8))}
    page = ["Our own story, long enough to have a lead of eight words here.",
            "Read next: the central bank kept rates on hold",
            "The Central Bank kept rates on hold, citing..."]
    assert [known.get(key) for key in leads(page, words=8)] == [None, None, 1]
    assert leads(["too short"], words=8) == [None]
