"""Several extractors on one page, and the output the chooser scores highest kept.

Extractors fail differently: one drops a list at the article's end, another keeps a teaser rail or loses
the headline. Where most of them agree, the text is probably the article; so each candidate's votes are its
mean bag-of-words F1 against the other candidates (Bevendorff et al., SIGIR 2023, find such ensembles
ahead of every single extractor) and its mean precision minus recall against them (an output that adds
words no other extractor saw usually added boilerplate). `chooser.py` weighs those votes with the shape of
each text and the page's markup, with weights fitted on the dev sets' training split. The highest score
wins; a tie goes to the extractor listed first in `extract.accurate_extractors`, so the choice is
deterministic.

An extractor that raises, or finds no text, is left out of the vote and recorded with the reason.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from cleaner.extract import chooser
from cleaner.extract.extractors import EXTRACTORS, Extracted
from cleaner.noise.unspaced import UNSPACED

# words, and each character of a script written without spaces (Chinese, Japanese): there a whole sentence
# is one \w+ run, and two extractors that cut it one character apart would share no word at all
_WORD = re.compile(rf"{UNSPACED.pattern}|(?:(?!{UNSPACED.pattern})\w)+")
# agreement scores are rounded, so that the choice (and the record) does not hang on float noise
DIGITS = 4


@dataclass(frozen=True)
class Extraction:
    """The chosen text, the page metadata, and how it was chosen (`metadata.tool.extractor` / `.extraction`)."""

    text: str
    metadata: dict[str, Any]
    extractor: dict[str, Any] | None
    extraction: dict[str, Any] = field(default_factory=dict)


def word_bag(text: str) -> Counter[str]:
    return Counter(_WORD.findall(text.casefold()))


def bag_f1(a: Counter[str], b: Counter[str]) -> float:
    """Bag-of-words F1 of two texts' word multisets (symmetric; 0 when either is empty)."""
    if not a or not b:
        return 0.0
    return 2 * (a & b).total() / (a.total() + b.total())


def _mean_over_others(bags: dict[str, Counter[str]],
                      pair_score: Callable[[Counter[str], Counter[str]], float]) -> dict[str, float]:
    return {name: round(sum(pair_score(bag, bags[other]) for other in bags if other != name) / (len(bags) - 1),
                        DIGITS) for name, bag in bags.items()}


def _precision_minus_recall(a: Counter[str], b: Counter[str]) -> float:
    """How much more of `a` is in `b` than of `b` in `a` (from -1 to 1): positive when `a` is the shorter."""
    common = (a & b).total()
    return (common / a.total() if a else 0.0) - (common / b.total() if b else 0.0)


def votes(bags: dict[str, Counter[str]]) -> tuple[dict[str, float], dict[str, float]]:
    """(agreement, precision minus recall) of each candidate's word bag, means over the other candidates
    (empty for one)."""
    if len(bags) < 2:
        return {}, {}
    return _mean_over_others(bags, bag_f1), _mean_over_others(bags, _precision_minus_recall)


def features(texts: dict[str, str], html: str) -> tuple[dict[str, float], dict[str, dict[str, float]]]:
    """(agreement, every chooser feature) of each candidate text of the page `html`."""
    bags = {name: word_bag(text) for name, text in texts.items()}
    agree, lean = votes(bags)
    return agree, chooser.candidate_features(texts, agree, lean, {name: bag.total() for name, bag in bags.items()},
                                             html)


def scores(texts: dict[str, str], html: str, fitted: chooser.Chooser) -> tuple[dict[str, float], dict[str, float]]:
    """(agreement, score) of each candidate text of the page `html`, the scores rounded to DIGITS."""
    agree, by_name = features(texts, html)
    return agree, {name: round(fitted.score(name, by_name[name]), DIGITS) for name in texts}


def choose(score: dict[str, float]) -> str:
    """The best-scoring candidate; of equal scores, the first in `score`'s order (max keeps the first)."""
    return max(score, key=score.__getitem__)


def run_extractor(name: str, html: str, url: str | None, options: dict[str, Any]) -> Extracted | str:
    """The extractor's output, or why there is none: its exception, or "no text"."""
    try:
        extracted = EXTRACTORS[name].extract(html, url, options)
    except Exception as exc:  # noqa: BLE001 - any extractor bug must cost one candidate, never the page
        return f"{type(exc).__name__}: {exc}"[:200]
    if extracted is None or not extracted.text.strip():
        return "no text"
    return extracted


def combine(html: str, url: str | None, options: dict[str, Any], names: Sequence[str],
            mode: str) -> Extraction:
    """Every extractor in `names` on the page, the best-scoring output kept; empty text when none finds any.

    Page metadata comes from the candidates in `names` order, the first to find a field giving it (the
    trafilatura candidates find title, author and date; the others find none).
    """
    outputs: dict[str, Extracted] = {}
    failed: dict[str, str] = {}
    for name in names:
        result = run_extractor(name, html, url, options)
        if isinstance(result, str):
            failed[name] = result
        else:
            outputs[name] = result
    if not outputs:
        return Extraction("", {}, None, {"mode": mode, "candidates": list(names), "chosen": None, "agreement": {},
                                         "score": {}, "failed": failed})
    agree, score = scores({name: extracted.text for name, extracted in outputs.items()}, html, chooser.shipped())
    chosen = choose(score)
    metadata: dict[str, Any] = {}
    for extracted in outputs.values():
        metadata.update({key: value for key, value in extracted.metadata.items() if key not in metadata})
    extraction = {"mode": mode, "candidates": list(names), "chosen": chosen, "agreement": agree, "score": score,
                  "failed": failed}
    return Extraction(outputs[chosen].text, metadata, EXTRACTORS[chosen].describe(options), extraction)
