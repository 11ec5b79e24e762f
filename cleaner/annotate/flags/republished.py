"""`republished`: the text is syndicated or republished, by its licence or a syndication notice.

Example: "We publish all articles under a Creative Commons Attribution-Noderivatives license." or
"This article was originally published on The Conversation." or a `license` fact from the noise rules.
"""

from __future__ import annotations

from typing import Any

from cleaner.annotate.flags.evidence import PIECE, notice_assessment, notice_pattern
from cleaner.annotate.flags.registry import Assessment, Flag, register
from cleaner.document import Document

# a licence named in a sentence of its own ("We publish all articles under a Creative Commons ..."), not
# a picture's credit; or a syndication statement ("Originally published in", "This article is
# republished from", "A version of this story first appeared in")
NOTICE = notice_pattern(
    r"(?!(?i:photos?|images?|pictures?|illustrations?|graphics?|videos?|credits?|maps?)\b)[^.\n]{0,160}?"
    r"(?P<license>(?i:creative\s+commons)|\bCC[ -]BY(?:-[A-Z]{2})*\b|\bCC0\b)"
    rf"|(?:{PIECE}(?i:(?:is|was|has\s+been)\s+)?|(?i:a\s+version\s+of\s+this\s+\w+\s+))?"
    r"(?i:(?:(?:originally|first)\s+)(?:published|appeared|ran)\s+(?:in|on|by|at)\b"
    r"|(?:was\s+)?(?:published|appeared|ran)\s+(?:originally|first)\s+(?:in|on|by|at)\b"
    r"|(?:re-?published|reprinted|syndicated|reproduced)\s+(?:with\s+(?:kind\s+)?permission|from|under|by|courtesy)\b)")


@register
class Republished(Flag):
    name = "republished"
    rule = "republished_v1"
    description = "A reuse licence (Creative Commons) or syndication notice ('originally published in ...')."

    def assess(self, document: Document, settings: dict[str, Any]) -> Assessment | None:
        return notice_assessment(document, NOTICE, ("license", "license_text"), "licence or syndication notice",
                                 "license")
