"""Sentence-level scores behind the `loaded_language` and `opinion` flags, with the words behind them.

Each sentence becomes interpretable features: counts of words from shipped lexicons
(`data/sentiment_lexicon.tsv`: Pattern subjectivity, VADER valence and degree words, Brill word classes;
`data/loaded_terms.txt`: framing-bias word classes from the literature; `data/empath_categories.tsv`: Empath's
194 categories), the share of each Brill word class, and genre cues (first person, normative modals,
questions). A word-level model scores each content word by how likely annotators mark such a word as biased
(from its lexicon entries only, never its identity); its scores are sentence features too and rank the
evidence. A logistic regression over the features (weights in `data/sentence_models.json`, fitted by
`bench/fit_flags.py` on the train split of BABE; the file holds feature weights only, no words from BABE)
turns them into a probability. Every feature that counts words also returns those words, so a score is
explained by its evidence spans.

Names and acronyms are not looked up in the lexicons: "US" is not the pronoun "us", "Party" in "Labour
Party" not a festive word. A name is a capitalised word that does not start its sentence (or a quote or a
clause after a colon), or an acronym (two or more capitals).
"""

from __future__ import annotations

import json
import math
import operator
import re
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache, reduce
from importlib import resources
from itertools import accumulate, chain
from typing import NamedTuple

import numpy as np

from cleaner.annotate.text import QUOTE_MARKS, Word, lookup_form, quoted_ranges, word_pieces
from cleaner.stopwords import FUNCTION_WORDS

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
# the coarse Brill word classes of data/sentiment_lexicon.tsv (scripts/build_lexicon.py, WORD_CLASSES)
WORD_CLASSES = ("noun", "verb_base", "verb_present", "verb_past", "verb_participle", "verb_gerund", "adjective",
                "comparative", "superlative", "adverb", "preposition", "pronoun", "determiner", "modal",
                "conjunction", "interjection")
# closed classes: grammar, not word choice, so never evidence
CLOSED_CLASSES = frozenset({"preposition", "pronoun", "determiner", "modal", "conjunction"})
NOT_EVIDENCE = FUNCTION_WORDS["en"] | FIRST_PERSON | SECOND_PERSON
# English derivational affixes (any grammar's list): the word model's morphology inputs ("-ism", "anti-")
SUFFIXES = tuple(sorted(("able", "ible", "al", "ial", "ical", "ic", "ant", "ent", "ance", "ence", "ary", "ate",
                         "dom", "ed", "en", "er", "est", "ful", "ify", "ing", "ion", "ish", "ism", "ist", "ity",
                         "ive", "ize", "ise", "less", "ment", "ness", "ous", "ship"), key=lambda a: (-len(a), a)))
PREFIXES = ("anti", "counter", "mis", "non", "over", "pro", "pseudo", "super", "ultra", "un")


@lru_cache(maxsize=1)
def empath_categories() -> dict[str, tuple[str, ...]]:
    """word -> its Empath categories (`data/empath_categories.tsv`: a category, then its words)."""
    table: dict[str, tuple[str, ...]] = {}
    text = resources.files("cleaner.annotate").joinpath("data/empath_categories.tsv").read_text("utf-8")
    for line in text.splitlines():
        if line and not line.startswith("#"):
            category, *members = line.split("\t")
            for word in members:
                table[word] = (*table.get(word, ()), category)
    return table


@lru_cache(maxsize=1)
def empath_names() -> tuple[str, ...]:
    """The 194 Empath categories, sorted: one sentence feature each."""
    return tuple(sorted({c for cats in empath_categories().values() for c in cats}))


# sentence features: counts of word classes, shares of Brill word classes, genre cues, word-model summaries
FEATURES = ("log_words", *TERM_CATEGORIES, *(f"vader_{r}" for r in DEGREE_ROLES), "ly_adverbs",
            *(f"share_{c}" for c in WORD_CLASSES), "share_unknown", "share_names", "subjective_words",
            "weak_subjective_words", "subjectivity_mean", "valence_abs", "valence_max", "negative_words",
            "positive_words", "scare_quotes", "exclamation", "first_person", "second_person", "normative_modals",
            "question", "digits", "quoted_share", "content_frequency_mean", "loaded_word_max", "loaded_word_sum")


@lru_cache(maxsize=1)
def sentence_feature_names() -> tuple[str, ...]:
    """All sentence features: FEATURES, then one count per Empath category."""
    return (*FEATURES, *(f"empath_{c}" for c in empath_names()))


class ScoredWord(NamedTuple):  # a tuple: a sentence makes one per content word, a dataclass costs more
    """A content word that may be evidence, with the word model's log-odds that annotators would mark it."""

    word: Word
    logit: float
    noun: bool  # Brill's class is noun: a topic noun of the document is not evidence
    # capitalised and in no lexicon: at a sentence start ("Beijing said"), most likely a name, so not evidence
    unknown_capitalised: bool


