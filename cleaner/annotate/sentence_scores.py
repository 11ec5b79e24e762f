"""Sentence-level scores behind the `loaded_language` and `opinion` flags, with the words behind them.

Each sentence becomes a handful of interpretable features: counts of words from shipped lexicons
(`data/sentiment_lexicon.tsv`: Pattern subjectivity + VADER valence; `data/loaded_terms.txt`: our own
list) and of genre cues (first person, normative modals, hedges, questions, attribution). A logistic
regression over those features (weights in `data/sentence_models.json`, fitted by
`bench/fit_flags.py` on the train split of BABE; the file holds feature weights only, no words from
BABE) turns them into a probability. Every feature that counts words also returns those words, so a
score is explained by its evidence spans.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from cleaner.annotate.text import Word, quoted_ranges, words

FIRST_PERSON = frozenset({"i", "me", "my", "mine", "myself", "we", "us", "our", "ours", "ourselves",
                          "i'm", "i've", "i'd", "we're", "we've", "we'd", "let's"})
SECOND_PERSON = frozenset({"you", "your", "yours", "yourself", "you're"})
NORMATIVE_MODALS = frozenset({"should", "must", "ought", "shouldn't", "mustn't", "needs", "need"})
HEDGES = frozenset({"perhaps", "maybe", "arguably", "probably", "possibly", "seem", "seems", "seemingly",
                    "apparently", "might", "likely", "unlikely", "suggests"})
ATTRIBUTION = frozenset({"said", "says", "told", "according", "reported", "announced", "stated", "added",
                         "statement", "spokesman", "spokeswoman", "spokesperson"})
# a Pattern subjectivity at or above this counts a word as subjective; VADER |valence| for "emotive"
SUBJECTIVE_MIN = 0.6
EMOTIVE_MIN = 1.5

LOADED_CATEGORIES = ("pejorative", "emotive_verbs", "intensifiers", "partisan", "charged", "distancing")
FEATURES = ("log_words", *(f"loaded_{c}" for c in LOADED_CATEGORIES), "ly_adverbs", "subjective_words",
            "subjectivity_mean", "valence_abs", "valence_max", "negative_words", "scare_quotes", "exclamation",
            "first_person", "second_person", "normative_modals", "hedges", "question", "attribution", "digits",
            "quoted_share")
# the features whose words are evidence of loaded language (the others are genre cues)
LEXICAL = frozenset({*(f"loaded_{c}" for c in LOADED_CATEGORIES), "subjective_words", "negative_words",
                     "valence_max", "scare_quotes"})


@dataclass
class SentenceFeatures:
    values: dict[str, float]
    # feature name -> the words (document offsets) that made it count
    hits: dict[str, list[Word]] = field(default_factory=dict)

    def evidence(self, names: Iterable[str]) -> list[Word]:
        """The distinct words behind the given features, in text order."""
        found = {(w.start, w.end): w for name in names for w in self.hits.get(name, [])}
        return [found[key] for key in sorted(found)]


@lru_cache(maxsize=1)
def sentiment_lexicon() -> dict[str, tuple[float | None, float | None]]:
    """word -> (Pattern subjectivity 0..1 or None, VADER valence -4..4 or None)."""
    table: dict[str, tuple[float | None, float | None]] = {}
    text = resources.files("cleaner.annotate").joinpath("data/sentiment_lexicon.tsv").read_text("utf-8")
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        word, subj, _polarity, valence = line.split("\t")
        table[word] = (float(subj) if subj else None, float(valence) if valence else None)
    return table


@lru_cache(maxsize=1)
def loaded_terms() -> dict[str, str]:
    """word -> its category in `data/loaded_terms.txt` (a line '## name' starts a category)."""
    table: dict[str, str] = {}
    category = ""
    for line in resources.files("cleaner.annotate").joinpath("data/loaded_terms.txt").read_text("utf-8").splitlines():
        if line.startswith("## "):
            category = line[3:].strip()
        elif not line.startswith("#"):
            table.update((word, category) for word in line.split())
    return table


def _inside(word: Word, ranges: list[tuple[int, int]]) -> bool:
    return any(start <= word.start < end for start, end in ranges)


def sentence_features(text: str, offset: int = 0) -> SentenceFeatures:
    """Features of one sentence; hit offsets are shifted by `offset` (the sentence's document position)."""
    lexicon, loaded = sentiment_lexicon(), loaded_terms()
    tokens = words(text, offset)
    quotes = [(s + offset, e + offset) for s, e in quoted_ranges(text)]
    own = [w for w in tokens if not _inside(w, quotes)]  # the writer's words, not a quoted speaker's
    hits: dict[str, list[Word]] = {name: [] for name in FEATURES}
    subjectivities: list[float] = []
    valence_abs = valence_max = 0.0
    for word in tokens:
        category = loaded.get(word.lower)
        if category == "neutral":
            continue
        subj, valence = lexicon.get(word.lower, (None, None))
        if category:
            hits[f"loaded_{category}"].append(word)
        if subj is not None:
            subjectivities.append(subj)
            if subj >= SUBJECTIVE_MIN:
                hits["subjective_words"].append(word)
        if valence is not None:
            valence_abs += abs(valence) / 4
            if abs(valence) / 4 > valence_max:
                valence_max = abs(valence) / 4
                # the strongest emotive word is evidence only when it is strongly emotive
                hits["valence_max"] = [word] if abs(valence) >= EMOTIVE_MIN else []
            if valence <= -EMOTIVE_MIN:
                hits["negative_words"].append(word)
    for start, end in quotes:
        inner = [w for w in tokens if start <= w.start < end]
        if 1 <= len(inner) <= 4:  # a short quoted phrase inside the writer's sentence: scare quotes
            hits["scare_quotes"].extend(inner)
    for word in own:
        # manner adverbs carry the writer's judgement ("brazenly", "conveniently")
        if word.lower.endswith("ly") and len(word.lower) > 4 and word.lower not in loaded:
            hits["ly_adverbs"].append(word)
        for name, vocabulary in (("first_person", FIRST_PERSON), ("second_person", SECOND_PERSON),
                                 ("normative_modals", NORMATIVE_MODALS), ("hedges", HEDGES),
                                 ("attribution", ATTRIBUTION)):
            if word.lower in vocabulary:
                hits[name].append(word)
    stripped = text.rstrip("\"”’' )")
    values = {name: float(len(found)) for name, found in hits.items()}
    values.update(
        log_words=math.log1p(len(tokens)),
        subjectivity_mean=sum(subjectivities) / len(subjectivities) if subjectivities else 0.0,
        valence_abs=valence_abs,
        valence_max=valence_max,
        exclamation=float(stripped.endswith("!")),
        question=float(stripped.endswith("?") and not quotes),
        digits=float(sum(ch.isdigit() for ch in text) > 0),
        quoted_share=sum(e - s for s, e in quotes) / max(len(text), 1),
    )
    return SentenceFeatures(values, {name: found for name, found in hits.items() if found})


@dataclass(frozen=True)
class SentenceModel:
    """A logistic regression over standardised features: p = sigmoid(b + sum w_i (x_i - mean_i) / scale_i)."""

    name: str
    intercept: float
    weights: dict[str, tuple[float, float, float]]  # feature -> (weight, mean, scale)

    def probability(self, features: SentenceFeatures) -> float:
        z = self.intercept + sum(w * (features.values[name] - mean) / scale
                                 for name, (w, mean, scale) in self.weights.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@lru_cache(maxsize=1)
def sentence_models() -> dict[str, SentenceModel]:
    """The shipped models, keyed by flag name (`loaded_language`, `opinion`)."""
    text = resources.files("cleaner.annotate").joinpath("data/sentence_models.json").read_text("utf-8")
    return {name: SentenceModel(name, spec["intercept"], {f: tuple(v) for f, v in spec["weights"].items()})
            for name, spec in json.loads(text)["models"].items()}
