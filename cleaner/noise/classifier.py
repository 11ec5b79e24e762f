"""The learned line classifier: the long tail of boilerplate no explicit rule names.

Two stages of a binned logistic model (a generalised additive model: every feature is cut into
quantile bins, each bin has one weight). Stage 1 scores each line from its own features and its
place in the document; stage 2 adds the stage-1 scores of its neighbours, so a short line between
two confident body paragraphs stays and a long line inside a menu goes (jusText's smoothing,
learned). Weights are plain JSON numbers in `cleaner/noise/data/line_classifier.json`, reproduced
by `python -m cleaner.noise.train` (see MODEL_CARD.md for the data and their licences).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator, Sequence
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np

from cleaner.document import Span
from cleaner.noise.registry import Line, Rule, TextView, register
from cleaner.noise.text import STOPWORDS

_TOKEN = re.compile(r"\w+")
_LINK = re.compile(r"https?://|www\.|\]\(|@\w")
_SYMBOL = re.compile(r"[|»«•·►▶→©®™/\\>]")
_SENTENCE = re.compile(r"[.!?](?:\s|$)")
_BULLET = re.compile(r"^(?:[-*•·>]|\d+[.)])\s")
LINE_FEATURES = (
    "log_chars", "log_words", "mean_word_len", "stopword_share", "terminal_punct", "sentences_per_word",
    "comma_share", "capitalised_share", "all_caps", "digit_share", "symbol_share", "link_residue", "bullet",
    "ends_colon", "starts_lower", "position", "char_position", "body_overlap", "before_core", "after_core",
    "distance_to_core", "window2_words", "window5_words", "prev_words", "next_words",
)
MISSING = -1.0
CONTEXT_FEATURES = ("p_self", "p_prev", "p_next", "p_window2", "p_window5", "p_doc")


def _line_stats(text: str) -> tuple[list[float], list[str]]:
    tokens = _TOKEN.findall(text)
    n_words = len(tokens)
    n_chars = len(text)
    lower = [t.lower() for t in tokens]
    stats = [
        math.log1p(n_chars),
        math.log1p(n_words),
        sum(map(len, tokens)) / n_words if n_words else 0.0,
        sum(t in STOPWORDS for t in lower) / n_words if n_words else 0.0,
        1.0 if text[-1:] in ".!?\"”’" else 0.0,
        len(_SENTENCE.findall(text)) / n_words if n_words else 0.0,
        text.count(",") / n_words if n_words else 0.0,
        sum(t[0].isupper() for t in tokens) / n_words if n_words else 0.0,
        1.0 if text.isupper() else 0.0,
        sum(c.isdigit() for c in text) / n_chars if n_chars else 0.0,
        len(_SYMBOL.findall(text)) / n_chars if n_chars else 0.0,
        1.0 if _LINK.search(text) else 0.0,
        1.0 if _BULLET.match(text) else 0.0,
        1.0 if text.endswith(":") else 0.0,
        1.0 if text[:1].islower() else 0.0,
    ]
    return stats, [t for t in lower if len(t) > 3 and t not in STOPWORDS]


def line_features(lines: Sequence[str]) -> np.ndarray:
    """Stage-1 features of the non-blank lines of one document, one row per line (LINE_FEATURES order)."""
    n = len(lines)
    rows = [_line_stats(text) for text in lines]
    words = np.array([math.expm1(r[0][1]) for r in rows])
    long_lines = np.flatnonzero(words >= 20)
    core_start, core_end = (long_lines[0], long_lines[-1]) if len(long_lines) else (n, -1)
    vocabulary = {w for i in long_lines for w in rows[i][1]}
    chars = np.array([len(text) + 1 for text in lines], dtype=float)
    char_position = (np.cumsum(chars) - chars / 2) / chars.sum()
    padded = np.concatenate([np.zeros(5), np.log1p(words), np.zeros(5)])
    out = np.empty((n, len(LINE_FEATURES)))
    for i, (stats, content) in enumerate(rows):
        overlap = sum(w in vocabulary for w in content) / len(content) if content else 0.0
        before, after = float(i < core_start), float(i > core_end)
        distance = (core_start - i) if i < core_start else (i - core_end if i > core_end else 0)
        out[i, :15] = stats
        out[i, 15:] = (
            i / max(n - 1, 1), char_position[i], overlap, before, after, math.log1p(distance),
            padded[i + 3:i + 8].mean(), padded[i:i + 11].mean(), padded[i + 4], padded[i + 6],
        )
    return out


def context_features(p: np.ndarray) -> np.ndarray:
    """Stage-2 features: a line's stage-1 content probability and its neighbours'."""
    padded = np.concatenate([np.full(5, np.nan), p, np.full(5, np.nan)])
    n = len(p)
    windows = np.lib.stride_tricks.sliding_window_view(padded, 11)
    features = np.column_stack([
        p, padded[4:4 + n], padded[6:6 + n],
        np.nanmean(windows[:, 3:8], axis=1), np.nanmean(windows, axis=1), np.full(n, p.mean()),
    ])
    # no neighbour (first or last line) gets its own bin below every probability
    return np.nan_to_num(features, nan=MISSING)


class BinnedLogistic:
    """score = bias + sum over features of the weight of the bin the feature value falls in."""

    def __init__(self, edges: list[list[float]], weights: list[list[float]], bias: float) -> None:
        self.edges = [np.asarray(e) for e in edges]
        self.weights = [np.asarray(w) for w in weights]
        self.bias = bias

    def bins(self, x: np.ndarray) -> np.ndarray:
        """Bin index of every value, one column per feature (NaN falls in the last bin)."""
        return np.column_stack([np.searchsorted(e, x[:, j], side="right") for j, e in enumerate(self.edges)])

    def probability(self, x: np.ndarray) -> np.ndarray:
        bins = self.bins(x)
        logit = self.bias + sum(w[bins[:, j]] for j, w in enumerate(self.weights))
        return 1.0 / (1.0 + np.exp(-logit))

    def to_dict(self) -> dict[str, Any]:
        return {"edges": [e.tolist() for e in self.edges], "weights": [[round(float(v), 5) for v in w]
                for w in self.weights], "bias": round(float(self.bias), 5)}


class LineClassifier:
    """Both stages; `content_probability(lines)` is the probability each line belongs to the article."""

    def __init__(self, stage1: BinnedLogistic, stage2: BinnedLogistic) -> None:
        self.stage1, self.stage2 = stage1, stage2

    def content_probability(self, lines: Sequence[str]) -> np.ndarray:
        if not lines:
            return np.zeros(0)
        p1 = self.stage1.probability(line_features(lines))
        return self.stage2.probability(context_features(p1))


@lru_cache(maxsize=1)
def load_classifier() -> LineClassifier:
    """The shipped weights (plain JSON: bin edges and numbers, nothing executable)."""
    data = json.loads(resources.files("cleaner.noise.data").joinpath("line_classifier.json").read_text("utf-8"))
    return LineClassifier(*(BinnedLogistic(**data[stage]) for stage in ("stage1", "stage2")))


@register
class LearnedBoilerplate(Rule):
    """Lines the learned classifier judges not to belong to the article (menus, teasers, footers...).

    Example: a line "Home | World | Business | Sport | Weather" in the middle of a scraped page.
    """

    name = "line_classifier_v1"
    category = "boilerplate"
    description = "Learned two-stage line classifier; span score = probability the line is boilerplate."

    def find(self, view: TextView) -> Iterator[Span]:
        lines: list[Line] = view.content_lines()
        if len(lines) < view.settings.get("classifier_min_lines", 3):
            return
        noise = 1.0 - load_classifier().content_probability([line.stripped for line in lines])
        threshold = view.settings.get("classifier_threshold", 0.5)
        for line, score in zip(lines, noise.tolist(), strict=True):
            if score >= threshold:
                yield self.span(line.start, line.stop, score)
