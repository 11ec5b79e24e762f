"""`loaded_language`: the sentences use more loaded, emotive or subjective words than most news; each is evidence.

Evidence is the words behind the lexical features that raise the sentence model's score (those with a
positive weight), e.g. in "The council's reckless spending was utterly shameful." the strongly subjective
and emotive words of the shipped lexicons and the editorializing "utterly".
"""

from __future__ import annotations

from typing import Any

from cleaner.annotate.flags.registry import Evidence, register
from cleaner.annotate.flags.sentence_share import SentenceShareFlag
from cleaner.annotate.sentence_scores import SentenceFeatures, sentence_models
from cleaner.annotate.text import Sentence
from cleaner.document import Document


@register
class LoadedLanguage(SentenceShareFlag):
    name = "loaded_language"
    rule = "loaded_language_v2"
    description = "News percentile of the loaded-language model's mean sentence score; evidence: loaded words."
    model = "loaded_language"

    def evidence(self, sentence: Sentence, features: SentenceFeatures, document: Document,
                 settings: dict[str, Any]) -> list[Evidence]:
        return [(w.start, w.end, w.text) for w in sentence_models()[self.model].drivers(features)]
