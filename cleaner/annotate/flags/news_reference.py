"""Where a document's raw score falls among news articles: the percentile behind a document flag's score.

A raw score (e.g. the mean loaded-language probability of a document's sentences) means little on its own;
its place among ordinary news does. `data/news_reference.json` holds, per flag, the sorted raw scores of a
news reference (the gold article texts of L3S-GN1's train split, 400-odd articles of many outlets, made by
`bench/calibrate_flags.py --write`), so a document at 0.9 scores higher than 90 % of those articles and a
threshold of 0.85 reads "the top 15 % of news". The look-up is a bisect.
"""

from __future__ import annotations

import json
from bisect import bisect_left, bisect_right
from functools import lru_cache
from importlib import resources

REFERENCE_FILE = "data/news_reference.json"
# the optional MiniLM sentence model (flags.<name>.model) scores on its own scale, so it has its own reference
REFERENCE_FILES = {"lexicon": REFERENCE_FILE, "minilm": "data/news_reference_minilm.json"}


@lru_cache(maxsize=2)
def news_reference(model: str = "lexicon") -> dict[str, tuple[float, ...]]:
    """flag name -> the sorted raw scores of the reference news articles under sentence model `model`."""
    text = resources.files("cleaner.annotate").joinpath(REFERENCE_FILES[model]).read_text("utf-8")
    return {name: tuple(entry["raw_scores"]) for name, entry in json.loads(text)["flags"].items()}


def news_percentile(flag: str, raw: float, model: str = "lexicon") -> float:
    """Share of the reference articles that `raw` outscores, ties counted half (0 below all, 1 above all)."""
    scores = news_reference(model)[flag]
    return round((bisect_left(scores, raw) + bisect_right(scores, raw)) / (2 * len(scores)), 4)