class _SentenceWords(NamedTuple):
    """A sentence's words as parallel lists: (start, end, text) in the sentence, profile (a name's: _NAME),
    inside quotes, inside scare quotes."""

    offset: int  # the sentence's position in the document
    spans: list[tuple[int, int, str]]
    profiles: list[_WordProfile]
    quoted: list[bool]
    scare: list[bool]

    def word(self, index: int) -> Word:
        start, end, form = self.spans[index]
        return Word(start + self.offset, end + self.offset, form)


class SentenceFeatures:
    """One sentence of a `SentenceBatch`: its features and the words behind them, each built when first asked for
    (a document's sentences are scored in bulk; only flagged ones are explained)."""

    def __init__(self, batch: SentenceBatch, index: int) -> None:
        self.batch = batch
        self.index = index
        self.word_count = batch.word_count(index)

    @cached_property
    def values(self) -> dict[str, float]:
        """Every name of FEATURES, then the Empath categories that count, in the order the sentence first uses them."""
        return self.batch.values(self.index)

    @cached_property
    def words(self) -> _SentenceWords:
        return self.batch.words(self.index)

    @cached_property
    def scored(self) -> list[tuple[int, float]]:
        """(word index, word-model log-odds) of the content words that may be evidence."""
        return self.batch.scored(self.index)

    @cached_property
    def hits(self) -> dict[str, list[Word]]:
        """Feature name -> the words (document offsets) that made it count."""
        hits: dict[str, list[Word]] = defaultdict(list)
        valence_max = 0.0
        for index, (profile, quoted, scare) in enumerate(zip(self.words.profiles, self.words.quoted,
                                                             self.words.scare, strict=True)):
            if profile is _NAME:
                continue
            word = self.words.word(index)
            if scare:
                hits["scare_quotes"].append(word)
            names = profile.quoted_hits if quoted else profile.writer_hits
            for name in names[:len(names) - bool(profile.emotive)]:
                hits[name].append(word)
            if profile.valence is not None and profile.valence > valence_max:
                valence_max = profile.valence
                # the strongest emotive word is evidence only when it is strongly emotive
                hits["valence_max"] = [word] if profile.emotive else []
            if profile.emotive:
                hits[profile.emotive].append(word)
        return {name: found for name, found in hits.items() if found}

    @cached_property
    def candidates(self) -> list[ScoredWord]:
        """The content words that may be evidence, in text order, scored by the word model."""
        return self.candidates_from(-math.inf)

    def candidates_from(self, cut: float) -> list[ScoredWord]:
        """The candidates whose log-odds reach `cut` (a flagged sentence's evidence needs only those)."""
        profiles = self.words.profiles
        return [ScoredWord(self.words.word(i), logit, profiles[i].noun, profiles[i].unknown_capitalised)
                for i, logit in self.scored if logit >= cut]

    def candidate_nouns(self) -> set[str]:
        """The lookup forms of the candidates that are nouns (without building the candidates)."""
        return self.batch.candidate_nouns(self.index)

    def evidence(self, names: Iterable[str]) -> list[Word]:
        """The distinct words behind the given features, in text order."""
        found = {(w.start, w.end): w for name in names for w in self.hits.get(name, [])}
        return [found[key] for key in sorted(found)]


class LexiconEntry(NamedTuple):  # a tuple of numbers and strings: 70,000 of them the garbage collector skips
    subjectivity: float | None  # Pattern, 0..1
    polarity: float | None  # Pattern, -1..1
    valence: float | None  # VADER, -4..4
    degree: str  # VADER booster / dampener / negation, or ''
    pos: str  # coarse word class (Brill's tagger lexicon), or ''
    frequency: float | None  # log10 count in TextBlob's en-spelling.txt (Norvig's big.txt)


@lru_cache(maxsize=1)
def sentiment_lexicon() -> dict[str, LexiconEntry]:
    """word -> its Pattern subjectivity, VADER valence and degree role, Brill class, frequency
    (`data/sentiment_lexicon.tsv`)."""
    table: dict[str, LexiconEntry] = {}
    text = resources.files("cleaner.annotate").joinpath("data/sentiment_lexicon.tsv").read_text("utf-8")
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        word, subj, polarity, valence, degree, pos, frequency = line.split("\t")
        table[word] = LexiconEntry(float(subj) if subj else None, float(polarity) if polarity else None,
                                   float(valence) if valence else None, degree, pos,
                                   float(frequency) if frequency else None)
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


def _inside(position: int, ranges: list[tuple[int, int]]) -> bool:
    return any(start <= position < end for start, end in ranges)


# what may precede a capitalised word that starts a sentence, a quote or a clause (so it need not be a name)
_OPENERS = frozenset(".!?:;\"“”'‘’([—–-")


def is_name(word: Word, before: str) -> bool:
    """An acronym, or a capitalised word not at a sentence, quote or clause start (`before`: the last
    character before the word that is not white space, '' at the sentence start)."""
    kind = _name_kind(word.text)
    return kind == _ALWAYS_NAME or (kind == _NAME_BY_PLACE and bool(before) and before not in _OPENERS)


