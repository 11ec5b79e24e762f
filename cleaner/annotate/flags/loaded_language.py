"""`loaded_language`: the sentences use more loaded, emotive or subjective words than most news; each is evidence.

Evidence is the words that carry a flagged sentence's load, ranked by the word model's score (what each
word adds to the sentence score), at most `evidence_words` per sentence: content words only, so never a
function word, a number, a name or an acronym, nor a topic noun of the article (a noun in at least
`topic_noun_sentences` of its sentences: "vaccine" in an article about vaccines). In "The council's reckless
spending was utterly shameful." they are words like "reckless" and "shameful".
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from typing import Any

from cleaner.annotate.flags.embedding_model import evidence_word_model
from cleaner.annotate.flags.registry import Evidence, register
from cleaner.annotate.flags.sentence_model import SentenceModelFlag, full_sentences
from cleaner.annotate.sentence_scores import SentenceFeatures, loaded_words
from cleaner.annotate.text import Sentence
from cleaner.document import Document


@lru_cache(maxsize=4)  # once per document, not per flagged sentence
def topic_nouns(text: str, min_sentences: int) -> frozenset[str]:
    """Nouns (lookup forms) that occur in at least `min_sentences` of the text's full sentences."""
    counts = Counter(form for _, features, _ in full_sentences(text) for form in features.candidate_nouns())
    return frozenset(form for form, n in counts.items() if n >= min_sentences)


@register
class LoadedLanguage(SentenceModelFlag):
    name = "loaded_language"
    rule = "loaded_language_v2"
    description = "News percentile of the loaded-language model's mean sentence score; evidence: loaded words."
    model = "loaded_language"

    def evidence(self, sentence: Sentence, features: SentenceFeatures, document: Document,
                 settings: dict[str, Any]) -> list[Evidence]:
        topic = topic_nouns(document.text, settings["topic_noun_sentences"])
        found = loaded_words(features, evidence_word_model(settings), settings["evidence_words"], topic)
        return [(w.start, w.end, w.text) for w in sorted(found, key=lambda w: w.start)]
