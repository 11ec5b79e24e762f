"""Real pages for property tests: fixed samples of the annotated dev sets in ../shared/data/extraction.

The shared harness (../shared/tools/extraction_eval.py) unpacks the archives on first use and gives
each page as `{id, url, html, gold_text, noisy_text}`. The data travels with the project's CI, so a
missing archive is a failure here, never a skip.
"""

from __future__ import annotations

from functools import cache

from bench.extraction import HARNESS, load_harness


@cache
def _dataset(name: str) -> tuple[dict, ...]:
    harness = load_harness()
    assert harness is not None, f"the extraction harness is missing: {HARNESS}"
    records = harness.load_dataset(name)
    harness.attach_noisy(records, 1)
    return tuple(sorted(records, key=lambda r: r["id"]))


def dev_pages(name: str, limit: int, *, min_gold_words: int = 0) -> list[dict]:
    """The first `limit` pages of dataset `name` by id whose gold text has at least `min_gold_words` words."""
    pages = [r for r in _dataset(name) if len((r["gold_text"] or "").split()) >= min_gold_words]
    return pages[:limit]