# whether a form as written is a name: never (lower case, "I", "I'm"), always (an acronym), or by its place
_NEVER_NAME, _ALWAYS_NAME, _NAME_BY_PLACE = 0, 1, 2


def _name_kind(text: str) -> int:
    if not text[0].isupper():
        return _NEVER_NAME
    if len(text) >= 2 and text.replace("-", "").replace("'", "").replace("’", "").isupper():
        return _ALWAYS_NAME
    if text == "I" or lookup_form(text).startswith("i'"):
        return _NEVER_NAME
    return _NAME_BY_PLACE


class _WordProfile(NamedTuple):
    """What one word form contributes to a sentence's features, looked up once per form, not per occurrence."""

    lower: str  # the lookup form
    lexicon: LexiconEntry | None
    own_features: tuple[str, ...]  # counted when the writer uses the word (outside quotes)
    counted: tuple[str, ...]  # the sentence counts it adds to: its Empath categories (writer's words only)
    share: str  # the share feature of its Brill class, share_unknown outside the lexicon, or ''
    subjectivity: float | None  # Pattern's
    valence: float | None  # |VADER valence| / 4
    emotive: str  # negative_words, positive_words (|valence| >= EMOTIVE_MIN) or ''
    # the hit features it counts to outside quotes (own features, subjective, emotive) and inside them
    # (subjective, emotive), in that order
    writer_hits: tuple[str, ...]
    quoted_hits: tuple[str, ...]
    word_features: tuple[tuple[str, float], ...]  # the word model's inputs that depend on the form only
    candidate: bool  # a content word that may be evidence
    noun: bool  # Brill's class is noun
    frequency: float  # its log10 count, 0 when unknown: a candidate's share of content_frequency_mean
    unknown_capitalised: bool  # see ScoredWord
    capitalised: bool  # may be a name, which `is_name` decides from what stands before it


_NAME = _WordProfile("", None, (), (), "share_names", None, None, "", (), (), (), False, False, 0.0, False, False)


def _word_features(lower: str, entry: LexiconEntry | None, features: list[str],
                   empath: tuple[str, ...]) -> tuple[tuple[str, float], ...]:
    out: dict[str, float] = {"log_length": math.log(len(lower)), "hyphenated": float("-" in lower)}
    # `endswith(SUFFIXES)` first: most words have none, and a tuple test is one call
    suffix = lower.endswith(SUFFIXES) and next((a for a in SUFFIXES if lower.endswith(a) and len(lower) > len(a) + 2),
                                               None)
    if suffix:
        out[f"suffix_{suffix}"] = 1.0
    prefix = lower.startswith(PREFIXES) and next((a for a in PREFIXES if lower.startswith(a)
                                                  and len(lower) > len(a) + 3), None)
    if prefix:
        out[f"prefix_{prefix}"] = 1.0
    frequency = entry.frequency if entry is not None else None
    # how common the word is, by bands of its log10 count: rare words are marked more often, not linearly
    out["frequency_absent" if frequency is None else f"frequency_band_{min(int(frequency), 4)}"] = 1.0
    if entry is None:
        out["unknown"] = 1.0
    else:
        out[f"class_{entry.pos or 'other'}"] = 1.0
        if entry.subjectivity is not None:
            out["subjectivity"] = entry.subjectivity
            out["strong_subjective" if entry.subjectivity >= SUBJECTIVE_STRONG else
                "weak_subjective" if entry.subjectivity >= SUBJECTIVE_WEAK else "not_subjective"] = 1.0
        if entry.polarity is not None:
            out["polarity_abs"] = abs(entry.polarity)
        if entry.valence is not None:
            out["valence_abs"] = abs(entry.valence) / 4
            if entry.valence <= -EMOTIVE_MIN:
                out["emotive_negative"] = 1.0
            elif entry.valence >= EMOTIVE_MIN:
                out["emotive_positive"] = 1.0
    for name in features:
        out[f"term_{name}"] = 1.0
    if empath:
        out["empath_count"] = math.log1p(len(empath))
    for category in empath:
        out[f"empath_{category}"] = 1.0
    return tuple(sorted(out.items()))


def _profile(form: str) -> _WordProfile:
    """The profile of a word as written: its lookup form's ("The" and "the" share one), and its capital."""
    profile = _form_profile(lookup_form(form))
    if not form[0].isupper():
        return profile
    return _WordProfile(*profile[:-2], unknown_capitalised=profile.lexicon is None, capitalised=True)


