"""Shared by `opinion` and `loaded_language`: the share of a document's sentences a sentence model flags.

A document score is the share of its sentences (of at least `min_words` words) whose model probability
reaches `sentence_threshold`. The defaults come from BABE's dev split (see docs/flags.md): a news
report written neutrally has a small share of such sentences (its false-positive rate), a loaded or
opinionated piece a large one; the document threshold sits between the two.
"""

from __future__ import annotations

from abc import abstractmethod
from functools import lru_cache
from typing import Any, ClassVar

from cleaner.annotate.flags.registry import ENGLISH, Assessment, Evidence, Flag
from cleaner.annotate.sentence_scores import SentenceFeatures, sentence_features, sentence_models
from cleaner.annotate.text import Sentence, sentences
from cleaner.document import Document

_CLOSERS = "\"”’')]"


@lru_cache(maxsize=4)
def full_sentences(text: str) -> tuple[tuple[Sentence, SentenceFeatures, int], ...]:
    """Full sentences (ending in . ! ? …) with features and word counts; headlines and list items are skipped.

    Both flags score the same sentences, so features are computed once per clean text.
    """
    features = [(s, sentence_features(s.text, s.start)) for s in sentences(text)
                if s.text.rstrip(_CLOSERS).endswith((".", "!", "?", "…"))]
    return tuple((s, f, f.word_count) for s, f in features)


class SentenceShareFlag(Flag):
    """A flag whose score is the share of sentences its sentence model (named `model`) flags."""

    model: ClassVar[str]
    languages = ENGLISH  # English lexicons, weights fitted on English sentences

    @abstractmethod
    def evidence(self, sentence: Sentence, features: SentenceFeatures, document: Document,
                 settings: dict[str, Any]) -> list[Evidence]:
        """What to show for one flagged sentence of `document`."""

    def extra(self, document: Document, settings: dict[str, Any]) -> tuple[float, list[Evidence], str]:
        """Document-level cues beyond sentences: (score bonus, evidence, detail); none by default."""
        return 0.0, [], ""

    def assess(self, document: Document, settings: dict[str, Any]) -> Assessment | None:
        model = sentence_models()[self.model]
        eligible = [(s, f) for s, f, n in full_sentences(document.text) if n >= settings["min_words"]]
        if len(eligible) < settings["min_sentences"]:
            return None
        flagged = [(s, f) for s, f in eligible if model.probability(f) >= settings["sentence_threshold"]]
        bonus, extra_evidence, extra_detail = self.extra(document, settings)
        share = len(flagged) / len(eligible)
        evidence = extra_evidence + [ev for s, f in flagged for ev in self.evidence(s, f, document, settings)]
        detail = (f"{len(flagged)} of {len(eligible)} sentences score >= {settings['sentence_threshold']} "
                  f"({self.model} sentence model); neutral news baseline {settings['news_baseline']:.0%} of "
                  f"sentences")
        return Assessment(round(min(1.0, share + bonus), 4), evidence, detail + extra_detail,
                          {"sentences_flagged": len(flagged), "sentences": len(eligible)})
