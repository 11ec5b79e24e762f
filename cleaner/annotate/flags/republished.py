"""`republished`: the text is syndicated or republished, by its licence or a syndication notice.

Example: "We publish all articles under a Creative Commons Attribution-Noderivatives license." or
"This article was originally published on The Conversation." or a `license` fact from the noise rules.
"""

from __future__ import annotations

import re
from typing import Any

from cleaner.annotate.flags.evidence import notice_assessment
from cleaner.annotate.flags.registry import Assessment, Flag, register
from cleaner.document import Document

NOTICE = re.compile(
    r"(?i)(?P<license>creative\s+commons|\bCC[ -]BY(?:-[A-Z]{2})*\b|\bCC0\b)"
    r"|\b(?:originally|first)\s+(?:published|appeared)\s+(?:in|on|by|at)\b"
    r"|\b(?:re-?published|reprinted|syndicated)\s+(?:with\s+permission|from|under|by)\b"
    r"|\bthis\s+(?:article|story|piece)\s+(?:first\s+)?appeared\s+(?:in|on)\b")


@register
class Republished(Flag):
    name = "republished"
    rule = "republished_v1"
    description = "A reuse licence (Creative Commons) or syndication notice ('originally published in ...')."

    def assess(self, document: Document, settings: dict[str, Any]) -> Assessment | None:
        return notice_assessment(document, NOTICE, ("license", "license_text"), "licence or syndication notice",
                                 "license")