@lru_cache(maxsize=1 << 16)
def _form_profile(lower: str) -> _WordProfile:
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
    empath = empath_categories().get(lower, ())
    closed = entry is not None and entry.pos in CLOSED_CLASSES
    subjectivity = entry.subjectivity if entry is not None else None
    valence = entry.valence if entry is not None else None
    candidate = len(lower) > 1 and lower not in NOT_EVIDENCE and not closed
    subjective = emotive = ""
    if subjectivity is not None:
        subjective = ("subjective_words" if subjectivity >= SUBJECTIVE_STRONG else
                      "weak_subjective_words" if subjectivity >= SUBJECTIVE_WEAK else "")
    if valence is not None:
        emotive = "negative_words" if valence <= -EMOTIVE_MIN else "positive_words" if valence >= EMOTIVE_MIN else ""
    anywhere = tuple(name for name in (subjective, emotive) if name)
    return _WordProfile(
        lower, entry, tuple(features), tuple(f"empath_{c}" for c in empath),
        "share_unknown" if entry is None else f"share_{entry.pos}" if entry.pos else "", subjectivity,
        None if valence is None else abs(valence) / 4, emotive, (*features, *anywhere), anywhere,
        _word_features(lower, entry, features, empath), candidate,
        entry is not None and entry.pos == "noun",
        (entry.frequency or 0.0) if entry is not None else 0.0, False, False)


@dataclass(frozen=True)
class WordModel:
    """Log-odds that annotators mark a content word as biased: b + sum w_f x_f over the word's features."""

    intercept: float
    weights: Mapping[str, float]
    evidence_threshold: float  # a word is evidence when its probability reaches this (chosen on BABE dev)
    # lookup form -> (log-odds, probability) outside quotes, computed once per form (the words of a corpus repeat)
    _form_scores: dict[str, tuple[float, float]] = field(default_factory=dict, compare=False, repr=False)

    def with_threshold(self, evidence_threshold: float) -> WordModel:
        """The same model naming evidence at another threshold; the per-form scores do not depend on it, so
        the two share their cache."""
        return replace(self, evidence_threshold=evidence_threshold, _form_scores=self._form_scores)

    def logit(self, features: Iterable[tuple[str, float]]) -> float:
        return self.intercept + sum(self.weights.get(name, 0.0) * value for name, value in features)

    def form_score(self, profile: _WordProfile) -> tuple[float, float]:
        """(`logit`, probability) of the form's part of `occurrence_features` (outside quotes), cached."""
        scores = self._form_scores.get(profile.lower)
        if scores is None:
            logit = self.logit(profile.word_features)
            scores = self._form_scores[profile.lower] = (logit, _sigmoid(logit))
        return scores

    def placed(self, logits: np.ndarray, quoted: np.ndarray, scare: np.ndarray) -> np.ndarray:
        """The `logit` of each occurrence: its form's `logits`, plus where it stands (in quotes, then scare
        quotes: the order `occurrence_features` lists them)."""
        placed = logits.copy()
        placed[quoted] += self.weights.get("in_quotes", 0.0)
        placed[scare] += self.weights.get("scare_quote", 0.0)
        return placed


def occurrence_features(profile: _WordProfile, quoted: bool, scare: bool) -> tuple[tuple[str, float], ...]:
    """The word model's inputs for one occurrence: the form's, plus where it stands (a quote, scare quotes)."""
    return (*profile.word_features, ("in_quotes", float(quoted)), ("scare_quote", float(scare)))


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


# the place of each of FEATURES in a sentence's row of values
_COLUMN = {name: i for i, name in enumerate(FEATURES)}
# the FEATURES a sentence computes from its words as a whole, not by counting them
_COMPUTED = ("log_words", "subjectivity_mean", "valence_abs", "valence_max", "exclamation", "question", "digits",
             "quoted_share", "content_frequency_mean", "loaded_word_max", "loaded_word_sum")
_COMPUTED_COLUMNS = [_COLUMN[name] for name in _COMPUTED]
_SHARE_COLUMNS = [i for name, i in _COLUMN.items() if name.startswith("share_")]
# the FEATURES that count words (scare quotes, term classes, subjective words, ...), and where each is among them
_COUNTED_COLUMNS = [i for i in range(len(FEATURES)) if i not in _COMPUTED_COLUMNS and i not in _SHARE_COLUMNS]
_COUNTED = {FEATURES[column]: k for k, column in enumerate(_COUNTED_COLUMNS)}
_QUOTE_MARK = re.compile("[" + "".join(QUOTE_MARKS) + "]")
# a word form with more than one use of a feature is rare; int8 keeps the table small
_COUNT = np.int8
_MAX_FORMS = 1 << 16  # the table starts afresh beyond this many forms (a corpus's typos and names)


class _FormIds(dict[str, int]):
    """Written form -> its row in the table, added when first met."""

    def __init__(self, table: _FormTable) -> None:
        super().__init__()
        self.table = table

    def __missing__(self, form: str) -> int:
        self[form] = index = self.table.add(_profile(form), _name_kind(form))
        return index


