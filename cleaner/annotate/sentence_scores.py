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
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache, reduce
from importlib import resources
from typing import NamedTuple

from cleaner.annotate.text import Word, lookup_form, quoted_ranges, word_spans
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


@dataclass
class SentenceFeatures:
    values: dict[str, float]  # every name of FEATURES; Empath categories only when non-zero
    word_count: int
    # the sentence's words, and (word index, word-model log-odds) of its content words: `hits` and
    # `candidates` are built from them when asked for (to explain a score), not for every sentence scored
    words: _SentenceWords = field(repr=False)
    scored: list[tuple[int, float]] = field(repr=False)

    @cached_property
    def non_zero(self) -> list[tuple[str, float]]:
        """The features that count, in the order of `values`: what both sentence models sum over."""
        return [(name, value) for name, value in self.values.items() if value]

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
        profiles = self.words.profiles
        return [ScoredWord(self.words.word(i), logit, profiles[i].noun, profiles[i].unknown_capitalised)
                for i, logit in self.scored]

    def candidate_nouns(self) -> set[str]:
        """The lookup forms of the candidates that are nouns (without building the candidates)."""
        return {profile.lower for profile in (self.words.profiles[i] for i, _ in self.scored) if profile.noun}

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
    return _is_name(word.text, before)


def _is_name(text: str, before: str) -> bool:
    if not text[0].isupper():
        return False
    if len(text) >= 2 and text.replace("-", "").replace("'", "").replace("’", "").isupper():
        return True
    if text == "I" or lookup_form(text).startswith("i'"):
        return False
    return bool(before) and before not in _OPENERS


def _last_visible(text: str, end: int) -> str:
    """The last character of text[:end] that is not white space, or ''."""
    i = end - 1
    while i >= 0 and text[i].isspace():
        i -= 1
    return text[i] if i >= 0 else ""


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


@lru_cache(maxsize=1 << 16)
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

    def logit(self, features: Iterable[tuple[str, float]]) -> float:
        return self.intercept + sum(self.weights.get(name, 0.0) * value for name, value in features)

    def occurrence_score(self, profile: _WordProfile, quoted: bool, scare: bool) -> tuple[float, float]:
        """(`logit`, probability) of `occurrence_features`, with the form's part cached."""
        scores = self._form_scores.get(profile.lower)
        if scores is None:
            logit = self.logit(profile.word_features)
            scores = self._form_scores[profile.lower] = (logit, _sigmoid(logit))
        if not (quoted or scare):
            return scores
        logit = scores[0]
        if quoted:
            logit += self.weights.get("in_quotes", 0.0)
        if scare:
            logit += self.weights.get("scare_quote", 0.0)
        return logit, _sigmoid(logit)


def occurrence_features(profile: _WordProfile, quoted: bool, scare: bool) -> tuple[tuple[str, float], ...]:
    """The word model's inputs for one occurrence: the form's, plus where it stands (a quote, scare quotes)."""
    return (*profile.word_features, ("in_quotes", float(quoted)), ("scare_quote", float(scare)))


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def _sentence_words(text: str, offset: int, quotes: list[tuple[int, int]]) -> _SentenceWords:
    """The words of `text` (`quotes`: its quoted passages), each with its form's profile."""
    spans = word_spans(text)
    profiles = [_profile(form) for _, _, form in spans]
    for index, profile in enumerate(profiles):
        if profile.capitalised and _is_name(spans[index][2], _last_visible(text, spans[index][0])):
            profiles[index] = _NAME
    if not quotes:
        quoted = scare = [False] * len(spans)
    else:
        quoted = [_inside(start, quotes) for start, _, _ in spans]
        scared: set[int] = set()
        for start, end in quotes:
            inner = [i for i, (s, _, _) in enumerate(spans) if start <= s < end]
            if 1 <= len(inner) <= 4:  # a short quoted phrase inside the writer's sentence: scare quotes
                scared.update(inner)
        scare = [i in scared for i in range(len(spans))]
    return _SentenceWords(offset, spans, profiles, quoted, scare)


def sentence_words(text: str, offset: int = 0) -> list[tuple[Word, _WordProfile, bool, bool]]:
    """(word, profile, inside quotes, inside scare quotes) for each word; names get an empty profile."""
    found = _sentence_words(text, offset, quoted_ranges(text))
    return [(found.word(i), *row) for i, row in enumerate(zip(found.profiles, found.quoted, found.scare, strict=True))]


