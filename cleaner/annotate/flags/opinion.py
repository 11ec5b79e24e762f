"""`opinion`: the piece reads as opinion rather than a news report; evidence: its opinion sentences.

Genre markers per sentence (first person, "should/must", hedges, evaluative words, rhetorical
questions, few attributions; see cleaner/annotate/sentence_scores.py) and, for the document, an
op-ed/column label near the top ("Opinion", "Commentary", ...) in the text or the page metadata.
"""

from __future__ import annotations

import re
from typing import Any

from cleaner.annotate.flags.evidence import find_in_text
from cleaner.annotate.flags.registry import Evidence, register
from cleaner.annotate.flags.sentence_share import SentenceShareFlag
from cleaner.annotate.sentence_scores import SentenceFeatures
from cleaner.annotate.text import Sentence
from cleaner.document import Document

GENRE_LABEL = re.compile(r"(?im)^\W*(?:opinion|op-?ed|commentary|column|editorial|viewpoint|perspective|analysis"
                         r"|letters?\s+to\s+the\s+editor)\b")
GENRE_WORDS = ("opinion", "op-ed", "oped", "commentary", "column", "editorial", "viewpoint")


@register
class Opinion(SentenceShareFlag):
    name = "opinion"
    rule = "opinion_v2"
    description = "Share of sentences the opinion model flags, plus an op-ed/column label; evidence: sentences."
    model = "opinion"

    def evidence(self, sentence: Sentence, features: SentenceFeatures, document: Document,
                 settings: dict[str, Any]) -> list[Evidence]:
        return [(sentence.start, sentence.end, sentence.text)]

    def extra(self, document: Document, settings: dict[str, Any]) -> tuple[float, list[Evidence], str]:
        head_end = len("\n".join(document.text.split("\n", 3)[:3]))  # a genre label sits above the headline
        labels = [ev for ev, m in find_in_text(document, GENRE_LABEL, limit=1) if m.start() <= head_end]
        meta = " ".join(str(document.metadata.get(k) or "") for k in ("pagetype", "categories", "tags")).lower()
        if labels or any(word in meta for word in GENRE_WORDS):
            where = f"label line {labels[0][2]!r}" if labels else f"page metadata ({meta.strip()})"
            return settings["genre_label_bonus"], labels, f"; op-ed/column {where}"
        return 0.0, [], ""