class _FormTable:
    """Every word form met so far, each a row: its profile, and what it adds to a sentence as numpy columns, so
    that the words of a whole text are looked up and counted in bulk. Row 0 is a name's (`_NAME`)."""

    # the per-row columns and what an unfilled row holds
    _COLUMNS = {"writer": 0, "quoted": 0, "share": -1, "subjectivity": np.nan, "valence": np.nan, "frequency": 0,
                "candidate": False, "noun_candidate": False, "name_kind": _NEVER_NAME, "empath_start": 0,
                "empath_count": 0}

    def __init__(self) -> None:
        self.ids = _FormIds(self)
        self.profiles: list[_WordProfile] = []
        self.empath_names = [f"empath_{c}" for c in empath_names()]
        self._empath_column = {name: i for i, name in enumerate(self.empath_names)}
        size = 1024
        self.writer = np.zeros((size, len(_COUNTED)), _COUNT)  # the _COUNTED it counts to outside quotes
        self.quoted = np.zeros((size, len(_COUNTED)), _COUNT)  # and inside them
        self.share = np.full(size, -1, np.int16)  # the column of its share feature, -1 for none
        self.subjectivity = np.full(size, np.nan)  # nan: none
        self.valence = np.full(size, np.nan)
        self.frequency = np.zeros(size)
        self.candidate = np.zeros(size, bool)
        self.noun_candidate = np.zeros(size, bool)
        self.name_kind = np.full(size, _NEVER_NAME, np.int8)
        # its Empath categories (what it counts to outside quotes, in order): empath[start:start + count]
        self.empath_start = np.zeros(size, np.int64)
        self.empath_count = np.zeros(size, np.int64)
        self.empath: list[int] = []
        self._empath = np.zeros(0, np.int64)
        # per word model (by id): the model, the log-odds and probability of each row outside quotes, rows filled
        self._scores: dict[int, tuple[WordModel, np.ndarray, np.ndarray, int]] = {}
        self.add(_NAME, _NEVER_NAME)

    def add(self, profile: _WordProfile, name_kind: int) -> int:
        index = len(self.profiles)
        if index == len(self.share):
            for name, blank in self._COLUMNS.items():
                column = getattr(self, name)
                setattr(self, name, np.concatenate([column, np.full_like(column, blank)]))
        self.profiles.append(profile)
        for counts, names in ((self.writer, profile.writer_hits), (self.quoted, profile.quoted_hits)):
            for name in names:
                counts[index, _COUNTED[name]] += 1
        self.share[index] = _COLUMN[profile.share] if profile.share else -1
        if profile.subjectivity is not None:
            self.subjectivity[index] = profile.subjectivity
        if profile.valence is not None:
            self.valence[index] = profile.valence
        self.frequency[index] = profile.frequency
        self.candidate[index] = profile.candidate
        self.noun_candidate[index] = profile.candidate and profile.noun
        self.name_kind[index] = name_kind
        self.empath_start[index], self.empath_count[index] = len(self.empath), len(profile.counted)
        self.empath += [self._empath_column[name] for name in profile.counted]
        return index

    def empath_of(self, ids: np.ndarray) -> np.ndarray:
        """The Empath categories of the words `ids`, one after another."""
        if len(self._empath) < len(self.empath):
            self._empath = np.array(self.empath, np.int64)
        counts = self.empath_count[ids]
        firsts = np.cumsum(counts) - counts
        return self._empath[np.arange(counts.sum()) + np.repeat(self.empath_start[ids] - firsts, counts)]

    def scores(self, word_model: WordModel) -> tuple[np.ndarray, np.ndarray]:
        """The log-odds and probability of every row outside quotes, by `word_model`."""
        model, logits, probabilities, filled = self._scores.get(id(word_model), (word_model, np.zeros(0),
                                                                                   np.zeros(0), 0))
        if model is not word_model:  # a model by the id of one that has gone
            logits, probabilities, filled = np.zeros(0), np.zeros(0), 0
        if filled < len(self.profiles):
            logits = np.resize(logits, len(self.share))
            probabilities = np.resize(probabilities, len(self.share))
            for index in range(filled, len(self.profiles)):
                logits[index], probabilities[index] = word_model.form_score(self.profiles[index])
            self._scores[id(word_model)] = (word_model, logits, probabilities, len(self.profiles))
        return logits, probabilities


@lru_cache(maxsize=1)
def _form_table() -> _FormTable:
    return _FormTable()


def _current_table() -> _FormTable:
    """The form table, started afresh once it holds `_MAX_FORMS` forms (batches keep the table they used)."""
    if len(_form_table().profiles) >= _MAX_FORMS:
        _form_table.cache_clear()
    return _form_table()


def _marked(text: str, segments: list[tuple[int, int]], pattern: re.Pattern[str]) -> list[bool]:
    """Whether each segment of `text` holds a match of `pattern` (a single character, rare in text)."""
    positions = [m.start() for m in pattern.finditer(text)]
    return [bisect_left(positions, start) < bisect_left(positions, end) for start, end in segments]


