"""Sentence-level scores behind the `loaded_language` and `opinion` flags, with the words behind them.

Each sentence becomes a handful of interpretable features: counts of words from shipped lexicons
(`data/sentiment_lexicon.tsv`: Pattern subjectivity, VADER valence and degree words, Brill part of speech;
`data/loaded_terms.txt`: framing-bias word classes from the literature) and of genre cues (first person,
normative modals, questions). A logistic
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
from typing import NamedTuple

from cleaner.annotate.text import Word, lookup_form, quoted_ranges, words

FIRST_PERSON = frozenset({"i", "me", "my", "mine", "myself", "we", "us", "our", "ours", "ourselves",
                          "i'm", "i've", "i'd", "we're", "we've", "we'd", "let's"})
SECOND_PERSON = frozenset({"you", "your", "yours", "yourself", "you're"})
NORMATIVE_MODALS = frozenset({"should", "must", "ought", "shouldn't", "mustn't", "needs", "need"})
# a Pattern subjectivity at or above STRONG counts a word as strongly subjective, at or above WEAK as weakly;
# a VADER |valence| at or above EMOTIVE_MIN as emotive
SUBJECTIVE_STRONG = 0.6
SUBJECTIVE_WEAK = 0.3
EMOTIVE_MIN = 1.5

# the categories of data/loaded_terms.txt (framing-bias word classes) and VADER's degree words
TERM_CATEGORIES = ("hedges", "boosters", "factives", "assertives", "implicatives", "report_verbs", "puffery",
                   "contentious_labels", "doubt", "editorializing", "said_synonyms")
DEGREE_ROLES = ("booster", "dampener", "negation")
FEATURES = ("log_words", *TERM_CATEGORIES, *(f"vader_{r}" for r in DEGREE_ROLES), "ly_adverbs", "adjectives", "adverbs",
            "adjective_share", "adverb_share", "subjective_words", "weak_subjective_words", "subjectivity_mean",
            "valence_abs", "valence_max", "negative_words", "positive_words", "scare_quotes", "exclamation",
            "first_person", "second_person", "normative_modals", "question", "digits", "quoted_share")
# the features whose words can be evidence of loaded language (the others are style and genre cues)
LEXICAL = frozenset({*TERM_CATEGORIES, *(f"vader_{r}" for r in DEGREE_ROLES), "ly_adverbs", "subjective_words",
                     "weak_subjective_words", "valence_max", "negative_words", "positive_words", "scare_quotes"})


@dataclass
class SentenceFeatures:
    values: dict[str, float]
    # feature name -> the words (document offsets) that made it count
    hits: dict[str, list[Word]] = field(default_factory=dict)
    word_count: int = 0

    def evidence(self, names: Iterable[str]) -> list[Word]:
        """The distinct words behind the given features, in text order."""
        found = {(w.start, w.end): w for name in names for w in self.hits.get(name, [])}
        return [found[key] for key in sorted(found)]


@dataclass(frozen=True)
class LexiconEntry:
    subjectivity: float | None  # Pattern, 0..1
    valence: float | None  # VADER, -4..4
    degree: str  # VADER booster / dampener / negation, or ''
    pos: str  # adjective / adverb (Brill's tagger lexicon), or ''


@lru_cache(maxsize=1)
def sentiment_lexicon() -> dict[str, LexiconEntry]:
    """word -> its Pattern subjectivity, VADER valence and VADER degree role (`data/sentiment_lexicon.tsv`)."""
    table: dict[str, LexiconEntry] = {}
    text = resources.files("cleaner.annotate").joinpath("data/sentiment_lexicon.tsv").read_text("utf-8")
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        word, subj, _polarity, valence, degree, pos = line.split("\t")
        table[word] = LexiconEntry(float(subj) if subj else None, float(valence) if valence else None, degree, pos)
    return table


@lru_cache(maxsize=1)
def loaded_terms() -> dict[str, tuple[str, ...]]:
    """word -> its categories in `data/loaded_terms.txt` (a line '## name' starts a category)."""
    table: dict[str, tuple[str, ...]] = {}
    category = ""
    for line in resources.files("cleaner.annotate").joinpath("data/loaded_terms.txt").read_text("utf-8").splitlines():
        if line.startswith("## "):
            category = line[3:].strip()
        elif not line.startswith("#"):
            for word in line.split():
                table[word] = (*table.get(word, ()), category)
    return table


def _inside(word: Word, ranges: list[tuple[int, int]]) -> bool:
    return any(start <= word.start < end for start, end in ranges)


class _WordProfile(NamedTuple):
    """What one word form contributes to a sentence's features, looked up once per form, not per occurrence."""

    lexicon: LexiconEntry | None
    own_features: tuple[str, ...]  # counted when the writer uses the word (outside quotes)


