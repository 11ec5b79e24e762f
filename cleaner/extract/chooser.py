"""Which extractor's output to keep: a linear score per candidate, fitted on the dev sets' training split.

Agreement alone (each candidate's mean bag-of-words F1 against the others) is a strong vote, but it cannot
tell a page where readability's single main block is the article (news) from one where that block loses
most of it (forums, blogs with lists, trafilatura's evaluation pages). So the score also reads the shape of
each candidate's text (its length against the longest candidate, its share of short lines and of lines
ending a sentence) and, for extractors other than the reference one, the page's markup (how much of it is
paragraphs, lists, tables, links): each extractor's reliability moves with those. The weights live in
`data/extractor_chooser.json`, fitted by `bench/extraction.py --fit-chooser` (docs/extraction.md); every
feature is named there, so a record's `score` can be recomputed by hand.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

CHOOSER_FILE = "extractor_chooser.json"
# markup whose density (occurrences per 1,000 characters of HTML) describes the page
MARKUP = {"p_tags": "<p", "article_tags": "<article", "li_tags": "<li", "a_tags": "<a ", "comment_mentions": "comment",
          "h1_tags": "<h1", "h2_tags": "<h2", "div_tags": "<div", "br_tags": "<br", "td_tags": "<td"}
TERMINAL = ('.', '!', '?', '"', '\u201d')
SHORT_LINE_WORDS = 4


def page_features(html: str) -> dict[str, float]:
    """The page's size and markup densities (log-scaled), shared by every candidate of the page."""
    low = html.lower()
    chars = max(len(low), 1)
    return {"html_chars": math.log1p(chars) / 10,
            **{name: math.log1p(low.count(tag) * 1000 / chars) for name, tag in MARKUP.items()}}


def text_features(text: str, words: int, longest: int) -> dict[str, float]:
    """The shape of one candidate's text; `words` is its word count, `longest` the most any candidate has."""
    lines = [line for line in text.splitlines() if line.strip()]
    counts = [len(line.split()) for line in lines]
    line_count = max(len(lines), 1)
    return {"length_vs_longest": math.log((words + 1) / (longest + 1)),
            "words": math.log1p(sum(counts)) / 10,
            "short_lines": sum(count <= SHORT_LINE_WORDS for count in counts) / line_count,
            "terminal_lines": sum(line.rstrip().endswith(TERMINAL) for line in lines) / line_count,
            "words_per_line": math.log1p(sum(counts) / line_count) / 5}


def candidate_features(texts: Mapping[str, str], agreement: Mapping[str, float],
                       lean: Mapping[str, float], words: Mapping[str, int], html: str) -> dict[str, dict[str, float]]:
    """Every feature of each candidate: its votes (`combine.votes`), its text's shape, the page's markup."""
    longest = max(words.values(), default=0)
    page = page_features(html)
    return {name: {"agreement": agreement.get(name, 0.0), "precision_lean": lean.get(name, 0.0),
                   **text_features(text, words[name], longest), **page} for name, text in texts.items()}


@dataclass(frozen=True)
class Chooser:
    """Weights of the candidate features for every extractor (`shared`), and extra weights per extractor
    (`by_extractor`: a `bias`, the candidate features again, and the page features) for all but the reference."""

    shared: Mapping[str, float]
    by_extractor: Mapping[str, Mapping[str, float]]

    def score(self, name: str, features: Mapping[str, float]) -> float:
        """`name`'s score from its features (its candidate features and the page's)."""
        total = sum(weight * features[feature] for feature, weight in self.shared.items())
        return total + sum(weight * (1.0 if feature == "bias" else features[feature])
                           for feature, weight in self.by_extractor.get(name, {}).items())


@cache
def shipped() -> Chooser:
    """The weights fitted on the training split (`data/extractor_chooser.json`)."""
    data = json.loads(files("cleaner.extract").joinpath("data", CHOOSER_FILE).read_text(encoding="utf-8"))
    return Chooser(data["shared"], data["by_extractor"])