class SentenceBatch:
    """Sentences of one text (`segments`: (start, end) in `text`), each scored as if it stood alone, in bulk.

    The words of all sentences are looked up in the form table at once; counts, shares and Empath categories
    are numpy sums over the rows of their forms; sums of floats (subjectivity, valence, word-model
    probabilities, each model's terms) run left to right in each sentence's own order, so every value and
    probability is the float the sentence scored on its own gets. `offset` is the text's place in the document.
    """

    def __init__(self, text: str, segments: list[tuple[int, int]], offset: int = 0,
                 word_model: WordModel | None = None) -> None:
        self.text, self.segments, self.offset = text, segments, offset
        self.word_model = word_model or shipped_word_model()
        self.table = table = _current_table()
        self.pieces = [word_pieces(text[start:end]) for start, end in segments]
        forms = list(chain.from_iterable(pieces[1::2] for pieces in self.pieces))
        self.sizes = [len(pieces) // 2 for pieces in self.pieces]
        self.bounds = [0, *accumulate(self.sizes)]  # sentence i has words bounds[i]:bounds[i + 1]
        self.sentence_of = np.repeat(np.arange(len(segments)), self.sizes)
        ids = np.fromiter(map(table.ids.__getitem__, forms), np.int64, len(forms))
        ids[self._names(ids, forms)] = 0
        self.ids = ids
        self.quotes, self.quoted, self.scare = self._quotes(len(forms))
        self.matrix = self._counts()
        self._computed()
        self._empath()
        self._probabilities: dict[int, tuple[SentenceModel, list[float]]] = {}

    def word_count(self, index: int) -> int:
        return self.sizes[index]

    def _names(self, ids: np.ndarray, forms: list[str]) -> np.ndarray:
        """Which words are names: acronyms, and capitalised words after a character that opens nothing."""
        kinds = self.table.name_kind[ids]
        names = kinds == _ALWAYS_NAME
        by_place = np.flatnonzero(kinds == _NAME_BY_PLACE)
        for j, sentence in zip(by_place.tolist(), self.sentence_of[by_place].tolist(), strict=True):
            k = j - self.bounds[sentence]
            visible = self.pieces[sentence][2 * k].rstrip()  # the text between the word before and this one
            before = visible[-1] if visible else forms[j - 1][-1] if k else ""
            names[j] = bool(before) and before not in _OPENERS
        return names

    def _quotes(self, words: int) -> tuple[list[list[tuple[int, int]]], np.ndarray, np.ndarray]:
        """Each sentence's quoted passages; which words stand inside one, and inside scare quotes (a quoted
        phrase of one to four words inside the writer's sentence)."""
        quotes: list[list[tuple[int, int]]] = [[] for _ in self.segments]
        quoted, scare = np.zeros(words, bool), np.zeros(words, bool)
        for index, marked in enumerate(_marked(self.text, self.segments, _QUOTE_MARK)):
            if not marked:
                continue
            start, end = self.segments[index]
            found = quotes[index] = quoted_ranges(self.text[start:end])
            base = self.bounds[index]
            starts = [word_start for word_start, _, _ in self._spans(index)]
            for quote_start, quote_end in found:  # the words that start inside the quote
                first, last = base + bisect_left(starts, quote_start), base + bisect_left(starts, quote_end)
                quoted[first:last] = True
                if 1 <= last - first <= 4:
                    scare[first:last] = True
        return quotes, quoted, scare

    def _spans(self, index: int) -> list[tuple[int, int, str]]:
        """(start, end, text) of the words of sentence `index`, in the sentence."""
        pieces = self.pieces[index]
        ends = list(accumulate(map(len, pieces)))
        return [(ends[k] - len(pieces[k]), ends[k], pieces[k]) for k in range(1, len(pieces), 2)]

    def _per_sentence(self, mask: np.ndarray) -> list[int]:
        """Where each sentence's part of the masked words starts (and the last one ends) among them."""
        return [0, *accumulate(np.bincount(self.sentence_of[mask], minlength=len(self.segments)).tolist())]

    def _counts(self) -> np.ndarray:
        """A row of FEATURES values per sentence, the counted ones and the shares filled in."""
        table, ids = self.table, self.ids
        counts = table.writer[ids]
        counts[self.quoted] = table.quoted[ids[self.quoted]]
        counts[self.scare & (ids != 0), _COUNTED["scare_quotes"]] += 1
        rows = np.zeros((len(self.segments), len(FEATURES)))
        words = np.array(self.sizes)
        if len(ids):  # add.reduceat sums from each start to the next; an empty sentence has no start of its own
            rows[np.ix_(words > 0, _COUNTED_COLUMNS)] = np.add.reduceat(counts, np.array(self.bounds[:-1])[words > 0],
                                                                        axis=0, dtype=np.int64)
        share = table.share[ids]
        has_share = share >= 0
        shares = np.bincount(self.sentence_of[has_share] * len(FEATURES) + share[has_share],
                             minlength=len(self.segments) * len(FEATURES)).reshape(-1, len(FEATURES))
        rows[:, _SHARE_COLUMNS] = shares[:, _SHARE_COLUMNS] / np.maximum(words, 1)[:, None]
        return rows

    def _computed(self) -> None:
        """The _COMPUTED values of each sentence (`computed`), also into its row; the candidates' word-model
        log-odds (`logits`) and where each sentence's are (`candidate_at`)."""
        table, ids = self.table, self.ids
        subjectivity, valence = table.subjectivity[ids], table.valence[ids]
        has_subjectivity, has_valence = ~np.isnan(subjectivity), ~np.isnan(valence)
        subjectivities, subjectivity_at = subjectivity[has_subjectivity].tolist(), self._per_sentence(has_subjectivity)
        strengths, strength_at = valence[has_valence].tolist(), self._per_sentence(has_valence)
        candidate = table.candidate[ids]
        frequencies, self.candidate_at = table.frequency[ids[candidate]].tolist(), self._per_sentence(candidate)
        forms = table.scores(self.word_model)
        quoted, scare = self.quoted[candidate], self.scare[candidate]
        placed = quoted | scare
        logits, probabilities = (scores[ids[candidate]] for scores in forms)
        if placed.any():
            logits = self.word_model.placed(logits, quoted, scare)
            probabilities[placed] = [_sigmoid(z) for z in logits[placed].tolist()]
        self.logits, loaded = logits.tolist(), probabilities.tolist()
        digit = _digits(self.text)
        computed = []
        for index, ((start, end), quotes) in enumerate(zip(self.segments, self.quotes, strict=True)):
            found = subjectivities[subjectivity_at[index]:subjectivity_at[index + 1]]
            strong = strengths[strength_at[index]:strength_at[index + 1]]
            first, last = self.candidate_at[index], self.candidate_at[index + 1]
            frequent, scores = frequencies[first:last], loaded[first:last]
            sentence = self.text[start:end]
            stripped = sentence.rstrip("\"”’' )")
            computed.append((
                math.log1p(self.sizes[index]),
                sum(found) / len(found) if found else 0.0,
                reduce(operator.add, strong, 0.0),  # summed in order, as a running total
                max(strong, default=0.0),
                float(stripped.endswith("!")),
                float(stripped.endswith("?") and not quotes),
                float(digit is not None and digit.search(sentence) is not None),
                sum(e - s for s, e in quotes) / max(end - start, 1) if quotes else 0.0,
                sum(frequent) / len(frequent) if frequent else 0.0,
                max(scores, default=0.0),
                sum(scores),
            ))
        self.computed = computed
        if computed:
            self.matrix[:, _COMPUTED_COLUMNS] = np.array(computed, np.float64)

    def _empath(self) -> None:
        """Each sentence's Empath categories with their counts, in the order it first uses them: `empath_used`,
        `empath_counts`, sentence i's at `empath_at[i]:empath_at[i + 1]`."""
        table = self.table
        writer = (self.ids != 0) & ~self.quoted
        ids = self.ids[writer]
        categories = table.empath_of(ids)
        width = len(table.empath_names)
        keys = np.repeat(self.sentence_of[writer], table.empath_count[ids]) * width + categories
        used, first, counts = np.unique(keys, return_index=True, return_counts=True)
        order = np.argsort(first)
        self.empath_used, self.empath_counts = used[order] % width, counts[order].astype(np.float64)
        self.empath_sentence = used[order] // width
        self.empath_at = np.searchsorted(self.empath_sentence, np.arange(len(self.segments) + 1)).tolist()

    def values(self, index: int) -> dict[str, float]:
        row = self.matrix[index].tolist()
        for column, value in zip(_COMPUTED_COLUMNS, self.computed[index], strict=True):
            row[column] = value  # as computed (an empty sum is the integer 0)
        values = dict(zip(FEATURES, row, strict=True))
        first, last = self.empath_at[index], self.empath_at[index + 1]
        names = self.table.empath_names
        values.update(zip([names[c] for c in self.empath_used[first:last].tolist()],
                          self.empath_counts[first:last].tolist(), strict=True))
        return values

    def words(self, index: int) -> _SentenceWords:
        start, end = self.bounds[index], self.bounds[index + 1]
        profiles = self.table.profiles
        return _SentenceWords(self.offset + self.segments[index][0], self._spans(index),
                              [profiles[i] for i in self.ids[start:end].tolist()],
                              self.quoted[start:end].tolist(), self.scare[start:end].tolist())

    def scored(self, index: int) -> list[tuple[int, float]]:
        positions = np.flatnonzero(self.table.candidate[self.ids[self.bounds[index]:self.bounds[index + 1]]]).tolist()
        logits = self.logits[self.candidate_at[index]:self.candidate_at[index + 1]]
        return list(zip(positions, logits, strict=True))

    def candidate_nouns(self, index: int) -> set[str]:
        ids = self.ids[self.bounds[index]:self.bounds[index + 1]]
        profiles = self.table.profiles
        return {profiles[i].lower for i in ids[self.table.noun_candidate[ids]].tolist()}

    def features(self) -> list[SentenceFeatures]:
        return [SentenceFeatures(self, index) for index in range(len(self.segments))]

    def probabilities(self, model: SentenceModel) -> list[float]:
        """`model`'s probability of each sentence: its terms summed in the order of the sentence's `values`,
        left to right (np.add.accumulate along each row; zeros, which the sum would skip, add nothing)."""
        cached = self._probabilities.get(id(model))
        if cached is None:
            offset, feature_slopes, empath_slopes = model.slopes
            terms = self.matrix * feature_slopes
            used = np.diff(self.empath_at)
            rank = np.arange(len(self.empath_used)) - np.repeat(self.empath_at[:-1], used)
            empath = np.zeros((len(self.segments), int(rank.max(initial=-1)) + 1))
            empath[self.empath_sentence, rank] = empath_slopes[self.empath_used] * self.empath_counts
            totals = np.add.accumulate(np.hstack([terms, empath]), axis=1)[:, -1] + offset
            cached = self._probabilities[id(model)] = (model, [_sigmoid(z) for z in totals.tolist()])
        return cached[1]


def _digits(text: str) -> re.Pattern[str] | None:
    """A pattern for the characters of `text` that are digits (`str.isdigit`, so also "²"), None if it has none."""
    digits = "".join(sorted(c for c in set(text) if c.isdigit()))
    return re.compile(f"[{re.escape(digits)}]") if digits else None


def sentence_words(text: str, offset: int = 0) -> list[tuple[Word, _WordProfile, bool, bool]]:
    """(word, profile, inside quotes, inside scare quotes) for each word; names get an empty profile."""
    found = sentence_features(text, offset).words
    return [(found.word(i), *row) for i, row in enumerate(zip(found.profiles, found.quoted, found.scare, strict=True))]


def sentence_features(text: str, offset: int = 0, word_model: WordModel | None = None) -> SentenceFeatures:
    """Features of one sentence; hit offsets are shifted by `offset` (the sentence's document position).

    `word_model` scores the content words (default: the shipped one; the fit passes its own).
    """
    return SentenceBatch(text, [(0, len(text))], offset, word_model).features()[0]


@dataclass(frozen=True)
class SentenceModel:
    """A logistic regression over standardised features: p = sigmoid(b + sum w_i (x_i - mean_i) / scale_i)."""

    name: str
    intercept: float
    weights: dict[str, tuple[float, float, float]]  # feature -> (weight, mean, scale)

    def probability(self, features: SentenceFeatures) -> float:
        return features.batch.probabilities(self)[features.index]

    @cached_property
    def slopes(self) -> tuple[float, np.ndarray, np.ndarray]:
        """b + sum w (x - mean) / scale = (b - sum w mean / scale) + sum w x / scale: the first term, and w / scale
        for each of FEATURES and each Empath category (0 for a feature without a weight)."""
        slopes = {name: w / scale for name, (w, _, scale) in self.weights.items()}
        return (self.intercept - sum(w * mean / scale for w, mean, scale in self.weights.values()),
                np.array([slopes.get(name, 0.0) for name in FEATURES]),
                np.array([slopes.get(f"empath_{c}", 0.0) for c in empath_names()]))


def loaded_words(features: SentenceFeatures, word_model: WordModel, limit: int,
                 excluded: frozenset[str] = frozenset()) -> list[Word]:
    """The words that carry a sentence's load: candidates whose word-model probability reaches the evidence
    threshold, most loaded first, at most `limit`; `excluded` lookup forms (a document's topic nouns) and
    capitalised words no lexicon knows (names at a sentence start) left out.

    The word-model probability is what each word adds to the sentence's `loaded_word_sum` feature, so this is
    the ranking by contribution to the sentence score.
    """
    cut = math.log(word_model.evidence_threshold / (1 - word_model.evidence_threshold))
    ranked = sorted((c for c in features.candidates_from(cut)
                     if not c.unknown_capitalised and c.word.lower not in excluded),
                    key=lambda c: (-c.logit, c.word.start))
    return ranked_unique(ranked, limit)


def ranked_unique(ranked: list[ScoredWord], limit: int) -> list[Word]:
    """The first `limit` distinct word forms of `ranked`, each at its first (highest-ranked) occurrence."""
    seen: set[str] = set()
    chosen = []
    for candidate in ranked:
        if candidate.word.lower not in seen:
            seen.add(candidate.word.lower)
            chosen.append(candidate.word)
        if len(chosen) == limit:
            break
    return chosen


def _read_models() -> dict:
    return json.loads(resources.files("cleaner.annotate").joinpath("data/sentence_models.json").read_text("utf-8"))


@lru_cache(maxsize=1)
def sentence_models() -> dict[str, SentenceModel]:
    """The shipped models, keyed by flag name (`loaded_language`, `opinion`)."""
    return {name: SentenceModel(name, spec["intercept"], {f: tuple(v) for f, v in spec["weights"].items()})
            for name, spec in _read_models()["models"].items()}


@lru_cache(maxsize=1)
def shipped_word_model() -> WordModel:
    """The shipped word model (`word_model` in data/sentence_models.json)."""
    spec = _read_models()["word_model"]
    return WordModel(spec["intercept"], dict(spec["weights"]), spec["evidence_threshold"])
