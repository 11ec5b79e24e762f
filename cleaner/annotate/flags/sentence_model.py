"""Shared by `opinion` and `loaded_language`: a document's sentences scored by a sentence model, placed in news.

The raw score is the mean model probability of the document's full sentences (of at least `min_words` words),
plus the document-level cues a flag adds (op-ed cues for `opinion`). Of the aggregates measured on BABE's
articles (bench/calibrate_flags.py --compare) the mean ranks them by their share of biased / opinion
sentences among the best, and better than the share of sentences over a cut-off where there are enough
articles to tell (docs/flags.md). The document score is that raw score's percentile
among news articles (cleaner/annotate/flags/news_reference.py), so a threshold of 0.85 raises the flag on
documents more loaded than 85 % of news. Sentences at or above `sentence_threshold` are the evidence.
"""

from __future__ import annotations

from abc import abstractmethod
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, ClassVar

from cleaner.annotate.flags.embedding_model import MINILM, minilm_probabilities, model_label
from cleaner.annotate.flags.news_reference import news_percentile
from cleaner.annotate.flags.registry import ENGLISH, Assessment, Evidence, Flag
from cleaner.annotate.sentence_scores import SentenceBatch, SentenceFeatures, sentence_models
from cleaner.annotate.text import Sentence, join_hard_wraps, sentences
from cleaner.document import Document

_CLOSERS = "\"”’')]"


@lru_cache(maxsize=4)
def full_sentences(text: str) -> tuple[tuple[Sentence, SentenceFeatures, int], ...]:
    """Full sentences (ending in . ! ? …) with features and word counts; headlines and list items are skipped.

    Hard wraps are joined first, so a sentence split across lines is scored whole (offsets are unchanged).
    Both flags score the same sentences, so features are computed once per clean text, for all its sentences
    together.
    """
    joined = join_hard_wraps(text)
    full = [s for s in sentences(joined) if s.text.rstrip(_CLOSERS).endswith((".", "!", "?", "…"))]
    features = SentenceBatch(joined, [(s.start, s.end) for s in full]).features()
    return tuple((s, f, f.word_count) for s, f in zip(full, features, strict=True))


@dataclass
class SentenceReading:
    """A document read by a sentence model: the raw score to place among news, and what explains it."""

    raw_score: float
    sentences: int
    flagged: list[tuple[Sentence, SentenceFeatures]]
    cue_evidence: list[Evidence]
    cue_detail: str


class SentenceModelFlag(Flag):
    """A flag whose score is the news percentile of its sentence model's (named `model`) mean probability."""

    model: ClassVar[str]
    languages = ENGLISH  # English lexicons, weights fitted on English sentences

    @abstractmethod
    def evidence(self, sentence: Sentence, features: SentenceFeatures, document: Document,
                 settings: dict[str, Any]) -> list[Evidence]:
        """What to show for one flagged sentence of `document`."""

    def cues(self, document: Document, settings: dict[str, Any]) -> tuple[float, list[Evidence], str]:
        """Document-level cues beyond sentences: (raw score bonus, evidence, detail); none by default."""
        return 0.0, [], ""

    def probabilities(self, eligible: list[tuple[Sentence, SentenceFeatures]], settings: dict[str, Any]) -> list[float]:
        """Each sentence's probability under the configured `model`: the lexicon model, or the optional MiniLM
        heads (cleaner/annotate/flags/embedding_model.py)."""
        if settings["model"] == MINILM:
            return minilm_probabilities(self.name, [s.text for s, _ in eligible])
        model = sentence_models()[self.model]
        return [model.probability(f) for _, f in eligible]

    def read(self, document: Document, settings: dict[str, Any]) -> SentenceReading | None:
        """The raw score, or None when the document has fewer than `min_sentences` full sentences."""
        eligible = [(s, f) for s, f, n in full_sentences(document.text) if n >= settings["min_words"]]
        if len(eligible) < settings["min_sentences"]:
            return None
        probabilities = self.probabilities(eligible, settings)
        flagged = [sf for sf, p in zip(eligible, probabilities, strict=True) if p >= settings["sentence_threshold"]]
        bonus, cue_evidence, cue_detail = self.cues(document, settings)
        return SentenceReading(round(sum(probabilities) / len(probabilities) + bonus, 4), len(eligible), flagged,
                               cue_evidence, cue_detail)

    def assess(self, document: Document, settings: dict[str, Any]) -> Assessment | None:
        reading = self.read(document, settings)
        if reading is None:
            return None
        percentile = news_percentile(self.name, reading.raw_score, settings["model"])
        evidence = reading.cue_evidence + [ev for s, f in reading.flagged
                                           for ev in self.evidence(s, f, document, settings)]
        label = model_label(self.model, settings)
        detail = (f"raw score {reading.raw_score:.3f} (mean {label} probability of {reading.sentences} "
                  f"sentences{reading.cue_detail}) is above {percentile:.0%} of news articles (L3S-GN1); "
                  f"{len(reading.flagged)} sentences score >= {settings['sentence_threshold']}")
        return Assessment(percentile, evidence, detail,
                          {"raw_score": reading.raw_score, "sentences_flagged": len(reading.flagged),
                           "sentences": reading.sentences})
