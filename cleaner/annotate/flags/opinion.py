"""`opinion`: the piece reads as opinion rather than a news report; evidence: its opinion sentences.

Genre markers per sentence (first person, "should/must", hedges, evaluative words, rhetorical
questions, few attributions; see cleaner/annotate/sentence_scores.py) and, for the document, the op-ed
cues: an op-ed/column label near the top ("Opinion", "Commentary", ...) in the text or the page metadata,
and a contributor bio at the end ("X is a professor of ...") that the author_bio noise rule removed.
"""

from __future__ import annotations

import re
from typing import Any

from cleaner.annotate.flags.evidence import find_in_text
from cleaner.annotate.flags.registry import Evidence, register
from cleaner.annotate.flags.sentence_model import SentenceModelFlag
from cleaner.annotate.sentence_scores import SentenceFeatures
from cleaner.annotate.text import Sentence
from cleaner.document import Document

GENRE_LABEL = re.compile(r"(?im)^\W*(?:opinion|op-?ed|commentary|column|editorial|viewpoint|perspective|analysis"
                         r"|letters?\s+to\s+the\s+editor)\b")
GENRE_WORDS = ("opinion", "op-ed", "oped", "commentary", "column", "editorial", "viewpoint")
# the roles of a newsroom's own staff: their bios describe a beat, not an outside voice
STAFF_BIO = re.compile(r"(?i)\b(?:covers|reporter|correspondent|staff|editor)\b")


@register
class Opinion(SentenceModelFlag):
    name = "opinion"
    rule = "opinion_v2"
    description = "News percentile of the opinion model's mean sentence score and op-ed cues; evidence: sentences."
    model = "opinion"

    def evidence(self, sentence: Sentence, features: SentenceFeatures, document: Document,
                 settings: dict[str, Any]) -> list[Evidence]:
        return [(sentence.start, sentence.end, sentence.text)]

    def cues(self, document: Document, settings: dict[str, Any]) -> tuple[float, list[Evidence], str]:
        """An op-ed/column label (`genre_label_bonus`) and a contributor bio (`contributor_bio_bonus`)."""
        bonus, evidence, detail = 0.0, [], ""
        head_end = len("\n".join(document.text.split("\n", 3)[:3]))  # a genre label sits above the headline
        labels = [ev for ev, m in find_in_text(document, GENRE_LABEL, limit=1) if m.start() <= head_end]
        meta = " ".join(str(document.metadata.get(k) or "") for k in ("pagetype", "categories", "tags")).lower()
        if labels or any(word in meta for word in GENRE_WORDS):
            where = f"label line {labels[0][2]!r}" if labels else f"page metadata ({meta.strip()})"
            bonus, evidence = settings["genre_label_bonus"], labels
            detail = f", + {bonus} for an op-ed/column {where}"
        bio = contributor_bio(document)
        if bio:
            bonus += settings["contributor_bio_bonus"]
            detail += f", + {settings['contributor_bio_bonus']} for a contributor bio the noise rules removed: {bio!r}"
        return bonus, evidence, detail


def contributor_bio(document: Document) -> str:
    """The first contributor bio the noise rules removed ("Ryan Xu is a freelancer."), or ''.

    A guest column or essay ends with a line on who its writer is. A newsroom's own reporters get a byline or
    a bio naming their beat ("Agam Shah covers PCs for IDG News Service"), which is a staff bio, not an op-ed
    cue. On news both are rare (docs/flags.md).
    """
    bios = (value for span in document.sorted_spans() for name, value in span.facts if name == "author_bio")
    return next((bio for bio in bios if not STAFF_BIO.search(bio)), "")