@lru_cache(maxsize=1 << 16)
def _profile(form: str) -> _WordProfile:
    lower = lookup_form(form)
    entry = sentiment_lexicon().get(lower)
    terms = loaded_terms()
    degree = entry.degree if entry is not None else ""
    features = list(terms.get(lower, ()))
    if degree:
        features.append(f"vader_{degree}")
    # manner adverbs carry the writer's judgement ("brazenly", "conveniently")
    if lower.endswith("ly") and len(lower) > 4 and lower not in terms and not degree:
        features.append("ly_adverbs")
    for name, vocabulary in (("first_person", FIRST_PERSON), ("second_person", SECOND_PERSON),
                             ("normative_modals", NORMATIVE_MODALS)):
        if lower in vocabulary:
            features.append(name)
    return _WordProfile(entry, tuple(features))


def sentence_features(text: str, offset: int = 0) -> SentenceFeatures:
    """Features of one sentence; hit offsets are shifted by `offset` (the sentence's document position)."""
    tokens = words(text, offset)
    profiles = [_profile(word.text) for word in tokens]
    quotes = [(s + offset, e + offset) for s, e in quoted_ranges(text)]
    hits: dict[str, list[Word]] = {name: [] for name in FEATURES}
    subjectivities: list[float] = []
    valence_abs = valence_max = 0.0
    for word, profile in zip(tokens, profiles, strict=True):
        entry = profile.lexicon
        if entry is None:
            continue
        if entry.pos:
            hits[f"{entry.pos}s"].append(word)
        if entry.subjectivity is not None:
            subjectivities.append(entry.subjectivity)
            if entry.subjectivity >= SUBJECTIVE_STRONG:
                hits["subjective_words"].append(word)
            elif entry.subjectivity >= SUBJECTIVE_WEAK:
                hits["weak_subjective_words"].append(word)
        if entry.valence is not None:
            strength = abs(entry.valence) / 4
            valence_abs += strength
            if strength > valence_max:
                valence_max = strength
                # the strongest emotive word is evidence only when it is strongly emotive
                hits["valence_max"] = [word] if abs(entry.valence) >= EMOTIVE_MIN else []
            if entry.valence <= -EMOTIVE_MIN:
                hits["negative_words"].append(word)
            elif entry.valence >= EMOTIVE_MIN:
                hits["positive_words"].append(word)
    for start, end in quotes:
        inner = [w for w in tokens if start <= w.start < end]
        if 1 <= len(inner) <= 4:  # a short quoted phrase inside the writer's sentence: scare quotes
            hits["scare_quotes"].extend(inner)
    for word, profile in zip(tokens, profiles, strict=True):
        # the writer's words, not a quoted speaker's
        if profile.own_features and not _inside(word, quotes):
            for name in profile.own_features:
                hits[name].append(word)
    stripped = text.rstrip("\"”’' )")
    values = {name: float(len(found)) for name, found in hits.items()}
    values.update(
        log_words=math.log1p(len(tokens)),
        subjectivity_mean=sum(subjectivities) / len(subjectivities) if subjectivities else 0.0,
        valence_abs=valence_abs,
        adjective_share=len(hits["adjectives"]) / max(len(tokens), 1),
        adverb_share=len(hits["adverbs"]) / max(len(tokens), 1),
        valence_max=valence_max,
        exclamation=float(stripped.endswith("!")),
        question=float(stripped.endswith("?") and not quotes),
        digits=float(any(map(str.isdigit, text))),
        quoted_share=sum(e - s for s, e in quotes) / max(len(text), 1),
    )
    return SentenceFeatures(values, {name: found for name, found in hits.items() if found}, len(tokens))


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

    def drivers(self, features: SentenceFeatures) -> list[Word]:
        """The words behind the lexical features that raise this model's score (positive weight)."""
        return features.evidence(name for name in sorted(LEXICAL) if self.weights.get(name, (0.0,))[0] > 0)


@lru_cache(maxsize=1)
def sentence_models() -> dict[str, SentenceModel]:
    """The shipped models, keyed by flag name (`loaded_language`, `opinion`)."""
    text = resources.files("cleaner.annotate").joinpath("data/sentence_models.json").read_text("utf-8")
    return {name: SentenceModel(name, spec["intercept"], {f: tuple(v) for f, v in spec["weights"].items()})
            for name, spec in json.loads(text)["models"].items()}