# the FEATURES, all zero: a sentence's values start as a copy, so they keep this order
_NO_FEATURES = dict.fromkeys(FEATURES, 0.0)


def sentence_features(text: str, offset: int = 0, word_model: WordModel | None = None) -> SentenceFeatures:
    """Features of one sentence; hit offsets are shifted by `offset` (the sentence's document position).

    `word_model` scores the content words (default: the shipped one; the fit passes its own).
    """
    word_model = word_model or shipped_word_model()
    quotes = quoted_ranges(text)
    found = _sentence_words(text, offset, quotes)
    profiles = found.profiles
    content = [(p, q, sc) for p, q, sc in zip(profiles, found.quoted, found.scare, strict=True) if p is not _NAME]
    # the hit feature of each hit; the Empath category of each of the writer's words in one (in text order)
    hit_names = [name for p, quoted, _ in content for name in (p.quoted_hits if quoted else p.writer_hits)]
    hit_names += ["scare_quotes"] * sum(scare for _, _, scare in content)
    empath = [name for p, quoted, _ in content if not quoted for name in p.counted]
    subjectivities = [p.subjectivity for p, _, _ in content if p.subjectivity is not None]
    strengths = [p.valence for p, _, _ in content if p.valence is not None]
    scores = [(i, word_model.occurrence_score(p, quoted, scare))
              for i, (p, quoted, scare) in enumerate(zip(profiles, found.quoted, found.scare, strict=True))
              if p.candidate]
    probabilities = [probability for _, (_, probability) in scores]
    frequencies = [profiles[i].frequency for i, _ in scores]
    n = max(len(profiles), 1)
    stripped = text.rstrip("\"”’' )")
    # FEATURES are always present; an Empath category only when it counts (`values.get(name, 0.0)`), in the
    # order the sentence first uses it
    values = dict(_NO_FEATURES)
    for name, count in Counter(hit_names).items():
        values[name] = float(count)
    for name, count in Counter(p.share for p in profiles).items():
        if name:
            values[name] = count / n
    for name, count in Counter(empath).items():
        values[name] = float(count)
    values.update(
        log_words=math.log1p(len(profiles)),
        subjectivity_mean=sum(subjectivities) / len(subjectivities) if subjectivities else 0.0,
        valence_abs=reduce(operator.add, strengths, 0.0),  # summed in order, as a running total
        valence_max=max(strengths, default=0.0),
        exclamation=float(stripped.endswith("!")),
        question=float(stripped.endswith("?") and not quotes),
        digits=float(any(map(str.isdigit, text))),
        quoted_share=sum(e - s for s, e in quotes) / max(len(text), 1),
        content_frequency_mean=sum(frequencies) / len(frequencies) if frequencies else 0.0,
        loaded_word_max=max(probabilities, default=0.0),
        loaded_word_sum=sum(probabilities),
    )
    return SentenceFeatures(values, len(profiles), found, [(i, logit) for i, (logit, _) in scores])


@dataclass(frozen=True)
class SentenceModel:
    """A logistic regression over standardised features: p = sigmoid(b + sum w_i (x_i - mean_i) / scale_i)."""

    name: str
    intercept: float
    weights: dict[str, tuple[float, float, float]]  # feature -> (weight, mean, scale)

    def probability(self, features: SentenceFeatures) -> float:
        # b + sum w (x - mean) / scale = (b - sum w mean / scale) + sum w x / scale: only non-zero x count
        offset, slopes = self._linear
        return _sigmoid(offset + sum([slopes[name] * value for name, value in features.non_zero if name in slopes]))

    @cached_property
    def _linear(self) -> tuple[float, dict[str, float]]:
        return (self.intercept - sum(w * mean / scale for w, mean, scale in self.weights.values()),
                {name: w / scale for name, (w, _, scale) in self.weights.items()})


def loaded_words(features: SentenceFeatures, word_model: WordModel, limit: int,
                 excluded: frozenset[str] = frozenset()) -> list[Word]:
    """The words that carry a sentence's load: candidates whose word-model probability reaches the evidence
    threshold, most loaded first, at most `limit`; `excluded` lookup forms (a document's topic nouns) and
    capitalised words no lexicon knows (names at a sentence start) left out.

    The word-model probability is what each word adds to the sentence's `loaded_word_sum` feature, so this is
    the ranking by contribution to the sentence score.
    """
    cut = math.log(word_model.evidence_threshold / (1 - word_model.evidence_threshold))
    ranked = sorted((c for c in features.candidates
                     if c.logit >= cut and not c.unknown_capitalised and c.word.lower not in excluded),
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
