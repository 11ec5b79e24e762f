"""`loaded_language`: many sentences use loaded, emotive or subjective words; each such word is evidence.

Example: "The regime's draconian crackdown was utterly shameful." hits a pejorative label, two
intensifiers/emotive adjectives and strongly subjective words of the shipped lexicons.
"""

from __future__ import annotations

from cleaner.annotate.flags.registry import Evidence, register
from cleaner.annotate.flags.sentence_share import SentenceShareFlag
from cleaner.annotate.sentence_scores import LEXICAL, SentenceFeatures
from cleaner.annotate.text import Sentence


@register
class LoadedLanguage(SentenceShareFlag):
    name = "loaded_language"
    rule = "loaded_language_v1"
    description = "Share of sentences the loaded-language model flags; evidence: the loaded/subjective words."
    model = "loaded_language"

    def evidence(self, sentence: Sentence, features: SentenceFeatures) -> list[Evidence]:
        return [(w.start, w.end, w.text) for w in features.evidence(LEXICAL)]
