"""`loaded_language`: many sentences use loaded, emotive or subjective words; each such word is evidence.

Evidence is the words behind the lexical features that raise the sentence model's score (those with a
positive weight), e.g. in "The council's reckless spending was utterly shameful." the strongly subjective
and emotive words of the shipped lexicons and the editorializing "utterly".
"""

from __future__ import annotations

from cleaner.annotate.flags.registry import Evidence, register
from cleaner.annotate.flags.sentence_share import SentenceShareFlag
from cleaner.annotate.sentence_scores import SentenceFeatures, sentence_models
from cleaner.annotate.text import Sentence


@register
class LoadedLanguage(SentenceShareFlag):
    name = "loaded_language"
    rule = "loaded_language_v1"
    description = "Share of sentences the loaded-language model flags; evidence: the loaded/subjective words."
    model = "loaded_language"

    def evidence(self, sentence: Sentence, features: SentenceFeatures) -> list[Evidence]:
        return [(w.start, w.end, w.text) for w in sentence_models()[self.model].drivers(features)]
