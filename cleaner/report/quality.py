"""The audit's quality figures: per family pass rates and reasons, histograms of the main signals, and the
per-source quality columns (pass rate, flagged share, median clean length).

Fed one record at a time by `cleaner.report.aggregate.Aggregator`; memory is bounded by the number of
sources and histogram bins, plus one clean length (4 bytes) per document for the exact per-source medians.
A document passes overall when every family it was assessed by passes; documents the heuristics did not
assess (`metadata.quality_not_assessed`, e.g. not English) are counted apart and are in no pass rate.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections import Counter
from typing import Any

SHARES = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
SMALL_SHARES = (0.01, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5)
# (family, signal, upper bin edges; the last bin is open-ended): the signals a corpus builder looks at first
MAIN_SIGNALS: tuple[tuple[str, str, tuple[float, ...]], ...] = (
    ("gopher_quality", "word_count", (50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000)),
    ("gopher_quality", "mean_word_length", (3, 3.5, 4, 4.5, 5, 5.5, 6, 10)),
    ("gopher_quality", "alpha_word_share", SHARES),
    ("gopher_quality", "stop_word_count", (1, 2, 3, 4, 5, 6, 7, 8)),
    ("gopher_repetition", "dup_line_char_share", SMALL_SHARES),
    ("gopher_repetition", "dup_paragraph_char_share", SMALL_SHARES),
    ("gopher_repetition", "top_2_gram_char_share", SMALL_SHARES),
    ("gopher_repetition", "dup_5_gram_char_share", SMALL_SHARES),
    ("c4", "sentences", (1, 2, 5, 10, 25, 50, 100)),
    ("fineweb", "line_punct_ratio", SHARES),
    ("fineweb", "short_line_ratio", SHARES),
    ("fineweb", "list_ratio", (0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 1)),
)


def _share(part: float, whole: float) -> float:
    return round(part / whole, 4) if whole else 0.0


def median(values: array) -> int:
    """The lower median (a length some document has), 0 for none."""
    ordered = sorted(values)
    return ordered[(len(ordered) - 1) // 2] if ordered else 0


class SourceQuality:
    """One source's quality columns."""

    def __init__(self) -> None:
        self.assessed = 0
        self.passed = 0
        self.clean_lengths = array("l")

    def add(self, quality: dict[str, Any] | None, clean_chars: int) -> None:
        self.clean_lengths.append(clean_chars)
        if quality is not None:
            self.assessed += 1
            self.passed += all(entry["pass"] for entry in quality.values())

    def columns(self, documents: int, flagged: int) -> dict[str, Any]:
        return {"quality_assessed": self.assessed, "quality_pass_rate": _share(self.passed, self.assessed),
                "flagged_share": _share(flagged, documents), "median_clean_chars": median(self.clean_lengths)}


class QualityAggregate:
    """Corpus-wide quality figures."""

    def __init__(self) -> None:
        self.assessed: Counter[str] = Counter()
        self.passed: Counter[str] = Counter()
        self.rules: dict[str, str] = {}
        self.reasons: dict[str, Counter[str]] = {}
        self.overall = Counter(assessed=0, passed=0, not_assessed=0)
        self.bins = {(family, signal): [0] * (len(edges) + 1) for family, signal, edges in MAIN_SIGNALS}

    def add(self, quality: dict[str, Any] | None) -> None:
        if quality is None:
            self.overall["not_assessed"] += 1
            return
        self.overall["assessed"] += 1
        self.overall["passed"] += all(entry["pass"] for entry in quality.values())
        for family, entry in quality.items():
            self.assessed[family] += 1
            self.passed[family] += entry["pass"]
            self.rules[family] = entry["rule"]
            self.reasons.setdefault(family, Counter()).update(entry["reasons"])
        for family, signal, edges in MAIN_SIGNALS:
            value = quality.get(family, {}).get("signals", {}).get(signal)
            if value is not None:
                self.bins[family, signal][bisect_right(edges, value)] += 1

    def result(self) -> dict[str, Any]:
        return {
            "documents_assessed": self.overall["assessed"],
            "documents_not_assessed": self.overall["not_assessed"],
            "documents_passing_all": self.overall["passed"],
            "pass_rate_all": _share(self.overall["passed"], self.overall["assessed"]),
            "families": {family: {"rule": self.rules[family], "assessed": self.assessed[family],
                                  "passed": self.passed[family],
                                  "pass_rate": _share(self.passed[family], self.assessed[family]),
                                  "reasons": dict(sorted(self.reasons[family].items()))}
                         for family in sorted(self.assessed)},
            # a value v falls in the first bin whose edge exceeds it: bins are [edge_{i-1}, edge_i)
            "histograms": [{"family": family, "signal": signal, "edges": list(edges),
                            "counts": self.bins[family, signal]} for family, signal, edges in MAIN_SIGNALS],
        }
