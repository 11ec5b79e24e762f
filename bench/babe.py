"""BABE (Spinde et al. 2021) loaded for evaluation: labels, annotators' biased words, a fixed split.

The split is by a hash of each sentence, so it is the same on every machine and in every run:
60 % train (for fitting feature weights), 20 % dev (for choosing thresholds), 20 % test (reported).
Nothing from this file's data is shipped in the package.
"""

from __future__ import annotations

import ast
import csv
import hashlib
from dataclasses import dataclass
from pathlib import Path

from cleaner.annotate.text import words

DEFAULT_PATH = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "bias" / "final_labels_SG2.csv"
OPINION = "Expresses writer’s opinion"
SOMEWHAT = "Somewhat factual but also opinionated"
FACTUAL = "Entirely factual"


@dataclass(frozen=True)
class Item:
    text: str
    biased: bool | None  # None: no agreement
    opinion: str
    biased_words: tuple[str, ...]
    split: str
    article: str  # the news link: the sentences of one article share it


def marked_forms(item: Item) -> set[str]:
    """The lookup forms of the words annotators marked as biased in this sentence."""
    return {w.lower for phrase in item.biased_words for w in words(phrase)}


def split_of(text: str) -> str:
    bucket = int(hashlib.sha256(text.encode("utf-8")).hexdigest(), 16) % 10
    return "train" if bucket < 6 else "dev" if bucket < 8 else "test"


def load(path: Path = DEFAULT_PATH) -> list[Item]:
    items = []
    with open(path, encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh, delimiter=";"):
            label = row["label_bias"]
            try:
                marked = tuple(ast.literal_eval(row["biased_words"] or "[]"))
            except (ValueError, SyntaxError):
                marked = ()
            items.append(Item(row["text"], {"Biased": True, "Non-biased": False}.get(label),
                              row["label_opinion"], marked, split_of(row["text"]), row["news_link"]))
    return items


def bias_task(items: list[Item], split: str) -> list[tuple[Item, int]]:
    """Biased (1) vs non-biased (0) sentences of one split."""
    return [(item, int(item.biased)) for item in items if item.split == split and item.biased is not None]


def opinion_task(items: list[Item], split: str, somewhat_positive: bool = False) -> list[tuple[Item, int]]:
    """Writer's opinion (1) vs entirely factual (0); 'somewhat opinionated' is left out unless counted as 1."""
    positive = {OPINION, SOMEWHAT} if somewhat_positive else {OPINION}
    keep = positive | {FACTUAL}
    return [(item, int(item.opinion in positive)) for item in items if item.split == split and item.opinion in keep]


# how much of an opinion a sentence's label_opinion says it is
OPINION_SHARE = {OPINION: 1.0, SOMEWHAT: 0.5, FACTUAL: 0.0}


def article_groups(items: list[Item], flag: str, splits: tuple[str, ...] = ("dev", "test"),
                   min_sentences: int = 3) -> list[tuple[str, float]]:
    """BABE's articles as documents: (their labelled sentences of `splits`, one a line; the share of them that
    are biased (`flag` loaded_language) or opinion (`opinion`; 'somewhat opinionated' counts half)).

    Only articles with at least `min_sentences` such sentences; the dev and test splits by default, since the
    sentence models were fitted on the train split. Sorted by news link.
    """
    by_article: dict[str, list[tuple[str, float]]] = {}
    for item in items:
        if item.split not in splits:
            continue
        label = (None if item.biased is None else float(item.biased)) if flag == "loaded_language" \
            else OPINION_SHARE.get(item.opinion)
        if label is not None:
            by_article.setdefault(item.article, []).append((item.text, label))
    return [("\n".join(text for text, _ in rows), sum(y for _, y in rows) / len(rows))
            for _, rows in sorted(by_article.items()) if len(rows) >= min_sentences]
